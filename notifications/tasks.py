"""Celery tasks of the outbox. Each takes primary keys, is idempotent and calls a service."""

import logging

from celery import shared_task
from celery.exceptions import Retry

from . import reminders, services

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_notification_task(self, notification_id: int) -> str:
    """Send one notification, at most once however often it is queued.

    The claim decides whether this run sends at all. A failed attempt is retried with
    exponential back-off until NOTIFICATIONS_MAX_ATTEMPTS, then the row is marked
    failed with its last error kept for the delivery log.
    """
    notification = services.notification_claim(notification_id=notification_id)
    if notification is None:
        return "skipped"
    try:
        services.notification_deliver(notification)
    except Exception as exc:  # any delivery failure is recorded on the row, then retried or failed
        countdown = services.notification_record_failure(notification, exc)
        if countdown is None:
            return "failed"
        try:
            raise self.retry(countdown=countdown)
        except Retry:
            raise
        except Exception as publish_error:  # the broker went away: the row is pending, the sweeper has it
            log.warning(
                "notification %s retry not queued (%s); left for the sweeper",
                notification_id,
                type(publish_error).__name__,
            )
            return "retry left to the sweeper"
    services.notification_mark_sent(notification)
    return "sent"


@shared_task
def sweep_outbox_task() -> int:
    """Every minute (beat): re-dispatch notices a lost message or a dead worker left behind."""
    return len(services.sweep_outbox())


@shared_task
def run_daily_reminders_task() -> dict[str, str]:
    """Once a day (beat, 06:30 Europe/London): run every registered reminder job."""
    return reminders.run_daily()
