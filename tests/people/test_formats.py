"""The portal's date and time formats: the date filter's named formats in templates, and the same text
from core.formats in Python, in the portal's time zone, across the clock change and for naive dates."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from core import formats

MOMENTS = [
    datetime(2026, 3, 3, 14, 5, tzinfo=UTC),
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the last minute of GMT that night
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 02:00 BST
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),  # 31 Dec in London
    datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 6, 9, 23, 30, tzinfo=UTC),  # already 10 June in London
]
NAMED = Template('{{ v|date:"DATETIME_FORMAT" }}|{{ v|date:"SHORT_DATETIME_FORMAT" }}|{{ v|date }}')


@pytest.mark.parametrize("value", MOMENTS)
def test_python_writes_what_a_template_shows(value):
    """A template's date filter is given the time in the portal's time zone; so is core.formats."""
    moment, _, day = NAMED.render(Context({"v": value})).split("|")
    assert formats.moment(value) == moment
    assert formats.day(value) == day


def test_a_date_and_nothing():
    assert formats.day(date(2026, 2, 1)) == "1 Feb 2026"
    assert formats.moment(None) == formats.day(None) == ""


def test_summer_time_is_shown_as_the_clock_reads():
    assert formats.moment(datetime(2026, 6, 9, 23, 30, tzinfo=UTC)) == "10 Jun 2026 00:30"
    deadline = Template('{{ v|date:"SHORT_DATETIME_FORMAT" }}')
    assert deadline.render(Context({"v": datetime(2026, 3, 29, 1, 0, tzinfo=UTC)})) == "Sun 29 Mar 02:00"


def test_the_named_formats():
    text = Template(
        '{{ v|date:"DATETIME_FORMAT" }}|{{ v|date:"SHORT_DATETIME_FORMAT" }}|{{ v|date }}'
        '|{{ none|date:"DATETIME_FORMAT" }}'
    )
    assert (
        text.render(Context({"v": MOMENTS[0], "none": None}))
        == "3 Mar 2026 14:05|Tue 3 Mar 14:05|3 Mar 2026|"
    )
