from django import template

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
