"""Cyberbullying (§10) from report to closure in a real browser, axe-core on every page: a class teacher
records weekend bullying between two Year 7 pupils (under 13) on a 13+ platform; the DSL finds the
triage's duty of care and warning to all the parents, confirms it, previews and sends the warnings, sees
them in the delivery log, completes the other actions and closes the report."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents import notices
from incidents.models import CyberbullyingReport, IncidentAction
from notifications.models import Notification
from people.models import Role

from ..factories import (
    TEST_PASSWORD,
    ParentFactory,
    ParentLinkFactory,
    PupilFactory,
    SchoolFactory,
    make_user,
)
from .conftest import check_axe, nav_click, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Notices are sent in-process even when REDIS_URL is set, so no message is left in a shared Redis."""
    from socialpolicy.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _year_7(school, first, last):
    pupil = PupilFactory(
        school=school,
        first_name=first,
        last_name=last,
        date_of_birth=timezone.localdate() - timedelta(days=4200),
    )
    parent = ParentFactory(school=school, first_name="Parent", last_name=last)
    ParentLinkFactory(pupil=pupil, parent=parent)
    return pupil


def test_a_weekend_report_between_two_under_13s_from_record_to_closure(page, settings):
    settings.PORTAL_REQUIRE_2FA = False
    settings.PORTAL_MIN_PLATFORM_AGE = 13
    school = SchoolFactory(name="Larch School", code="larch")
    teacher = make_user(Role.CLASS_TEACHER, Role.STAFF, school=school, first_name="Tom", last_name="Fletcher")
    dsl = make_user(Role.DSL, Role.STAFF, school=school, first_name="Grace", last_name="Adeyemi")
    victim = _year_7(school, "Ava", "Brook")
    bully = _year_7(school, "Leo", "Marsh")

    # The class teacher records what a parent told the school.
    sign_in(page, teacher.username, TEST_PASSWORD)
    nav_click(page, "Report a concern")
    page.get_by_role("link", name="Pupil incidents and cyberbullying are recorded separately").click()
    expect(page.get_by_role("heading", name="Pupil incidents and cyberbullying")).to_be_visible()
    check_axe(page, "cyberbullying-hub")
    page.get_by_role("link", name="Record a cyberbullying report").click()
    expect(page.get_by_role("heading", name="Record a cyberbullying report")).to_be_visible()
    check_axe(page, "cyberbullying-form")
    page.get_by_label("A parent or carer told the school").check()
    bullied = page.get_by_role("group", name=re.compile(r"^The pupil or pupils being bullied"))
    bullied.get_by_label(victim.choice_label, exact=True).check()
    page.get_by_label("At weekends").check()
    page.get_by_label("A social media platform").check()
    page.get_by_label("Social media platform", exact=True).select_option(label="TikTok")
    page.get_by_label("What happened").fill("Threatening comments under the pupil's videos.")
    page.get_by_label("Who is said to be responsible?").first.select_option("pupil")
    page.get_by_label("The pupil (for a pupil of the school)").first.select_option(
        label=f"{bully.full_name} (pupil)"
    )
    page.get_by_role("button", name="Record the report").click()
    report = CyberbullyingReport.objects.get()
    expect(
        page.get_by_role("heading", name=f"Thank you: report {report.reference} is recorded")
    ).to_be_visible()
    check_axe(page, "cyberbullying-thanks")
    page.context.clear_cookies()

    # The DSL opens it from the list: the triage in plain words, with its section.
    sign_in(page, dsl.username, TEST_PASSWORD)
    nav_click(page, "Cyberbullying")
    expect(page.get_by_role("heading", name="Cyberbullying reports")).to_be_visible()
    check_axe(page, "cyberbullying-list")
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_text("The policy's triage suggests:")).to_be_visible()
    decision = page.get_by_role("region", name="Decision")
    expect(
        decision.get_by_role("listitem").filter(has_text="§10: Pupils of the school, out of school time")
    ).to_be_visible()
    expect(
        decision.get_by_role("listitem").filter(has_text="warn all the parents, the victim's included")
    ).to_be_visible()
    check_axe(page, "cyberbullying-case-waiting")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision on {report.reference} recorded: 5 actions set.")).to_be_visible()
    check_axe(page, "cyberbullying-case-decided")

    # The warnings: chosen, previewed, then sent to each pupil's parents.
    for _ in range(2):
        page.get_by_role("link", name="Send the warning").first.click()
        expect(page.get_by_role("heading", name="Notice to parents and carers")).to_be_visible()
        check_axe(page)
        page.get_by_label(re.compile("below the platform's minimum age")).check()
        page.get_by_role("button", name="Preview").click()
        expect(page.get_by_role("heading", name=re.compile("^Preview:"))).to_be_visible()
        expect(page.get_by_text(re.compile("TikTok"))).to_be_visible()
        check_axe(page, "cyberbullying-notice-preview")
        page.get_by_role("button", name="Send this notice").click()
        expect(page.get_by_text("Notice queued for 1 parent or carer contact(s).")).to_be_visible()
    assert Notification.objects.filter(template=notices.PARENT_UNDER_AGE).count() == 2

    # The notices are in the delivery log.
    page.goto("/notifications/log/")
    expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
    log = page.get_by_role("table")
    expect(log.get_by_text("Parent Brook")).to_be_visible()
    expect(log.get_by_text("Parent Marsh")).to_be_visible()
    check_axe(page, "cyberbullying-delivery-log")

    # The other actions done, then the report closed.
    page.goto(report.get_absolute_url())
    while page.get_by_role("link", name=re.compile("^Done or waive")).count():
        page.get_by_role("link", name=re.compile("^Done or waive")).first.click()
        check_axe(page)
        page.get_by_label("Note or reason").fill("Done with the family.")
        page.get_by_role("button", name="Mark as done").click()
        expect(page.get_by_text("Action updated.")).to_be_visible()
    assert not IncidentAction.objects.filter(report=report, status=IncidentAction.Status.OPEN).exists()
    page.get_by_role("link", name="Close the report").click()
    expect(page.get_by_role("heading", name=f"Close report {report.reference}")).to_be_visible()
    check_axe(page, "cyberbullying-close")
    page.get_by_role("button", name="Close the report").click()
    expect(page.get_by_text(f"Report {report.reference} closed.")).to_be_visible()
    expect(
        page.get_by_role("region", name="Chronology of the case").get_by_text("Closed the report")
    ).to_be_visible()
    check_axe(page, "cyberbullying-closed")
    report.refresh_from_db()
    assert report.status == CyberbullyingReport.Status.CLOSED
