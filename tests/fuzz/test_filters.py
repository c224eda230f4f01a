"""Every page that takes no arguments, with hostile values in its search and filter boxes (the fields
of its GET forms, plus `page`): never a server error, never the markup shown unescaped. Signed in as
someone who holds the DSL, head, office and teacher roles at once, so that every list shows."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Role

from ..factories import make_user
from ..test_every_page import PATHS
from .test_forms import HOSTILE, RAW_MARKERS

SKIPPED = ("/account/logout/",)


class GetFields:
    """Field names of the page's GET forms."""

    def __init__(self, html: str):
        from html.parser import HTMLParser

        names: set[str] = set()

        class Parser(HTMLParser):
            in_get = False

            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "form":
                    Parser.in_get = (a.get("method") or "get").lower() == "get"
                elif Parser.in_get and tag in ("input", "select") and a.get("name"):
                    names.add(a["name"])

            def handle_endtag(self, tag):
                if tag == "form":
                    Parser.in_get = False

        Parser().feed(html)
        self.names = sorted(names | {"page"})


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in PATHS if p not in SKIPPED])
def test_hostile_search_and_filter_values_never_cause_a_server_error(client, school, path):
    user = make_user(
        Role.DSL, Role.HEAD_OF_SCHOOL, Role.OFFICE_ADMIN, Role.CLASS_TEACHER, Role.STAFF, school=school
    )
    client.force_login(user)
    client.raise_request_exception = False
    page = client.get(path)
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        return
    names = GetFields(page.content.decode("utf-8", "replace")).names

    @settings(
        max_examples=6,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=st.dictionaries(st.sampled_from(names), HOSTILE.filter(lambda v: len(v) < 5000), min_size=1))
    def run(query):
        savepoint = transaction.savepoint_create()
        try:
            response = client.get(path, query)
            assert response.status_code < 500, (path, response.status_code, query)
            if "text/html" in response.get("Content-Type", ""):
                html = response.content.decode("utf-8", "replace")
                for marker in RAW_MARKERS:
                    assert marker not in html, (path, query)
        finally:
            transaction.savepoint_rollback(savepoint)

    run()


def test_the_reader_finds_the_get_forms_fields_only():
    html = (
        '<form method="get"><input name="f-q"><select name="f-school"></select></form>'
        '<form method="post"><input name="title"></form><form><input name="kind"></form>'
    )
    assert GetFields(html).names == ["f-q", "f-school", "kind", "page"]
