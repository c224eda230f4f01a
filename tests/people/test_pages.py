"""Headers, error pages, health check and the dashboard."""

import pytest
from django.test import override_settings
from django.urls import reverse

from ..factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_health_check_is_public_and_checks_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_every_page_carries_a_strict_csp_and_security_headers(client, staff_user):
    client.force_login(staff_user)
    for url in [reverse("two_factor:login"), reverse("dashboard"), reverse("people:person_list")]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        assert "script-src 'self' 'nonce-" in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_the_script_tag_carries_the_nonce_of_the_header(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("dashboard"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_signed_in_pages_are_not_cached(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("dashboard"))["Cache-Control"] == "no-store"


def test_no_inline_style_attributes_in_pages(client, office_user, school):
    """A strict CSP blocks style="" attributes, so none may appear."""
    pupil = PupilFactory(school=school)
    client.force_login(office_user)
    for url in [
        reverse("dashboard"),
        reverse("people:person_list"),
        pupil.get_absolute_url(),
        reverse("people:person_create"),
        reverse("people:person_import"),
    ]:
        assert 'style="' not in client.get(url).content.decode(), url


@override_settings(DEBUG=False)
def test_the_404_page_is_friendly(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_500_page_shows_no_detail(client, staff_user, monkeypatch):
    from people.views import pages as views

    def broken(request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "cards_for", broken)
    client.raise_request_exception = False
    client.force_login(staff_user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong" in text
    assert "secret internals" not in text
    assert "Traceback" not in text


def test_dashboard_shows_the_registry_card_to_keepers(client, office_user, school):
    PupilFactory.create_batch(3, school=school)
    client.force_login(office_user)
    response = client.get(reverse("dashboard"))
    titles = [card.title for card in response.context["cards"]]
    assert "People registry" in titles


def _nav(client):
    entries = client.get(reverse("dashboard")).context["nav_entries"]
    return {entry.label: [child.label for child in entry.children] for entry in entries}


def test_navigation_follows_the_role(client, staff_user, office_user):
    """Registry pages are grouped under one menu; only keepers get the import."""
    client.force_login(staff_user)
    assert _nav(client)["Registry"] == ["People", "Classes"]
    client.force_login(office_user)
    assert _nav(client)["Registry"] == ["People", "Classes", "Import people"]


def test_a_group_with_one_page_is_a_plain_link(client, school):
    from core.dashboard import register_nav
    from core.extensions import NAVIGATION

    from ..factories import make_user

    user = make_user(school=school)  # no role: only the dashboard
    client.force_login(user)
    register_nav("Only one", "dashboard", lambda u: True, order=999, group="Lonely")
    try:
        nav = _nav(client)
        assert nav["Only one"] == [] and "Lonely" not in nav
    finally:
        NAVIGATION.discard("Only one")


@pytest.mark.parametrize("method", ["get", "head"])
def test_health_check_answers_json_to_a_browser_with_a_session_while_the_database_is_down(
    client, staff_user, monkeypatch, method
):
    """A person's browser carries a session cookie; the check answers before the session is read, so a
    failing database gives the check's JSON, not the error page."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    from people.views import pages

    client.force_login(staff_user)
    assert client.cookies.get("sessionid")

    def down(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(SessionStore, "load", down)  # reading the session now fails, as the database does
    monkeypatch.setattr(pages.connection, "cursor", down)
    response = getattr(client, method)(reverse("healthz"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    if method == "get":
        assert response.json() == {"status": "unavailable"}
