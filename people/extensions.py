"""What the registry adds to other apps: its dashboard cards and navigation (loaded by
core.extensions.autodiscover)."""

from . import cards  # noqa: F401
