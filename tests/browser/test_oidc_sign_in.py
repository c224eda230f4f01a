"""Signing in with the school account, in a real browser against a real OpenID Provider
(tests/oidc/provider.js), with axe-core on every portal page visited and the button used from the
keyboard."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from people.models import Role

from ..factories import make_user
from .conftest import check_axe, check_focus_visible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(openid_provider_for, live_server, settings):
    running = openid_provider_for(f"{live_server.url}/account/oidc/school/callback/")
    running.tamper("none")
    settings.PORTAL_OIDC_PROVIDERS = {"school": running.settings()}
    settings.PORTAL_REQUIRE_2FA = True
    return running


@pytest.fixture
def dsl(school):
    user = make_user(Role.DSL, Role.STAFF, school=school)
    user.person.email = "sam.dsl@larch.example.org"
    user.person.save()
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def use_school_account(page, login: str) -> None:
    """From the sign-in page: the school account's button, by keyboard, then the provider's own page."""
    page.goto("/account/login/")
    expect(page.get_by_role("heading", name="Or use your school account")).to_be_visible()
    check_axe(page, "oidc-sign-in")
    button = page.get_by_role("link", name="Sign in with Test School")
    button.focus()
    check_focus_visible(page)
    page.keyboard.press("Enter")
    page.get_by_label("Login name").fill(login)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_a_dsl_whose_provider_asserts_mfa_goes_straight_to_the_dashboard(page, provider, dsl):
    provider.add_account("sam", email="sam.dsl@larch.example.org", amr=["pwd", "mfa"])
    use_school_account(page, "sam")
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible()
    check_axe(page)


def test_a_dsl_without_it_enters_the_authenticator_code(page, provider, dsl):
    provider.add_account("sam", email="sam.dsl@larch.example.org", amr=["pwd"])
    use_school_account(page, "sam")
    expect(page.get_by_role("heading", name="Enter your authenticator code")).to_be_visible()
    check_axe(page)
    page.get_by_label("Code").fill("12345678")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("That code is not right").first).to_be_visible()
    check_axe(page, "oidc-authenticator-code")
    device = TOTPDevice.objects.get(user=dsl)
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible()


def test_an_unknown_address_is_refused_on_the_sign_in_page(page, provider, school):
    provider.add_account("stranger", email="stranger@elsewhere.example.org")
    use_school_account(page, "stranger")
    expect(page.get_by_role("alert")).to_contain_text("ask your school office")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    check_axe(page, "oidc-refused")


def test_the_school_account_button_fits_a_narrow_screen(page, provider, settings):
    """At 320 px, with the longest button text a federation is likely to choose, nothing scrolls sideways."""
    settings.PORTAL_OIDC_PROVIDERS = {
        "microsoft": provider.settings(name="Sign in with Microsoft 365"),
        "google": provider.settings(name="Sign in with Google Workspace"),
    }
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/account/login/")
    expect(page.get_by_role("link", name="Sign in with Google Workspace")).to_be_visible()
    check_axe(page)
