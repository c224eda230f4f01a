"""A record's page by URL name and key: `reverse`, for the models whose `get_absolute_url` still names it.

New code calls `reverse` (or `{% url %}`) directly; this module goes once nothing imports it.
"""

from django.urls import reverse


def record_url(viewname: str, pk: int) -> str:
    return reverse(viewname, args=[pk])
