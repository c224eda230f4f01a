"""The sweeper re-sends what a lost message or a dead worker left behind, and nothing else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Channel, Notification, Status
from notifications.sending import sweep_outbox
from notifications.tasks import sweep_outbox_task

from ..factories import ParentFactory
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _email_row(**fields):
    fields.setdefault("channel", Channel.EMAIL)
    fields.setdefault("status", Status.PENDING)
    return NotificationFactory(recipient_user=None, recipient_person=ParentFactory(), **fields)


def test_resends_pending_rows_due_for_over_a_minute(mailoutbox):
    now = timezone.now()
    lost = _email_row(available_at=now - timedelta(seconds=61))
    fresh = _email_row(available_at=now - timedelta(seconds=5))
    backing_off = _email_row(available_at=now + timedelta(minutes=4))
    manual = _email_row(available_at=now - timedelta(hours=1), channel=Channel.MANUAL)

    assert sweep_outbox_task() == 1

    assert Notification.objects.get(pk=lost.pk).status == Status.SENT
    for untouched in (fresh, backing_off, manual):
        assert Notification.objects.get(pk=untouched.pk).status == Status.PENDING
    assert len(mailoutbox) == 1


def test_takes_over_rows_stuck_sending_past_the_timeout(settings, mailoutbox):
    """A worker died mid-send: after NOTIFICATIONS_SENDING_TIMEOUT the row is claimed again."""
    settings.NOTIFICATIONS_SENDING_TIMEOUT = 300
    now = timezone.now()
    stuck = _email_row(status=Status.SENDING, attempts=1, claimed_at=now - timedelta(seconds=301))
    busy = _email_row(status=Status.SENDING, attempts=1, claimed_at=now - timedelta(seconds=30))

    assert sweep_outbox() == [stuck.pk]

    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (Status.SENT, 2)
    assert (busy.status, busy.attempts) == (Status.SENDING, 1)
    assert len(mailoutbox) == 1


def test_a_row_interrupted_too_often_fails(settings, mailoutbox):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    stuck = _email_row(status=Status.SENDING, attempts=3, claimed_at=timezone.now() - timedelta(hours=1))

    sweep_outbox()

    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED
    assert "interrupted" in stuck.last_error
    assert mailoutbox == []


def test_done_and_cancelled_rows_are_left_alone(mailoutbox):
    old = timezone.now() - timedelta(hours=1)
    for status in (Status.SENT, Status.FAILED, Status.CANCELLED):
        _email_row(status=status, available_at=old)
    assert sweep_outbox() == []
    assert mailoutbox == []


def test_one_query_to_find_the_rows(django_assert_num_queries, monkeypatch):
    from notifications import sending

    monkeypatch.setattr(sending, "dispatch", lambda ids, **options: len(ids))
    for _ in range(5):
        _email_row(available_at=timezone.now() - timedelta(minutes=5))
    with django_assert_num_queries(1):
        assert len(sweep_outbox()) == 5


def test_a_sweep_on_connecting_takes_every_pending_row_however_recent(mailoutbox):
    """A worker that has just connected sends what waited while it could not: no grace for pending rows;
    a row another worker is sending now is still left alone."""
    now = timezone.now()
    recent = _email_row(available_at=now - timedelta(seconds=1))
    busy = _email_row(status=Status.SENDING, attempts=1, claimed_at=now - timedelta(seconds=5))
    backing_off = _email_row(available_at=now + timedelta(minutes=4))

    assert sweep_outbox_task() == 0
    assert sweep_outbox_task(on_connect=True) == 1

    assert Notification.objects.get(pk=recent.pk).status == Status.SENT
    assert Notification.objects.get(pk=busy.pk).status == Status.SENDING
    assert Notification.objects.get(pk=backing_off.pk).status == Status.PENDING
    assert len(mailoutbox) == 1


def test_the_beat_sweeps_twice_a_minute_and_takes_over_a_dead_workers_send_in_two(settings):
    from django.conf import settings as live

    schedule = live.CELERY_BEAT_SCHEDULE["notifications-sweep-outbox"]
    assert schedule["schedule"] == 30.0
    assert (live.NOTIFICATIONS_SWEEP_AFTER_SECONDS, live.NOTIFICATIONS_SENDING_TIMEOUT) == (30, 120)
    # The slowest send a live worker can make (about nine SMTP exchanges) stays inside the timeout.
    assert (
        9 * live.MAILERS["default"].get("OPTIONS", {}).get("timeout", 10) < live.NOTIFICATIONS_SENDING_TIMEOUT
    )
