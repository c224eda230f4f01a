from datetime import datetime, timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def minutes(value: timedelta) -> int:
    """Whole minutes in a duration, rounded up: "try again in 5 minutes"."""
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60))


@register.filter
def machine(value) -> str:
    """A time for a `<time datetime>` attribute: ISO 8601 to the second, as HTML allows (Django's "c"
    format carries six digits of a second, which HTML does not)."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
