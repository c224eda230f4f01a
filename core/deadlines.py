"""What is due, soonest first: the dashboard's "Urgent" list and the week's deadline strip.

Each app registers a deadline source in its `extensions` module (see core.extensions). A source takes
the user and a `Window` and returns, soonest first, at most `window.limit` `Deadline`s the user may see
(one query, whatever the number of cases; no query at all for a user it is not for). It writes each
deadline's words itself, because only the app knows what the step is ("referral", "refer now"):

    @register_deadlines
    def referral_deadlines(user, window):
        if not policies.is_case_team(user):
            return []
        cases = window.within(awaiting_referral(user), "referral_due_at")[: window.limit]
        return [Deadline(due=case.referral_due_at, reference=case.reference, ...) for case in cases]

`urgent_for` merges every source's first few into one list ordered by due date; `week_for` lays the
deadlines of the current week (Monday to Friday) out by day. Both run one query per source.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .extensions import DEADLINES
from .formats import weekday

# How many deadlines the dashboard's "Urgent" list shows before "See all".
URGENT_SHOWN = 5
# How many the full list and each day of the strip read at most, per source: past it, the page says
# so and sends the reader to each source's own list (which pages through all of them).
FULL_LIMIT = 100


@dataclass(frozen=True)
class Deadline:
    """One thing the user must do by a time, in words: "ALG-00001: referral overdue by 4 days — refer now"."""

    due: datetime  # aware; a deadline that is a day (an action due on a date) is the end of that day
    reference: str  # the case, as staff name it: ALG-00001
    text: str  # what is due and when, after the reference: "referral overdue by 4 days — refer now"
    url: str  # the case's page
    overdue: bool

    @property
    def words(self) -> str:
        return f"{self.reference}: {self.text}"


def end_of_day(value: date) -> datetime:
    """The last moment of a day in the portal's time zone: when a deadline that is a date passes."""
    return timezone.make_aware(datetime.combine(value, time.max))


@dataclass(frozen=True)
class Window:
    """Which deadlines a source returns: at most `limit`, soonest first, due before `until` and not before
    `since` (None: no bound)."""

    now: datetime
    limit: int
    since: datetime | None = None
    until: datetime | None = None

    def within(self, queryset, due_field: str, *, is_date: bool = False):
        """`queryset` narrowed to the window on `due_field` (a date field when `is_date`), soonest first."""
        if self.since is not None:
            since = timezone.localtime(self.since).date() if is_date else self.since
            queryset = queryset.filter(**{f"{due_field}__gte": since})
        if self.until is not None:
            until = timezone.localtime(self.until).date() if is_date else self.until
            queryset = queryset.filter(**{f"{due_field}__lt": until})
        return queryset.order_by(due_field, "pk")


def register_deadlines(source: Callable) -> Callable:
    return DEADLINES.add(source)


def _merged(user, window: Window, sources=None) -> tuple[list[Deadline], bool]:
    """Every source's deadlines in one list, soonest first, and whether a source had more than the limit."""
    found: list[Deadline] = []
    more = False
    for source in DEADLINES if sources is None else sources:
        items = list(source(user, Window(window.now, window.limit + 1, window.since, window.until)))
        more = more or len(items) > window.limit
        found.extend(items[: window.limit])
    return sorted(found, key=lambda item: (item.due, item.reference)), more


@dataclass(frozen=True)
class Urgent:
    items: list[Deadline]
    more: bool  # there are more than the items shown


def urgent_for(user, *, limit: int = URGENT_SHOWN, now: datetime | None = None) -> Urgent:
    """The user's `limit` most pressing deadlines, overdue ones first then the soonest due (one query per
    source)."""
    found, more = _merged(user, Window(now or timezone.now(), limit))
    return Urgent(items=found[:limit], more=more or len(found) > limit)


@dataclass(frozen=True)
class Day:
    day: date
    is_today: bool
    items: list[Deadline] = field(default_factory=list)

    @property
    def label(self) -> str:
        return weekday(self.day)


@dataclass(frozen=True)
class Week:
    days: list[Day]
    more: bool  # a source had more deadlines this week than were read

    @property
    def count(self) -> int:
        return sum(len(day.items) for day in self.days)


def week_start(today: date) -> date:
    """The Monday of the school week `today` is in; at a weekend, the coming one."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=7) if today.weekday() >= 5 else monday


def week_for(user, *, now: datetime | None = None, sources=None) -> Week:
    """The deadlines of the current week (at a weekend, the coming one), Monday to Friday, a column per day;
    in each, those already overdue first, then the rest by time (one query per source)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    monday = week_start(today)
    since = timezone.make_aware(datetime.combine(monday, time.min))
    until = timezone.make_aware(datetime.combine(monday + timedelta(days=5), time.min))
    found, more = _merged(user, Window(now, FULL_LIMIT, since, until), sources)
    days = [
        Day(day=monday + timedelta(days=n), is_today=monday + timedelta(days=n) == today) for n in range(5)
    ]
    for item in found:
        days[timezone.localtime(item.due).weekday()].items.append(item)
    for day in days:
        day.items.sort(key=lambda item: (not item.overdue, item.due, item.reference))
    return Week(days=days, more=more)
