"""Working days in England and Wales: the one place the portal counts them.

A working day is Monday to Friday and not a bank holiday. The `holidays` package keeps
England's list (subdivision "ENG") for England and Wales, which share their bank holidays;
substitute days (Boxing Day observed on a Monday) are included.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` moved on by `days` working days, at the same local (Europe/London) time of day.

    Received on Thursday 24 December 2026 at 10:00 with one working day: Friday 25 and Monday
    28 (Boxing Day's substitute) are bank holidays, so it is due on Tuesday 29 December at 10:00.
    Something that arrives on a day that is not a working day starts the count at the
    beginning of the next working day: received on Saturday, one working day ends at the close
    of Monday (Tuesday 00:00).
    """
    if start.tzinfo is None:
        raise ValueError("add_working_days needs a timezone-aware datetime.")
    if days < 0:
        raise ValueError("add_working_days counts forwards only.")
    local = start.astimezone(LONDON)
    day, at = local.date(), local.time().replace(tzinfo=None)
    if not is_working_day(day):
        day, at = next_working_day(day), time(0, 0)
    for _ in range(days):
        day = next_working_day(day)
    return _at(day, at)


def _at(day: date, at: time) -> datetime:
    # A wall-clock time skipped by the spring clock change resolves to the hour after it.
    return datetime.combine(day, at, tzinfo=LONDON)
