"""Security headers on pages that take arguments (a case, a person, a proposal, an incident), and the
cookie and transport settings production gets: secure, HTTP-only, same-site cookies, HSTS and HTTPS
redirects. The production settings are loaded in a fresh interpreter (no test-only fallback applies),
with the environment `make check-deploy` uses."""

import json
import secrets
import subprocess
import sys
from datetime import date

import pytest
from django.urls import reverse

from incidents.models import Allegation, IncidentType

from .factories import PersonFactory
from .incidents.casework import case_in
from .incidents.pupilwork import record
from .test_deployment_files import REPO_ROOT, _subprocess_env
from .test_every_page import _check_headers

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "PORTAL_SMTP_HOST": "smtp.example.org",
}

READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE",
    "SESSION_SAVE_EVERY_REQUEST", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "SECURE_PROXY_SSL_HEADER",
    "PORTAL_REQUIRE_2FA",
]
print(json.dumps({name: getattr(settings, name, None) for name in names}))
"""


def _production_settings(**extra) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=REPO_ROOT,
        env=_subprocess_env(**{**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **extra}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_http_only_and_same_site_with_hsts():
    values = _production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # Thirty minutes idle, renewed by a signed-in request at most once a minute; two-factor sign-in on.
    assert values["SESSION_COOKIE_AGE"] == 1800
    assert values["SESSION_SAVE_EVERY_REQUEST"] is False
    assert values["PORTAL_REQUIRE_2FA"] is True


def test_turning_debug_on_is_the_only_way_to_get_plain_http_cookies():
    values = _production_settings(DJANGO_DEBUG="1")
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.django_db
def test_pages_of_one_record_carry_the_security_headers(client, school, dsl_user, subject_person):
    case = case_in(dsl_user, school, subject_person, Allegation.Status.RECORDED)
    incident = record(dsl_user, school, IncidentType.SOCIAL_MEDIA_IN_DAY)
    client.force_login(dsl_user)
    for url in [
        case.get_absolute_url(),
        reverse("incidents:allegation_step", kwargs={"pk": case.pk, "step": "assess"}),
        reverse("incidents:allegation_print", kwargs={"pk": case.pk}),
        incident.get_absolute_url(),
        reverse("people:person_detail", kwargs={"pk": subject_person.pk}),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "text/html" in response["Content-Type"]
        _check_headers(response, signed_in=True)
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_refused_or_missing_record_carries_the_headers_too(client, school, staff_user):
    client.force_login(staff_user)
    client.raise_request_exception = False
    for url in [reverse("incidents:allegation_detail", kwargs={"pk": 999_999}), reverse("notifications:log")]:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        _check_headers(response, signed_in=True)


@pytest.fixture
def subject_person(school):
    return PersonFactory(school=school, first_name="Sam", last_name="Subject", date_of_birth=date(1980, 5, 1))
