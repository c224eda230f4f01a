"""What incidents adds to other apps: dashboard cards, navigation, person panels, notices, daily jobs
(in tasks) and demo data (loaded by core.extensions.autodiscover)."""

from . import cards, deadlines, demo, notices, tasks  # noqa: F401
