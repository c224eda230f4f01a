"""Scheduled work: LADO deadline reminders (every 15 minutes, CELERY_BEAT_SCHEDULE, and daily as a
fallback) and the removal of malicious allegations (daily). Idempotent: event keys make repeats harmless."""

from celery import shared_task

from notifications.reminders import register_daily

from . import services


@shared_task
def lado_deadlines_sweep_task() -> int:
    """Half-time and missed LADO referral reminders; a one-working-day deadline needs this granularity."""
    return len(services.lado_deadlines_sweep())


@shared_task
def retention_sweep_task() -> int:
    return len(services.retention_sweep())


@register_daily("incidents.lado_deadlines")
def daily_lado_deadlines():
    services.lado_deadlines_sweep()


@register_daily("incidents.retention")
def daily_retention():
    services.retention_sweep()
