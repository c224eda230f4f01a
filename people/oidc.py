"""Sign-in through the school's OpenID Provider (Microsoft Entra ID, Google Workspace).

Which providers are configured (settings.PORTAL_OIDC_PROVIDERS, from the environment), the backend that
checks a provider's answer and matches it to a person already in the registry, and whether the provider
vouched for a second factor. Nobody gets an account by signing in: an address the registry does not
know is refused with a message saying whom to ask (the school office). See docs/sign-in.md.

mozilla-django-oidc does the protocol's plumbing (the token request, the provider's keys, the user
information). What it leaves out is checked here: the ID token's issuer, audience, expiry and issue
time, the algorithm, and the user information's subject against the ID token's.
"""

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

log = logging.getLogger(__name__)

BACKEND = "people.oidc.OIDCBackend"
SCOPES = "openid email profile"
# Session key: the id of the user whose sign-in the provider vouched for with more than one factor.
# Set after signing in, cleared by every sign-in (people.middleware), read by people.middleware.OTPMiddleware.
PROVIDER_MFA_SESSION_KEY = "portal_provider_mfa"

# Authentication method references (RFC 8176) that mean more than a password was used: "mfa" and "mca"
# say so outright; the others name a possession factor (one-time code, hardware or software key, SMS or
# phone call, smart card) that a provider reports only when it asked for one.
MFA_AMR_VALUES = frozenset({"mfa", "mca", "otp", "hwk", "swk", "sms", "tel", "sc"})
# RSA and elliptic-curve signatures only: never "none", never a shared secret.
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"]
# Clock difference tolerated between the provider and the portal, in seconds.
LEEWAY_SECONDS = 60
DISCOVERY_CACHE_SECONDS = 60 * 60
TIMEOUT_SECONDS = 10
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


# --- Configuration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""
    jwks_uri: str = ""
    mfa_acr_values: tuple[str, ...] = ()
    trusted_email_domains: tuple[str, ...] = ()


def _check_address(key: str, label: str, url: str) -> None:
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.PORTAL_OIDC_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed or not parts.netloc:
        raise ImproperlyConfigured(f"PORTAL_OIDC_{key.upper()}_{label} must be an https:// address.")


def _provider(key: str, values: dict) -> Provider:
    if not key.isalnum() or not key.isascii():
        raise ImproperlyConfigured(f"OpenID provider names are letters and digits only: {key!r}.")
    for required in ("issuer", "client_id", "client_secret"):
        if not values.get(required):
            raise ImproperlyConfigured(f"PORTAL_OIDC_{key.upper()}_{required.upper()} is empty.")
    _check_address(key, "ISSUER", values["issuer"])
    for endpoint in ENDPOINTS:
        if values.get(endpoint):
            _check_address(key, endpoint.upper(), values[endpoint])
    return Provider(
        key=key,
        name=values.get("name") or f"Sign in with {key.title()}",
        issuer=values["issuer"],
        client_id=values["client_id"],
        client_secret=values["client_secret"],
        **{endpoint: values.get(endpoint) or "" for endpoint in ENDPOINTS},
        mfa_acr_values=tuple(values.get("mfa_acr_values") or ()),
        trusted_email_domains=tuple(d.lower().lstrip("@") for d in values.get("trusted_email_domains") or ()),
    )


def providers() -> list[Provider]:
    """The configured providers, in the order the environment names them (none: the feature is off)."""
    return [_provider(key, values) for key, values in settings.PORTAL_OIDC_PROVIDERS.items()]


def provider_or_404(key: str) -> Provider:
    values = settings.PORTAL_OIDC_PROVIDERS.get(key)
    if values is None:
        raise Http404("No such sign-in provider.")
    return _provider(key, values)


