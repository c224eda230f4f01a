"""Sign-in through the school's OpenID Provider, against a real provider (tests/oidc/provider.js).

The Django test client plays the portal's side and `requests` the person's browser at the provider;
the portal's callback talks to the provider's real token, key and user information endpoints.
"""

from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from people import oidc
from people.models import Role
from people.services import user_set_active

from ..factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/account/oidc/school/callback/"
LOGIN = reverse("two_factor:login")
DASHBOARD = reverse("dashboard")


@pytest.fixture
def provider(openid_provider_for, settings):
    running = openid_provider_for(CALLBACK)
    running.tamper("none")
    settings.PORTAL_OIDC_PROVIDERS = {"school": running.settings()}
    settings.PORTAL_REQUIRE_2FA = True
    yield running
    running.tamper("none")


def start(client, next_url=None):
    response = client.get(reverse("oidc_start", args=["school"]), {"next": next_url} if next_url else {})
    assert response.status_code == 302, response
    return response["Location"]


def sign_in(client, provider, login, *, next_url=None):
    """Start at the portal, log in at the provider as `login`, and hand the callback to the portal.
    Returns the callback's response and the callback address (path and query)."""
    back = urlsplit(provider.log_in(start(client, next_url), login))
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    callback = f"{back.path}?{back.query}"
    return client.get(callback), callback


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def page_text(client, response):
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def teacher(school, email="alex.morgan@larch.example.org"):
    user = make_user(Role.STAFF, school=school)
    user.person.email = email
    user.person.save()
    return user


def dsl(school, email="sam.dsl@larch.example.org"):
    user = make_user(Role.DSL, Role.STAFF, school=school)
    user.person.email = email
    user.person.save()
    return user


def totp_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# --- Matching ------------------------------------------------------------------------------------


def test_first_sign_in_is_matched_to_the_person_by_verified_email(client, provider, school):
    """The registry's person with that address (any case) is signed in; no account is made; the sign-in
    is audited as oidc without an MFA assertion."""
    user = teacher(school)
    provider.add_account("alex", email="Alex.Morgan@LARCH.example.org")
    users_before = get_user_model().objects.count()

    response, _ = sign_in(client, provider, "alex")

    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert str(signed_in_user_id(client)) == str(user.pk)
    assert client.get(DASHBOARD).status_code == 200
    assert get_user_model().objects.count() == users_before
    event = AuditEvent.objects.get(action="people.user.sign_in")
    assert event.actor_id == user.pk
    assert event.data == {
        "method": "oidc",
        "provider": "school",
        "mfa_asserted": False,
        "authenticator": False,
    }


def test_the_page_asked_for_is_where_the_sign_in_ends(client, provider, school):
    teacher(school)
    provider.add_account("alex", email="alex.morgan@larch.example.org")
    response, _ = sign_in(client, provider, "alex", next_url=reverse("notifications:inbox"))
    assert response["Location"] == reverse("notifications:inbox")


def test_an_address_the_registry_does_not_know_is_refused_and_says_whom_to_ask(client, provider, school):
    teacher(school)
    provider.add_account("stranger", email="stranger@elsewhere.example.org")
    users_before = get_user_model().objects.count()

    response, _ = sign_in(client, provider, "stranger")

    assert response["Location"] == LOGIN
    text = page_text(client, response)
    assert "email address is not in the portal&#x27;s records" in text
    assert "ask your school office" in text
    assert signed_in_user_id(client) is None
    assert get_user_model().objects.count() == users_before
    refused = AuditEvent.objects.get(action="people.user.sign_in_refused")
    assert refused.data == {"method": "oidc", "provider": "school", "reason": "unknown_email"}


def test_create_user_refuses_whatever_the_claims(provider):
    backend = oidc.OIDCBackend()
    backend.provider = oidc.providers()[0]
    with pytest.raises(oidc.Refused) as refusal:
        backend.create_user({"email": "someone@larch.example.org", "email_verified": True})
    assert refusal.value.reason == "unknown_email"


def test_a_person_without_a_sign_in_is_refused(client, provider, school):
    """The registry knows the address, but the person has no sign-in: signing in makes none."""
    from ..factories import PersonFactory

    PersonFactory(school=school, email="no.account@larch.example.org")
    provider.add_account("noaccount", email="no.account@larch.example.org")
    response, _ = sign_in(client, provider, "noaccount")
    assert "not in the portal&#x27;s records" in page_text(client, response)
    assert signed_in_user_id(client) is None


