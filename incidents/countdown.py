"""Deadlines as people read them: "due in 3 h 20 min", "overdue by 1 day 2 h"."""

from datetime import datetime

from django.utils import timezone


def _span(seconds: int) -> str:
    minutes = max(1, seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min"


def countdown(due: datetime | None, now: datetime | None = None) -> str:
    if due is None:
        return ""
    now = now or timezone.now()
    seconds = int((due - now).total_seconds())
    if seconds >= 0:
        return f"due in {_span(seconds)}"
    return f"overdue by {_span(-seconds)}"
