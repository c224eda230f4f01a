"""Navigation and dashboard cards of policydocs. Predicates return early, without a query, for users
who have nothing here."""

from django.urls import reverse
from django.utils import timezone

from core.dashboard import Card, First, register_card, register_nav

from . import policies, selectors

register_nav("Policy", "policydocs:read", policies.works_for_federation, order=15)
register_nav("Reports", "policydocs:report_index", policies.can_see_reports, order=400)


@register_card
def acknowledge_card(user):
    """Staff with a current version still to read and confirm: whether there is one is read with the
    dashboard's other figures; the version itself (one query) only when there is."""
    if not policies.must_acknowledge(user):
        return None
    unconfirmed = selectors.unacknowledged_current_versions(user).order_by("policy__title", "pk")
    first = yield First(unconfirmed.values_list("pk", flat=True))
    if first is None:
        return None
    version = unconfirmed.filter(pk=first).first()  # None if confirmed in the meantime
    if version is None:
        return None
    ratified = timezone.localtime(version.ratified_at)
    return Card(
        title="Read and confirm the policy",
        body=f"{version.label} of the {version.title} was ratified on {ratified.day} {ratified:%B %Y}. "
        "Please read it and confirm.",
        url=reverse("policydocs:read"),
        link_text="Read the policy",
        tone="warning",
        order=10,
    )
