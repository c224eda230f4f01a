"""The demo's pupil incidents: every §8 type, a sanction in force, a pupil with no parent who may be contacted,
improper contact by a member of staff that opened an allegation; idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from incidents import cards
from incidents.models import (
    ActionKind,
    Allegation,
    CaseNote,
    EvidenceFile,
    IctSanction,
    IncidentAction,
    IncidentType,
    PupilIncident,
)

pytestmark = pytest.mark.django_db


def _seed():
    with open("/dev/null", "w") as out:
        call_command("seed_demo", stdout=out)


@pytest.fixture
def seeded(monkeypatch):
    """The registry's demo and this app's seeders only (other apps' seeders have their own tests)."""
    from incidents.demo import seed_incidents, seed_pupil_incidents

    monkeypatch.setattr(
        "people.management.commands.seed_demo.demo_seeders", lambda: [seed_incidents, seed_pupil_incidents]
    )
    _seed()


def _user(username):
    return get_user_model().objects.get(username=username)


def test_every_type_of_incident_is_in_the_demo(seeded):
    assert set(PupilIncident.objects.values_list("kind", flat=True)) == set(IncidentType.values)
    assert set(PupilIncident.objects.values_list("status", flat=True)) == set(PupilIncident.Status.values)


def test_a_sanction_is_in_force_and_a_pupil_has_no_contactable_parent(seeded):
    assert any(sanction.is_current() for sanction in IctSanction.objects.all())
    flagged = IncidentAction.objects.get(kind=ActionKind.NO_CONTACTABLE_PARENT)
    assert flagged.incident.kind == IncidentType.UNDER_AGE_ACCOUNT
    assert IncidentAction.objects.filter(incident=flagged.incident, kind=ActionKind.WARN_PARENTS).count() == 1


def test_improper_contact_by_a_member_of_staff_opened_an_allegation(seeded, client):
    case = Allegation.objects.get(pupil_incident__isnull=False)
    incident = case.pupil_incident
    assert incident.kind == IncidentType.IMPROPER_CONTACT and incident.adult == case.subject
    assert case.subject.reference == "DEMO-office.larchwood"
    assert CaseNote.objects.filter(incident=incident).count() == 1
    assert EvidenceFile.objects.filter(incident=incident).count() == 1
    client.force_login(_user("dsl.larchwood"))
    assert case.get_absolute_url() in client.get(incident.get_absolute_url()).content.decode()


def test_the_dsl_and_slt_have_open_actions_and_slts_is_overdue(seeded, client):
    assert cards.my_open_actions_card(_user("dsl.larchwood")).count >= 3
    slt_card = cards.my_open_actions_card(_user("slt.larchwood"))
    assert slt_card.count >= 1 and "overdue" in slt_card.body
    client.force_login(_user("slt.larchwood"))
    assert client.get(reverse("incidents:my_actions")).status_code == 200


def test_seeding_twice_changes_nothing(seeded):
    models = (PupilIncident, IncidentAction, IctSanction, Allegation, CaseNote, EvidenceFile)
    counts = [model.objects.count() for model in models]
    _seed()
    assert [model.objects.count() for model in models] == counts
