"""Adding and editing people: field-level errors, the audit trail, who may do it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from people.models import Person, PersonKind, age_on

from ..factories import PupilFactory

pytestmark = pytest.mark.django_db


def _post(client, school, **overrides):
    data = {
        "school": school.pk,
        "kind": "pupil",
        "first_name": "Maya",
        "last_name": "Brook",
        "date_of_birth": "2015-03-02",
        "email": "",
        "phone": "",
        "reference": "P-100",
    }
    data.update(overrides)
    return client.post(reverse("people:person_create"), data)


def test_office_admin_adds_a_pupil_and_it_is_audited(client, office_user, school):
    client.force_login(office_user)
    response = _post(client, school)
    person = Person.objects.get(reference="P-100")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.memberships.get().school == school
    event = AuditEvent.objects.get(action="people.person.create")
    assert event.actor == office_user
    assert event.target_id == str(person.pk)
    assert event.school_id == school.pk


def test_pupil_without_date_of_birth_is_refused_with_a_message(client, office_user, school):
    client.force_login(office_user)
    response = _post(client, school, date_of_birth="")
    assert response.status_code == 200
    assert "A date of birth is needed for pupils and former pupils." in response.content.decode()
    assert not Person.objects.filter(reference="P-100").exists()


def test_date_of_birth_in_the_future_is_refused(client, office_user, school):
    client.force_login(office_user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _post(client, school, date_of_birth=tomorrow)
    assert "The date of birth cannot be in the future." in response.content.decode()
    assert not Person.objects.filter(reference="P-100").exists()


def test_date_of_birth_accepts_british_order(client, office_user, school):
    client.force_login(office_user)
    _post(client, school, date_of_birth="02/03/2015")
    assert Person.objects.get(reference="P-100").date_of_birth == date(2015, 3, 2)


def test_a_duplicate_reference_is_refused(client, office_user, school):
    PupilFactory(school=school, reference="P-100")
    client.force_login(office_user)
    response = _post(client, school)
    assert "Another person already has this reference." in response.content.decode()


def test_cannot_add_to_a_school_one_does_not_keep(client, office_user, other_school):
    client.force_login(office_user)
    response = _post(client, other_school)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(reference="P-100").exists()


def test_editing_records_what_changed(client, office_user, school):
    pupil = PupilFactory(school=school, first_name="Old", last_name="Name")
    client.force_login(office_user)
    response = client.post(
        reverse("people:person_edit", args=[pupil.pk]),
        {
            "kind": "pupil",
            "first_name": "New",
            "last_name": "Name",
            "date_of_birth": "2014-05-01",
            "reference": "",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="people.person.update")
    assert event.data == {"changed": {"first_name": ["Old", "New"]}}


def test_a_pupil_who_leaves_becomes_a_former_pupil(client, office_user, school):
    pupil = PupilFactory(school=school)
    client.force_login(office_user)
    left = timezone.localdate() - timedelta(days=3)
    response = client.post(reverse("people:person_mark_left", args=[pupil.pk]), {"left_on": left.isoformat()})
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.kind == PersonKind.FORMER_PUPIL
    assert pupil.left_on == left
    assert pupil.memberships.get().ended_on == left
    assert AuditEvent.objects.filter(action="people.person.left", target_id=str(pupil.pk)).exists()
    # History is kept: the former pupil is still found in the registry.
    assert client.get(pupil.get_absolute_url()).status_code == 200


def test_leaving_date_in_the_future_is_refused(client, office_user, school):
    pupil = PupilFactory(school=school)
    client.force_login(office_user)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(reverse("people:person_mark_left", args=[pupil.pk]), {"left_on": future})
    assert "The leaving date cannot be in the future." in response.content.decode()
    pupil.refresh_from_db()
    assert pupil.kind == PersonKind.PUPIL


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2013, 11, 24), date(2026, 11, 24), 13),  # the birthday itself
        (date(2013, 11, 25), date(2026, 11, 24), 12),  # the day before
        (date(2012, 2, 29), date(2025, 2, 28), 12),  # leap-day birthday: 1 March in other years
        (date(2012, 2, 29), date(2025, 3, 1), 13),
    ],
)
def test_age_on_a_date(born, on, expected):
    assert age_on(born, on) == expected


def test_age_is_unknown_without_a_date_of_birth():
    assert age_on(None, date(2026, 1, 1)) is None
