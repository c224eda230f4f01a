"""The register's navigation entry and its clock on the handler's dashboard."""

from django.urls import reverse

from core import formats
from core.dashboard import Card, First, register_card, register_nav

from . import policies, selectors

register_nav("Subject access", "disclosures:register", policies.can_handle_requests, order=410)


@register_card
def requests_card(user):
    """Open requests, the overdue ones named first and the nearest due date: a month runs out quickly."""
    if not policies.can_handle_requests(user):
        return None
    waiting, late, nearest = yield (
        selectors.open_requests(user),
        selectors.overdue(user),
        First(selectors.open_requests(user).order_by("due_on", "pk").values_list("due_on", flat=True)),
    )
    if not waiting:
        return None
    if late:
        body = f"{late} overdue. The earliest was due on {formats.day(nearest)}."
    else:
        body = f"The next answer is due on {formats.day(nearest)}."
    return Card(
        title="Subject access requests",
        body=body,
        url=reverse("disclosures:register"),
        link_text="Open the register",
        count=waiting,
        tone="danger" if late else "warning",
        order=20,
    )
