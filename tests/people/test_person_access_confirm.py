"""Granting or removing a role and switching a sign-in off or on are asked first: the first POST tries
the change, rolled back, and asks; only the confirmed POST (`confirm=yes`) makes it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from people.models import Membership, Person, Role, RoleAssignment

from ..factories import PersonFactory, PupilFactory, make_user

pytestmark = pytest.mark.django_db

CONFIRM_TEMPLATE = "people/person_access_confirm.html"


def _url(person):
    return reverse("people:person_access", args=[person.pk])


def _templates(response):
    return [t.name for t in response.templates]


def _hidden(html: str) -> dict:
    """The values the confirmation posts again (the CSRF token aside)."""
    found = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"[^>]*>', html))
    found.pop("csrfmiddlewaretoken", None)
    return found


@pytest.fixture
def newcomer(school):
    return PersonFactory(school=school, first_name="Jo", last_name="Bloggs", email="jo@example.org")


@pytest.fixture
def colleague(school):
    """A member of staff of the head's school, with a sign-in."""
    return Person.objects.get(user=make_user(Role.STAFF, school=school, first_name="Jo", last_name="Bloggs"))


def _asks(response, *, question: str, consequence: str, confirm_label: str):
    assert response.status_code == 200
    assert CONFIRM_TEMPLATE in _templates(response)
    html = response.content.decode()
    assert question.replace("'", "&#x27;") in html
    assert consequence.replace("'", "&#x27;") in html
    assert "Nothing has changed yet." in html
    assert (
        f'<button type="submit" name="confirm" value="yes" class="btn btn-primary">{confirm_label}</button>'
        in html
    )
    assert 'name="csrfmiddlewaretoken"' in html
    return html


def test_granting_a_role_asks_first_and_changes_nothing(client, head_user, newcomer, school):
    client.force_login(head_user)
    memberships = Membership.objects.count()
    response = client.post(_url(newcomer), {"action": "grant", "role": Role.DSL, "school": school.pk})
    html = _asks(
        response,
        question="Grant Designated safeguarding lead at Larch School to Jo Bloggs?",
        consequence="They will see that school's safeguarding records.",
        confirm_label="Grant the role",
    )
    assert _hidden(html) == {"action": "grant", "role": "dsl", "school": str(school.pk)}
    assert f'<a class="btn btn-link" href="{_url(newcomer)}">Cancel</a>' in html
    assert 'name="edit" value="1"' in html
    assert not RoleAssignment.objects.filter(person=newcomer).exists()
    assert Membership.objects.count() == memberships
    assert not AuditEvent.objects.filter(action__startswith="people.role").exists()


