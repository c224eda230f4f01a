"""One row per (event, recipient, channel): a repeated event notifies nobody twice."""

import pytest
from django.db import IntegrityError, transaction

from notifications.models import Channel, Notification
from notifications.recipients import Recipient, dsls_of
from notifications.services import notify

from ..factories import ParentFactory

pytestmark = pytest.mark.django_db


def test_notifying_the_same_event_twice_adds_no_row(
    school, dsl_with_email, mailoutbox, django_capture_on_commit_callbacks
):
    """The second call returns the rows the first one wrote, and the email goes once."""
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(event="people.test.1", recipients=dsls_of(school), template="test_notice")
    with django_capture_on_commit_callbacks(execute=True):
        second = notify(event="people.test.1", recipients=dsls_of(school), template="test_notice")

    assert [row.pk for row in second] == [row.pk for row in first]
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 1


def test_a_new_recipient_of_a_known_event_is_added(school, dsl_with_email):
    parent = ParentFactory()
    notify(event="people.test.2", recipients=dsls_of(school), template="test_notice")
    rows = notify(
        event="people.test.2",
        recipients=dsls_of(school) + [Recipient(person=parent, channel=Channel.EMAIL)],
        template="test_notice",
    )
    assert len(rows) == 3
    assert Notification.objects.filter(event="people.test.2").count() == 3


def test_the_database_refuses_a_duplicate_user_row(dsl_with_email):
    Notification.objects.create(
        event="e", recipient_user=dsl_with_email, channel=Channel.EMAIL, template="test_notice"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            event="e", recipient_user=dsl_with_email, channel=Channel.EMAIL, template="test_notice"
        )


def test_the_database_refuses_a_duplicate_person_row():
    parent = ParentFactory()
    Notification.objects.create(
        event="e", recipient_person=parent, channel=Channel.EMAIL, template="test_notice"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            event="e", recipient_person=parent, channel=Channel.EMAIL, template="test_notice"
        )


def test_the_same_event_on_another_channel_is_a_different_row(dsl_with_email):
    Notification.objects.create(
        event="e", recipient_user=dsl_with_email, channel=Channel.EMAIL, template="test_notice"
    )
    Notification.objects.create(
        event="e", recipient_user=dsl_with_email, channel=Channel.IN_APP, template="test_notice"
    )
    assert Notification.objects.count() == 2


@pytest.mark.parametrize("both", [True, False], ids=["both", "neither"])
def test_a_row_has_exactly_one_recipient(dsl_with_email, both):
    parent = ParentFactory() if both else None
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            event="e",
            recipient_user=dsl_with_email if both else None,
            recipient_person=parent,
            channel=Channel.EMAIL,
            template="test_notice",
        )
