"""Celery tasks of the outbox. Each takes primary keys, is idempotent and calls a service."""

import logging
from collections import Counter
from datetime import timedelta
from functools import partial

from celery import shared_task
from celery.exceptions import Retry

from . import reminders, sending

log = logging.getLogger(__name__)


def _send(notification_id: int, retry_later) -> str:
    """Claim, deliver and mark one notification; on a failure, record it and call `retry_later(countdown)`.

    The claim decides whether this run sends at all. A failed attempt is retried with exponential back-off
    until NOTIFICATIONS_MAX_ATTEMPTS, then the row is marked failed with its last error kept for the
    delivery log.
    """
    notification = sending.notification_claim(notification_id=notification_id)
    if notification is None:
        return "skipped"
    try:
        delivered = sending.notification_deliver(notification)
    except Exception as exc:  # any delivery failure is recorded on the row, then retried or failed
        countdown = sending.notification_record_failure(notification, exc)
        if countdown is None:
            return "failed"
        try:
            retry_later(countdown)
        except Retry:
            raise
        except Exception as publish_error:  # the broker went away: the row is pending, the sweeper has it
            log.warning(
                "notification %s retry not queued (%s); left for the sweeper",
                notification_id,
                type(publish_error).__name__,
            )
            return "retry left to the sweeper"
        return "retry queued"
    if not delivered:  # another worker took the row over before this one handed it over
        return "skipped"
    sending.notification_mark_sent(notification)
    return "sent"


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_notification_task(self, notification_id: int) -> str:
    """Send one notification, at most once however often it is queued; retried by Celery on failure."""

    def retry_later(countdown):
        raise self.retry(countdown=countdown)

    return _send(notification_id, retry_later)


def _retry_alone(notification_id: int, countdown: float) -> None:
    send_notification_task.apply_async((notification_id,), countdown=countdown)


@shared_task(acks_late=True)
def send_notifications_task(notification_ids: list[int]) -> dict[str, int]:
    """Send an event's notifications in one task: Celery's cost per task is paid once for the batch.

    Each notification is still claimed, delivered and marked on its own, exactly as by
    `send_notification_task`, so a repeated batch sends nothing twice; a failed one is retried alone. If the
    worker dies or the database fails mid-batch, the rest stay pending for the redelivered batch or the
    sweeper.
    """
    outcomes = Counter(_send(pk, partial(_retry_alone, pk)) for pk in notification_ids)
    return dict(outcomes)


@shared_task
def sweep_outbox_task(*, on_connect: bool = False) -> int:
    """Re-dispatch notices a lost message or a dead worker left behind: every 30 seconds (beat), and each
    time a worker connects to the broker (`on_connect`: every pending notice, however recent; see
    socialpolicy.celery.SweepOnConnect)."""
    return len(sending.sweep_outbox(grace=timedelta(0) if on_connect else None))


@shared_task
def run_daily_reminders_task() -> dict[str, str]:
    """Once a day (beat, 06:30 Europe/London): run every registered reminder job."""
    return reminders.run_daily()
