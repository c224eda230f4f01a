"""The portal's date and time filters write what Django's date filter writes with the same format,
in the portal's time zone, across the clock change and for naive dates."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

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


@pytest.mark.parametrize("value", MOMENTS)
def test_each_filter_writes_what_the_date_filter_writes(value):
    """As a template shows them: the date filter is given the time in the portal's time zone."""
    django = Template('{{ v|date:"j M Y H:i" }}|{{ v|date:"D j M H:i" }}|{{ v|date:"j M Y" }}')
    ours = Template("{% load portal %}{{ v|moment }}|{{ v|deadline }}|{{ v|day }}")
    assert ours.render(Context({"v": value})) == django.render(Context({"v": value}))
    assert formats.moment(value) == date_filter(timezone.localtime(value), "j M Y H:i")
    assert formats.iso(value) == Template('{{ v|date:"c" }}').render(Context({"v": value}))


def test_a_date_and_nothing():
    assert formats.day(date(2026, 2, 1)) == "1 Feb 2026"
    assert formats.moment(None) == formats.deadline(None) == formats.day(None) == formats.iso(None) == ""


def test_summer_time_is_shown_as_the_clock_reads():
    assert formats.moment(datetime(2026, 6, 9, 23, 30, tzinfo=UTC)) == "10 Jun 2026 00:30"
    assert formats.deadline(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "Sun 29 Mar 02:00"


def test_the_template_filters():
    text = Template("{% load portal %}{{ v|moment }}|{{ v|deadline }}|{{ v|day }}|{{ none|moment }}")
    assert (
        text.render(Context({"v": MOMENTS[0], "none": None}))
        == "3 Mar 2026 14:05|Tue 3 Mar 14:05|3 Mar 2026|"
    )
