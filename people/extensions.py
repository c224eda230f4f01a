"""What the registry adds to other apps: its dashboard cards and navigation, and its Celery tasks (loaded
by core.extensions.autodiscover)."""

from . import cards, tasks  # noqa: F401
