"""The dashboard's "what needs me" cards. Each app registers its own in AppConfig.ready().

A card provider takes the user and returns a Card or None (nothing for this user).
Providers run in the view, before rendering, so templates never query.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    title: str
    body: str
    url: str = ""
    link_text: str = ""
    count: int | None = None
    tone: str = "secondary"  # a Bootstrap contextual colour: "danger" stands out
    order: int = 100


_providers: list[Callable] = []


def register_card(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def cards_for(user) -> list[Card]:
    cards = [card for provider in _providers if (card := provider(user)) is not None]
    return sorted(cards, key=lambda c: (c.order, c.title))
