"""What policydocs adds to other apps: notices, navigation, the dashboard card, daily jobs, reports and
demo data (loaded by core.extensions.autodiscover)."""

from . import cards, demo, notices, reminders, tasks  # noqa: F401
from .reports import catalogue  # noqa: F401