def test_an_address_the_provider_says_is_unverified_is_refused(client, provider, school):
    teacher(school)
    provider.add_account("alex", email="alex.morgan@larch.example.org", email_verified=False)
    response, _ = sign_in(client, provider, "alex")
    assert "did not confirm your email address" in page_text(client, response)
    assert signed_in_user_id(client) is None


def test_without_email_verified_only_the_federations_own_domains_count(client, provider, school, settings):
    """Entra ID sends no email_verified: an address is trusted only in a domain the federation lists."""
    user = teacher(school)
    provider.add_account("alex", email="alex.morgan@larch.example.org", email_verified=None)

    response, _ = sign_in(client, provider, "alex")
    assert "did not confirm your email address" in page_text(client, response)

    settings.PORTAL_OIDC_PROVIDERS = {
        "school": provider.settings(trusted_email_domains=["larch.example.org"])
    }
    response, _ = sign_in(client, provider, "alex")
    assert response["Location"] == DASHBOARD, page_text(client, response)
    assert str(signed_in_user_id(client)) == str(user.pk)


# --- Tokens and replays ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode",
    [
        "claims",  # another person's address in the payload: the signature no longer matches
        "expired",  # properly signed, an hour old
        "audience",  # properly signed, for another client
        "issuer",  # properly signed, naming another issuer
        "nonce",  # properly signed, answering another sign-in's nonce
        "foreign-key",  # signed with a key the provider never published
    ],
)
def test_a_doctored_id_token_is_refused(client, provider, school, mode):
    teacher(school)
    head = make_user(Role.HEAD_OF_SCHOOL, school=school)
    head.person.email = "head@larch.example.org"  # whom the "claims" doctoring points at
    head.person.save()
    provider.add_account("alex", email="alex.morgan@larch.example.org")
    provider.tamper(mode)

    response, _ = sign_in(client, provider, "alex")

    assert response["Location"] == LOGIN
    assert "could not be checked, so the portal refused it" in page_text(client, response)
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.get(action="people.user.sign_in_refused").data["reason"] == "token"


def test_the_callback_used_twice_is_refused_the_second_time(client, provider, school):
    user = teacher(school)
    provider.add_account("alex", email="alex.morgan@larch.example.org")
    response, callback = sign_in(client, provider, "alex")
    assert str(signed_in_user_id(client)) == str(user.pk)
    client.logout()

    replayed = client.get(callback)

    assert replayed["Location"] == LOGIN
    assert "already been used or had expired" in page_text(client, replayed)
    assert signed_in_user_id(client) is None


def test_a_callback_carried_to_another_browser_is_refused(client, provider, school):
    """The state belongs to the session that started the sign-in: another browser has none."""
    from django.test import Client

    teacher(school)
    provider.add_account("alex", email="alex.morgan@larch.example.org")
    back = urlsplit(provider.log_in(start(client), "alex"))
    other = Client()
    response = other.get(f"{back.path}?{back.query}")
    assert response["Location"] == LOGIN
    assert "already been used or had expired" in page_text(other, response)
    assert signed_in_user_id(other) is None


def test_an_answer_naming_another_issuer_is_refused_before_the_code_is_used(client, provider, school):
    """RFC 9207: the `iss` of the answer must be the provider this sign-in was sent to."""
    teacher(school)
    provider.add_account("alex", email="alex.morgan@larch.example.org")
    back = urlsplit(provider.log_in(start(client), "alex"))
    assert f"iss={quote(provider.issuer, safe='')}" in back.query
    forged = back.query.replace(quote(provider.issuer, safe=""), quote("https://idp.example.org", safe=""))
    response = client.get(f"{back.path}?{forged}")
    assert "could not be checked, so the portal refused it" in page_text(client, response)
    assert signed_in_user_id(client) is None


def test_a_sign_in_abandoned_at_the_provider_says_so(client, provider, school):
    """A login name the provider does not know: it answers access_denied."""
    response, _ = sign_in(client, provider, "nobody-at-the-provider")
    assert "was not completed at your school&#x27;s sign-in service" in page_text(client, response)
    assert signed_in_user_id(client) is None


