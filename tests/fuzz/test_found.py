"""What the form fuzzing found, each kept as a focused test: an address or a choice that names no
record is refused on the form, never a server error."""

import pytest
from django.urls import reverse

from incidents.models import PupilIncident
from people.models import ClassGroup, Role

from ..factories import PupilFactory, make_user

pytestmark = pytest.mark.django_db

TOO_LARGE = str(2**63)


def test_a_new_class_with_a_school_that_is_not_an_id_is_missing(client, school):
    client.force_login(make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school))
    url = reverse("people:class_create")
    assert client.get(url, {"school": "<script>"}).status_code == 404
    response = client.post(url, {"school": "' OR 1=1 --", "name": "Ash", "year_group": "3"})
    assert response.status_code == 404
    assert not ClassGroup.objects.filter(name="Ash").exists()


def test_a_pupil_id_too_large_for_the_database_is_refused_on_the_form(client, school):
    client.force_login(make_user(Role.STAFF, school=school))
    response = client.post(reverse("incidents:pupil_incident_record"), {"pupils": TOO_LARGE})
    assert response.status_code == 200
    assert f"“{TOO_LARGE}” is not a valid value." in response.content.decode()
    assert not PupilIncident.objects.exists()


@pytest.mark.parametrize("value", [TOO_LARGE, "-1", "١٢", "1.5", "<img src=x onerror=alert(1)>"])
def test_a_class_member_that_is_not_a_plain_id_is_refused(client, school, value):
    pupil = PupilFactory(school=school)
    client.force_login(make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school))
    response = client.post(
        reverse("people:class_create"), {"school": school.pk, "name": "Ash", "pupils": [pupil.pk, value]}
    )
    assert response.status_code == 200
    assert "is not a valid value." in response.content.decode()
    assert "<img src=x onerror" not in response.content.decode()
    assert not ClassGroup.objects.filter(name="Ash").exists()


def test_a_declaration_naming_a_parent_id_too_large_is_refused_on_the_form(client, school):
    client.force_login(make_user(Role.CLASS_TEACHER, Role.STAFF, school=school))
    response = client.post(reverse("approvals:declaration_create"), {"parents": TOO_LARGE, "confirm": "yes"})
    assert response.status_code == 200
    assert f"“{TOO_LARGE}” is not a valid value." in response.content.decode()


def test_a_nul_character_is_refused_on_the_form_on_every_database(client, school):
    """PostgreSQL cannot store NUL in text: the form refuses it before it gets that far."""
    client.force_login(make_user(Role.STAFF, school=school))
    response = client.post(
        reverse("incidents:pupil_incident_record"),
        {"what_happened": "Saw a post\x00", "location": "Hall\x00"},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not PupilIncident.objects.exists()


@pytest.mark.parametrize("query", ["\x00", "' OR 1=1 --", "<script>alert(1)</script>", str(2**70)])
def test_search_and_filter_boxes_take_hostile_text(client, school, query):
    client.force_login(make_user(Role.DSL, Role.HEAD_OF_SCHOOL, Role.STAFF, school=school))
    client.raise_request_exception = False
    for url in [reverse("people:person_list"), reverse("incidents:pupil_incident_list")]:
        response = client.get(
            url,
            {"q": query, "f-q": query, "school": query, "page": query, "class_group": query, "pupil": query},
        )
        assert response.status_code in (200, 404), (url, response.status_code)
        assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize("reference", [str(2**70), "ALG-" + str(2**70), "²", "١٢"])
def test_an_allegation_search_for_an_impossible_reference_finds_nothing(client, school, reference):
    client.force_login(make_user(Role.DSL, Role.STAFF, school=school))
    response = client.get(reverse("incidents:allegation_list"), {"f-q": reference, "q": reference})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", str(2**70)])
def test_the_pupil_incident_list_ignores_a_school_that_cannot_be_an_id(client, school, value):
    client.force_login(make_user(Role.DSL, Role.STAFF, school=school))
    assert client.get(reverse("incidents:pupil_incident_list"), {"school": value}).status_code == 200


def test_record_id_accepts_only_plain_ids_the_database_can_hold():
    from core.viewtools import record_id

    assert [record_id(v) for v in ["12", " 7 ", str(2**63 - 1)]] == [12, 7, 2**63 - 1]
    assert [record_id(v) for v in [str(2**63), "-1", "1.0", "²", "١٢", "", None, "x"]] == [None] * 8


@pytest.mark.parametrize("value", [TOO_LARGE, "-1", "²", "x"])
def test_an_allegation_from_a_concern_that_cannot_exist_is_404(client, school, value):
    client.force_login(make_user(Role.DSL, Role.STAFF, school=school))
    client.raise_request_exception = False
    assert client.get(reverse("incidents:allegation_create"), {"concern": value}).status_code == 404
