"""Working days for the LADO referral deadline: weekends and England and Wales bank holidays excluded."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from incidents.working_days import add_working_days, is_working_day, next_working_day

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


@pytest.mark.parametrize(
    "received, due, why",
    [
        (
            at(2026, 12, 24),
            at(2026, 12, 29),
            "Christmas Day (Fri) and Boxing Day's substitute (Mon 28) are holidays",
        ),
        (at(2026, 11, 19), at(2026, 11, 20), "a plain Thursday: the next day"),
        (at(2026, 11, 20, 15, 30), at(2026, 11, 23, 15, 30), "Friday afternoon: Monday afternoon"),
        (at(2026, 4, 2), at(2026, 4, 7), "Thursday before Easter: Good Friday and Easter Monday skipped"),
        (at(2026, 5, 22), at(2026, 5, 26), "Friday before the spring bank holiday: Tuesday"),
        (at(2026, 8, 28), at(2026, 9, 1), "Friday before the late summer bank holiday: Tuesday"),
        (at(2026, 12, 31), at(2027, 1, 4), "New Year's Eve: New Year's Day and the weekend skipped"),
    ],
)
def test_one_working_day_after_receipt(received, due, why):
    """The referral is due one working day after receipt, at the same time of day."""
    assert add_working_days(received, 1) == due, why


def test_the_christmas_example_of_the_requirement():
    """Received Thursday 24 December 2026 → due Tuesday 29 December 2026."""
    due = add_working_days(at(2026, 12, 24, 9, 15), 1)
    assert due.date() == date(2026, 12, 29)
    assert due.strftime("%A") == "Tuesday"
    assert due.timetz() == time(9, 15, tzinfo=LONDON)


def test_a_receipt_on_a_weekend_counts_from_the_start_of_the_next_working_day():
    """Received on Saturday: one working day runs to the end of Monday (Tuesday 00:00)."""
    assert add_working_days(at(2026, 11, 21, 11), 1) == at(2026, 11, 24, 0, 0)
    # Saturday before the Easter Monday holiday: Tuesday is the first working day, due Wednesday 00:00.
    assert add_working_days(at(2026, 4, 4, 11), 1) == at(2026, 4, 8, 0, 0)


def test_more_working_days_follow_the_setting():
    assert add_working_days(at(2026, 12, 24), 2) == at(2026, 12, 30)
    assert add_working_days(at(2026, 11, 19), 0) == at(2026, 11, 19)


def test_the_clock_change_keeps_the_local_time():
    """Received the Friday before the clocks go forward: due Monday at the same wall-clock time."""
    due = add_working_days(at(2026, 3, 27, 10), 1)
    assert due == at(2026, 3, 30, 10)
    assert due.utcoffset().total_seconds() == 3600


def test_utc_input_is_read_in_london_time():
    """23:30 UTC on a Friday in summer is already Saturday in London."""
    received = datetime(2026, 7, 17, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert add_working_days(received, 1) == at(2026, 7, 21, 0, 0)


def test_naive_times_and_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 1, 5, 10), 1)
    with pytest.raises(ValueError):
        add_working_days(at(2026, 1, 5), -1)


def test_bank_holidays_are_england_and_wales_ones():
    """Boxing Day's substitute is a holiday; St Andrew's Day (Scotland only) is not."""
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 11, 30))
    assert not is_working_day(date(2026, 11, 21))  # a Saturday
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