@checks.register(checks.Tags.security)
def check_providers(app_configs=None, **kwargs):
    """`manage.py check` (and start-up) reports a provider whose settings cannot work."""
    errors = []
    for key, values in settings.PORTAL_OIDC_PROVIDERS.items():
        try:
            _provider(key, values)
        except ImproperlyConfigured as exc:
            errors.append(checks.Error(str(exc), id="people.E001"))
    return errors


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or does not describe this issuer."""


def endpoints(provider: Provider) -> dict[str, str]:
    """The provider's endpoints: those configured, the rest from its discovery document (cached an hour).
    A document naming another issuer, or an address that is not https://, is refused."""
    configured = {name: getattr(provider, name) for name in ENDPOINTS}
    if all(configured.values()):
        return configured
    cache_key = f"people.oidc.discovery:{provider.issuer}"
    found = cache.get(cache_key)
    if found is None:
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"discovery failed: {type(exc).__name__}") from exc
        if not isinstance(document, dict) or document.get("issuer") != provider.issuer:
            raise ProviderUnavailable("the discovery document names another issuer")
        found = {name: document.get(name) or "" for name in ENDPOINTS}
        try:
            for name, url in found.items():
                if url:
                    _check_address(provider.key, name.upper(), url)
        except ImproperlyConfigured as exc:
            raise ProviderUnavailable(str(exc)) from exc
        cache.set(cache_key, found, DISCOVERY_CACHE_SECONDS)
    merged = {name: configured[name] or found[name] for name in ENDPOINTS}
    if not (merged["authorization_endpoint"] and merged["token_endpoint"] and merged["jwks_uri"]):
        raise ProviderUnavailable("the provider publishes no authorization, token or key address")
    return merged


# --- What the provider asserted ----------------------------------------------------------------


def mfa_asserted(id_token: dict, provider: Provider) -> bool:
    """Whether the ID token says more than one factor was used: an `amr` value of MFA_AMR_VALUES, or
    an `acr` value the federation configured as multi-factor. Only the signed ID token counts."""
    amr = id_token.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    if isinstance(amr, list) and MFA_AMR_VALUES.intersection(v for v in amr if isinstance(v, str)):
        return True
    acr = id_token.get("acr")
    return isinstance(acr, str) and acr in provider.mfa_acr_values


