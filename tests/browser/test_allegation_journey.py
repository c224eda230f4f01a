"""A disclosure about an adult from report to closure in a real browser, axe-core on every page:
a teacher reports a colleague's posts about a pupil; SLT records the allegation, finds the harm
threshold met, refers to the LADO inside the deadline, records the advice (suspension not advised),
the outcome "unsubstantiated" and closes it; the colleague then signs in and finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from incidents.models import Allegation, Concern
from people.models import Role

from ..factories import TEST_PASSWORD, SchoolFactory, make_user
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


POSTS = "Casey posted a photo of a pupil from our class on a public Facebook page, with his first name."


def _sign_out(page):
    # The sign-out button's place in the shared header may change; ending the sign-in is what matters.
    page.context.clear_cookies()


def _confirm(page, button, name):
    """The confirmation step: check the summary, then confirm with the keyboard."""
    expect(page.get_by_role("heading", name=re.compile("^(Check|" + re.escape(name) + ")"))).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def _answer(page, question, answer):
    page.get_by_role("group", name=re.compile(re.escape(question))).get_by_label(answer, exact=True).check()


def test_a_disclosure_from_report_to_closure_and_the_subject_finds_nothing(page, settings):
    settings.PORTAL_REQUIRE_2FA = False
    school = SchoolFactory(name="Larch School", code="larch")
    teacher = make_user(Role.CLASS_TEACHER, Role.STAFF, school=school, first_name="Tom", last_name="Fletcher")
    slt = make_user(Role.SLT, Role.STAFF, school=school, first_name="Dan", last_name="Price")
    make_user(Role.DSL, Role.STAFF, school=school, first_name="Grace", last_name="Adeyemi")
    make_user(Role.EXECUTIVE_HEAD, federation=school.federation, first_name="Helen", last_name="Marsh")
    # The colleague holds SLT rights too: blindness must hold whatever their role.
    subject = make_user(Role.SLT, Role.STAFF, school=school, first_name="Casey", last_name="Colleague")

    # --- The teacher reports it, from the navigation, and is thanked. ---
    sign_in(page, teacher.username, TEST_PASSWORD)
    check_axe(page, "allegation-teacher-dashboard")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    nav_click(page, "Report a concern")
    expect(page.get_by_role("heading", name="Report a concern")).to_be_visible()
    check_axe(page, "allegation-report-form")

    page.get_by_label(
        "An adult who works at the school is using social media in a way that worries me"
    ).check()
    page.get_by_role("button", name="Check my report").click()
    # In the summary, linked to the field, and against the field itself.
    expect(page.get_by_role("link", name="Choose the adult this is about.")).to_be_visible()
    expect(page.locator("#error_1_id_subject")).to_have_text("Choose the adult this is about.")
    check_axe(page, "allegation-report-form-errors")

    page.get_by_label("Who is it about?").select_option(label="Casey Colleague (member of staff)")
    page.get_by_label("What happened?").fill(POSTS)
    page.get_by_label("Facebook").check()
    page.get_by_role("button", name="Check my report").click()
    expect(page.get_by_text(POSTS)).to_be_visible()
    _confirm(page, "Send the report", "Check your report")
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    # Casey is of the senior leadership team: the report went to the rest of the team and the heads.
    expect(
        page.get_by_text(re.compile("Your report is about someone who would usually receive it"))
    ).to_be_visible()
    check_axe(page, "allegation-report-thanks")
    page.get_by_role("link", name="My reports").click()
    expect(page.get_by_text("Received: waiting for the safeguarding team")).to_be_visible()
    check_axe(page)
    _sign_out(page)

    # --- SLT records it as an allegation. ---
    sign_in(page, slt.username, TEST_PASSWORD)
    check_axe(page, "allegation-slt-dashboard")
    page.get_by_role("link", name="Look at the reports").click()
    check_axe(page, "allegation-concern-list")
    page.get_by_role("link", name=re.compile(r"^CON-\d+")).first.click()
    expect(page.get_by_text("A member of staff", exact=False).first).to_be_visible()
    expect(page.get_by_text("Tom Fletcher")).to_have_count(0)
    check_axe(page, "allegation-concern-detail")
    page.get_by_role("link", name="Record as an allegation").click()
    expect(page.get_by_role("heading", name="Record an allegation about an adult")).to_be_visible()
    check_axe(page, "allegation-record-form")
    page.get_by_label("Who received it?").select_option(label="Dan Price (member of staff)")
    page.get_by_label(re.compile("discussed school matters")).check()
    page.get_by_role("button", name="Check and record").click()
    _confirm(page, "Record the allegation", "Check the allegation")
    expect(page.get_by_role("heading", name=re.compile(r"Allegation ALG-\d+"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"LADO referral due in"))).to_be_visible()
    check_axe(page, "allegation-case-recorded")

    # --- The harm threshold is met. ---
    page.get_by_role("link", name="Assess the harm threshold").click()
    check_axe(page, "allegation-assess")
    _answer(page, "harmed a child", "Yes")
    _answer(page, "criminal offence", "No")
    _answer(page, "risk of harm", "No")
    _answer(page, "not be suitable", "No")
    page.get_by_label("How the tests were judged").fill("A pupil's photo and name were published.")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Record the assessment", "Assess the harm threshold")
    expect(page.get_by_text("Threshold met: the case goes to the LADO.")).to_be_visible()

    # --- Referred to the LADO inside the deadline. ---
    page.get_by_role("link", name="Record the LADO referral").click()
    check_axe(page, "allegation-refer")
    page.get_by_role("radio", name="Phone").check()
    page.get_by_label("LADO's name").fill("Jo Whitfield")
    page.get_by_label("LADO's phone number or email address").fill("020 7946 0000")
    page.get_by_label("The LADO's reference").fill("LADO/26/114")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Record the referral", "Record the referral to the LADO")
    expect(page.get_by_text("The referral to the LADO was recorded.")).to_be_visible()
    expect(page.get_by_text("after the deadline")).to_have_count(0)

    # --- The LADO advises: no suspension. Held steps are now allowed. ---
    page.get_by_role("link", name="Record the LADO's advice").click()
    check_axe(page, "allegation-advice")
    page.get_by_label("The advice").fill("Investigate internally under the code of conduct.")
    _answer(page, "police involved", "No")
    _answer(page, "strategy meeting", "No")
    _answer(page, "advise suspension", "No")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Record the advice", "Record the LADO's advice")
    expect(page.get_by_text("The LADO's advice was recorded.")).to_be_visible()

    page.get_by_role("link", name="Start the investigation").click()
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Start the investigation", "Start the investigation")

    # --- Outcome: unsubstantiated; then closed. ---
    page.get_by_role("link", name="Record the outcome").click()
    check_axe(page, "allegation-outcome")
    page.get_by_label("Unsubstantiated").check()
    page.get_by_label("The decision and its reasons").fill("The page could not be shown to be Casey's.")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Record the outcome", "Record the outcome")
    expect(
        page.get_by_text("No: only a substantiated allegation may be cited in an employer reference")
    ).to_be_visible()
    check_axe(page, "allegation-outcome-recorded")

    page.get_by_role("link", name="Close the case").click()
    page.get_by_label("Closing note").fill("Outcome shared with Casey and the LADO.")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Close the case", "Close the case")
    expect(page.get_by_text("The case was closed.")).to_be_visible()
    check_axe(page, "allegation-closed")
    page.get_by_role("link", name="Print the chronology").click()
    expect(page.get_by_role("heading", name=re.compile("chronology"))).to_be_visible()
    check_axe(page, "allegation-print")
    page.goto("/incidents/allegations/")
    check_axe(page, "allegation-list")
    _sign_out(page)

    case = Allegation.objects.get()
    assert case.status == Allegation.Status.CLOSED and case.outcome == "unsubstantiated"
    assert case.suspension_advised is False and case.referred_at <= case.referral_due_at
    assert Concern.objects.get().status == Concern.Status.CLOSED

    # --- The colleague signs in and finds nothing. ---
    sign_in(page, subject.username, TEST_PASSWORD)
    check_axe(page, "allegation-subject-dashboard")
    expect(page.get_by_text(case.reference)).to_have_count(0)
    nav_click(page, "LADO referrals")
    expect(page.get_by_text("0 cases.")).to_be_visible()
    check_axe(page, "allegation-subject-list")
    page.goto(case.get_absolute_url())
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    for path in [
        "/",
        "/incidents/allegations/",
        "/incidents/concerns/",
        "/notifications/",
        "/incidents/my-reports/",
    ]:
        page.goto(path)
        body = page.content()
        assert "Casey posted" not in body and case.reference not in body and "Jo Whitfield" not in body


def test_the_dsls_other_case_pages_are_axe_clean(page, settings):
    """Notes, files (with a refused file), a held step refused before advice, the reporter revealed,
    low-level reviews, closing a report and the pupil-incident entry point."""
    from datetime import timedelta

    from django.utils import timezone

    from incidents import services
    from incidents.models import ConcernCategory, Source

    settings.PORTAL_REQUIRE_2FA = False
    school = SchoolFactory(name="Larch School", code="larch")
    dsl = make_user(Role.DSL, Role.STAFF, school=school, first_name="Grace", last_name="Adeyemi")
    reporter = make_user(Role.STAFF, school=school, first_name="Rowan", last_name="Witness")
    subject = make_user(Role.STAFF, school=school, first_name="Amy", last_name="Collins").person
    concern = services.concern_submit(
        actor=reporter,
        school=school,
        category=ConcernCategory.ADULT_CONDUCT,
        subject=subject,
        what_happened="Seen.",
    )
    case = services.allegation_record(
        actor=dsl,
        school=school,
        received_at=timezone.now() - timedelta(hours=1),
        received_by=dsl.person,
        source=Source.STAFF,
        subject=subject,
        what_happened="Seen.",
        concern=concern,
    )
    for days in (100, 50, 10):
        low = services.allegation_record(
            actor=dsl,
            school=school,
            received_at=timezone.now() - timedelta(days=days),
            received_by=dsl.person,
            source=Source.ANONYMOUS,
            subject=subject,
            what_happened="Minor.",
        )
        services.allegation_assess_harm(
            actor=dsl,
            allegation=low,
            harm_to_child=False,
            criminal_offence=False,
            risk_to_children=False,
            unsuitable_to_work=False,
            rationale="Below the threshold.",
        )
    waiting = services.concern_submit(
        actor=reporter,
        school=school,
        category=ConcernCategory.WORKING_DAY_USE,
        what_happened="Phones at lunch.",
    )

    sign_in(page, dsl.username, TEST_PASSWORD)
    page.goto(case.get_absolute_url())
    check_axe(page, "allegation-dsl-case")
    page.get_by_role("button", name="Show the reporter").click()
    expect(page.get_by_text("Rowan Witness")).to_be_visible()
    check_axe(page, "allegation-reporter-revealed")
    page.get_by_role("link", name=f"Back to {case.reference}").click()

    page.get_by_role("link", name="Add a note").click()
    check_axe(page, "allegation-note")
    page.get_by_role("textbox", name="Note").fill("Spoke to the LADO's office.")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("The note was added.")).to_be_visible()

    page.get_by_role("link", name="Add a file").click()
    check_axe(page, "allegation-file")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "holiday.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00" + bytes(64)}]
    )
    page.get_by_label(re.compile("I confirm this file belongs to this case")).check()
    page.get_by_role("button", name="Add the file").click()
    expect(page.get_by_role("link", name=re.compile("This file is a program, not evidence"))).to_be_visible()
    expect(page.locator("#error_1_id_file")).to_contain_text("This file is a program, not evidence")
    expect(page.get_by_text(re.compile("holiday.png was not added"))).to_be_visible()
    check_axe(page, "allegation-file-refused")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "transcript.txt", "mimeType": "text/plain", "buffer": b"What the post said."}]
    )
    page.get_by_label(re.compile("I confirm this file belongs to this case")).check()
    page.get_by_role("button", name="Add the file").click()
    expect(page.get_by_role("link", name="transcript.txt")).to_be_visible()

    page.get_by_role("link", name="Record a step taken").click()
    check_axe(page, "allegation-held-step")
    page.get_by_label("Suspension of the member of staff").check()
    page.get_by_label("When").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Continue").click()
    # A problem of the whole form: in the summary, which has the focus, and above the fields.
    held = re.compile("cannot be recorded yet: §9 holds it until the LADO has advised")
    expect(page.get_by_role("alert").filter(has_text="There is a problem").get_by_text(held)).to_be_visible()
    expect(page.get_by_text(held)).to_have_count(2)
    check_axe(page, "allegation-held-step-refused")

    page.goto("/incidents/low-level/")
    check_axe(page, "allegation-low-level-list")
    page.get_by_role("link", name="Review Amy Collins").click()
    check_axe(page, "allegation-low-level-review")
    page.get_by_label("What the review found and what follows").fill("A pattern: guidance and training.")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Record the review", "Record the review")
    expect(page.get_by_text("Reviewed")).to_be_visible()

    page.goto(waiting.get_absolute_url())
    check_axe(page, "allegation-concern-waiting")
    page.get_by_role("link", name="Close with a note").click()
    check_axe(page, "allegation-concern-close")
    page.get_by_label("What was done").fill("Reminded the class of the phone rules.")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Close the report", "Close report")
    expect(page.get_by_text(re.compile(r"Report CON-\d+ was closed."))).to_be_visible()

    page.goto("/incidents/pupils/")
    check_axe(page, "allegation-pupil-entry-point")
    page.goto(reverse_print(case))
    check_axe(page)


def reverse_print(case):
    from django.urls import reverse

    return reverse("incidents:allegation_print", args=[case.pk])
