"""Approvals' navigation entries, dashboard cards and the declared-links panel on a pupil's page.

Predicates for the navigation read only the cached roles (no query); each card queries
only for the users it is for.
"""

from django.urls import reverse
from django.utils import timezone

from core.dashboard import Card, Panel, register_card, register_nav, register_person_panel
from people.models import PersonKind

from . import policies, selectors

register_nav("Proposals", "approvals:proposal_list", policies.can_use_approvals, order=200, group="Approvals")
register_nav(
    "Approved services", "approvals:register", policies.can_view_register, order=210, group="Approvals"
)
register_nav(
    "Declarations", "approvals:declaration_list", policies.can_use_approvals, order=220, group="Approvals"
)
register_nav(
    "Permissions to post",
    "approvals:permission_list",
    policies.can_use_approvals,
    order=230,
    group="Approvals",
)


@register_card
def awaiting_decision_card(user):
    """For the Executive Head and Heads of School: proposals waiting for them (§5)."""
    if not policies.is_decider(user):
        return None
    count = yield selectors.proposals_awaiting(user)
    return Card(
        title="Awaiting your decision",
        body="Social media service proposals submitted for your approval.",
        count=count,
        url=reverse("approvals:proposal_awaiting"),
        link_text="Decide on proposals",
        tone="warning" if count else "secondary",
        order=20,
    )


@register_card
def declarations_to_acknowledge_card(user):
    """For the Executive Head and Heads of School: declarations to acknowledge (§7)."""
    if not policies.is_decider(user):
        return None
    count = yield selectors.declarations_to_acknowledge(user)
    if not count:
        return None
    return Card(
        title="Declarations to acknowledge",
        body="Staff have declared family links or connections with parents.",
        count=count,
        url=reverse("approvals:declaration_register") + "?f-status=submitted",
        link_text="Open the declarations register",
        tone="warning",
        order=30,
    )


@register_card
def permissions_awaiting_card(user):
    """For the Executive Head: requests to refer to staff, pupils, parents or events (§6)."""
    if not policies.can_decide_permissions(user):
        return None
    count = yield selectors.permissions_awaiting(user)
    return Card(
        title="Publication permissions to decide",
        body="Posts that refer to staff, pupils, parents or school events wait for your permission.",
        count=count,
        url=reverse("approvals:permission_awaiting"),
        link_text="Decide on requests",
        tone="warning" if count else "secondary",
        order=25,
    )


@register_card
def declarations_due_card(user):
    """For staff whose declaration is a year old: declare it again (§7)."""
    if not policies.can_use_approvals(user):
        return None
    count = yield selectors.declarations_due(user, timezone.localdate())
    if not count:
        return None
    return Card(
        title="Declarations due",
        body="A declaration you made is a year old. Declare it again if it still applies, or withdraw it.",
        count=count,
        url=reverse("approvals:declaration_list"),
        link_text="Review your declarations",
        tone="warning",
        order=40,
    )


@register_person_panel
def declared_links_panel(user, person):
    """On a pupil's page: family links declared with them, for those who may see declarations (§7).

    Shown to the heads and the DSL of the pupil's school (the declarations register's
    readers); no query for anyone else or for anyone but a pupil.
    """
    if person.kind not in (PersonKind.PUPIL, PersonKind.FORMER_PUPIL):
        return None
    if not policies.can_view_declaration_register(user):
        return None
    declarations = selectors.declared_links_of_pupil(user, person)
    return Panel(
        template="approvals/includes/declared_links_panel.html",
        context={"declarations": declarations, "pupil": person},
        order=50,
    )
