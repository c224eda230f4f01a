"""When a session ends: after thirty idle minutes (each request renews it), and everywhere at once when
the account's password is set through the emailed link or by an administrator, or the account is
switched off in the admin. (Sign-in's new session key, a password change by its holder and a head
switching a sign-in off are in test_sign_in.py and test_person_access.py.)"""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from people.models import Person, Role

from ..factories import UserFactory, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
NEW_PASSWORD = "a brand new long phrase 41"


def _signed_in_elsewhere(client, user):
    other = client.__class__()
    other.force_login(user)
    assert other.get(DASHBOARD).status_code == 200
    return other


def _is_signed_out(client) -> bool:
    response = client.get(DASHBOARD)
    return response.status_code == 302 and response["Location"].startswith(reverse("two_factor:login"))


def test_a_session_idle_for_thirty_minutes_ends_and_each_request_renews_it(client, staff_user):
    start = timezone.now()
    client.force_login(staff_user)
    for minutes in (0, 29, 58, 87):  # each request within 30 minutes of the one before
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)):
            assert client.get(DASHBOARD).status_code == 200, minutes
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=87 + 31)):
        assert _is_signed_out(client)


def test_a_password_set_through_the_emailed_link_signs_out_every_session(
    client, head_user, school, django_capture_on_commit_callbacks
):
    colleague = make_user(Role.STAFF, school=school, email="kit@example.org")
    elsewhere = _signed_in_elsewhere(client, colleague)
    client.force_login(head_user)
    person = Person.objects.get(user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:person_access", args=[person.pk]), {"action": "send_link"})
    link = re.search(r"https?://\S+/account/password/reset/\S+/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]

    visitor = client.__class__()
    form_page = visitor.get(path, follow=True)
    assert form_page.status_code == 200
    response = visitor.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password(NEW_PASSWORD)
    assert _is_signed_out(elsewhere)


def test_a_password_set_by_an_administrator_signs_out_every_session_and_is_audited(client, staff_user):
    elsewhere = _signed_in_elsewhere(client, staff_user)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff_user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)
    assert _is_signed_out(elsewhere)
    event = AuditEvent.objects.get(action="people.user.update", target_id=str(staff_user.pk))
    assert event.data == {"fields": ["password"]}


def test_an_account_switched_off_in_the_admin_is_signed_out_everywhere(client, staff_user):
    elsewhere = _signed_in_elsewhere(client, staff_user)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:people_user_change", args=[staff_user.pk]),
        {
            "username": staff_user.username,
            "first_name": staff_user.first_name,
            "last_name": staff_user.last_name,
            "email": staff_user.email,
            "is_active": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302
    assert _is_signed_out(elsewhere)
