"""The demo holds cases in every state, one overdue, and a case about a senior leader that they cannot see."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from incidents import policies, selectors
from incidents.models import Allegation, Concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    """The registry's demo and this app's seeder only (other apps' seeders have their own tests)."""
    from incidents.demo import seed_incidents

    monkeypatch.setattr("people.management.commands.seed_demo.demo_seeders", lambda: [seed_incidents])
    with open("/dev/null", "w") as out:
        call_command("seed_demo", stdout=out)


def test_every_state_is_in_the_demo_with_one_overdue(seeded):
    states = set(Allegation.objects.values_list("status", flat=True))
    assert states == set(Allegation.Status.values)
    now = timezone.now()
    assert sum(case.is_overdue(now) for case in Allegation.objects.all()) >= 1
    assert set(Concern.objects.values_list("status", flat=True)) == set(Concern.Status.values)


def test_seeding_twice_changes_nothing(seeded, monkeypatch):
    counts = (Allegation.objects.count(), Concern.objects.count())
    with open("/dev/null", "w") as out:
        call_command("seed_demo", stdout=out)
    assert (Allegation.objects.count(), Concern.objects.count()) == counts


def test_subjects_are_not_safeguarding_leads_except_the_one_senior_leader(seeded):
    from people.models import Role

    subjects = Allegation.objects.values_list("subject", flat=True).distinct()
    leads = set(
        get_user_model()
        .objects.filter(person__in=subjects, person__roles__role__in=[Role.SLT, Role.DSL])
        .values_list("username", flat=True)
    )
    assert leads == {"slt.larchwood"}


def test_the_senior_leader_sees_other_cases_but_never_their_own(seeded, client):
    slt = get_user_model().objects.get(username="slt.larchwood")
    own = Allegation.objects.get(subject=slt.person)
    visible = policies.allegations_visible_to(slt)
    assert visible.exists() and not visible.filter(pk=own.pk).exists()
    client.force_login(slt)
    assert client.get(own.get_absolute_url()).status_code == 404
    assert own.reference not in client.get(reverse("incidents:allegation_list")).text


def test_the_dsl_sees_a_low_level_review_due(seeded):
    dsl = get_user_model().objects.get(username="dsl.larchwood")
    assert any(flag.needs_review for flag in selectors.low_level_flags(dsl))
