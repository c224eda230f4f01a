"""The clock of a request: one calendar month from receipt, three once extended (UK GDPR art. 12(3))."""

from datetime import date

import pytest

from disclosures.dates import add_months, due_on


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),  # February is shorter: its last day
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
        (date(2026, 1, 15), date(2026, 2, 15)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 10), date(2027, 1, 10)),  # over the year's end
    ],
)
def test_an_answer_is_due_one_calendar_month_from_receipt(received, due):
    assert due_on(received) == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), date(2026, 4, 30)),
        (date(2025, 11, 30), date(2026, 2, 28)),
        (date(2027, 11, 29), date(2028, 2, 29)),
        (date(2026, 10, 5), date(2027, 1, 5)),
    ],
)
def test_an_extension_adds_two_further_months(received, due):
    assert due_on(received, extended=True) == due


def test_adding_no_months_keeps_the_day():
    assert add_months(date(2026, 5, 31), 0) == date(2026, 5, 31)
