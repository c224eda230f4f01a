"""An event's notices go to Celery in batches (one task per NOTIFICATIONS_DISPATCH_BATCH): each notice is
still claimed, sent and marked on its own, so a batch run twice sends nothing twice, and a notice that fails
is retried alone with its back-off while the rest of the batch is sent."""

import pytest

from notifications import tasks
from notifications.models import Notification, Status
from notifications.recipients import Recipient
from notifications.services import notify
from notifications.tasks import send_notifications_task

from ..factories import ParentFactory

pytestmark = pytest.mark.django_db


def _queue(count, **person):
    return notify(
        event="people.test.batch",
        recipients=[Recipient(person=ParentFactory(**person)) for _ in range(count)],
        template="test_notice",
    )


def test_an_events_notices_are_sent_in_batches(
    settings, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_DISPATCH_BATCH = 3
    batches = []
    real = send_notifications_task.run
    monkeypatch.setattr(send_notifications_task, "run", lambda ids: batches.append(ids) or real(ids))
    with django_capture_on_commit_callbacks(execute=True):
        rows = _queue(7)
    assert [len(batch) for batch in batches] == [3, 3]  # and the seventh in a task of its own
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    assert sorted(m.extra_headers["X-Portal-Notification"] for m in mailoutbox) == sorted(
        str(row.pk) for row in rows
    )


def test_a_batch_run_again_sends_nothing_more(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = _queue(3)
    assert len(mailoutbox) == 3
    ids = [row.pk for row in rows]
    assert send_notifications_task.apply(args=[ids]).get() == {"skipped": 3}
    assert send_notifications_task.apply(args=[[*ids, *ids]]).get() == {"skipped": 6}
    assert len(mailoutbox) == 3
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_a_notice_that_fails_is_retried_alone_and_the_rest_are_sent(settings, mailoutbox, monkeypatch):
    rows = _queue(2)
    [unreachable] = _queue(1, email="")
    late = _queue(1)
    failing = rows[1]
    real_deliver = tasks.sending.notification_deliver

    def deliver(notification):
        if notification.pk == failing.pk:
            raise ConnectionRefusedError("mail server refused the connection")
        return real_deliver(notification)

    monkeypatch.setattr(tasks.sending, "notification_deliver", deliver)
    retried = []
    monkeypatch.setattr(tasks, "_retry_alone", lambda pk, countdown: retried.append((pk, countdown)))

    ids = [rows[0].pk, failing.pk, unreachable.pk, late[0].pk]
    outcomes = send_notifications_task.apply(args=[ids]).get()

    assert outcomes == {"sent": 2, "retry queued": 1, "failed": 1}
    assert [pk for pk, _ in retried] == [failing.pk]
    assert 30 <= retried[0][1]  # the back-off of a first failure
    statuses = dict(Notification.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {
        rows[0].pk: Status.SENT,
        failing.pk: Status.PENDING,
        unreachable.pk: Status.FAILED,
        late[0].pk: Status.SENT,
    }
    assert len(mailoutbox) == 2


def test_a_retry_that_cannot_be_queued_leaves_the_notice_for_the_sweeper(monkeypatch):
    [row] = _queue(1)

    def deliver(notification):
        raise ConnectionRefusedError("down")

    def broker_gone(pk, countdown):
        raise OSError("broker gone")

    monkeypatch.setattr(tasks.sending, "notification_deliver", deliver)
    monkeypatch.setattr(tasks, "_retry_alone", broker_gone)
    assert send_notifications_task.apply(args=[[row.pk]]).get() == {"retry left to the sweeper": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
