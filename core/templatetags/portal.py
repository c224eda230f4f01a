from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta) -> int:
    """Whole minutes in a duration, rounded up: "try again in 5 minutes"."""
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60))
