"""What approvals adds to other apps: notices, navigation, dashboard cards, the person-page panel, daily
jobs and demo data (loaded by core.extensions.autodiscover)."""

from . import cards, demo, notices, reminders  # noqa: F401