def _true(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def email_is_verified(claims: dict, provider: Provider) -> bool:
    """An address counts when the provider says it is verified (`email_verified`, or Entra ID's
    `xms_edov`, "domain owner verified"). Entra ID says nothing either way by default: then only an
    address in one of the federation's own domains (PORTAL_OIDC_<N>_TRUSTED_EMAIL_DOMAINS, the
    tenant's verified domains) counts, and not for a guest account (`idp` other than `iss`). A
    provider that says "not verified" is always believed."""
    if "email_verified" in claims:
        return _true(claims["email_verified"])
    if _true(claims.get("xms_edov")):
        return True
    if claims.get("idp", claims.get("iss")) != claims.get("iss"):
        return False  # an Entra ID guest, signed in elsewhere: the tenant vouches for none of its address
    email = claims.get("email")
    domain = email.rsplit("@", 1)[-1].lower() if isinstance(email, str) and "@" in email else ""
    return bool(domain) and domain in provider.trusted_email_domains


# --- Refusals ----------------------------------------------------------------------------------


OFFICE = "ask your school office"


class Refused(Exception):
    """A sign-in refused, with the reason recorded in the audit trail and the message the person reads."""

    def __init__(self, reason: str, message: str, *, user=None):
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.user = user


def refused_unknown(provider: Provider) -> Refused:
    return Refused(
        "unknown_email",
        f"Your {provider.name.removeprefix('Sign in with ')} account's email address is not in the "
        f"portal's records, so you cannot sign in with it. To have it added to your record, {OFFICE}.",
    )


def refused_token(provider: Provider) -> Refused:
    return Refused(
        "token",
        "The answer from your school's sign-in service could not be checked, so the portal refused it. "
        f"Try again; if it happens again, {OFFICE}.",
    )


# --- The backend -------------------------------------------------------------------------------


# What mozilla-django-oidc reads through get_settings, the same for every provider.
LIBRARY_SETTINGS = {
    "OIDC_VERIFY_SSL": True,
    "OIDC_TIMEOUT": TIMEOUT_SECONDS,
    "OIDC_PROXY": None,
    "OIDC_USE_NONCE": True,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_RP_SCOPES": SCOPES,
    # An unknown address reaches create_user, which refuses: nobody gets an account by signing in.
    "OIDC_CREATE_USER": True,
}


class OIDCBackend(OIDCAuthenticationBackend):
    """The provider's callback, checked and matched to a person in the registry by verified email.

    `authenticate` raises `Refused` (with the message to show) rather than answering None, so that the
    callback can tell the person why; after it, `mfa` says whether the ID token asserted multi-factor."""

    def __init__(self, *args, **kwargs):
        # The library reads one provider's endpoints from settings here; they are set per sign-in instead.
        self.UserModel = get_user_model()
        self.provider = None
        self.mfa = False

    def get_settings(self, attr, *args):
        return LIBRARY_SETTINGS.get(attr, args[0] if args else None)

    def _configure(self, provider: Provider) -> None:
        found = endpoints(provider)
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = found["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = found["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = found["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.OIDC_RP_SIGN_ALGO = "RS256"

    def authenticate(
        self, request, *, oidc_provider: Provider, nonce: str, code_verifier: str, redirect_uri: str
    ):
        """Exchange the code, check the ID token, and return the matched user (or raise Refused)."""
        self.request = request
        code = request.GET.get("code") if request is not None else None
        if not code:
            return None
        try:
            self._configure(oidc_provider)
            token_info = self.get_token(
                {
                    "client_id": oidc_provider.client_id,
                    "client_secret": oidc_provider.client_secret,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "code_verifier": code_verifier,
                }
            )
            id_token = token_info.get("id_token")
            access_token = token_info.get("access_token")
            if not isinstance(id_token, str):
                raise SuspiciousOperation("no ID token")
            payload = self.verify_token(id_token, nonce=nonce)
            self.mfa = mfa_asserted(payload, oidc_provider)
            return self.get_or_create_user(access_token, id_token, payload)
        except Refused:
            raise
        except SuspiciousOperation as exc:
            if str(exc) == "Multiple users returned":
                raise Refused(
                    "ambiguous_email",
                    f"More than one person in the portal's records has that email address: {OFFICE}.",
                ) from exc
            log.warning("OpenID sign-in with %s refused: %s", oidc_provider.key, exc)
            raise refused_token(oidc_provider) from exc
        except (ProviderUnavailable, requests.RequestException, jwt.PyJWTError, ValueError, KeyError) as exc:
            log.warning("OpenID sign-in with %s refused: %s", oidc_provider.key, type(exc).__name__)
            raise refused_token(oidc_provider) from exc

    def verify_token(self, token, **kwargs):
        """The signature with the provider's published key, and what the library leaves unchecked: the
        issuer, the audience (and `azp` when present), the expiry and issue time, and the nonce."""
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in SIGNING_ALGORITHMS:
            raise SuspiciousOperation("unexpected signing algorithm")
        self.OIDC_RP_SIGN_ALGO = header["alg"]
        key = self.retrieve_matching_jwk(token)
        payload = jwt.decode(
            token,
            key,
            algorithms=[header["alg"]],
            audience=self.provider.client_id,
            issuer=self.provider.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
        if "azp" in payload and payload["azp"] != self.provider.client_id:
            raise SuspiciousOperation("ID token issued to another party")
        if "nonce" in kwargs and payload.get("nonce") != kwargs["nonce"]:
            raise SuspiciousOperation("JWT Nonce verification failed.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, and when they carry no email address (providers may keep it for the user
        information endpoint), the user information joined to them (the ID token's win); it must be about
        the same subject. Microsoft and Google put the address in the ID token: no second request."""
        claims = {}
        if "email" not in payload and self.OIDC_OP_USER_ENDPOINT and access_token:
            claims = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(claims, dict) or claims.get("sub") != payload["sub"]:
                raise SuspiciousOperation("user information about another subject")
        return {**claims, **payload}

    def verify_claims(self, claims):
        if not isinstance(claims.get("email"), str) or not claims["email"]:
            raise Refused(
                "no_email",
                f"Your school's sign-in service did not give the portal an email address: {OFFICE}.",
            )
        if not email_is_verified(claims, self.provider):
            raise Refused(
                "unverified_email",
                "Your school's sign-in service did not confirm your email address, so the portal cannot "
                f"tell who you are. Sign in with your username and password, or {OFFICE}.",
            )
        return True

    def filter_users_by_claims(self, claims):
        """The sign-in of the person in the registry with this address (switched off or not: see
        update_user)."""
        return self.UserModel.objects.filter(person__email__iexact=claims["email"].strip()).select_related(
            "person"
        )

    def update_user(self, user, claims):
        """A switched-off sign-in (people.services.user_set_active) stays off by this route too."""
        if not user.is_active:
            raise Refused(
                "switched_off",
                f"Your sign-in to the portal is switched off. If you think that is a mistake, {OFFICE}.",
                user=user,
            )
        return user

    def create_user(self, claims):
        """Refused: accounts are given by the school office, never made by signing in."""
        raise refused_unknown(self.provider)

    def get_user(self, user_id):
        # The library's get_user would hand back a switched-off account; Django's does not.
        return ModelBackend.get_user(self, user_id)
