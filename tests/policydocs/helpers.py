"""Building policy versions and acknowledgements for tests, through the services."""

from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from policydocs import acknowledgements, services

REPO = Path(__file__).resolve().parents[2]
# The federation's own policy is kept beside the repository, never in it.
SEED_POLICY = REPO.parent / "shared" / "seed" / "000_4c9ca29491394971.txt"
SAMPLE_POLICY = REPO / "policydocs" / "sample_policy.md"

SHORT_POLICY = """Test Policy

Ratified by Test Committee: 2 March 2026

1. Introduction

Why the policy exists.

2. Rules

- Be kind online
- Ask before posting about the school
- Keep accounts private
"""


def policy_text(extra: str = "") -> str:
    """A small policy; `extra` is appended to the last clause so that two texts differ."""
    return SHORT_POLICY.rstrip("\n") + extra + "\n"


def import_version(federation, *, text: str | None = None, actor=None):
    return services.policy_version_import(actor=actor, federation=federation, text=text or policy_text())


def ratify(version, *, actor=None, ratified_on: date | None = None, review_due_on: date | None = None):
    today = timezone.localdate()
    return services.policy_version_ratify(
        actor=actor,
        version=version,
        ratified_by="Resources Committee",
        ratified_on=ratified_on or today,
        review_due_on=review_due_on or today + timedelta(days=365),
    )


def ratified_version(federation, *, text: str | None = None, actor=None):
    return ratify(import_version(federation, text=text, actor=actor), actor=actor)


def acknowledge(user, version, *, posts_checked=True):
    return acknowledgements.acknowledgement_record(
        actor=user, version=version, read_confirmed=True, posts_checked=posts_checked
    )
