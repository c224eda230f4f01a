"""The extension points: what one app adds to pages and jobs that another app owns.

Each app lists what it adds in its own `extensions` module (dashboard cards, navigation, panels on a
person's page, notices, daily jobs, demo data); `CoreConfig.ready` imports every app's module, so
an app never imports the app that shows or runs what it adds, and nothing is registered twice.

    # incidents/extensions.py
    from . import cards, notices, reminders, seed  # noqa: F401  (each registers itself)

A registry keeps its entries in the order they were added. An entry added again is kept once; a
different entry under a key already taken is a mistake and raises.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils.module_loading import autodiscover_modules


class Registry:
    """One extension point: entries in the order added, each under a key (the entry itself by default)."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict = {}

    def add(self, entry, *, key=None, same: Callable | None = None):
        """Add `entry` (returned, so this can decorate). `same(old, new)` says whether an entry already
        under the key is the same one (equality by default): then the first is kept."""
        key = entry if key is None else key
        existing = self._entries.get(key)
        if existing is not None:
            if (same or (lambda old, new: old == new))(existing, entry):
                return existing
            raise ValueError(f"{self.name}: {key!r} is already registered differently.")
        self._entries[key] = entry
        return entry

    def get(self, key):
        return self._entries.get(key)

    def __contains__(self, key) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator:
        return iter(list(self._entries.values()))

    def items(self) -> list[tuple]:
        return list(self._entries.items())

    def __len__(self) -> int:
        return len(self._entries)

    def discard(self, key) -> None:
        """Take an entry out (a test's own, once it is done)."""
        self._entries.pop(key, None)

    @contextmanager
    def emptied(self):
        """Within the block the registry starts empty; afterwards it holds what it held (for tests)."""
        saved, self._entries = self._entries, {}
        try:
            yield self
        finally:
            self._entries = saved


DASHBOARD_CARDS = Registry("dashboard cards")
DEADLINES = Registry("deadlines")  # core.deadlines: what is due, for the dashboard's "Urgent" list
NAVIGATION = Registry("navigation")
PERSON_PANELS = Registry("person panels")
DEMO_SEEDERS = Registry("demo seeders")
DAILY_JOBS = Registry("daily jobs")
NOTICE_TEMPLATES = Registry("notice templates")


def autodiscover() -> None:
    """Import every installed app's `extensions` module (an app without one adds nothing)."""
    autodiscover_modules("extensions")