def test_the_confirmed_grant_grants_the_role(client, head_user, newcomer, school):
    client.force_login(head_user)
    response = client.post(
        _url(newcomer), {"action": "grant", "role": Role.DSL, "school": school.pk, "confirm": "yes"}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(person=newcomer).role == Role.DSL
    assert AuditEvent.objects.filter(action="people.role.grant").count() == 1


def test_a_federation_role_is_asked_across_the_federation(client, exec_head_user, newcomer):
    client.force_login(exec_head_user)
    response = client.post(_url(newcomer), {"action": "grant", "role": Role.EXECUTIVE_HEAD, "school": ""})
    _asks(
        response,
        question="Grant Executive Head across the federation to Jo Bloggs?",
        consequence="They will see safeguarding records across the federation",
        confirm_label="Grant the role",
    )
    assert not RoleAssignment.objects.filter(person=newcomer).exists()


def test_changing_what_was_entered_goes_back_to_the_form_with_it_kept(client, head_user, newcomer, school):
    client.force_login(head_user)
    response = client.post(
        _url(newcomer), {"action": "grant", "role": Role.DSL, "school": school.pk, "edit": "1"}
    )
    assert response.status_code == 200
    assert CONFIRM_TEMPLATE not in _templates(response)
    form = response.context["role_form"]
    assert form["role"].value() == Role.DSL and str(form["school"].value()) == str(school.pk)
    assert not RoleAssignment.objects.filter(person=newcomer).exists()


def test_removing_a_role_asks_first_and_changes_nothing(client, head_user, newcomer, school):
    assignment = RoleAssignment.objects.create(person=newcomer, role=Role.DSL, school=school)
    client.force_login(head_user)
    response = client.post(_url(newcomer), {"action": "revoke", "assignment": assignment.pk})
    html = _asks(
        response,
        question="Remove Designated safeguarding lead at Larch School from Jo Bloggs?",
        consequence="They will no longer see that school's safeguarding records through this role.",
        confirm_label="Remove the role",
    )
    assert _hidden(html) == {"action": "revoke", "assignment": str(assignment.pk)}
    assert 'name="edit"' not in html
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not AuditEvent.objects.filter(action__startswith="people.role").exists()

    confirmed = client.post(_url(newcomer), {**_hidden(html), "confirm": "yes"})
    assert confirmed.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(action="people.role.revoke").count() == 1


@pytest.mark.parametrize(
    "role, loses",
    [
        (Role.CHAIR_OF_GOVERNORS, "They will no longer see the allegations the chair of governors manages."),
        (
            Role.EXECUTIVE_HEAD,
            "They will no longer see the federation's safeguarding records through this role.",
        ),
    ],
)
def test_removing_a_federation_role_says_what_that_role_sees(
    client, exec_head_user, newcomer, school, role, loses
):
    assignment = RoleAssignment.objects.create(person=newcomer, role=role, federation=school.federation)
    client.force_login(exec_head_user)
    response = client.post(_url(newcomer), {"action": "revoke", "assignment": assignment.pk})
    _asks(
        response,
        question=f"Remove {Role(role).label} across the federation from Jo Bloggs?",
        consequence=loses,
        confirm_label="Remove the role",
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_removing_a_role_the_person_does_not_hold_is_404(client, head_user, newcomer, colleague, school):
    theirs = RoleAssignment.objects.create(person=colleague, role=Role.DSL, school=school)
    client.force_login(head_user)
    for value in (theirs.pk, "not a number", str(2**63)):
        response = client.post(_url(newcomer), {"action": "revoke", "assignment": value, "confirm": "yes"})
        assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=theirs.pk).exists()


def test_switching_a_sign_in_off_asks_first_and_changes_nothing(client, head_user, colleague):
    theirs = client.__class__()
    theirs.force_login(colleague.user)
    client.force_login(head_user)
    response = client.post(_url(colleague), {"action": "deactivate"})
    html = _asks(
        response,
        question="Switch off Jo Bloggs's sign-in?",
        consequence=(
            "They are signed out everywhere at once and cannot sign in until it is switched on again."
        ),
        confirm_label="Switch the sign-in off",
    )
    assert _hidden(html) == {"action": "deactivate"}
    colleague.user.refresh_from_db()
    assert colleague.user.is_active
    assert theirs.get(reverse("dashboard")).status_code == 200
    assert not AuditEvent.objects.filter(action__startswith="people.user.").exists()

    assert client.post(_url(colleague), {"action": "deactivate", "confirm": "yes"}).status_code == 302
    colleague.user.refresh_from_db()
    assert not colleague.user.is_active
    assert theirs.get(reverse("dashboard")).status_code == 302


def test_switching_a_sign_in_on_asks_first_and_changes_nothing(client, head_user, colleague):
    colleague.user.is_active = False
    colleague.user.save(update_fields=["is_active"])
    client.force_login(head_user)
    response = client.post(_url(colleague), {"action": "activate"})
    html = _asks(
        response,
        question="Switch on Jo Bloggs's sign-in?",
        consequence="They can sign in again",
        confirm_label="Switch the sign-in on",
    )
    assert _hidden(html) == {"action": "activate"}
    colleague.user.refresh_from_db()
    assert not colleague.user.is_active
    assert not AuditEvent.objects.filter(action__startswith="people.user.").exists()

    assert client.post(_url(colleague), {"action": "activate", "confirm": "yes"}).status_code == 302
    colleague.user.refresh_from_db()
    assert colleague.user.is_active
    assert AuditEvent.objects.filter(action="people.user.activate").count() == 1


def test_a_grant_the_service_refuses_shows_its_message_on_the_form_and_asks_nothing(
    client, head_user, newcomer, school, monkeypatch
):
    from people import services

    def refuse(**kwargs):
        raise ValidationError({"role": "That role is refused for a reason the service knows."})

    monkeypatch.setattr(services, "role_grant", refuse)
    client.force_login(head_user)
    response = client.post(_url(newcomer), {"action": "grant", "role": Role.DSL, "school": school.pk})
    assert response.status_code == 200
    assert CONFIRM_TEMPLATE not in _templates(response)
    assert response.context["role_form"].errors["role"] == [
        "That role is refused for a reason the service knows."
    ]


def test_a_pupil_is_refused_a_role_before_anything_is_asked(client, head_user, school):
    pupil = PupilFactory(school=school)
    client.force_login(head_user)
    response = client.post(_url(pupil), {"action": "grant", "role": Role.STAFF, "school": school.pk})
    assert response.status_code == 200
    assert CONFIRM_TEMPLATE not in _templates(response)
    assert "A pupil cannot hold a role in the portal." in response.content.decode()
    assert not RoleAssignment.objects.filter(person=pupil).exists()


def test_a_grant_naming_no_school_shows_the_form_error_and_asks_nothing(client, head_user, newcomer):
    client.force_login(head_user)
    response = client.post(_url(newcomer), {"action": "grant", "role": Role.SLT, "school": ""})
    assert CONFIRM_TEMPLATE not in _templates(response)
    assert "Choose the school where this role is held." in response.content.decode()


@pytest.mark.parametrize("fixture", ["office_user", "dsl_user", "slt_user", "staff_user"])
@pytest.mark.parametrize("action", ["grant", "revoke", "deactivate", "activate"])
def test_those_who_cannot_manage_access_are_refused_before_being_asked(
    client, request, fixture, action, colleague, school
):
    assignment = RoleAssignment.objects.create(person=colleague, role=Role.SLT, school=school)
    data = {"action": action, "role": Role.DSL, "school": school.pk, "assignment": assignment.pk}
    held = set(RoleAssignment.objects.filter(person=colleague))
    client.force_login(request.getfixturevalue(fixture))
    assert client.post(_url(colleague), data).status_code == 403
    assert set(RoleAssignment.objects.filter(person=colleague)) == held
    colleague.user.refresh_from_db()
    assert colleague.user.is_active


def test_a_sign_in_reaching_another_school_is_refused_before_being_asked(
    client, head_user, school, other_school
):
    """The service's refusal (only the Executive Head manages it) comes on the first POST, not after."""
    person = Person.objects.get(user=make_user(Role.STAFF, school=school))
    Membership.objects.create(person=person, school=other_school)
    client.force_login(head_user)
    assert client.post(_url(person), {"action": "deactivate"}).status_code == 403
    person.user.refresh_from_db()
    assert person.user.is_active