# --- Switched off ------------------------------------------------------------------------------------


def test_a_switched_off_sign_in_is_refused_by_both_routes(client, provider, school):
    user = teacher(school)
    user_set_active(actor=None, person=user.person, active=False)
    provider.add_account("alex", email="alex.morgan@larch.example.org")

    response, _ = sign_in(client, provider, "alex")

    assert "Your sign-in to the portal is switched off" in page_text(client, response)
    assert signed_in_user_id(client) is None
    refused = AuditEvent.objects.get(action="people.user.sign_in_refused")
    assert refused.data["reason"] == "switched_off" and refused.target_id == str(user.person.pk)
    password = client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": user.username, "auth-password": TEST_PASSWORD},
    )
    assert password.status_code == 200 and signed_in_user_id(client) is None


def test_switching_off_ends_a_session_signed_in_this_way(client, provider, school):
    user = teacher(school)
    provider.add_account("alex", email="alex.morgan@larch.example.org")
    sign_in(client, provider, "alex")
    assert client.get(DASHBOARD).status_code == 200
    user_set_active(actor=None, person=user.person, active=False)
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN)


# --- Two-factor -------------------------------------------------------------------------------------


def test_a_dsl_whose_provider_asserts_mfa_lands_on_the_dashboard(client, provider, school):
    user = dsl(school)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    provider.add_account("sam", email="sam.dsl@larch.example.org", amr=["pwd", "mfa"])

    response, _ = sign_in(client, provider, "sam")

    assert response["Location"] == DASHBOARD
    dashboard = client.get(DASHBOARD)
    assert dashboard.status_code == 200
    assert dashboard.wsgi_request.user.is_verified()
    event = AuditEvent.objects.get(action="people.user.sign_in")
    assert event.data == {
        "method": "oidc",
        "provider": "school",
        "mfa_asserted": True,
        "authenticator": False,
    }


