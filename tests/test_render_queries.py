"""No query runs while a template renders: views hand templates fetched rows, fetched choices and a
counted unread badge (core.viewtools.fetched_page / fetch_choices). A lazy queryset that reached a
template would query at render time, where no query budget names it."""

import pytest
from django.db import connection
from django.template.base import Template
from django.urls import reverse

from .factories import PersonFactory
from .incidents.casework import assess, record_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def render_queries(monkeypatch):
    """The SQL run inside Template._render (after the context processors) during the block."""
    depth = [0]
    seen: list[str] = []
    original = Template._render

    def _render(template, context):
        depth[0] += 1
        try:
            return original(template, context)
        finally:
            depth[0] -= 1

    def watch(execute, sql, params, many, context):
        if depth[0]:
            seen.append(sql)
        return execute(sql, params, many, context)

    monkeypatch.setattr(Template, "_render", _render)
    with connection.execute_wrapper(watch):
        yield seen


def _cases(slt_user, school, count=3):
    for _ in range(count):
        assess(slt_user, record_case(slt_user, school, PersonFactory(school=school)))


@pytest.mark.parametrize(
    "path",
    [
        reverse("dashboard"),
        reverse("incidents:allegation_list"),
        reverse("incidents:allegation_list") + "?f-status=recorded",
        reverse("policydocs:report", args=["lado_log"]),
    ],
)
def test_case_pages_run_no_query_while_rendering(client, slt_user, school, render_queries, path):
    _cases(slt_user, school)
    client.force_login(slt_user)
    response = client.get(path)
    assert response.status_code == 200
    assert "ALG-" in response.content.decode() or path == reverse("dashboard")
    assert render_queries == []


def test_proposal_lists_run_no_query_while_rendering(client, exec_head_user, render_queries):
    client.force_login(exec_head_user)
    for name in ("approvals:proposal_list", "approvals:proposal_awaiting"):
        assert client.get(reverse(name)).status_code == 200
    assert render_queries == []


def test_the_watch_sees_a_query_made_while_rendering(render_queries, school):
    """The fixture can fail: a template that evaluates a queryset is caught."""
    from django.template import engines

    from people.models import School

    engines["django"].from_string("{% for s in schools %}{{ s.name }}{% endfor %}").render(
        {"schools": School.objects.all()}
    )
    assert len(render_queries) == 1
