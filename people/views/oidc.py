"""Sign-in through the school's OpenID Provider: the button's start, the provider's callback, and the
portal's own authenticator step for roles that need a second factor when the provider asserted none.

The state, nonce and PKCE verifier of each sign-in started are kept in the session (mozilla-django-oidc's
"oidc_states") with the provider they were for; the callback takes them out before anything else, so a
callback URL used twice is refused the second time.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from mozilla_django_oidc.utils import add_state_and_verifier_and_nonce_to_session, generate_code_challenge

from .. import oidc, policies, services
from ..forms import AuthenticatorCodeForm

STATES = "oidc_states"
NEXT = "portal_oidc_next"
PENDING = "portal_oidc_pending"
# A sign-in started, or waiting for its authenticator code, expires after ten minutes.
MAX_AGE_SECONDS = 10 * 60
# Wrong authenticator codes allowed before the sign-in must start again (each device throttles too).
MAX_CODE_ATTEMPTS = 5


def _callback_uri(request, provider: oidc.Provider) -> str:
    return request.build_absolute_uri(reverse("oidc_callback", args=[provider.key]))


def _refuse(request, message: str):
    messages.error(request, message)
    return redirect("two_factor:login")


def _needs_authenticator(user, mfa: bool) -> bool:
    """The roles that need a second factor (people.policies.requires_two_factor) pass the portal's own
    authenticator step, unless the provider asserted multi-factor authentication for this sign-in. Someone
    with no authenticator yet signs in and is sent to set one up (people.middleware)."""
    if mfa or not settings.PORTAL_REQUIRE_2FA:
        return False
    if not (policies.requires_two_factor(user) or user.is_superuser):
        return False
    return policies.has_second_factor(user)


def _sign_in(request, user, provider: oidc.Provider, *, mfa: bool, device=None) -> None:
    auth.login(request, user, backend=oidc.BACKEND)
    if device is not None:
        otp_login(request, device)
    elif mfa:
        request.session[oidc.PROVIDER_MFA_SESSION_KEY] = user.pk
    services.sign_in_record(
        user=user, method="oidc", provider=provider.key, mfa_asserted=mfa, authenticator=device is not None
    )


@login_not_required
@never_cache
@require_GET
def oidc_start(request, provider):
    """Send the browser to the provider, with a fresh state, nonce and PKCE challenge."""
    config = oidc.provider_or_404(provider)
    try:
        found = oidc.endpoints(config)
    except oidc.ProviderUnavailable:
        return _refuse(
            request,
            f"Your school's sign-in service cannot be reached just now. Try again shortly, or {oidc.OFFICE}.",
        )
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "scope": oidc.SCOPES,
        "client_id": config.client_id,
        "redirect_uri": _callback_uri(request, config),
        "state": get_random_string(32),
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    add_state_and_verifier_and_nonce_to_session(request, params["state"], params, verifier)
    request.session[STATES][params["state"]]["provider"] = config.key
    # The states are a dict inside the session: changing it in place is not seen as a change.
    request.session.modified = True
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT] = next_url
    else:
        request.session.pop(NEXT, None)
    return HttpResponseRedirect(f"{found['authorization_endpoint']}?{urlencode(params)}")


@login_not_required
@never_cache
@require_GET
def oidc_callback(request, provider):
    """The provider's answer: checked, matched to a person, signed in (or sent to the authenticator step)."""
    config = oidc.provider_or_404(provider)
    states = request.session.get(STATES)
    entry = states.pop(request.GET.get("state", ""), None) if isinstance(states, dict) else None
    if entry is not None:
        request.session.modified = True
        request.session.save()  # the state is spent before the provider is asked anything
    if (
        entry is None
        or entry.get("provider") != config.key
        or time.time() - entry.get("added_on", 0) > MAX_AGE_SECONDS
    ):
        return _refuse(request, "That sign-in had already been used or had expired. Start again.")
    if request.GET.get("error"):
        return _refuse(
            request, "The sign-in was not completed at your school's sign-in service. Start again."
        )
    if "iss" in request.GET and request.GET["iss"] != config.issuer:
        # RFC 9207: the answer came from another provider than the one this sign-in was sent to.
        return _refuse(request, oidc.refused_token(config).message)
    backend = oidc.OIDCBackend()
    try:
        user = backend.authenticate(
            request,
            oidc_provider=config,
            nonce=entry["nonce"],
            code_verifier=entry["code_verifier"],
            redirect_uri=_callback_uri(request, config),
        )
    except oidc.Refused as refusal:
        services.sign_in_refused_record(
            user=refusal.user, method="oidc", provider=config.key, reason=refusal.reason
        )
        return _refuse(request, refusal.message)
    if user is None:
        return _refuse(request, "That sign-in had already been used or had expired. Start again.")
    next_url = request.session.pop(NEXT, "") or resolve_url(settings.LOGIN_REDIRECT_URL)
    if _needs_authenticator(user, backend.mfa):
        request.session[PENDING] = {
            "user": user.pk,
            "provider": config.key,
            "at": time.time(),
            "next": next_url,
        }
        return redirect("oidc_verify")
    _sign_in(request, user, config, mfa=backend.mfa)
    return redirect(next_url)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def oidc_verify(request):
    """The code from the person's authenticator app (or a backup code), after the provider's sign-in."""
    pending = request.session.get(PENDING)
    user = None
    if isinstance(pending, dict) and time.time() - pending.get("at", 0) <= MAX_AGE_SECONDS:
        user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or pending.get("provider") not in settings.PORTAL_OIDC_PROVIDERS:
        request.session.pop(PENDING, None)
        return _refuse(request, "Your sign-in expired before the code was entered. Start again.")
    config = oidc.provider_or_404(pending["provider"])
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            _sign_in(request, user, config, mfa=False, device=device)
            return redirect(pending["next"])
        pending["failures"] = pending.get("failures", 0) + 1
        if pending["failures"] >= MAX_CODE_ATTEMPTS:
            del request.session[PENDING]
            services.sign_in_refused_record(
                user=user, method="oidc", provider=config.key, reason="authenticator"
            )
            return _refuse(request, "Too many wrong codes. Start the sign-in again.")
        request.session[PENDING] = pending
        form.add_error("code", "That code is not right. Enter the code your authenticator app shows now.")
    return render(request, "people/oidc_verify.html", {"form": form, "provider": config})
