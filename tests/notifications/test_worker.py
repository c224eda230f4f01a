"""A real Celery worker on Redis and PostgreSQL delivers every notice exactly once."""

from collections import Counter

import pytest

from notifications.models import Channel, Notification, Status
from notifications.recipients import Recipient
from notifications.services import notify

from ..factories import ParentFactory, SchoolFactory
from .backends import sent_ids
from .stack import publishing_to, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_fifty_notices_are_all_sent_exactly_once(redis_server, start_worker):
    school = SchoolFactory(name="Larch School", code="larch")
    parents = [ParentFactory(school=school) for _ in range(50)]
    start_worker()

    with publishing_to(redis_server.url):
        rows = notify(
            event="people.test.worker",
            recipients=[Recipient(person=parent, channel=Channel.EMAIL) for parent in parents],
            template="parent_contact_request",
            school=school,
        )

    assert len(rows) == 50
    wait_for(
        lambda: Notification.objects.filter(status=Status.SENT).count() == 50,
        timeout=60,
        message="all 50 notices to be sent",
    )
    sends = Counter(sent_ids(start_worker.mail_dir))
    assert set(sends) == {row.pk for row in rows}
    assert set(sends.values()) == {1}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_a_duplicated_message_sends_nothing_more(redis_server, start_worker):
    """At-least-once delivery of messages, exactly-once sending: the claim absorbs duplicates."""
    from notifications.services import dispatch

    parent = ParentFactory()
    start_worker()
    with publishing_to(redis_server.url):
        [row] = notify(event="people.test.dup", recipients=[Recipient(person=parent)], template="test_notice")
        wait_for(
            lambda: Notification.objects.get(pk=row.pk).status == Status.SENT,
            timeout=30,
            message="the notice to be sent",
        )
        assert dispatch([row.pk, row.pk, row.pk]) == 3
        # The worker handles messages in order: a later notice marks that the duplicates are done.
        [marker] = notify(
            event="people.test.dup2", recipients=[Recipient(person=parent)], template="test_notice"
        )
        wait_for(
            lambda: Notification.objects.get(pk=marker.pk).status == Status.SENT,
            timeout=30,
            message="the marker notice to be sent",
        )

    assert Counter(sent_ids(start_worker.mail_dir)) == {row.pk: 1, marker.pk: 1}
