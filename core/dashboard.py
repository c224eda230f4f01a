"""The dashboard's "what needs me" cards, the navigation, person panels and demo seeders: what each
app registers in its `extensions` module (see core.extensions).

A card provider takes the user and returns a Card or None (nothing for this user).
Providers run in the view, before rendering, so templates never query.

A provider that shows figures yields what it wants read and receives the figures, in the same
shape (one item, or a tuple of them), before it returns its card. An item is a queryset to count
or a `First`, the first value of an ordered one-column queryset (a nearest deadline):

    @register_card
    def concerns_card(user):
        if not policies.can_triage_concerns(user):
            return None  # no query for users the card is not for
        waiting = yield selectors.concerns_received(user)
        return Card(...) if waiting else None

The dashboard starts every provider, reads what they all asked for in one query (each count
stopped at the limit, see `read_figures`), then lets each finish. Called on its own, a registered
provider runs the same way for its own figures and returns its card.
"""

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import update_wrapper

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.urls import reverse

from .extensions import DASHBOARD_CARDS, DEMO_SEEDERS, NAVIGATION, PERSON_PANELS

# A card counts no further than this: past it, it shows "99+" and its list gives the exact figure.
# Counting stops there, so a dashboard costs the same whether the federation holds a hundred records
# or a hundred thousand. A card says "this needs you, and how much"; past a hundred the figure changes
# nothing a reader does, and counting each card up to a thousand rows was most of the dashboard's SQL.
COUNT_LIMIT = 99


def count_up_to(queryset, limit: int = COUNT_LIMIT) -> int:
    """How many rows `queryset` has, counting no further than `limit` + 1 (one query)."""
    return read_figures([queryset], limit)[0]


@dataclass(frozen=True)
class First:
    """A card's figure that is a value rather than a count: the first value of a one-column, ordered
    queryset (`values_list(field, flat=True)`), None when it has no rows. Read from an index, like a
    nearest deadline."""

    queryset: QuerySet


def read_figures(items: Sequence, limit: int = COUNT_LIMIT) -> list:
    """Every figure in one query: a SELECT of one sub-select each.

    A queryset is counted, no further than `limit` + 1 (a grouped one counts its groups); a `First`
    gives its first value, converted as the ORM converts that column. Each sub-select is the ORM's own
    SQL, its values passed apart as parameters. An item that can match nothing (`.none()`, an empty
    `__in`) gives 0 or None without SQL.
    """
    figures: list = []
    parts: list[str] = []
    params: list = []
    converted: dict[int, tuple] = {}
    aliases = set()
    for item in items:
        queryset = item.queryset if isinstance(item, First) else item
        aliases.add(queryset.db)
        try:
            if isinstance(item, First):
                compiler = queryset[:1].query.get_compiler(queryset.db)
                sql, sql_params = compiler.as_sql()
                converted[len(figures)] = (compiler, compiler.get_converters([compiler.select[0][0]]))
            else:
                counted = queryset.order_by()
                if counted.query.group_by is None:
                    counted = counted.values("pk")
                sql, sql_params = counted[: limit + 1].query.sql_with_params()
                # The ORM's own compiled SQL for the queryset; its values stay parameters.
                sql = f"SELECT COUNT(*) FROM ({sql}) AS counted_{len(parts)}"  # noqa: S608  # nosec B608
        except EmptyResultSet:
            figures.append(None if isinstance(item, First) else 0)
            continue
        parts.append(f"({sql})")
        params.extend(sql_params)
        figures.append(_PENDING)
    if len(aliases) > 1:
        raise ValueError("read_figures reads querysets of one database at a time")
    if parts:
        with connections[aliases.pop()].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = iter(cursor.fetchone())
        figures = [next(row) if figure is _PENDING else figure for figure in figures]
    for index, (compiler, converters) in converted.items():
        if converters and figures[index] is not None:
            figures[index] = next(iter(compiler.apply_converters([[figures[index]]], converters)))[0]
    return figures


_PENDING = object()


def figure(count: int, limit: int = COUNT_LIMIT) -> str:
    """A count as a card shows it: "99+" once counting stopped."""
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


class CardProvider:
    """A registered provider. Calling it gives its card (its figures in one query of their own);
    `start` and `finish` let the dashboard read every provider's figures together."""

    def __init__(self, function: Callable):
        self.function = function
        update_wrapper(self, function)

    def start(self, user):
        """(card, None) when the provider is done, or (its generator, the figures it asks for)."""
        result = self.function(user)
        if not inspect.isgenerator(result):
            return result, None
        try:
            wanted = next(result)
        except StopIteration as done:
            return done.value, None
        return result, wanted

    @staticmethod
    def finish(generator, figures):
        try:
            generator.send(figures)
        except StopIteration as done:
            return done.value
        raise RuntimeError("a card provider asks for its figures once")

    def __call__(self, user):
        return _run([self], user)[0]


def _flat(wanted) -> list:
    return list(wanted) if isinstance(wanted, tuple) else [wanted]


def _shaped(wanted, figures: list):
    return tuple(figures) if isinstance(wanted, tuple) else figures[0]


def register_card(provider: Callable) -> CardProvider:
    if isinstance(provider, CardProvider):
        provider = provider.function
    return DASHBOARD_CARDS.add(CardProvider(provider), key=provider, same=lambda old, new: True)


def _run(providers, user) -> list:
    """Each provider's card (or None), the figures they all ask for read in one query."""
    started = [provider.start(user) for provider in providers]
    asked = [item for _, wanted in started if wanted is not None for item in _flat(wanted)]
    figures = iter(read_figures(asked))
    return [
        result
        if wanted is None
        else CardProvider.finish(result, _shaped(wanted, [next(figures) for _ in _flat(wanted)]))
        for result, wanted in started
    ]


def cards_for(user) -> list[Card]:
    """Every card for the user, those saying something is overdue ("danger") first, then by their order.
    The figures all the cards ask for are read in one query."""
    cards = [card for card in _run(list(DASHBOARD_CARDS), user) if card is not None]
    return sorted(cards, key=lambda c: (c.tone != "danger", c.order, c.title))


# --- Navigation ----------------------------------------------------------------------------
# Each app adds its own entries in its extensions module: register_nav("Proposals", "approvals:mine",
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


def register_nav(label: str, url_name: str, allowed: Callable, *, order: int = 100, group: str = "") -> None:
    NAVIGATION.add(NavItem(label, url_name, allowed, order, group), key=label, same=lambda old, new: True)


def nav_for(user) -> list[NavItem]:
    return sorted((item for item in NAVIGATION if item.allowed(user)), key=lambda i: (i.order, i.label))


def nav_entries_for(user) -> list[NavEntry]:
    """The user's navigation: ungrouped items as links, each group as a menu (or a plain link
    when the user may reach only one of its pages), in the order of their first item."""
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


def register_demo_seeder(seeder: Callable) -> Callable:
    return DEMO_SEEDERS.add(seeder)


def demo_seeders() -> list[Callable]:
    return list(DEMO_SEEDERS)


# --- Panels on a person's page --------------------------------------------------------------
# Other apps show what they hold about a person (declared family links, incidents, sanctions)
# without people importing them. A provider takes (user, person) and returns a Panel or None;
# it runs in the view (so templates never query) and applies its own access rules.


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict
    order: int = 100


def register_person_panel(provider: Callable) -> Callable:
    return PERSON_PANELS.add(provider)


def person_panels_for(user, person) -> list[Panel]:
    panels = [panel for provider in PERSON_PANELS if (panel := provider(user, person)) is not None]
    return sorted(panels, key=lambda p: p.order)
