"""The portal's four main journeys, each from the sign-in page, in a real browser with axe-core on every
page visited. Roles that need a second factor pass the real two-step sign-in with a code from their
authenticator.

1. A member of staff reports a colleague's social media use (§9), is thanked, finds it on "My reports",
   and the DSL finds it waiting.
2. The Executive Head reads a Head of School's proposal for a school social media service (§5, §6),
   approves it with a condition and a review date, and finds it on the register.
3. A member of the senior leadership team records a parent's disclosure about an adult and follows it
   to closure: LADO referral inside the deadline, the LADO's advice, investigation, outcome, closure (§9).
4. An office admin prints the incident summary for one school as a PDF.

With PORTAL_SCREENSHOTS=1 each journey saves its key pages to docs/screenshots/ (the README shows
them); otherwise nothing is written there.
"""

import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from approvals.models import Proposal, ProposalStatus
from core.vocabulary import Platform
from incidents.models import Allegation, Concern, ConcernCategory
from people.models import Membership, Role, RoleAssignment

from ..factories import TEST_PASSWORD, PersonFactory, SchoolFactory, make_user
from ..policydocs.reportdata import pdf_text
from .conftest import check_axe, nav_click

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}


def _screenshot(page, name: str) -> None:
    """Save what the user sees now as docs/screenshots/<name>.png, only when asked to."""
    if os.environ.get("PORTAL_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # the top of the page: its heading and what matters most
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    _shrink(path)


def _shrink(path: Path) -> None:
    """Fewer colours: a page of text and flat boxes reads the same and the file is a third the size."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=0)
    small.save(path, optimize=True)


@pytest.fixture
def open_browser(browser, live_server):
    """A fresh browser window (its own cookies) at the portal's address, closed after the test."""
    contexts = []

    def open_one():
        context = browser.new_context(
            locale="en-GB", timezone_id="Europe/London", base_url=live_server.url, viewport=VIEWPORT
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture
def larchwood(settings):
    settings.PORTAL_REQUIRE_2FA = True
    return SchoolFactory(name="Larchwood School", code="larchwood")


def _person(username, first, last, *roles, school=None, federation=None):
    """A sign-in named as the demo data names it."""
    user = make_user(*roles, school=school, federation=federation, first_name=first, last_name=last)
    user.username, user.first_name, user.last_name = username, first, last
    user.email = f"{username}@larchwood.example.org"
    user.save()
    return user


def _authenticator(user):
    """The authenticator app the user set up: a confirmed TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def _code(device) -> str:
    from django_otp.oath import totp

    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def _sign_in(page, user, device=None, screenshot: str | None = None) -> None:
    """The sign-in form, then (for roles that need it) the second step with the authenticator's code."""
    page.goto("/account/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    check_axe(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        token = page.get_by_label("Token")
        expect(token).to_be_visible()
        expect(page.get_by_role("button", name="Continue")).to_be_visible()
        check_axe(page)
        token.fill(_code(device))
        if screenshot:
            _screenshot(page, screenshot)
        token.press("Enter")
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible()
    expect(page.get_by_role("button", name=user.get_full_name())).to_be_visible()


def _sign_out(page, user) -> None:
    """From the account menu, which bears the user's name."""
    page.get_by_role("button", name=user.get_full_name(), exact=True).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def _confirm(page, heading: str, button: str) -> None:
    """The check-before-saving step: the summary, then the confirming button by keyboard."""
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")


def _answer(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=re.compile(re.escape(question))).get_by_label(answer, exact=True).check()


def _lead(page):
    return page.locator("p.lead").first


# --- 1. A member of staff files a disclosure ----------------------------------------------------------

WHAT_AMY_SAW = (
    "Jamie Rowe's public Instagram story showed our Year 8 class on the farm visit, with the school's "
    "name in the caption."
)


def test_1_a_member_of_staff_reports_a_colleague_and_the_dsl_finds_it_waiting(open_browser, larchwood):
    amy = _person("staff.larchwood", "Amy", "Collins", Role.STAFF, school=larchwood)
    grace = _person("dsl.larchwood", "Grace", "Adeyemi", Role.DSL, Role.STAFF, school=larchwood)
    grace_phone = _authenticator(grace)
    # A disclosure about an adult goes to the senior leadership team and the DSL (§9).
    _person("slt.larchwood", "Dan", "Price", Role.SLT, Role.STAFF, school=larchwood)
    PersonFactory(school=larchwood, first_name="Jamie", last_name="Rowe")

    page = open_browser()
    _sign_in(page, amy)
    check_axe(page)
    nav_click(page, "Report a concern")
    expect(page.get_by_role("heading", name="Report a concern")).to_be_visible()
    check_axe(page)

    page.get_by_label(
        "An adult who works at the school is using social media in a way that worries me"
    ).check()
    page.get_by_label("What happened?").fill(WHAT_AMY_SAW)
    page.get_by_label("Instagram").check()
    page.get_by_label("When did it happen?").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    _screenshot(page, "1-staff-report-concern")

    # She forgot to say who it is about: the form says so and keeps what she wrote.
    page.get_by_role("button", name="Check my report").click()
    # Said twice: in the summary at the top, as a link to the field, and against the field itself.
    expect(page.get_by_role("link", name="Choose the adult this is about.")).to_be_visible()
    expect(page.get_by_text("Choose the adult this is about.")).to_have_count(2)
    expect(page.get_by_label("What happened?")).to_have_value(WHAT_AMY_SAW)
    check_axe(page)
    page.get_by_label("Who is it about?").select_option(label="Jamie Rowe (member of staff)")
    page.get_by_role("button", name="Check my report").click()

    expect(page.get_by_text(WHAT_AMY_SAW)).to_be_visible()
    expect(page.get_by_text("Jamie Rowe").first).to_be_visible()
    _screenshot(page, "1-staff-check-report")
    _confirm(page, "Check your report", "Send the report")

    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Your report CON-\d+ was received on"))
    expect(
        page.get_by_text("The senior leadership team and the designated safeguarding lead have been told")
    ).to_be_visible()
    check_axe(page)
    _screenshot(page, "1-staff-report-thanks")

    page.get_by_role("link", name="My reports").first.click()
    expect(page.get_by_role("heading", name="My reports")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(r"CON-\d+"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Larchwood School")
    expect(row).to_contain_text("Received: waiting for the safeguarding team")
    expect(row).not_to_contain_text("Jamie Rowe")
    check_axe(page)
    _screenshot(page, "1-staff-my-reports")
    _sign_out(page, amy)

    # --- The DSL signs in with her authenticator and finds the report waiting. ---
    _sign_in(page, grace, grace_phone)
    card = page.get_by_role("region", name="Reported concerns")
    expect(card).to_contain_text("Reports from staff waiting for the safeguarding team.")
    expect(card.locator(".card-count")).to_have_text("1")
    # The notice about it reached her (by email and in the portal): nothing failed.
    expect(page.get_by_role("region", name="Failed notifications").locator(".card-count")).to_have_text("0")
    expect(page.locator("[data-unread-count]")).to_have_text("1 unread")
    check_axe(page)
    _screenshot(page, "1-dsl-dashboard")
    card.get_by_role("link", name="Look at the reports").click()

    expect(page.get_by_role("heading", name="Reported concerns")).to_be_visible()
    expect(page.get_by_text("1 report.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(r"CON-\d+"))
    expect(row).to_contain_text("Jamie Rowe")
    expect(row).to_contain_text("Received")
    check_axe(page)
    _screenshot(page, "1-dsl-reported-concerns")
    row.get_by_role("link").click()

    expect(page.get_by_role("heading", name=re.compile(r"CON-\d+"))).to_be_visible()
    expect(page.get_by_text(WHAT_AMY_SAW)).to_be_visible()
    expect(page.get_by_text("Amy Collins")).to_have_count(0)  # who reported it stays sealed
    expect(page.get_by_role("link", name="Record as an allegation")).to_be_visible()
    check_axe(page)

    concern = Concern.objects.get()
    assert concern.status == Concern.Status.RECEIVED and concern.reported_by == amy
    assert concern.category == ConcernCategory.ADULT_CONDUCT and concern.subject.last_name == "Rowe"


# --- 2. The Executive Head approves a proposal ---------------------------------------------------------


def _submitted_proposal(school, head):
    from approvals.services import proposal_drafts, proposals

    proposal = proposal_drafts.proposal_create(
        actor=head,
        school=school,
        moderators=[head.person],
        title="Larchwood sports news",
        platform=Platform.FACEBOOK,
        account="facebook.com/larchwoodsports",
        purpose="Match results and photos of sports day for families, with consent for every photo.",
        hosting="third_party",
        audience_parents=True,
        moderation_plan="The PE lead drafts each post; the Head of School checks it before it goes up.",
        safeguard_comment_moderation=True,
        safeguard_privacy_settings=True,
        safeguard_no_personal_details=True,
        safeguard_image_consent=True,
    )
    return proposals.proposal_submit(actor=head, proposal=proposal, terms_confirmed=True)


def test_2_the_executive_head_approves_a_school_social_media_service(open_browser, larchwood):
    priya = _person("head.larchwood", "Priya", "Shah", Role.HEAD_OF_SCHOOL, Role.STAFF, school=larchwood)
    helen = _person("exec.head", "Helen", "Marsh", Role.EXECUTIVE_HEAD, federation=larchwood.federation)
    helen_phone = _authenticator(helen)
    _submitted_proposal(larchwood, priya)
    review_on = timezone.localdate() + timedelta(days=365)

    page = open_browser()
    _sign_in(page, helen, helen_phone)
    card = page.get_by_role("region", name="Awaiting your decision")
    expect(card.locator(".card-count")).to_have_text("1")
    check_axe(page)
    _screenshot(page, "2-executive-dashboard")
    card.get_by_role("link", name="Decide on proposals").click()

    expect(page.get_by_role("heading", name="Proposals awaiting your decision")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Larchwood sports news"))
    expect(row).to_contain_text("Larchwood School")
    expect(row).to_contain_text("Facebook")
    expect(row).to_contain_text("Priya Shah")
    check_axe(page)
    row.get_by_role("link", name="Larchwood sports news").click()

    # She reads the proposal, then decides.
    expect(page.get_by_role("heading", name="Decide on “Larchwood sports news”")).to_be_visible()
    expect(page.get_by_text("facebook.com/larchwoodsports")).to_be_visible()
    expect(page.get_by_text("The PE lead drafts each post")).to_be_visible()
    check_axe(page)
    _screenshot(page, "2-executive-reads-proposal")

    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Choose a decision.")).to_be_visible()
    expect(page.get_by_text("Choose a decision.")).to_have_count(2)
    check_axe(page)

    page.get_by_label("Approve", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("Conditions (when approving)").fill("Comments switched off; no pupil is named.")
    page.get_by_label("Review date (when approving)").fill(review_on.isoformat())
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Confirm your decision")).to_be_visible()
    expect(page.get_by_text("Comments switched off; no pupil is named.")).to_be_visible()
    check_axe(page)
    _screenshot(page, "2-executive-confirms")
    page.get_by_role("button", name="Confirm decision").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Larchwood sports news is approved. The proposer has been told.")).to_be_visible()
    expect(page.locator(".lead .badge")).to_have_text("Approved")
    check_axe(page)
    _screenshot(page, "2-executive-approved")

    nav_click(page, "Approved services")
    row = page.get_by_role("row", name=re.compile("Larchwood sports news"))
    expect(row).to_contain_text("facebook.com/larchwoodsports")
    expect(row).to_contain_text("Comments switched off; no pupil is named.")
    expect(row).to_contain_text("Approved")
    check_axe(page)
    _screenshot(page, "2-approved-services-register")

    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.APPROVED and proposal.decided_by == helen
    assert proposal.review_date == review_on


# --- 3. SLT tracks a LADO referral to closure ----------------------------------------------------------

WHAT_THE_PARENT_SAID = (
    "Mrs Evans phoned: her son, in Year 10, has had friend requests and private messages on Instagram "
    "from an account she believes is Chris Doyle's."
)


def _step(page, link: str, heading: str) -> None:
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    check_axe(page)


def test_3_slt_follows_a_lado_referral_to_closure(open_browser, larchwood):
    daniel = _person("slt.larchwood", "Daniel", "Price", Role.SLT, Role.STAFF, school=larchwood)
    daniel_phone = _authenticator(daniel)
    PersonFactory(school=larchwood, first_name="Chris", last_name="Doyle")

    page = open_browser()
    _sign_in(page, daniel, daniel_phone, screenshot="3-slt-two-factor")
    card = page.get_by_role("region", name="LADO referrals")
    expect(card).to_contain_text("0 open cases.")
    check_axe(page)
    nav_click(page, "LADO referrals")
    expect(page.get_by_role("heading", name="LADO referrals")).to_be_visible()
    expect(page.get_by_text("0 cases.")).to_be_visible()
    check_axe(page)

    # --- Recorded: the LADO referral is due within one working day. ---
    page.get_by_role("link", name="Record an allegation").click()
    expect(page.get_by_role("heading", name="Record an allegation about an adult")).to_be_visible()
    check_axe(page)
    page.get_by_label("Who received it?").select_option(label="Daniel Price (member of staff)")
    page.get_by_label("Where did the disclosure come from?").select_option(label="A parent or carer")
    page.get_by_label("Their name, if they are not in the registry").fill("Mrs Evans")
    page.get_by_label("Who is the allegation about?").select_option(label="Chris Doyle (member of staff)")
    page.get_by_label("Instagram").check()
    page.get_by_label("What was seen or said").fill(WHAT_THE_PARENT_SAID)
    _screenshot(page, "3-slt-record-allegation")
    page.get_by_role("button", name="Check and record").click()
    _confirm(page, "Check the allegation", "Record the allegation")

    expect(page.get_by_role("heading", name=re.compile(r"Allegation ALG-\d+"))).to_be_visible()
    expect(_lead(page)).to_contain_text("Recorded · about Chris Doyle · Larchwood School")
    deadline = page.get_by_role("status").filter(has_text="LADO referral due in")
    expect(deadline).to_contain_text("(one working day from receipt)")
    page.get_by_role("button", name="Record that the process was explained").click()
    expect(
        page.get_by_text(re.compile("The process was explained to the parent or carer on"))
    ).to_be_visible()
    check_axe(page)
    _screenshot(page, "3-slt-case-recorded")

    nav_click(page, "LADO referrals")
    row = page.get_by_role("row", name=re.compile(r"ALG-\d+"))
    expect(row).to_contain_text("Recorded")
    expect(row).to_contain_text(re.compile(r"Due .+ \(due in .+\)"))
    expect(row.get_by_text("Overdue")).to_have_count(0)
    check_axe(page)
    _screenshot(page, "3-slt-lado-referrals-due")
    row.get_by_role("link").click()

    # --- The harm threshold is met: the case goes to the LADO. ---
    _step(page, "Assess the harm threshold", "Assess the harm threshold")
    _answer(page, "harmed a child", "No")
    _answer(page, "criminal offence", "No")
    _answer(page, "risk of harm", "Yes")
    _answer(page, "not be suitable", "No")
    page.get_by_label("How the tests were judged").fill("Private contact with a pupil outside school.")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Assess the harm threshold", "Record the assessment")
    expect(page.get_by_text("Threshold met: the case goes to the LADO.")).to_be_visible()
    expect(_lead(page)).to_contain_text("Recorded")
    expect(page.get_by_role("status").filter(has_text="LADO referral due in")).to_be_visible()
    check_axe(page)

    # --- Referred within the deadline: the countdown gives way to the referral. ---
    _step(page, "Record the LADO referral", "Record the referral to the LADO")
    page.get_by_role("radio", name="Phone").check()
    page.get_by_label("LADO's name").fill("Sam Whitaker")
    page.get_by_label("LADO's phone number or email address").fill("01632 960 123")
    page.get_by_label("The LADO's reference").fill("LADO/2026/0417")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Record the referral to the LADO", "Record the referral")
    expect(page.get_by_text("The referral to the LADO was recorded.")).to_be_visible()
    expect(_lead(page)).to_contain_text("Referred to the LADO")
    expect(page.get_by_text(re.compile("LADO referral (due|overdue)"))).to_have_count(0)
    expect(page.get_by_text("after the deadline")).to_have_count(0)
    check_axe(page)
    _screenshot(page, "3-slt-referred")

    # --- The LADO advises: investigate, no suspension. ---
    _step(page, "Record the LADO's advice", "Record the LADO's advice")
    page.get_by_label("The advice").fill(
        "The school investigates under its code of conduct; no police action."
    )
    _answer(page, "police involved", "No")
    _answer(page, "strategy meeting", "No")
    _answer(page, "advise suspension", "No")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Record the LADO's advice", "Record the advice")
    expect(page.get_by_text("The LADO's advice was recorded.")).to_be_visible()
    expect(_lead(page)).to_contain_text("LADO advice recorded")
    check_axe(page)

    _step(page, "Start the investigation", "Start the investigation")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Start the investigation", "Start the investigation")
    expect(_lead(page)).to_contain_text("Investigating")
    check_axe(page)

    # --- The outcome, then closure. ---
    _step(page, "Record the outcome", "Record the outcome")
    page.get_by_label("Unfounded").check()
    page.get_by_label("The decision and its reasons").fill(
        "The account belongs to someone else with the same name; no link to Chris Doyle."
    )
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Record the outcome", "Record the outcome")
    expect(_lead(page)).to_contain_text("Outcome recorded")
    check_axe(page)

    _step(page, "Close the case", "Close the case")
    page.get_by_label("Closing note").fill("Outcome shared with Mrs Evans, Chris Doyle and the LADO.")
    page.get_by_role("button", name="Continue").click()
    _confirm(page, "Close the case", "Close the case")
    expect(page.get_by_text("The case was closed.")).to_be_visible()
    expect(_lead(page)).to_contain_text("Closed · about Chris Doyle")
    expect(page.get_by_role("heading", name="Next steps")).to_have_count(0)
    check_axe(page)
    _screenshot(page, "3-slt-case-closed")

    nav_click(page, "LADO referrals")
    row = page.get_by_role("row", name=re.compile(r"ALG-\d+"))
    expect(row).to_contain_text("Closed")
    expect(row).to_contain_text(re.compile(r"Referred \d+ \w+ \d{4}"))
    expect(row).to_contain_text("Unfounded")
    expect(row.get_by_text("late")).to_have_count(0)
    check_axe(page)
    _screenshot(page, "3-slt-lado-referrals-closed")

    case = Allegation.objects.get()
    assert case.status == Allegation.Status.CLOSED and case.outcome == "unfounded"
    assert case.referred_at <= case.referral_due_at and case.suspension_advised is False


# --- 4. An office admin prints a report ----------------------------------------------------------------


def test_4_an_office_admin_prints_the_incident_summary_for_one_school(open_browser, larchwood, tmp_path):
    from incidents import services

    elm_park = SchoolFactory(name="Elm Park School", code="elmpark", federation=larchwood.federation)
    sandra = _person("office.larchwood", "Sandra", "Lewis", Role.OFFICE_ADMIN, Role.STAFF, school=larchwood)
    Membership.objects.create(person=sandra.person, school=elm_park)
    RoleAssignment.objects.create(person=sandra.person, role=Role.OFFICE_ADMIN, school=elm_park)
    # Reports from staff over the last few months: one at Larchwood, four at Elm Park.
    for school, reports in [
        (larchwood, [(ConcernCategory.WORKING_DAY_USE, 40)]),
        (
            elm_park,
            [
                (ConcernCategory.WORKING_DAY_USE, 100),
                (ConcernCategory.COMMUNICATION_DOUBT, 70),
                (ConcernCategory.WORKING_DAY_USE, 35),
                (ConcernCategory.ADULT_CONDUCT, 5),
            ],
        ),
    ]:
        reporter = make_user(Role.STAFF, school=school)
        colleague = PersonFactory(school=school, first_name="Alex", last_name="Morgan")
        for category, days_ago in reports:
            concern = services.concern_submit(
                actor=reporter,
                school=school,
                category=category,
                subject=colleague if category == ConcernCategory.ADULT_CONDUCT else None,
                what_happened="Seen in the staff room.",
            )
            Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - timedelta(days=days_ago))

    page = open_browser()
    _sign_in(page, sandra)
    check_axe(page)
    nav_click(page, "Reports")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    check_axe(page)
    _screenshot(page, "4-office-reports")
    page.get_by_role("link", name="Incident summary").click()

    expect(page.get_by_role("heading", name="Incident summary")).to_be_visible()
    expect(page.locator(".report-facts dd")).to_have_text("5")
    check_axe(page)

    page.get_by_label("School", exact=True).select_option(label="Elm Park School")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".print-meta")).to_contain_text("Elm Park School")
    expect(page.locator(".report-facts dd")).to_have_text("4")
    expect(page.get_by_role("row", name="Elm Park School 4")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Larchwood School"))).to_have_count(0)
    expect(page.locator("svg[role=img]")).to_have_count(3)
    check_axe(page)
    _screenshot(page, "4-office-incident-summary")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF")
    _pdf_screenshot(saved, "4-incident-summary-pdf")
    text = pdf_text(content)
    assert "Incident summary" in text and "Elm Park School" in text
    assert "Larchwood School" not in text


def _pdf_screenshot(pdf: Path, name: str) -> None:
    """The PDF's first page as the README shows it (poppler's pdftoppm), only when asked to."""
    pdftoppm = shutil.which("pdftoppm")
    if os.environ.get("PORTAL_SCREENSHOTS") != "1" or not pdftoppm:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = SCREENSHOTS / name
    subprocess.run(  # noqa: S603 - a fixed program on a file this test wrote
        [pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=60,
    )
    _shrink(stem.with_suffix(".png"))
