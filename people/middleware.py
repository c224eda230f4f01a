"""Request-wide rules: the health check answered before anything reads the session, the idle timeout,
second factor for safeguarding roles, no caching of signed-in pages."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware

from . import policies
from .oidc import PROVIDER_MFA_SESSION_KEY
from .views.pages import healthz

# Pages a user who still has to set up or pass the second factor may reach.
TWO_FACTOR_EXEMPT_NAMES = {
    "login",
    "setup",
    "qr",
    "setup_complete",
    "backup_tokens",
    "logout",
    "healthz",
    "oidc_start",
    "oidc_callback",
    "oidc_verify",
}


class HealthCheckMiddleware:
    """/healthz/ is answered here, before the session is read: a load balancer's probe carries no
    session, but a person's browser may, and a check that read it would answer the error page (HTML)
    rather than the check's JSON when the database is down. The answer is the `healthz` view's."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = reverse("healthz")

    def __call__(self, request):
        if request.path_info == self.path and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


class SessionRenewalMiddleware:
    """A signed-in session ends after thirty minutes without a request, and a page that changes nothing
    writes nothing to the session.

    The session store ends a session SESSION_COOKIE_AGE after it was last saved. Rather than saving it
    on every request, a signed-in request stamps the session with the time, which saves it, only when
    the last stamp is PORTAL_SESSION_RENEW_SECONDS (a minute) old or more: an idle session ends thirty
    minutes after its last request, or up to a minute sooner, never later. Signing in stamps the new
    session (`stamp_sign_in`), which signing in saves anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = _now()
            if now - session.get(RENEWED_AT, 0) >= settings.PORTAL_SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now
        return self.get_response(request)


RENEWED_AT = "portal_renewed_at"


def _now() -> int:
    return int(timezone.now().timestamp())


@receiver(user_logged_in, dispatch_uid="people.stamp_sign_in")
def stamp_sign_in(sender, request, user, **kwargs):
    """A new session starts renewed: its first page writes nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT] = _now()


@receiver(user_logged_in, dispatch_uid="people.forget_provider_mfa")
def forget_provider_mfa(sender, request, user, **kwargs):
    """What a provider vouched for holds for the sign-in it vouched for, no other."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(PROVIDER_MFA_SESSION_KEY, None)


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's, and a session whose sign-in the school's OpenID Provider asserted was made with more
    than one factor (people.oidc.mfa_asserted) counts as verified, for that sign-in only."""

    def _verify_user_sync(self, request, user):
        user = super()._verify_user_sync(request, user)
        if (
            user.is_authenticated
            and user.otp_device is None
            and request.session.get(PROVIDER_MFA_SESSION_KEY) == user.pk
        ):
            user.is_verified = _verified
        return user


def _verified() -> bool:
    return True


class TwoFactorRequiredMiddleware:
    """With PORTAL_REQUIRE_2FA on, DSL, SLT, heads and the chair use a verified second factor.

    Someone with no device is sent to set one up; someone with a device whose session
    was not verified with it is sent back to sign in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PORTAL_REQUIRE_2FA:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match and match.url_name in TWO_FACTOR_EXEMPT_NAMES:
            return None
        if request.path.startswith(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
        ):
            return None
        if not (policies.requires_two_factor(user) or user.is_superuser):
            return None
        if not policies.has_second_factor(user):
            return redirect(reverse("two_factor:setup"))
        return redirect(f"{reverse('two_factor:login')}?next={request.path}")


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user hold personal data: never keep them in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
