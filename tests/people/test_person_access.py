"""Giving sign-ins and roles: heads only, never to oneself, audited, with set-password links."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from people.models import Membership, Person, PersonKind, Role, RoleAssignment

from ..factories import PersonFactory, PupilFactory, make_user

pytestmark = pytest.mark.django_db


def _url(person):
    return reverse("people:person_access", args=[person.pk])


@pytest.fixture
def newcomer(school):
    return PersonFactory(school=school, first_name="Nia", last_name="Newcomer", email="nia@example.org")


def test_a_head_creates_a_sign_in_and_the_person_gets_a_link(
    client, head_user, newcomer, django_capture_on_commit_callbacks
):
    client.force_login(head_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(newcomer), {"action": "create_sign_in", "username": "nia.newcomer"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.user.username == "nia.newcomer"
    assert not newcomer.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@example.org"]
    link = re.search(r"https?://\S+/account/password/reset/\S+/", mail.outbox[0].body).group(0)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"people.user.create", "people.user.set_password_link"} <= actions

    # The link sets a password, and the new password signs in.
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = client.__class__()
    form_page = anonymous.get("/" + path, follow=True)
    assert form_page.status_code == 200
    done = anonymous.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a quiet river in may", "new_password2": "a quiet river in may"},
    )
    assert done.status_code == 302
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password("a quiet river in may")


def test_a_taken_username_is_refused_on_the_form(client, head_user, newcomer, staff_user):
    client.force_login(head_user)
    response = client.post(
        _url(newcomer), {"action": "create_sign_in", "username": staff_user.username.upper()}
    )
    assert "That username is taken: choose another." in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_a_head_grants_and_removes_a_school_role(client, head_user, newcomer, school):
    client.force_login(head_user)
    client.post(_url(newcomer), {"action": "grant", "role": Role.DSL, "school": school.pk, "confirm": "yes"})
    assignment = RoleAssignment.objects.get(person=newcomer)
    assert assignment.role == Role.DSL
    client.post(_url(newcomer), {"action": "revoke", "assignment": assignment.pk, "confirm": "yes"})
    assert not RoleAssignment.objects.filter(person=newcomer).exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="people.role")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["people.role.grant", "people.role.revoke"]


def test_a_school_role_needs_a_school(client, head_user, newcomer):
    client.force_login(head_user)
    response = client.post(
        _url(newcomer), {"action": "grant", "role": Role.SLT, "school": "", "confirm": "yes"}
    )
    assert "Choose the school where this role is held." in response.content.decode()


def test_a_head_of_school_cannot_grant_federation_roles(client, head_user, newcomer):
    client.force_login(head_user)
    response = client.post(
        _url(newcomer), {"action": "grant", "role": Role.EXECUTIVE_HEAD, "school": "", "confirm": "yes"}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not RoleAssignment.objects.filter(person=newcomer).exists()


def test_the_executive_head_grants_a_federation_role(client, exec_head_user, newcomer, school):
    client.force_login(exec_head_user)
    client.post(
        _url(newcomer), {"action": "grant", "role": Role.CHAIR_OF_GOVERNORS, "school": "", "confirm": "yes"}
    )
    assert RoleAssignment.objects.get(person=newcomer).federation == school.federation


def test_nobody_changes_their_own_roles(client, head_user):
    client.force_login(head_user)
    own = Person.objects.get(user=head_user)
    assert client.get(_url(own)).status_code == 403


@pytest.mark.parametrize("fixture", ["office_user", "dsl_user", "slt_user", "staff_user"])
def test_other_roles_cannot_manage_access(client, request, fixture, newcomer):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(_url(newcomer)).status_code == 403
    response = client.post(
        _url(newcomer),
        {
            "action": "grant",
            "role": Role.DSL,
            "school": newcomer.memberships.get().school_id,
            "confirm": "yes",
        },
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(person=newcomer).exists()


def test_a_head_of_another_school_gets_404(client, other_school, newcomer):
    other_head = make_user(Role.HEAD_OF_SCHOOL, Role.STAFF, school=other_school)
    client.force_login(other_head)
    assert client.get(_url(newcomer)).status_code == 404


def test_pupils_get_no_sign_in_or_role(client, head_user, school):
    pupil = PupilFactory(school=school)
    client.force_login(head_user)
    response = client.post(
        _url(pupil), {"action": "grant", "role": Role.STAFF, "school": school.pk, "confirm": "yes"}
    )
    assert "A pupil cannot hold a role in the portal." in response.content.decode()


def test_switching_a_sign_in_off_ends_its_sessions(client, head_user, school):
    colleague = make_user(Role.STAFF, school=school)
    person = Person.objects.get(user=colleague)
    theirs = client.__class__()
    theirs.force_login(colleague)
    assert theirs.get(reverse("dashboard")).status_code == 200
    client.force_login(head_user)
    client.post(_url(person), {"action": "deactivate", "confirm": "yes"})
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert theirs.get(reverse("dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action="people.user.deactivate").exists()


def test_changing_ones_password_signs_out_other_sessions(client, staff_user):
    from ..factories import TEST_PASSWORD

    other_device = client.__class__()
    other_device.force_login(staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "another long phrase 77",
            "new_password2": "another long phrase 77",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert other_device.get(reverse("dashboard")).status_code == 302


def test_a_reset_link_goes_to_the_portal_address_never_the_requests_host(client, settings, staff_user):
    """The Host header is the asker's to choose: the emailed link is built from PORTAL_BASE_URL, as every
    other email's is, so a forged host cannot send someone's reset token to another site."""
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    staff_user.email = "reset.me@example.org"
    staff_user.save(update_fields=["email"])
    response = client.post(
        reverse("password_reset"), {"email": "reset.me@example.org"}, HTTP_HOST="localhost"
    )
    assert response.status_code == 302
    body = mail.outbox[0].body
    link = re.search(r"\S+/account/password/reset/\S+/\S+/", body).group(0)
    assert link.startswith("https://portal.example.org/account/password/reset/")
    assert "localhost" not in body and "testserver" not in body


def test_forgotten_password_page_is_public_and_does_not_reveal_accounts(client):
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.fixture
def two_school_dsl(school, other_school):
    """A member of staff of this school who is also the DSL of another: one sign-in for both."""
    user = make_user(Role.STAFF, school=school, email="dana@example.org")
    person = Person.objects.get(user=user)
    Membership.objects.create(person=person, school=other_school)
    RoleAssignment.objects.create(person=person, role=Role.DSL, school=other_school)
    return person


@pytest.mark.parametrize("action", ["deactivate", "send_link"])
def test_a_head_of_school_leaves_a_sign_in_reaching_another_school_alone(
    client, head_user, two_school_dsl, action, django_capture_on_commit_callbacks
):
    """Switching it off or resetting its password would reach the other school's DSL role."""
    client.force_login(head_user)
    page = client.get(_url(two_school_dsl))
    assert page.status_code == 200
    assert "the Executive Head manages it" in page.text
    assert 'value="deactivate"' not in page.text and 'value="send_link"' not in page.text
    assert 'value="grant"' in page.text  # roles at the head's own school are still theirs to grant
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(two_school_dsl), {"action": action, "confirm": "yes"}).status_code == 403
    two_school_dsl.user.refresh_from_db()
    assert two_school_dsl.user.is_active and mail.outbox == []
    assert not AuditEvent.objects.filter(action__startswith="people.user.").exists()


def test_a_head_of_school_leaves_a_federation_role_holders_sign_in_alone(client, head_user, school):
    governor = make_user(Role.CHAIR_OF_GOVERNORS, school=school, kind=PersonKind.GOVERNOR)
    client.force_login(head_user)
    assert (
        client.post(
            _url(Person.objects.get(user=governor)), {"action": "deactivate", "confirm": "yes"}
        ).status_code
        == 403
    )
    governor.refresh_from_db()
    assert governor.is_active


def test_the_executive_head_manages_a_sign_in_across_schools(client, exec_head_user, two_school_dsl):
    client.force_login(exec_head_user)
    assert client.post(_url(two_school_dsl), {"action": "deactivate", "confirm": "yes"}).status_code == 302
    two_school_dsl.user.refresh_from_db()
    assert not two_school_dsl.user.is_active


def test_a_person_without_a_sign_in_at_two_schools_gets_it_from_the_executive_head(
    client, head_user, newcomer, other_school
):
    Membership.objects.create(person=newcomer, school=other_school)
    client.force_login(head_user)
    response = client.post(_url(newcomer), {"action": "create_sign_in", "username": "nia.newcomer"})
    assert response.status_code == 403
    newcomer.refresh_from_db()
    assert newcomer.user is None
