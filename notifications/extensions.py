"""What notifications adds to other apps: the delivery log's dashboard card, and its Celery tasks (loaded by
core.extensions.autodiscover)."""

from . import cards, tasks  # noqa: F401
