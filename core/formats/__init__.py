"""The portal's date and time formats, and the two Python code needs.

Templates use Django's `date` filter with the formats named in `en_GB/formats.py` (this package is
FORMAT_MODULE_PATH): `{{ value|date }}` for a day, `{{ value|date:"DATETIME_FORMAT" }}` for a time,
`{{ value|date:"SHORT_DATETIME_FORMAT" }}` for a deadline this week or next. Python code that writes a
date into a report or a message (never a template) uses `day`, `moment` and `deadline`, which give the same
text.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format


def day(value: date | datetime | None) -> str:
    """A date as people read it (DATE_FORMAT): 3 Mar 2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


def moment(value: datetime | None) -> str:
    """A time as people read it (DATETIME_FORMAT), in the portal's time zone: 3 Mar 2026 14:05."""
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def weekday(value: date | datetime | None) -> str:
    """A day of this week or next as people read it: Thu 10 Dec."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, "D j M")


def deadline(value: datetime | None) -> str:
    """A deadline this week or next (SHORT_DATETIME_FORMAT), in the portal's time zone: Tue 3 Mar 14:05."""
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
