"""Anonymised counts of incidents for the incident summary and the governors' report.

Counts only: no names, no text. They cover the schools the reader may report on, whoever could
see the cases themselves; but a case about the reader is never counted for them (subject blindness,
KCSIE part four: the subject of an allegation never sees any trace of it). A report from staff that
the safeguarding team recorded as an allegation counts once as each.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from incidents.models import Allegation, Concern, ConcernCategory
from people.policies import access_for

CONCERN_TYPES = {
    ConcernCategory.ADULT_CONDUCT: "Concern: an adult's use of social media",
    ConcernCategory.STAFF_PUPIL_CONTACT: "Concern: staff in contact with a pupil online",
    ConcernCategory.WORKING_DAY_USE: "Concern: social media in the working day",
    ConcernCategory.COMMUNICATION_DOUBT: "Concern: doubt about a message",
}
ALLEGATION = "Allegation about an adult (LADO path)"
LOW_LEVEL = "Low-level concern about an adult"
TYPES = [*CONCERN_TYPES.values(), ALLEGATION, LOW_LEVEL]


@dataclass(frozen=True)
class Tally:
    kind: str
    school_id: int
    month: date
    count: int


def _month(value) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def tallies(user, schools, start: datetime | None, end: datetime | None) -> list[Tally]:
    """Counts by type, school and month (two queries)."""
    person_id = access_for(user).person_id
    concerns = Concern.objects.filter(school__in=schools)
    allegations = Allegation.objects.filter(school__in=schools)
    if person_id is not None:
        concerns = concerns.exclude(subject_id=person_id)
        allegations = allegations.exclude(subject_id=person_id)
    if start is not None:
        concerns = concerns.filter(created_at__gte=start)
        allegations = allegations.filter(received_at__gte=start)
    if end is not None:
        concerns = concerns.filter(created_at__lt=end)
        allegations = allegations.filter(received_at__lt=end)
    out = []
    for row in (
        concerns.annotate(month=TruncMonth("created_at"))
        .values("category", "school_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        kind = CONCERN_TYPES.get(row["category"], row["category"])
        out.append(Tally(kind, row["school_id"], _month(row["month"]), row["n"]))
    for row in (
        allegations.annotate(month=TruncMonth("received_at"))
        .values("is_low_level", "school_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        kind = LOW_LEVEL if row["is_low_level"] else ALLEGATION
        out.append(Tally(kind, row["school_id"], _month(row["month"]), row["n"]))
    return out


def months_between(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def by(tally_list: list[Tally], key: str) -> Counter:
    counter: Counter = Counter()
    for tally in tally_list:
        counter[getattr(tally, key)] += tally.count
    return counter


def month_label(month: date) -> str:
    return f"{month:%b %Y}"
