"""The delivery log's actions: send again, cancel, mark delivered, send a test notice. Each audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent
from notifications import services
from notifications.models import Channel, Notification, Status

from ..factories import ParentFactory
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _row(school, **fields):
    fields.setdefault("recipient_user", None)
    fields.setdefault("recipient_person", ParentFactory(email="jo@example.org"))
    fields.setdefault("channel", Channel.EMAIL)
    return NotificationFactory(school=school, **fields)


def test_send_again_resets_the_attempts_dispatches_and_audits(
    client, school, office_user, mailoutbox, django_capture_on_commit_callbacks
):
    failed = _row(school, status=Status.FAILED, attempts=5, last_error="TimeoutError: timed out")
    client.force_login(office_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[failed.pk]), {"query": "f-status=failed"})

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:log") + "?f-status=failed"
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (Status.SENT, 1, "")
    assert len(mailoutbox) == 1
    event = AuditEvent.objects.get(action="notifications.notification.retry")
    assert (event.actor, event.target_type, event.target_id, event.school_id) == (
        office_user,
        "notifications.notification",
        str(failed.pk),
        school.pk,
    )
    assert event.data == {"status": ["failed", "pending"], "previous_attempts": 5}


def test_cancel_a_pending_notice(client, school, dsl_user):
    pending = _row(school, status=Status.PENDING)
    client.force_login(dsl_user)

    client.post(reverse("notifications:cancel", args=[pending.pk]), {"confirm": "yes"})

    pending.refresh_from_db()
    assert pending.status == Status.CANCELLED
    assert AuditEvent.objects.filter(
        action="notifications.notification.cancel", target_id=str(pending.pk)
    ).exists()


def test_mark_a_manual_notice_delivered(client, school, office_user):
    manual = _row(school, status=Status.PENDING, channel=Channel.MANUAL)
    client.force_login(office_user)

    client.post(reverse("notifications:delivered", args=[manual.pk]), {"confirm": "yes"})

    manual.refresh_from_db()
    assert manual.status == Status.SENT and manual.sent_at is not None
    assert AuditEvent.objects.filter(action="notifications.notification.delivered").count() == 1


@pytest.mark.parametrize(
    "action, status, channel",
    [
        ("retry", Status.SENT, Channel.EMAIL),
        ("retry", Status.PENDING, Channel.EMAIL),
        ("cancel", Status.SENT, Channel.EMAIL),
        ("cancel", Status.FAILED, Channel.EMAIL),
        ("cancel", Status.SENDING, Channel.EMAIL),
        ("delivered", Status.PENDING, Channel.EMAIL),
        ("delivered", Status.SENT, Channel.MANUAL),
    ],
)
def test_an_action_in_the_wrong_state_is_refused_with_a_message(
    client, school, office_user, action, status, channel
):
    row = _row(school, status=status, channel=channel)
    client.force_login(office_user)

    response = client.post(reverse(f"notifications:{action}", args=[row.pk]), follow=True)

    assert response.status_code == 200
    assert Notification.objects.get(pk=row.pk).status == status
    assert not AuditEvent.objects.filter(action__startswith="notifications.notification.").exists()
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_the_services_check_access_again(school, staff_user):
    row = _row(school, status=Status.FAILED)
    for action in (
        services.notification_retry,
        services.notification_cancel,
        services.notification_mark_delivered,
    ):
        with pytest.raises(PermissionDenied):
            action(actor=staff_user, notification=row)
    with pytest.raises(PermissionDenied):
        services.send_test_notice(actor=staff_user)


def test_actions_need_a_post(client, school, office_user):
    row = _row(school, status=Status.FAILED)
    client.force_login(office_user)
    assert client.get(reverse("notifications:retry", args=[row.pk])).status_code == 405


def test_send_a_test_notice_to_myself(
    client, school, office_user, mailoutbox, django_capture_on_commit_callbacks
):
    office_user.email = "sandra@larch.example.org"
    office_user.save()
    client.force_login(office_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:send_test"))

    assert response.status_code == 302
    rows = Notification.objects.filter(recipient_user=office_user)
    assert {(row.channel, row.status) for row in rows} == {
        (Channel.EMAIL, Status.SENT),
        (Channel.IN_APP, Status.SENT),
    }
    assert all(row.event.startswith("notifications.test.") and row.school_id == school.pk for row in rows)
    assert [m.to for m in mailoutbox] == [["sandra@larch.example.org"]]
    assert AuditEvent.objects.filter(action="notifications.notification.queue", actor=office_user).exists()
    # It is in my notifications, and in the log.
    assert len(client.get(reverse("notifications:inbox")).context["items"]) == 1
    assert client.get(reverse("notifications:log")).context["page"].paginator.count == 2


def test_the_executive_head_sees_their_own_test_notice(client, exec_head_user, mailoutbox):
    client.force_login(exec_head_user)
    client.post(reverse("notifications:send_test"))
    assert client.get(reverse("notifications:log")).context["page"].paginator.count == 2
