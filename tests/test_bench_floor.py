"""The benchmark's pages: the floor page is mounted only by the benchmark's own settings (never in a
deployment), and the bare page serves its 25 rows to a signed-in user with Django's middleware alone."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse

from bench import portal_settings
from bench.bare import settings as bare_settings
from bench.floor import floor
from incidents.models import Allegation

pytestmark = pytest.mark.django_db


def test_floor_page_is_not_mounted_by_default(client, dsl_user):
    assert settings.ROOT_URLCONF == "socialpolicy.urls"
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")
    assert not any("bench" in str(pattern.pattern) for pattern in get_resolver().url_patterns)
    client.force_login(dsl_user)
    assert client.get("/bench/floor/").status_code == 404


@pytest.fixture
def bench_settings(settings):
    settings.ROOT_URLCONF = portal_settings.ROOT_URLCONF
    settings.TEMPLATES = portal_settings.TEMPLATES
    return settings


def test_the_benchmarks_settings_mount_it(bench_settings, client, dsl_user):
    client.force_login(dsl_user)
    assert reverse("bench_floor") == "/bench/floor/"
    assert client.get("/bench/floor/").status_code == 200
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_benchmarks_settings_leave_the_portals_templates_alone():
    assert not any("bench" in str(folder) for folder in settings.TEMPLATES[0]["DIRS"])
    assert any(str(folder).endswith("bench/templates") for folder in portal_settings.TEMPLATES[0]["DIRS"])


def test_floor_view_runs_one_query_of_at_most_25_rows(bench_settings, dsl_user):
    """Its own query, and what every page's navigation reads: the user's roles and the unread count."""
    from django.db import connection

    request = RequestFactory().get("/bench/floor/")
    request.user = dsl_user
    with CaptureQueriesContext(connection) as queries:
        response = floor(request)
    assert response.status_code == 200
    own = [q["sql"] for q in queries if Allegation._meta.db_table in q["sql"]]
    assert len(own) == 1
    assert "LIMIT 25" in own[0]
    others = [q["sql"] for q in queries if q["sql"] != own[0]]
    assert len(others) == 2
    assert "people_roleassignment" in others[0]
    assert "notifications_notification" in others[1]


def test_the_bare_settings_have_only_djangos_session_and_auth_middleware():
    assert bare_settings.MIDDLEWARE == [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ]
    assert bare_settings.AUTH_USER_MODEL == settings.AUTH_USER_MODEL
    assert "context_processors" not in bare_settings.TEMPLATES[0].get("OPTIONS", {})


def test_the_bare_page_shows_25_rows_to_a_signed_in_user_in_three_queries(
    settings, client, dsl_user, slt_user, school
):
    from django.db import connection

    from tests.factories import PersonFactory
    from tests.incidents.casework import record_case

    cases = [record_case(slt_user, school, PersonFactory(school=school)) for _ in range(26)]
    settings.ROOT_URLCONF = bare_settings.ROOT_URLCONF
    settings.MIDDLEWARE = bare_settings.MIDDLEWARE
    settings.TEMPLATES = bare_settings.TEMPLATES
    settings.LOGIN_URL = bare_settings.LOGIN_URL
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # its session read is a query
    assert client.get("/bare/").status_code == 302  # login_required
    client.force_login(dsl_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bare/")
    assert response.status_code == 200
    assert response.text.count("<tr><td>ALG-") == 25
    assert f"<td>{cases[-1].reference}</td>" in response.text
    assert f"<td>{cases[0].reference}</td>" not in response.text
    # The session, the user, the rows; nothing written.
    assert len(queries) == 3
    assert "LIMIT 25" in queries[-1]["sql"]
