"""How long an allegation's record is kept (KCSIE part four).

Until the subject reaches normal pension age, or ten years from the allegation, whichever is
later (both settings). A malicious allegation is not kept: it is scheduled for removal once the
outcome is recorded, and removed when the case is closed (a tombstone stays in the audit trail).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from .models import Outcome


def anniversary(of: date, years: int) -> date:
    """The day `years` after `of`; 29 February falls on 1 March in common years (as people.age_on does)."""
    try:
        return of.replace(year=of.year + years)
    except ValueError:
        return date(of.year + years, 3, 1)


@dataclass(frozen=True)
class Retention:
    retain_until: date | None
    removal_due_on: date | None
    # True when the subject's date of birth was unknown, so only the ten years could be counted.
    pension_age_unknown: bool = False


def retention_for(
    *, outcome: str, allegation_on: date, subject_born_on: date | None, decided_on: date
) -> Retention:
    if outcome == Outcome.MALICIOUS:
        return Retention(retain_until=None, removal_due_on=decided_on)
    ten_years = anniversary(allegation_on, settings.INCIDENTS_RETENTION_YEARS)
    if subject_born_on is None:
        return Retention(retain_until=ten_years, removal_due_on=None, pension_age_unknown=True)
    pension_age = anniversary(subject_born_on, settings.INCIDENTS_NORMAL_PENSION_AGE)
    return Retention(retain_until=max(ten_years, pension_age), removal_due_on=None)
