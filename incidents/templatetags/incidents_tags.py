from django import template

from core.viewtools import jinja2_fragment

from ..countdown import countdown as _countdown

register = template.Library()


@register.filter
def countdown(due, now=None) -> str:
    """`{{ case.referral_due_at|countdown:now }}` → "due in 3 h 20 min" or "overdue by 2 h"."""
    return _countdown(due, now)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def overdue_at(case, now) -> bool:
    """Whether the case is still to be referred after its deadline, at `now`."""
    return case.is_overdue(now)


@register.filter
def chronology_rows(entries):
    """`{{ chronology|chronology_rows }}`: the chronology's rows, written by their Jinja2 fragment. The
    entries are built before the page renders (`selectors.chronology`), so nothing is queried here."""
    return jinja2_fragment("incidents/includes/chronology_rows.html", entries=entries)
