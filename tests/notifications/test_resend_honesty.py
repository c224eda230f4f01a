"""A notice sent again after a worker stopped mid-send: the same Message-ID, and the delivery log says
it may have arrived twice. Email cannot be exactly-once; the portal narrows the gap and says so."""

import smtplib
from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from notifications import sending
from notifications.models import Channel, Notification, Status
from notifications.recipients import Recipient
from notifications.services import notification_retry, notify

from ..factories import ParentFactory
from .backends import FailingBackend

pytestmark = pytest.mark.django_db

TWICE = "Possibly sent twice"


def _queue(school, event="people.test.resend"):
    [row] = notify(
        event=event,
        recipients=[Recipient(person=ParentFactory(school=school), channel=Channel.EMAIL)],
        template="test_notice",
        school=school,
    )
    return row


def _age_claim(row, settings):
    Notification.objects.filter(pk=row.pk).update(
        claimed_at=F("claimed_at") - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT + 1)
    )


def test_the_message_id_is_the_notices_own_and_the_same_on_every_send(
    school, mailoutbox, settings, django_capture_on_commit_callbacks, office_user
):
    settings.PORTAL_BASE_URL = "https://portal.larch.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue(school)
    row.refresh_from_db()
    Notification.objects.filter(pk=row.pk).update(status=Status.FAILED)  # as if the recipient asked again
    with django_capture_on_commit_callbacks(execute=True):
        notification_retry(actor=office_user, notification=row)

    first, second = (message.message()["Message-ID"] for message in mailoutbox)
    assert first == second == sending.message_id(row)
    assert first.startswith(f"<notice-{row.pk}.") and first.endswith("@portal.larch.example.org>")
    other = _queue(school, event="people.test.other")
    assert sending.message_id(other) != first


def test_a_send_stopped_between_hand_over_and_marking_is_resent_as_possibly_twice(
    school, mailoutbox, settings, client, office_user
):
    """The worker hands the email over, then stops before marking the row: the sweep sends it again with
    the same Message-ID, and the delivery log says in words that it may have arrived twice."""
    row = _queue(school)  # not dispatched: no commit callbacks run
    claimed = sending.notification_claim(notification_id=row.pk)
    assert sending.notification_deliver(claimed) is True  # handed over; the worker stops here
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert (row.status, row.handovers, row.possibly_sent_twice) == (Status.SENDING, 1, False)

    _age_claim(row, settings)
    assert sending.sweep_outbox() == [row.pk]

    row.refresh_from_db()
    assert (row.status, row.attempts, row.handovers) == (Status.SENT, 2, 2)
    assert row.possibly_sent_twice
    assert [m.message()["Message-ID"] for m in mailoutbox] == [sending.message_id(row)] * 2
    client.force_login(office_user)
    page = client.get(reverse("notifications:log")).content.decode()
    assert TWICE in page
    assert "an earlier attempt may have reached the mail server" in page


def test_a_send_stopped_before_the_hand_over_is_not_called_twice(
    school, mailoutbox, settings, client, office_user
):
    """Stopped after the claim but before the SMTP call: sent once, and the log says nothing of twice."""
    row = _queue(school)
    sending.notification_claim(notification_id=row.pk)
    _age_claim(row, settings)
    assert sending.sweep_outbox() == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.handovers, row.possibly_sent_twice) == (Status.SENT, 2, 1, False)
    client.force_login(office_user)
    assert TWICE not in client.get(reverse("notifications:log")).content.decode()


def test_a_refused_send_takes_its_hand_over_back(school, mailoutbox, settings, monkeypatch):
    """The mail server refuses the message (it never had it): the next, successful send is not called twice."""
    row = _queue(school)
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.FailingBackend"}}
    claimed = sending.notification_claim(notification_id=row.pk)
    with pytest.raises(ConnectionRefusedError):
        sending.notification_deliver(claimed)
    sending.notification_record_failure(claimed, ConnectionRefusedError("refused"))
    row.refresh_from_db()
    assert (row.status, row.handovers) == (Status.PENDING, 0)


@pytest.mark.parametrize("error", [smtplib.SMTPServerDisconnected("gone"), TimeoutError("timed out")])
def test_a_send_cut_off_mid_conversation_keeps_its_hand_over(
    school, mailoutbox, settings, monkeypatch, error
):
    """The connection dropped or timed out mid-send: the server may have the message, so the count stays
    and the later successful send is marked possibly twice."""
    row = _queue(school)

    def cut_off(self, messages):
        raise error

    monkeypatch.setattr(FailingBackend, "send_messages", cut_off)
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.FailingBackend"}}
    claimed = sending.notification_claim(notification_id=row.pk)
    with pytest.raises(type(error)):
        sending.notification_deliver(claimed)
    sending.notification_record_failure(claimed, error)
    row.refresh_from_db()
    assert (row.status, row.handovers) == (Status.PENDING, 1)

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    Notification.objects.filter(pk=row.pk).update(available_at=None)
    from notifications.tasks import send_notification_task

    assert send_notification_task.run(row.pk) == "sent"
    row.refresh_from_db()
    assert (row.status, row.handovers, row.possibly_sent_twice) == (Status.SENT, 2, True)
