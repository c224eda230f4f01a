"""Every page that takes no arguments, for every role: never a server error, and every HTML
answer carries the security headers (CSP without unsafe-inline, no framing, nosniff, a
referrer policy, and no-store once signed in)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = [
    "staff_user",
    "teacher_user",
    "dsl_user",
    "slt_user",
    "head_user",
    "office_user",
    "governor_user",
    "exec_head_user",
    "chair_user",
]
# Pages outside the portal's own templates (the Django admin, the two-factor library's
# machine endpoints) are covered by their own tests.
SKIP_PREFIXES = ("admin/",)


def _argument_free_paths():
    paths = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                paths.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns)
    return sorted(p for p in set(paths) if not p.lstrip("/").startswith(SKIP_PREFIXES))


PATHS = _argument_free_paths()


def _check_headers(response, signed_in):
    if "text/html" not in response.get("Content-Type", ""):
        return
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if signed_in:
        assert response["Cache-Control"] == "no-store"


def test_the_resolver_yields_the_portals_pages():
    assert "/people/" in PATHS and "/healthz/" in PATHS and "/account/login/" in PATHS


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_anonymous_visitors_get_sign_in_or_a_public_page(client, path):
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code in (200, 302, 405), (path, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith("/account/login/"), (path, response["Location"])
    _check_headers(response, signed_in=False)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_no_server_error_anywhere(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.raise_request_exception = False
    failures = []
    for path in PATHS:
        if path.endswith("/logout/"):
            continue
        response = client.get(path)
        if response.status_code >= 500:
            failures.append((path, response.status_code))
            continue
        _check_headers(response, signed_in=True)
    assert failures == []


HREF = re.compile(r'href="(/[^"#]*)"')


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_offers_a_link_its_reader_is_refused(client, request, role):
    """Every link on every page a role can open leads somewhere that role may go: a refusal (403) behind a
    button or a menu entry is a dead end for the person who followed it."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.raise_request_exception = False
    links: dict[str, str] = {}
    for path in PATHS:
        if path.endswith("/logout/"):
            continue
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for href in HREF.findall(response.content.decode()):
                links.setdefault(href.replace("&amp;", "&"), path)
    refused = []
    for href, found_on in sorted(links.items()):
        if "/logout/" in href or href.startswith("/static/"):
            continue
        if client.get(href).status_code == 403:
            refused.append(f"{href} (linked from {found_on})")
    assert refused == []
