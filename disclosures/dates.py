"""The clock of a subject access request (UK GDPR art. 12(3)): one calendar month from receipt, which
may be extended by two further months where the requests are complex or numerous."""

import calendar
from datetime import date

ANSWER_MONTHS = 1
EXTENSION_MONTHS = 2


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months on; where that month is shorter, its last day
    (31 January + 1 month = 28 or 29 February), as the ICO counts a calendar month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_on(received_on: date, *, extended: bool = False) -> date:
    """When the answer is due: a month from receipt, or three months when extended."""
    return add_months(received_on, ANSWER_MONTHS + (EXTENSION_MONTHS if extended else 0))
