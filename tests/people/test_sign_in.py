"""Sign-in, lock-out, two-factor enforcement and sessions."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import Role

from ..factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("two_factor:login")


def _sign_in(client, username, password):
    return client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
    )


def test_sign_in_page_is_public(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()


def test_the_sign_in_page_points_parents_to_the_public_policy(client):
    """§10: parents should be able to find the policy; they reach the portal's door first."""
    from django.urls import reverse

    html = client.get(LOGIN).content.decode()
    assert f'<a href="{reverse("policydocs:public")}">read our Social Media Policy</a>' in html


def test_a_member_of_staff_signs_in_and_reaches_the_dashboard(client, staff_user):
    response = _sign_in(client, staff_user.username, TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_password_shows_a_message(client, staff_user):
    response = _sign_in(client, staff_user.username, "not-the-password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_eleventh_wrong_password_is_locked_out_with_a_message(client, staff_user):
    """Ten failures in five minutes lock the account from that address; the right password
    is refused too, and the page says when to try again."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, staff_user.username, "wrong-password").status_code == 200
    locked = _sign_in(client, staff_user.username, "wrong-password")
    assert locked.status_code == 429
    eleventh = _sign_in(client, staff_user.username, TEST_PASSWORD)
    assert eleventh.status_code == 429
    text = eleventh.content.decode()
    assert "too many failed sign-in attempts" in text
    assert "try again in 5 minutes" in text
    # Both ways back in: the self-service reset, linked, and the school office.
    assert f'href="{reverse("password_reset")}"' in text
    assert "set a new one yourself" in text and "ask your school office" in text


def test_a_new_session_key_is_issued_at_sign_in(client, staff_user):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    _sign_in(client, staff_user.username, TEST_PASSWORD)
    assert client.session.session_key != before


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.PORTAL_SESSION_RENEW_SECONDS == 60


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
    ],
)
def test_passwords_need_twelve_characters_and_must_not_be_common(password, message):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert message in exc.value.messages


@pytest.mark.parametrize(
    "role", [Role.DSL, Role.SLT, Role.HEAD_OF_SCHOOL, Role.EXECUTIVE_HEAD, Role.CHAIR_OF_GOVERNORS]
)
def test_safeguarding_roles_are_sent_to_set_up_two_factor(unverified_client, settings, school, role):
    client = unverified_client
    settings.PORTAL_REQUIRE_2FA = True
    user = make_user(
        role,
        school=None if role in (Role.EXECUTIVE_HEAD, Role.CHAIR_OF_GOVERNORS) else school,
        federation=school.federation,
    )
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:setup")
    assert client.get(reverse("two_factor:setup")).status_code == 200


def test_a_user_with_a_device_but_unverified_session_signs_in_again(unverified_client, settings, dsl_user):
    client = unverified_client
    settings.PORTAL_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=dsl_user, name="default", confirmed=True)
    client.force_login(dsl_user)
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("fixture", ["staff_user", "teacher_user", "office_user", "governor_user"])
def test_other_roles_need_no_second_factor(client, settings, request, fixture):
    settings.PORTAL_REQUIRE_2FA = True
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("dashboard")).status_code == 200


def test_two_factor_is_not_enforced_when_switched_off(unverified_client, settings, dsl_user):
    client = unverified_client
    settings.PORTAL_REQUIRE_2FA = False
    client.force_login(dsl_user)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_dsl_passes_the_second_factor_and_gets_in(client, settings, dsl_user):
    """The full two-step sign-in with a real TOTP code."""
    from django_otp.oath import totp

    settings.PORTAL_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=dsl_user, name="default", confirmed=True)
    _sign_in(client, dsl_user.username, TEST_PASSWORD)
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(LOGIN, {"login_view-current_step": "token", "token-otp_token": f"{token:06d}"})
    assert response.status_code == 302
    assert client.get(reverse("people:person_list")).status_code == 200


def test_signing_out_needs_a_post(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, staff_user):
    """With no trusted proxy configured, changing X-Forwarded-For on each try changes nothing."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {
                "login_view-current_step": "auth",
                "auth-username": staff_user.username,
                "auth-password": "wrong",
            },
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        LOGIN,
        {
            "login_view-current_step": "auth",
            "auth-username": staff_user.username,
            "auth-password": TEST_PASSWORD,
        },
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429
