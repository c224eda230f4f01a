"""A case page lists every step on the case but only its latest views (each visit adds one): a case opened
many times keeps a page of the same size, and says that earlier views are left out. The trail keeps them."""

import pytest

from audit.models import AuditEvent
from audit.services import audit_view
from incidents import selectors
from incidents.selectors import VIEWS_SHOWN

from .casework import assess, record_case
from .cyberwork import report

pytestmark = pytest.mark.django_db


def _viewed(user, case, times):
    for _ in range(times):
        audit_view(actor=user, target=case, school=case.school_id)


def test_a_case_viewed_often_shows_its_latest_views_and_every_step(slt_user, dsl_user, school, subject):
    case = record_case(slt_user, school, subject)
    _viewed(dsl_user, case, VIEWS_SHOWN + 5)
    assess(slt_user, case, met=True)  # a step after the views: still listed, in its place
    entries = selectors.chronology(case)

    views = [entry for entry in entries if entry.what == "Viewed the case"]
    assert len(views) == VIEWS_SHOWN
    [earlier] = [entry for entry in entries if entry.what == "Earlier views"]
    assert earlier.detail == f"Not listed here: the chronology shows the latest {VIEWS_SHOWN} views."
    assert entries.index(earlier) == entries.index(views[0]) - 1
    assert [entry.what for entry in entries][0] == "Recorded the allegation"
    assert entries[-1].what == "Assessed the harm threshold"
    assert entries == sorted(entries, key=lambda entry: entry.at)
    # The audit trail keeps every view.
    assert AuditEvent.objects.filter(action="incidents.allegation.view").count() == VIEWS_SHOWN + 5


def test_a_case_with_few_views_lists_them_all_without_the_line(slt_user, dsl_user, school, subject):
    case = record_case(slt_user, school, subject)
    _viewed(dsl_user, case, VIEWS_SHOWN)
    whats = [entry.what for entry in selectors.chronology(case)]
    assert whats.count("Viewed the case") == VIEWS_SHOWN
    assert "Earlier views" not in whats


def test_the_case_page_says_earlier_views_are_left_out(client, slt_user, dsl_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(dsl_user)
    assert "Earlier views" not in client.get(case.get_absolute_url()).text
    _viewed(dsl_user, case, VIEWS_SHOWN)
    page = client.get(case.get_absolute_url()).text
    assert "Earlier views" in page
    assert f"the chronology shows the latest {VIEWS_SHOWN} views" in page
    assert page.count("Viewed the case") == VIEWS_SHOWN


def test_a_cyberbullying_report_page_keeps_its_latest_views(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school)
    _viewed(dsl_user, rep, VIEWS_SHOWN + 3)
    client.force_login(dsl_user)
    page = client.get(rep.get_absolute_url()).text
    assert "Earlier views" in page
    assert "Recorded the report" in page
    assert AuditEvent.objects.filter(action="incidents.cyberbullyingreport.view").count() == VIEWS_SHOWN + 4
