"""Demo data: the sample policy (written for the portal, not any school's real policy), ratified,
with some staff confirmations. Idempotent: nothing is added when the federation has a policy."""

from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.dashboard import register_demo_seeder

from . import acknowledgements, services
from .importer import parse_policy
from .models import Policy

SAMPLE = Path(__file__).resolve().parent / "sample_policy.md"
# Demo sign-ins who have already confirmed the policy; everyone else sees the dashboard card.
CONFIRMED = ["head.larchwood", "dsl.larchwood", "office.larchwood", "head.elmpark"]


@register_demo_seeder
def seed_policy(*, schools, stdout):
    if not schools:
        return
    federation = next(iter(schools.values())).federation
    if Policy.objects.filter(federation=federation).exists():
        return
    text = SAMPLE.read_text(encoding="utf-8")
    parsed = parse_policy(text)
    version = services.policy_version_import(
        actor=None, federation=federation, text=text, parsed=parsed, source_name=SAMPLE.name
    )
    today = timezone.localdate()
    version = services.policy_version_ratify(
        actor=None,
        version=version,
        ratified_by=parsed.ratified_by or "Demonstration Committee",
        ratified_on=min(parsed.ratified_on or today, today),
        review_due_on=max(today + timedelta(days=45), date(today.year + 1, 9, 1)),
    )
    for user in get_user_model().objects.filter(username__in=CONFIRMED):
        acknowledgements.acknowledgement_record(
            actor=user, version=version, read_confirmed=True, posts_checked=True
        )
    stdout.write(f"Sample policy: {version.label} ratified; {len(CONFIRMED)} staff confirmed it.")
