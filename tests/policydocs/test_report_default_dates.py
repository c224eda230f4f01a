"""A report's default period: twelve calendar months to today, whatever the month or the year."""

from datetime import date

import pytest

from policydocs.reports.base import Report
from policydocs.reports.counts import months_between


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 12, 4), date(2026, 1, 1)),  # December of a common year once gave thirteen months
        (date(2028, 12, 31), date(2028, 1, 1)),  # and of a leap year
        (date(2027, 1, 1), date(2026, 2, 1)),
        (date(2028, 2, 29), date(2027, 3, 1)),
        (date(2027, 3, 1), date(2026, 4, 1)),
        (date(2026, 11, 30), date(2025, 12, 1)),
    ],
)
def test_default_period_is_twelve_months_ending_today(today, first):
    """Starts on the first of the month eleven months back and ends today: twelve months in the charts."""
    start, end = Report().default_dates(today)

    assert (start, end) == (first, today)
    assert len(months_between(start, end)) == 12
