"""Retention (KCSIE part four): pension age or ten years, whichever is later; malicious ones removed."""

from datetime import date

import pytest

from incidents.models import Allegation, Outcome
from incidents.retention import anniversary, retention_for


@pytest.mark.parametrize(
    "outcome", [Outcome.SUBSTANTIATED, Outcome.FALSE, Outcome.UNSUBSTANTIATED, Outcome.UNFOUNDED]
)
def test_kept_until_pension_age_when_that_is_later(outcome):
    """A subject born in 1980 reaches 67 in 2047, after the ten years (2036)."""
    retention = retention_for(
        outcome=outcome,
        allegation_on=date(2026, 3, 1),
        subject_born_on=date(1980, 5, 1),
        decided_on=date(2026, 6, 1),
    )
    assert retention.retain_until == date(2047, 5, 1)
    assert retention.removal_due_on is None


def test_kept_ten_years_when_that_is_later():
    """A subject born in 1962 reaches 67 in 2029, before ten years from the allegation (2036)."""
    retention = retention_for(
        outcome=Outcome.SUBSTANTIATED,
        allegation_on=date(2026, 3, 1),
        subject_born_on=date(1962, 1, 1),
        decided_on=date(2026, 6, 1),
    )
    assert retention.retain_until == date(2036, 3, 1)


def test_malicious_allegations_are_scheduled_for_removal_instead():
    retention = retention_for(
        outcome=Outcome.MALICIOUS,
        allegation_on=date(2026, 3, 1),
        subject_born_on=date(1980, 5, 1),
        decided_on=date(2026, 6, 1),
    )
    assert retention.retain_until is None
    assert retention.removal_due_on == date(2026, 6, 1)


def test_unknown_date_of_birth_keeps_ten_years_and_says_so():
    retention = retention_for(
        outcome=Outcome.FALSE,
        allegation_on=date(2026, 3, 1),
        subject_born_on=None,
        decided_on=date(2026, 6, 1),
    )
    assert retention.retain_until == date(2036, 3, 1)
    assert retention.pension_age_unknown


def test_the_pension_age_and_years_are_settings(settings):
    settings.INCIDENTS_NORMAL_PENSION_AGE = 68
    settings.INCIDENTS_RETENTION_YEARS = 40
    retention = retention_for(
        outcome=Outcome.FALSE,
        allegation_on=date(2026, 3, 1),
        subject_born_on=date(1980, 5, 1),
        decided_on=date(2026, 6, 1),
    )
    assert retention.retain_until == date(2066, 3, 1)
    settings.INCIDENTS_RETENTION_YEARS = 1
    retention = retention_for(
        outcome=Outcome.FALSE,
        allegation_on=date(2026, 3, 1),
        subject_born_on=date(1980, 5, 1),
        decided_on=date(2026, 6, 1),
    )
    assert retention.retain_until == date(2048, 5, 1)


def test_a_leap_day_birthday_falls_on_the_first_of_march():
    assert anniversary(date(1960, 2, 29), 67) == date(2027, 3, 1)
    assert anniversary(date(1960, 2, 29), 68) == date(2028, 2, 29)


@pytest.mark.parametrize(
    "outcome, citable",
    [
        (Outcome.SUBSTANTIATED, True),
        (Outcome.FALSE, False),
        (Outcome.MALICIOUS, False),
        (Outcome.UNSUBSTANTIATED, False),
        (Outcome.UNFOUNDED, False),
        ("", None),
    ],
)
def test_only_a_substantiated_allegation_may_be_cited_in_a_reference(outcome, citable):
    """KCSIE part four: false, malicious, unsubstantiated and unfounded allegations stay out of references."""
    assert Allegation(outcome=outcome).may_be_cited_in_reference is citable


def test_there_are_exactly_five_outcomes():
    assert sorted(Outcome.values) == ["false", "malicious", "substantiated", "unfounded", "unsubstantiated"]
