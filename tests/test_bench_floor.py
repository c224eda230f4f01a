"""The benchmark's floor page exists only when PORTAL_BENCH_FLOOR is on: never in a normal deployment."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse

from incidents.models import Allegation
from people.bench_floor import floor

pytestmark = pytest.mark.django_db


def test_floor_page_is_not_mounted_by_default(client, dsl_user):
    assert settings.PORTAL_BENCH_FLOOR is False
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")
    assert not any("bench" in str(pattern.pattern) for pattern in get_resolver().url_patterns)
    client.force_login(dsl_user)
    assert client.get("/bench/floor/").status_code == 404


def test_floor_view_runs_one_query_of_at_most_25_rows(dsl_user):
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
