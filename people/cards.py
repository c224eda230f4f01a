"""The registry's dashboard cards and navigation entries."""

from django.urls import reverse

from core.dashboard import Card, register_card, register_nav

from . import policies

register_nav("Dashboard", "dashboard", lambda user: True, order=0)
register_nav("People", "people:person_list", policies.can_view_registry, order=800, group="Registry")
register_nav("Classes", "people:class_list", policies.can_view_registry, order=810, group="Registry")
register_nav(
    "Import people", "people:person_import", policies.can_manage_registry, order=820, group="Registry"
)


@register_card
def registry_card(user):
    # A link without a count: the registry's size asks nothing of anyone, and counting the Executive
    # Head's federation read every membership (6 ms of the dashboard at 25,000 people, see bench/).
    if not policies.can_manage_registry(user):
        return None
    return Card(
        title="People registry",
        body="Pupils, parents, staff and visitors of your school(s).",
        url=reverse("people:person_list"),
        link_text="Open the registry",
        order=900,
    )


@register_card
def two_factor_card(user):
    if not policies.requires_two_factor(user) or policies.has_second_factor(user):
        return None
    return Card(
        title="Set up two-factor sign-in",
        body="Your role handles safeguarding records: protect your account with an authenticator app.",
        url=reverse("two_factor:setup"),
        link_text="Set it up",
        tone="warning",
        # After every card of the casework: a deadline of a case comes before the account's set-up.
        order=90,
    )
