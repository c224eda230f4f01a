"""Who may see and change registry records: deny by default, 404 for what a user may not see."""

import pytest
from django.urls import reverse

from people import policies
from people.models import Role

from ..factories import FederationFactory, PupilFactory, SchoolFactory, make_user

pytestmark = pytest.mark.django_db


def test_staff_of_one_school_get_404_for_a_person_of_another(client, staff_user, other_school):
    """A pupil of school B answers 404 to staff of school A, exactly like a missing record."""
    pupil_b = PupilFactory(school=other_school)
    client.force_login(staff_user)
    assert client.get(reverse("people:person_detail", args=[pupil_b.pk])).status_code == 404
    assert client.get(reverse("people:person_detail", args=[999999])).status_code == 404


def test_staff_see_people_of_their_own_school(client, staff_user, school):
    pupil = PupilFactory(school=school, first_name="Visible")
    client.force_login(staff_user)
    response = client.get(reverse("people:person_detail", args=[pupil.pk]))
    assert response.status_code == 200
    assert b"Visible" in response.content


def test_executive_head_sees_every_school_of_the_federation(client, exec_head_user, school, other_school):
    pupils = [PupilFactory(school=school), PupilFactory(school=other_school)]
    client.force_login(exec_head_user)
    for pupil in pupils:
        assert client.get(reverse("people:person_detail", args=[pupil.pk])).status_code == 200


def test_list_shows_only_own_school(client, staff_user, school, other_school):
    PupilFactory(school=school, last_name="Ownschool")
    PupilFactory(school=other_school, last_name="Otherschool")
    client.force_login(staff_user)
    content = client.get(reverse("people:person_list")).content.decode()
    assert "Ownschool" in content
    assert "Otherschool" not in content


@pytest.mark.parametrize("fixture", ["governor_user", "chair_user"])
def test_governors_do_not_browse_the_registry(client, request, fixture, school):
    """Governors read anonymised reports only (the registry is refused)."""
    pupil = PupilFactory(school=school)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("people:person_list")).status_code == 403
    assert client.get(reverse("people:person_detail", args=[pupil.pk])).status_code == 404


def test_a_user_with_no_role_sees_nothing(client, school):
    user = make_user(school=school)
    PupilFactory(school=school)
    assert policies.people_visible_to(user).count() == 0
    client.force_login(user)
    assert client.get(reverse("people:person_list")).status_code == 403


@pytest.mark.parametrize("fixture", ["staff_user", "teacher_user", "dsl_user", "slt_user"])
def test_only_registry_keepers_may_edit(client, request, fixture, school):
    pupil = PupilFactory(school=school)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("people:person_edit", args=[pupil.pk])).status_code == 404
    assert client.get(reverse("people:person_create")).status_code == 403
    assert client.get(reverse("people:person_import")).status_code == 403


@pytest.mark.parametrize("fixture", ["office_user", "head_user", "exec_head_user"])
def test_registry_keepers_may_edit_their_school(client, request, fixture, school):
    pupil = PupilFactory(school=school)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("people:person_edit", args=[pupil.pk])).status_code == 200
    assert client.get(reverse("people:person_create")).status_code == 200


def test_office_admin_cannot_edit_another_schools_person(client, office_user, other_school):
    pupil = PupilFactory(school=other_school, first_name="Before")
    client.force_login(office_user)
    url = reverse("people:person_edit", args=[pupil.pk])
    response = client.post(
        url, {"kind": "pupil", "first_name": "After", "last_name": "X", "date_of_birth": "2014-01-01"}
    )
    assert response.status_code == 404
    pupil.refresh_from_db()
    assert pupil.first_name == "Before"


def test_roles_are_read_once_per_request(django_assert_num_queries, school):
    user = make_user(Role.DSL, Role.SLT, school=school)
    with django_assert_num_queries(1):
        access = policies.access_for(user)
        policies.access_for(user)
    assert access.roles == {Role.DSL, Role.SLT}
    assert policies.requires_two_factor(user)


def test_federation_roles_bring_their_schools_in_the_same_query(
    django_assert_num_queries, school, other_school
):
    """The Executive Head's and the chair's records are filtered on the schools of their federation, read with
    the roles: one query, never another federation's schools."""
    SchoolFactory(federation=FederationFactory(name="Another Federation"))
    user = make_user(Role.EXECUTIVE_HEAD, Role.CHAIR_OF_GOVERNORS, federation=school.federation)
    with django_assert_num_queries(1):
        access = policies.access_for(user)
    assert access.federation_school_ids == {school.pk, other_school.pk}
    assert access.federation_ids == {school.federation_id}
    assert access.is_executive_head and access.is_chair_of_governors


def test_school_roles_bring_no_federation_schools(school, other_school):
    access = policies.access_for(make_user(Role.DSL, Role.SLT, school=school))
    assert access.federation_school_ids == frozenset()
    assert access.schools_with({Role.DSL}) == {school.pk}


def test_an_executive_head_of_a_federation_without_schools_sees_no_school(school):
    user = make_user(Role.EXECUTIVE_HEAD, federation=FederationFactory(name="New Federation"))
    access = policies.access_for(user)
    assert access.is_executive_head
    assert access.federation_school_ids == frozenset()
    assert not policies.schools_visible_to(user).exists()
    # Nobody of any school; only the holders of the federation's roles (here, themselves).
    assert list(policies.people_visible_to(user).values_list("user_id", flat=True)) == [user.pk]


def test_anonymous_is_sent_to_sign_in(client, school):
    pupil = PupilFactory(school=school)
    for url in [
        reverse("dashboard"),
        reverse("people:person_list"),
        reverse("people:person_detail", args=[pupil.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor:login"))
