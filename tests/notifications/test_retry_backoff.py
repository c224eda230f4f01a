"""Failed sends are retried with exponential back-off, then marked failed with the error kept."""

import logging

import pytest
from celery.exceptions import Retry

from notifications import sending
from notifications.models import Channel, Notification, Status
from notifications.recipients import Recipient
from notifications.services import notify
from notifications.tasks import send_notification_task

from ..factories import ParentFactory

pytestmark = pytest.mark.django_db

FAILING = {"default": {"BACKEND": "tests.notifications.backends.FailingBackend"}}


@pytest.fixture
def failing_mail(settings):
    settings.MAILERS = FAILING
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3


def _queue():
    [row] = notify(
        event="people.test.1", recipients=[Recipient(person=ParentFactory())], template="test_notice"
    )
    return row


def test_attempts_grow_until_the_row_fails_with_its_last_error(
    failing_mail, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    countdowns = []
    real = sending.retry_countdown
    monkeypatch.setattr(sending, "retry_countdown", lambda attempts: countdowns.append(real(attempts)) or 0)

    with (
        caplog.at_level(logging.INFO, logger="notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = _queue()

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert row.last_error == "ConnectionRefusedError: mail server refused the connection"
    assert len(countdowns) == 2  # after attempts 1 and 2; the third is the last
    # Logs name the row and the exception class, never the message or the address.
    assert "mail server refused" not in caplog.text and "@example.org" not in caplog.text
    assert f"notification {row.pk} failed after 3 attempt(s) (ConnectionRefusedError)" in caplog.text


def test_a_failed_attempt_goes_back_to_pending_with_a_back_off(failing_mail, monkeypatch):
    """In a worker: the row waits until its next attempt is due, and the task asks Celery to retry."""
    row = _queue()
    asked = {}

    def fake_retry(*, countdown):
        asked["countdown"] = countdown
        return Retry("retry requested", when=countdown)

    monkeypatch.setattr(send_notification_task, "retry", fake_retry)
    with pytest.raises(Retry):
        send_notification_task.run(row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert 60 <= asked["countdown"] <= 90  # 30 * 2**1 plus up to 30 s of jitter
    assert row.available_at > row.claimed_at
    assert row.last_error.startswith("ConnectionRefusedError")


@pytest.mark.parametrize("attempts, low, high", [(1, 60, 90), (2, 120, 150), (4, 480, 510)])
def test_back_off_doubles_with_jitter(attempts, low, high):
    for _ in range(20):
        assert low <= sending.retry_countdown(attempts) <= high


def test_a_later_success_clears_the_error(
    failing_mail, settings, django_capture_on_commit_callbacks, mailoutbox
):
    row = _queue()
    send_notification_task.apply(args=[row.pk])  # fails three times (eagerly) and gives up
    row.refresh_from_db()
    assert row.status == Status.FAILED

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    Notification.objects.filter(pk=row.pk).update(status=Status.PENDING, attempts=0)
    send_notification_task.apply(args=[row.pk])
    row.refresh_from_db()
    assert (row.status, row.last_error, row.attempts) == (Status.SENT, "", 1)
    assert len(mailoutbox) == 1


def test_in_portal_rows_never_touch_the_mail_server(failing_mail, dsl_with_email):
    [row] = notify(
        event="people.test.2",
        recipients=[Recipient(user=dsl_with_email, channel=Channel.IN_APP)],
        template="test_notice",
    )
    send_notification_task.apply(args=[row.pk])
    row.refresh_from_db()
    assert row.status == Status.SENT
