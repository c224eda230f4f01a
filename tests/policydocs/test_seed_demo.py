"""The demo data: the sample policy (written for the portal) ratified, some staff confirmed; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from policydocs.models import Acknowledgement, PolicyVersion

pytestmark = pytest.mark.django_db


def test_the_demo_ratifies_the_sample_policy_once(settings):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    version = PolicyVersion.objects.get()
    assert version.status == "ratified"
    assert version.title == "Sample Social Media Policy"
    assert version.sections.count() == 6
    assert Acknowledgement.objects.count() == 4


def test_the_sample_policy_is_not_the_federations_own_text():
    """The project ships its own short sample, never the federation's policy."""
    from .helpers import SAMPLE_POLICY, SEED_POLICY

    sample = SAMPLE_POLICY.read_text(encoding="utf-8")
    assert len(sample) < 3000
    if SEED_POLICY.exists():
        seed_lines = {
            line.strip() for line in SEED_POLICY.read_text(encoding="utf-8").splitlines() if len(line) > 40
        }
        assert not any(line.strip() in seed_lines for line in sample.splitlines())
