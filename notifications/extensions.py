"""What notifications adds to other apps: the delivery log's dashboard card (loaded by
core.extensions.autodiscover)."""

from . import cards  # noqa: F401
