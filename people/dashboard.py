"""The dashboard's "what needs me" cards. Each app registers its own in AppConfig.ready().

A card provider takes the user and returns a Card or None (nothing for this user).
Providers run in the view, before rendering, so templates never query.
"""

from collections.abc import Callable
from dataclasses import dataclass

# A card counts no further than this: past it, it shows "999+" and its list gives the exact figure.
# Counting stops there, so a dashboard costs the same whether the federation holds a hundred records
# or a hundred thousand.
COUNT_LIMIT = 999


def count_up_to(queryset, limit: int = COUNT_LIMIT) -> int:
    """How many rows `queryset` has, counting no further than `limit` + 1 (one query)."""
    return queryset.order_by()[: limit + 1].count()


def figure(count: int, limit: int = COUNT_LIMIT) -> str:
    """A count as a card shows it: "999+" once `count_up_to` stopped counting."""
    return f"{limit:,}+" if count > limit else f"{count:,}"


@dataclass(frozen=True)
class Card:
    title: str
    body: str
    url: str = ""
    link_text: str = ""
    count: int | None = None
    tone: str = "secondary"  # a Bootstrap contextual colour: "danger" stands out
    order: int = 100

    @property
    def count_text(self) -> str:
        return "" if self.count is None else figure(self.count)


_providers: list[Callable] = []


def register_card(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def cards_for(user) -> list[Card]:
    cards = [card for provider in _providers if (card := provider(user)) is not None]
    return sorted(cards, key=lambda c: (c.order, c.title))


# --- Navigation ----------------------------------------------------------------------------
# Each app adds its own entries in AppConfig.ready(): register_nav("Proposals", "approvals:mine",
# lambda user: ...). The predicate takes the user and must not query beyond access_for(user).


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable
    order: int = 100
    group: str = ""  # entries sharing a group show as one menu when more than one is allowed


@dataclass(frozen=True)
class NavEntry:
    """What the navigation renders: a link (url set) or a menu of links (children set)."""

    label: str
    url: str = ""
    children: tuple = ()


_nav: list[NavItem] = []


def register_nav(label: str, url_name: str, allowed: Callable, *, order: int = 100, group: str = "") -> None:
    if all(item.label != label for item in _nav):
        _nav.append(NavItem(label, url_name, allowed, order, group))


def nav_for(user) -> list[NavItem]:
    return sorted((item for item in _nav if item.allowed(user)), key=lambda i: (i.order, i.label))


def nav_entries_for(user) -> list[NavEntry]:
    """The user's navigation: ungrouped items as links, each group as a menu (or a plain link
    when the user may reach only one of its pages), in the order of their first item."""
    from django.urls import reverse

    entries: list[NavEntry] = []
    groups: dict[str, list[NavItem]] = {}
    slots: list[tuple[str, NavItem]] = []
    for item in nav_for(user):
        if item.group:
            if item.group not in groups:
                groups[item.group] = []
                slots.append(("group", item))
            groups[item.group].append(item)
        else:
            slots.append(("item", item))
    for kind, item in slots:
        members = groups.get(item.group, []) if kind == "group" else [item]
        if len(members) == 1:
            entries.append(NavEntry(members[0].label, url=reverse(members[0].url_name)))
        else:
            children = tuple(NavEntry(m.label, url=reverse(m.url_name)) for m in members)
            entries.append(NavEntry(item.group, children=children))
    return entries


# --- Demo data ----------------------------------------------------------------------------
# seed_demo builds the registry, then runs each app's seeder in registration order. A seeder
# takes the federation's schools by code and the command's stdout, and must be idempotent.

_seeders: list[Callable] = []


def register_demo_seeder(seeder: Callable) -> Callable:
    if seeder not in _seeders:
        _seeders.append(seeder)
    return seeder


def demo_seeders() -> list[Callable]:
    return list(_seeders)


# --- Panels on a person's page --------------------------------------------------------------
# Other apps show what they hold about a person (declared family links, incidents, sanctions)
# without people importing them. A provider takes (user, person) and returns a Panel or None;
# it runs in the view (so templates never query) and applies its own access rules.


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict
    order: int = 100


_person_panels: list[Callable] = []


def register_person_panel(provider: Callable) -> Callable:
    if provider not in _person_panels:
        _person_panels.append(provider)
    return provider


def person_panels_for(user, person) -> list[Panel]:
    panels = [panel for provider in _person_panels if (panel := provider(user, person)) is not None]
    return sorted(panels, key=lambda p: p.order)
