"""What disclosures adds to other apps: navigation and the dashboard card (loaded by
core.extensions.autodiscover)."""

from . import cards  # noqa: F401
