"""Faults: a worker killed mid-send, and Redis down while events are saved. No notice is lost or doubled."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from notifications.models import Channel, Notification, Status
from notifications.recipients import Recipient
from notifications.sending import message_id
from notifications.services import notify
from notifications.tasks import sweep_outbox_task
from people.models import Role

from ..factories import ParentFactory, SchoolFactory, make_user
from .backends import sent_ids, sent_message_ids
from .stack import publishing_to, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# Long enough that a worker starting on a loaded machine never sees the interrupted send as timed out;
# the test moves that send's claim back in time instead of waiting for it.
SENDING_TIMEOUT = 60


def _sending(mail_dir) -> set[int]:
    return {int(path.name.split("-")[1]) for path in mail_dir.glob("sending-*")}


def test_a_worker_killed_mid_send_loses_nothing_and_doubles_nothing(
    redis_server, start_worker, settings, tmp_path
):
    """SIGKILL while the mail server holds a message: the row stays "sending", the sweeper hands it
    to a new worker once NOTIFICATIONS_SENDING_TIMEOUT has passed, and each notice goes once. The event's
    five notices travel in one batch, so the four not yet sent wait for the sweep of the next worker to
    connect (the broker gives a dead worker's message back only after its visibility timeout)."""
    settings.NOTIFICATIONS_SENDING_TIMEOUT = SENDING_TIMEOUT
    release = tmp_path / "release"
    mail_dir = start_worker.mail_dir
    options = {"release_file": release, "sending_timeout": SENDING_TIMEOUT}
    first = start_worker(**options)
    parents = [ParentFactory() for _ in range(5)]

    with publishing_to(redis_server.url):
        rows = notify(
            event="people.test.kill",
            recipients=[Recipient(person=parent, channel=Channel.EMAIL) for parent in parents],
            template="test_notice",
        )
        [blocked] = wait_for(lambda: _sending(mail_dir), timeout=30, message="the first send to start")
        first.kill()
        assert Notification.objects.get(pk=blocked).status == Status.SENDING

        # The new worker sweeps on connecting: it takes the four still pending (the interrupted one is not
        # yet timed out) and blocks on the first, until released.
        start_worker(**options)
        wait_for(lambda: len(_sending(mail_dir)) == 2, timeout=30, message="the new worker to start sending")
        release.touch()
        wait_for(
            lambda: Notification.objects.filter(status=Status.SENT).count() == 4,
            timeout=30,
            message="the four notices still queued to be sent",
        )
        # The interrupted send's claim grows older than the timeout, as if that much time had passed.
        Notification.objects.filter(pk=blocked).update(
            claimed_at=F("claimed_at") - timedelta(seconds=SENDING_TIMEOUT + 1)
        )
        assert sweep_outbox_task() == 1
        wait_for(
            lambda: Notification.objects.filter(status=Status.SENT).count() == 5,
            timeout=30,
            message="the interrupted notice to be sent by the sweeper",
        )

    assert Counter(sent_ids(mail_dir)) == {row.pk: 1 for row in rows}
    # Killed while the mail server held the message: it may have arrived, so the log says possibly twice.
    blocked_row = Notification.objects.get(pk=blocked)
    assert (blocked_row.attempts, blocked_row.possibly_sent_twice) == (2, True)


def test_with_redis_down_events_are_saved_quickly_and_delivered_later(
    redis_server, start_worker, settings, client
):
    """Twenty events saved while the broker is down: every save succeeds within 2 s, and so does a
    request that sends a notice; once Redis is back the sweeper queues them all and a worker
    delivers every one."""
    school = SchoolFactory(name="Larch School", code="larch")
    parents = [ParentFactory(school=school) for _ in range(20)]
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school, email="office@larch.example.org")
    client.force_login(office)
    redis_server.stop()

    durations = []
    with publishing_to(redis_server.url):
        for number, parent in enumerate(parents):
            started = time.monotonic()
            with transaction.atomic():
                notify(
                    event=f"people.test.down.{number}",
                    recipients=[Recipient(person=parent, channel=Channel.EMAIL)],
                    template="parent_contact_request",
                    school=school,
                )
            durations.append(time.monotonic() - started)

        started = time.monotonic()
        response = client.post(reverse("notifications:send_test"))
        request_duration = time.monotonic() - started

        assert Notification.objects.filter(status=Status.PENDING).count() == 22
        assert max(durations) < 2, durations
        assert response.status_code == 302 and request_duration < 2, request_duration

        redis_server.start()  # the same port
        settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 0
        assert sweep_outbox_task() == 22
        start_worker()
        wait_for(
            lambda: Notification.objects.filter(status=Status.SENT).count() == 22,
            timeout=60,
            message="the twenty events and the test notice to be delivered",
        )

    emails = Notification.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True)
    assert len(emails) == 21
    assert Counter(sent_ids(start_worker.mail_dir)) == {pk: 1 for pk in emails}


def test_a_worker_killed_after_the_hand_over_resends_with_the_same_message_id_and_says_so(
    redis_server, start_worker, settings, tmp_path, client
):
    """SIGKILL after the mail server took the message and before the row was marked sent: the notice is
    sent again (email cannot be exactly-once), with the same Message-ID, and the delivery log says in
    words that it was possibly sent twice."""
    settings.NOTIFICATIONS_SENDING_TIMEOUT = SENDING_TIMEOUT
    mail_dir = start_worker.mail_dir
    first = start_worker(
        release_file=tmp_path / "release", hold_after_send=True, sending_timeout=SENDING_TIMEOUT
    )
    school = SchoolFactory(name="Larch School", code="larch")
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school, email="office@larch.example.org")

    with publishing_to(redis_server.url):
        [row] = notify(
            event="people.test.handed-over",
            recipients=[Recipient(person=ParentFactory(school=school), channel=Channel.EMAIL)],
            template="test_notice",
            school=school,
        )
        wait_for(lambda: (mail_dir / f"handed-{row.pk}").exists(), timeout=30, message="the hand-over")
        first.kill()
        row.refresh_from_db()
        assert (row.status, row.handovers) == (Status.SENDING, 1)

        # The claim grows older than the timeout; the next worker sweeps on connecting and sends it again.
        Notification.objects.filter(pk=row.pk).update(
            claimed_at=F("claimed_at") - timedelta(seconds=SENDING_TIMEOUT + 1)
        )
        start_worker(sending_timeout=SENDING_TIMEOUT)
        wait_for(
            lambda: Notification.objects.get(pk=row.pk).status == Status.SENT,
            timeout=30,
            message="the notice to be sent again",
        )

    row.refresh_from_db()
    assert (row.attempts, row.handovers, row.possibly_sent_twice) == (2, 2, True)
    first_id, second_id = sent_message_ids(mail_dir, row.pk)
    assert first_id == second_id == message_id(row)
    client.force_login(office)
    assert "Possibly sent twice" in client.get(reverse("notifications:log")).content.decode()
