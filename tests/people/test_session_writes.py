"""A page that changes nothing writes nothing to the session: a signed-in session is renewed (saved, which
moves its thirty-minute expiry) at most once a minute, and signing in starts it renewed. With REDIS_URL
set, sessions live in Redis."""

import json
import subprocess
import sys
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ..test_deployment_files import REPO_ROOT, _subprocess_env

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


@pytest.fixture(autouse=True)
def database_sessions(settings):
    """Sessions in the database (as without REDIS_URL), so that their writes show as SQL."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def _get(client, path=DASHBOARD, *, minutes=0):
    """A GET at `minutes` from now; the response and the SQL it ran."""
    at = timezone.now() + timedelta(minutes=minutes)
    with (
        mock.patch("django.utils.timezone.now", return_value=at),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(path)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


def _session_writes(sql: list[str]) -> list[str]:
    return [
        statement for statement in sql if "django_session" in statement and not statement.startswith("SELECT")
    ]


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_read_after_signing_in_write_nothing_to_the_session(client, staff_user):
    client.force_login(staff_user)
    expiry = _expiry(client)
    for path in (DASHBOARD, reverse("notifications:inbox"), DASHBOARD):
        response, sql = _get(client, path)
        assert _session_writes(sql) == []
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert _expiry(client) == expiry


def test_a_page_read_more_than_a_minute_after_the_last_renewal_renews_the_session_once(client, staff_user):
    client.force_login(staff_user)
    expiry = _expiry(client)
    assert _session_writes(_get(client, minutes=0.5)[1]) == []
    response, sql = _get(client, minutes=1.5)
    assert len(_session_writes(sql)) == 1
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert _expiry(client) > expiry
    assert _session_writes(_get(client, minutes=2)[1]) == []


def test_an_idle_session_still_ends_after_thirty_minutes(client, staff_user):
    client.force_login(staff_user)
    _get(client, minutes=10)  # renews: the session now ends at minute 40
    _get(client, minutes=10.5)  # within the minute: no renewal
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=40, seconds=1)
    ):
        response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor:login"))


def test_a_visitor_without_a_session_gets_none(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_the_health_check_reads_no_session_even_from_a_signed_in_browser(
    client, staff_user, django_assert_num_queries
):
    """The check runs its one query and nothing else: it answers the same JSON whether or not the
    request carries a session (with the database down, a session read would answer the HTML error page)."""
    client.force_login(staff_user)
    with django_assert_num_queries(1):  # SELECT 1: no session, no user
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_sessions_kept_in_a_cache_are_not_written_by_a_page_either(client, staff_user, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions-test"},
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.SESSION_CACHE_ALIAS = "sessions"
    client.force_login(staff_user)
    with mock.patch("django.contrib.sessions.backends.cache.SessionStore.save") as save:
        response, _ = _get(client)
    assert save.call_count == 0 and settings.SESSION_COOKIE_NAME not in response.cookies
    response, _ = _get(client, minutes=2)
    assert settings.SESSION_COOKIE_NAME in response.cookies


READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({"engine": settings.SESSION_ENGINE, "alias": settings.SESSION_CACHE_ALIAS,
                  "caches": settings.CACHES}))
"""


def _settings_with(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=REPO_ROOT,
        env=_subprocess_env(DJANGO_DEBUG="1", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sessions_live_in_redis_when_redis_url_is_set():
    found = _settings_with(REDIS_URL="redis://redis.example:6379/1")
    assert found["engine"] == "django.contrib.sessions.backends.cache"
    assert found["caches"][found["alias"]] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis.example:6379/1",
        # A frozen Redis must cost a page two seconds, not hang it (redis-py waits for ever by default).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
    assert found["caches"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert _settings_with(REDIS_URL="")["engine"] == "django.contrib.sessions.backends.db"
