"""The dashboard asks safeguarding and leadership roles to set up a second factor until they have one
(reachable when PORTAL_REQUIRE_2FA is off; with it on, such a user is sent to set one up first)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

TITLE = "Set up two-factor sign-in"


def _titles(response):
    return [card.title for card in response.context["cards"]]


def test_a_dsl_without_a_device_is_asked_to_set_one_up(unverified_client, dsl_user, settings):
    settings.PORTAL_REQUIRE_2FA = False
    unverified_client.force_login(dsl_user)
    response = unverified_client.get(reverse("dashboard"))
    assert TITLE in _titles(response)
    assert reverse("two_factor:setup") in response.text


def test_a_confirmed_device_is_enough_before_a_session_uses_it(unverified_client, dsl_user, settings):
    settings.PORTAL_REQUIRE_2FA = False
    TOTPDevice.objects.create(user=dsl_user, name="default", confirmed=True)
    unverified_client.force_login(dsl_user)
    assert TITLE not in _titles(unverified_client.get(reverse("dashboard")))


def test_an_unconfirmed_device_does_not_count(unverified_client, dsl_user, settings):
    settings.PORTAL_REQUIRE_2FA = False
    TOTPDevice.objects.create(user=dsl_user, name="default", confirmed=False)
    unverified_client.force_login(dsl_user)
    assert TITLE in _titles(unverified_client.get(reverse("dashboard")))


def test_a_verified_session_is_not_asked_and_its_devices_are_not_looked_up_again(client, dsl_user):
    client.force_login(dsl_user)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert TITLE not in _titles(response)
    # django-otp loads the session's device once; the card adds no look-up of the user's devices.
    device_reads = [q["sql"] for q in queries if "otp_" in q["sql"]]
    assert len(device_reads) == 1, device_reads


def test_staff_are_not_asked(client, staff_user):
    client.force_login(staff_user)
    assert TITLE not in _titles(client.get(reverse("dashboard")))
