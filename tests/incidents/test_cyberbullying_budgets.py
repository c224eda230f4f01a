"""Query budgets of the cyberbullying pages: exact, explained, and the same with ten times the rows.

Every signed-in request of a safeguarding role costs five queries of its own (see test_query_budgets).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents import services

from .cyberwork import YEAR_7, pupil, report
from .test_evidence_files import PDF

pytestmark = pytest.mark.django_db

OVERHEAD_2FA = 5
# Recording a view appends to the audit chain: the last hash and the insert, after (on PostgreSQL only)
# the advisory lock that keeps appenders in line.
VIEW_EVENT = 3 if connection.vendor == "postgresql" else 2

# The list: the count, the page of reports (open actions annotated) and the schools for the filter.
LIST = OVERHEAD_2FA + 3
# The case page: the report (school, reporter, recorder and decider joined), its victims, its perpetrators
# and their pupils (three prefetches), the view recorded, its actions, its notes, its files (with their
# uploaders), and the chronology (the audit events, its latest views and the delivery of its notices).
CASE = OVERHEAD_2FA + 4 + VIEW_EVENT + 3 + 3
# Before the decision the triage runs on the prefetched facts, plus one look for an earlier warning sent.
CASE_WAITING = CASE + 1


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_at_two_and_twenty_reports(client, teacher_user, dsl_user, school):
    def world(rows):
        for n in range(rows):
            rep = report(teacher_user, school, victims=[pupil(school), pupil(school)])
            if n % 2:
                services.cyberbullying_decide(actor=dsl_user, report=rep)

    client.force_login(dsl_user)
    url = reverse("incidents:cyberbullying_list")
    world(2)
    small = _count(client, url)
    world(18)
    assert _count(client, url) == small == LIST


@pytest.mark.parametrize("decided", [True, False], ids=["decided", "waiting"])
def test_the_case_page_costs_the_same_with_few_or_many_victims_actions_and_files(
    client, teacher_user, dsl_user, school, decided
):
    def case(victims, files):
        rep = report(
            teacher_user,
            school,
            victims=[pupil(school, YEAR_7) for _ in range(victims)],
            perpetrators=[{"kind": "pupil", "person": pupil(school, YEAR_7)} for _ in range(victims)]
            + [{"kind": "former_pupil", "name": "Former"}],
            parents_refuse_to_engage=True,
            bullying_continues=True,
        )
        for n in range(files):
            services.evidence_upload(actor=dsl_user, report=rep, name=f"screenshot-{n}.pdf", data=PDF)
        if decided:
            services.cyberbullying_decide(actor=dsl_user, report=rep)
            for n in range(victims):
                services.cyberbullying_add_note(actor=dsl_user, report=rep, text=f"Note {n}")
        return rep

    client.force_login(dsl_user)
    few, many = case(1, files=0), case(10, files=3)
    assert (few.files.count(), many.files.count()) == (0, 3)
    if decided:
        assert many.actions.count() > 3 * few.actions.count()
    small = _count(client, few.get_absolute_url())
    large = _count(client, many.get_absolute_url())
    assert small == large == (CASE if decided else CASE_WAITING)
