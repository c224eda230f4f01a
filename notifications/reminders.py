"""Daily reminder jobs. Domain apps register theirs (LADO deadlines, review dates, ...).

    from notifications.reminders import register_daily

    @register_daily("incidents.lado_deadlines")
    def remind_lado_deadlines():
        ...  # find what is due, call notifications.services.notify(...) with a per-day event key

`run_daily_reminders_task` (beat, 06:30 Europe/London) calls each job in its own
transaction: one failing job neither stops the others nor leaves half its writes.
Jobs should use event keys that include the date, so a re-run on the same day adds
nothing.
"""

import logging
from collections.abc import Callable

from django.db import transaction

from core.extensions import DAILY_JOBS

log = logging.getLogger(__name__)


def register_daily(name: str) -> Callable[[Callable], Callable]:
    """Decorator: run `func()` once a day under `name` (unique; re-registering the same function is fine)."""

    def decorator(func: Callable) -> Callable:
        DAILY_JOBS.add(func, key=name, same=lambda old, new: old is new)
        return func

    return decorator


def registered_daily() -> dict[str, Callable]:
    return dict(DAILY_JOBS.items())


def run_daily() -> dict[str, str]:
    """Run every registered job; returns {name: "ok" | "failed"}. Failures are logged by name only."""
    outcome = {}
    for name, job in DAILY_JOBS.items():
        try:
            with transaction.atomic():
                job()
        except Exception as exc:  # one job's failure must not stop the others
            log.error("daily reminder %s failed (%s)", name, type(exc).__name__)
            outcome[name] = "failed"
        else:
            outcome[name] = "ok"
    return outcome
