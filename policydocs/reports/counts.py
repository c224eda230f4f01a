"""Anonymised counts of incidents for the incident summary and the governors' report.

What is counted: concerns (by category, when raised), allegations and low-level concerns about adults
(when received), pupil incidents (§8: one type per breach, by when it happened) and cyberbullying
reports (§10: by the day reported).

Counts only: no names, no text. They cover the schools the reader may report on, whoever could
see the cases themselves (office admins and governors read these counts, never the records); but a
record about the reader is never counted for them (subject blindness, KCSIE part four: the subject of
an allegation never sees any trace of it). That is the subject of a concern or an allegation, the adult
a pupil incident names, and an adult named as responsible in a cyberbullying report. A report from
staff that the safeguarding team recorded as an allegation counts once as each, and so does a pupil
incident that opened an allegation.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from incidents.models import (
    Allegation,
    Concern,
    ConcernCategory,
    CyberbullyingReport,
    IncidentType,
    PupilIncident,
)
from people.policies import access_for

CONCERN_TYPES = {
    ConcernCategory.ADULT_CONDUCT: "Concern: an adult's use of social media",
    ConcernCategory.STAFF_PUPIL_CONTACT: "Concern: staff in contact with a pupil online",
    ConcernCategory.WORKING_DAY_USE: "Concern: social media in the working day",
    ConcernCategory.COMMUNICATION_DOUBT: "Concern: doubt about a message",
}
ALLEGATION = "Allegation about an adult (LADO path)"
LOW_LEVEL = "Low-level concern about an adult"
# Short names, so that a chart's labels tell the types apart (the incident pages use the full ones).
_INCIDENT_NAMES = {
    IncidentType.SOCIAL_MEDIA_IN_DAY: "social media in the school day",
    IncidentType.PHONE_NOT_HANDED_IN: "phone not handed in",
    IncidentType.SCHOOL_COMPUTER_SOCIAL: "school computer on social sites",
    IncidentType.FIREWALL_BREACH: "getting round the firewall",
    IncidentType.JOINED_STAFF_SOCIAL: "joining a staff member's area",
    IncidentType.UNDER_AGE_ACCOUNT: "account below the minimum age",
    IncidentType.IMPROPER_CONTACT: "improper contact by an adult",
}
PUPIL_INCIDENT_TYPES = {
    kind: f"Pupil incident: {_INCIDENT_NAMES.get(kind, label)}" for kind, label in IncidentType.choices
}
CYBERBULLYING = "Cyberbullying report"
TYPES = [*CONCERN_TYPES.values(), ALLEGATION, LOW_LEVEL, *PUPIL_INCIDENT_TYPES.values(), CYBERBULLYING]


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
    """Counts by type, school and month (four queries: one for each kind of record)."""
    person_id = access_for(user).person_id
    concerns = Concern.objects.filter(school__in=schools)
    allegations = Allegation.objects.filter(school__in=schools)
    incidents = PupilIncident.objects.filter(school__in=schools)
    bullying = CyberbullyingReport.objects.filter(school__in=schools)
    if person_id is not None:
        concerns = concerns.exclude(subject_id=person_id)
        allegations = allegations.exclude(subject_id=person_id)
        incidents = incidents.exclude(adult_id=person_id)
        bullying = bullying.exclude(perpetrators__person_id=person_id)
    if start is not None:
        concerns = concerns.filter(created_at__gte=start)
        allegations = allegations.filter(received_at__gte=start)
        incidents = incidents.filter(occurred_at__gte=start)
        bullying = bullying.filter(reported_on__gte=timezone.localtime(start).date())
    if end is not None:
        concerns = concerns.filter(created_at__lt=end)
        allegations = allegations.filter(received_at__lt=end)
        incidents = incidents.filter(occurred_at__lt=end)
        bullying = bullying.filter(reported_on__lt=timezone.localtime(end).date())
    out = []
    for row in _grouped(concerns, "created_at", "category"):
        kind = CONCERN_TYPES.get(row["category"], row["category"])
        out.append(Tally(kind, row["school_id"], _month(row["month"]), row["n"]))
    for row in _grouped(allegations, "received_at", "is_low_level"):
        kind = LOW_LEVEL if row["is_low_level"] else ALLEGATION
        out.append(Tally(kind, row["school_id"], _month(row["month"]), row["n"]))
    for row in _grouped(incidents, "occurred_at", "kind"):
        kind = PUPIL_INCIDENT_TYPES.get(row["kind"], row["kind"])
        out.append(Tally(kind, row["school_id"], _month(row["month"]), row["n"]))
    for row in _grouped(bullying, "reported_on"):
        out.append(Tally(CYBERBULLYING, row["school_id"], _month(row["month"]), row["n"]))
    return out


def _grouped(queryset, when: str, *fields: str):
    """One query: the number of records for each value of `fields`, school and month of `when`."""
    return (
        queryset.annotate(month=TruncMonth(when))
        .values(*fields, "school_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )


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