def test_an_acr_configured_as_multi_factor_counts_too(client, provider, school):
    dsl(school)
    provider.add_account("sam", email="sam.dsl@larch.example.org", amr=["pwd"], acr="urn:portal:test:mfa")
    response, _ = sign_in(client, provider, "sam")
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_a_dsl_without_mfa_is_sent_to_the_authenticator_step(client, provider, school):
    user = dsl(school)
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    provider.add_account("sam", email="sam.dsl@larch.example.org", amr=["pwd"])

    response, _ = sign_in(client, provider, "sam")

    assert response["Location"] == reverse("oidc_verify")
    assert signed_in_user_id(client) is None
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN)
    wrong = client.post(
        reverse("oidc_verify"), {"code": "000000" if totp_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert signed_in_user_id(client) is None

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(reverse("oidc_verify"), {"code": totp_code(device)})

    assert right["Location"] == DASHBOARD
    dashboard = client.get(DASHBOARD)
    assert dashboard.status_code == 200 and dashboard.wsgi_request.user.is_verified()
    event = AuditEvent.objects.get(action="people.user.sign_in")
    assert event.data == {
        "method": "oidc",
        "provider": "school",
        "mfa_asserted": False,
        "authenticator": True,
    }


def test_the_authenticator_step_asks_for_a_code(client, provider, school):
    user = dsl(school)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    provider.add_account("sam", email="sam.dsl@larch.example.org")
    sign_in(client, provider, "sam")
    page = client.get(reverse("oidc_verify"))
    assert page.status_code == 200 and "Enter your authenticator code" in page.content.decode()
    empty = client.post(reverse("oidc_verify"), {"code": ""})
    assert "Enter the code from your authenticator app." in empty.content.decode()


def test_too_many_wrong_codes_end_the_sign_in(client, provider, school):
    user = dsl(school)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    provider.add_account("sam", email="sam.dsl@larch.example.org")
    sign_in(client, provider, "sam")
    for _ in range(4):
        assert client.post(reverse("oidc_verify"), {"code": "12345678"}).status_code == 200
    last = client.post(reverse("oidc_verify"), {"code": "12345678"})
    assert last["Location"] == LOGIN
    assert "Too many wrong codes" in page_text(client, last)
    assert client.get(reverse("oidc_verify"))["Location"] == LOGIN


def test_a_dsl_with_no_authenticator_yet_is_sent_to_set_one_up(client, provider, school):
    user = dsl(school)
    provider.add_account("sam", email="sam.dsl@larch.example.org")
    response, _ = sign_in(client, provider, "sam")
    assert str(signed_in_user_id(client)) == str(user.pk)
    assert client.get(response["Location"])["Location"] == reverse("two_factor:setup")


def test_the_provider_mfa_holds_for_its_own_sign_in_only(client, provider, school):
    """A later sign-in in the same browser (by password) does not inherit the provider's assertion."""
    user = dsl(school)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    provider.add_account("sam", email="sam.dsl@larch.example.org", amr=["mfa"])
    sign_in(client, provider, "sam")
    assert client.session[oidc.PROVIDER_MFA_SESSION_KEY] == user.pk
    from django.contrib.auth import login

    request = client.get(DASHBOARD).wsgi_request
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    assert oidc.PROVIDER_MFA_SESSION_KEY not in request.session


# --- Configuration -------------------------------------------------------------------------------


def test_without_providers_the_sign_in_page_has_no_button_and_start_is_404(client, settings):
    settings.PORTAL_OIDC_PROVIDERS = {}
    assert "Or use your school account" not in client.get(LOGIN).content.decode()
    assert client.get(reverse("oidc_start", args=["school"])).status_code == 404


def test_the_sign_in_page_offers_each_configured_provider(client, provider):
    text = client.get(f"{LOGIN}?next=/people/").content.decode()
    assert "Sign in with Test School" in text
    assert f'href="{reverse("oidc_start", args=["school"])}?next=/people/"' in text


def test_a_plain_http_provider_is_refused_outside_the_test_suite(settings):
    settings.PORTAL_OIDC_ALLOW_HTTP = False
    settings.PORTAL_OIDC_PROVIDERS = {
        "microsoft": {
            "issuer": "http://login.example.org/tenant/v2.0",
            "client_id": "a",
            "client_secret": "b",
        }
    }
    errors = oidc.check_providers()
    assert [e.msg for e in errors] == ["PORTAL_OIDC_MICROSOFT_ISSUER must be an https:// address."]


@pytest.mark.parametrize(
    ("claims", "asserted"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["otp"]}, True),
        ({"amr": ["hwk"]}, True),
        ({"amr": "mfa"}, True),
        ({"amr": ["pwd"]}, False),
        ({}, False),
        ({"acr": "urn:portal:test:mfa"}, True),
        ({"acr": "urn:portal:test:password"}, False),
    ],
)
def test_what_counts_as_multi_factor(provider, claims, asserted):
    assert oidc.mfa_asserted(claims, oidc.providers()[0]) is asserted


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email": "a@larch.example.org", "email_verified": True}, True),
        ({"email": "a@larch.example.org", "email_verified": "true"}, True),
        ({"email": "a@larch.example.org", "email_verified": False}, False),
        # Entra ID: no email_verified; its domain-owner claim, or one of the federation's domains.
        ({"email": "a@elsewhere.example.org", "xms_edov": True}, True),
        ({"email": "a@larch.example.org", "iss": "https://idp"}, True),
        ({"email": "a@LARCH.example.org"}, True),
        ({"email": "a@elsewhere.example.org"}, False),
        # A guest account of the tenant, signed in at another provider: its address is not vouched for.
        ({"email": "a@larch.example.org", "iss": "https://idp", "idp": "https://guest-home"}, False),
    ],
)
def test_which_addresses_count_as_verified(claims, verified):
    provider = oidc.Provider(
        key="microsoft",
        name="Sign in with Microsoft",
        issuer="https://idp",
        client_id="a",
        client_secret="b",
        trusted_email_domains=("larch.example.org",),
    )
    assert oidc.email_is_verified(claims, provider) is verified


def test_an_id_token_with_an_address_needs_no_user_information_request():
    """Microsoft and Google put the address in the ID token: the user information endpoint (here one
    that cannot answer) is not asked."""
    backend = oidc.OIDCBackend()
    backend.OIDC_OP_USER_ENDPOINT = "https://127.0.0.1:9/userinfo"
    payload = {"sub": "s", "email": "a@larch.example.org", "email_verified": True}
    assert backend.get_userinfo("access", "id", payload) == payload
