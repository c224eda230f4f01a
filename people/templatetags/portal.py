from datetime import timedelta

from django import template

from core import formats
from people.fields import filter_field
from people.links import record_url

register = template.Library()


@register.filter
def minutes(value: timedelta) -> int:
    """Whole minutes in a duration, rounded up: "try again in 5 minutes"."""
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60))


@register.simple_tag(name="record_url")
def record_url_tag(viewname: str, pk: int) -> str:
    """{% record_url 'app:view' obj.pk %}: {% url %} for a one-key record link in a list's rows."""
    return record_url(viewname, pk)


# The date filter's formats for list rows, at a fraction of its cost (see core.formats).
register.filter("day", formats.day)
register.filter("moment", formats.moment)
register.filter("deadline", formats.deadline)

# A filter row's field: crispy's Bootstrap 5 markup, written directly where it can be (people.fields).
register.filter("filter_field", filter_field)
