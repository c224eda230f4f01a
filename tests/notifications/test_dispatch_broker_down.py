"""With the broker down, saving an event still succeeds: the rows wait for the sweeper."""

import logging

import pytest
from kombu.exceptions import OperationalError

from notifications import sending
from notifications.models import Notification, Status
from notifications.recipients import dsls_of
from notifications.services import dispatch, notify
from notifications.tasks import send_notification_task, send_notifications_task
from people.models import Role

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Every publish refused; records what each attempt carried (one id, or a batch's ids)."""
    calls = []

    def refuse(ids):
        calls.append(ids)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notification_task, "delay", refuse)
    monkeypatch.setattr(send_notifications_task, "delay", refuse)
    return calls


def test_the_event_is_saved_and_the_rows_stay_pending(
    school, broker_down, caplog, django_capture_on_commit_callbacks
):
    for _ in range(3):
        make_user(Role.DSL, school=school)

    with (
        caplog.at_level(logging.WARNING, logger="notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        rows = notify(event="people.test.1", recipients=dsls_of(school), template="test_notice")

    assert len(rows) == 6
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.PENDING}
    # One refused publish (the event's six notices in one batch) is enough to know: the rest are left for the
    # sweeper without waiting.
    assert broker_down == [[row.pk for row in rows]]
    assert (
        f"notification {rows[0].pk} not queued (OperationalError); it and 5 more wait for the sweeper"
        in caplog.text
    )
    assert "Connection refused" not in caplog.text


def test_dispatch_never_raises(broker_down):
    assert dispatch([1, 2, 3]) == 0
    assert dispatch([4]) == 0


def test_dispatch_hands_every_row_over_when_the_broker_answers(monkeypatch, settings):
    """In batches of NOTIFICATIONS_DISPATCH_BATCH, one task each; a lone notice goes in a task of its own."""
    settings.NOTIFICATIONS_DISPATCH_BATCH = 2
    batches, singles = [], []
    monkeypatch.setattr(send_notifications_task, "delay", batches.append)
    monkeypatch.setattr(send_notification_task, "delay", singles.append)
    assert dispatch([4, 5, 6, 7, 8]) == 5
    assert (batches, singles) == ([[4, 5], [6, 7]], [8])


def test_a_refused_batch_leaves_it_and_the_rest_for_the_sweeper(monkeypatch, settings, caplog):
    settings.NOTIFICATIONS_DISPATCH_BATCH = 2
    handed = []

    def second_refused(ids):
        if handed:
            raise OperationalError("down")
        handed.append(ids)

    monkeypatch.setattr(send_notifications_task, "delay", second_refused)
    with caplog.at_level(logging.WARNING, logger="notifications"):
        assert dispatch([1, 2, 3, 4, 5]) == 2
    assert handed == [[1, 2]]
    assert "notification 3 not queued (OperationalError); it and 2 more wait for the sweeper" in caplog.text


def test_a_retry_that_cannot_be_queued_is_left_for_the_sweeper(school, monkeypatch, settings):
    """The mail server and then the broker fail: the row is pending with its error, nothing raises."""
    from celery.exceptions import Reject

    from notifications.recipients import Recipient

    from ..factories import ParentFactory

    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.FailingBackend"}}
    [row] = notify(
        event="people.test.2", recipients=[Recipient(person=ParentFactory())], template="test_notice"
    )

    def broker_gone(**kwargs):
        raise Reject(OperationalError("down"), requeue=False)

    monkeypatch.setattr(send_notification_task, "retry", broker_gone)
    assert send_notification_task.run(row.pk) == "retry left to the sweeper"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert sending.sweep_outbox() == []  # not yet due: the back-off still applies


@pytest.fixture
def through_a_broker(monkeypatch):
    """As with REDIS_URL set: tasks go through a broker, so the circuit breaker applies."""
    from core import broker

    monkeypatch.setattr(broker, "tasks_in_process", lambda: False)
    return broker


def test_after_a_refusal_the_process_leaves_work_to_the_sweeper_for_a_while(
    broker_down, through_a_broker, settings, caplog
):
    settings.PORTAL_BROKER_RETRY_SECONDS = 30
    assert dispatch([1, 2]) == 0
    with caplog.at_level(logging.WARNING, logger="notifications"):
        assert dispatch([3, 4]) == 0
    assert broker_down == [[1, 2]]  # no second wait on the broker
    assert "notification 3 and 1 more not queued (the broker failed just now)" in caplog.text

    assert dispatch([5], despite_breaker=True) == 0  # the sweep still tries
    assert broker_down == [[1, 2], 5]

    settings.PORTAL_BROKER_RETRY_SECONDS = 0  # the remembered failure has run out
    through_a_broker.note_broker_down()
    assert dispatch([6]) == 0
    assert broker_down[-1] == 6


def test_a_successful_publish_ends_the_remembered_failure(through_a_broker, monkeypatch):
    through_a_broker.note_broker_down()
    assert through_a_broker.broker_known_down()
    handed = []
    monkeypatch.setattr(send_notification_task, "delay", handed.append)
    assert dispatch([7], despite_breaker=True) == 1
    assert not through_a_broker.broker_known_down()
    assert dispatch([8]) == 1
    assert handed == [7, 8]


def test_with_tasks_in_process_the_breaker_never_holds_a_notice_back(broker_down, school, mailoutbox):
    from core import broker

    broker.note_broker_down()
    assert not broker.broker_known_down()  # no broker: nothing to wait for
