"""The policy and its reports in a real browser, axe-core on every page: an office admin opens the
approved-services register, filters it by school and downloads the PDF (and a long register's PDF,
made in the background while the page shows progress); a head compares and ratifies a new version;
a teacher reads and confirms it; anyone reads the public page."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Membership, Role, RoleAssignment
from policydocs.models import Acknowledgement
from policydocs.reports import registry

from ..factories import TEST_PASSWORD, SchoolFactory, make_user
from ..policydocs.helpers import acknowledge, import_version, policy_text, ratified_version
from ..policydocs.reportdata import make_declaration, make_service, pdf_text
from .conftest import check_axe, nav_click, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Background PDFs and notices run in-process even when REDIS_URL is set."""
    from socialpolicy.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _sign_out(page):
    page.context.clear_cookies()


def test_registers_reports_ratification_and_read_and_sign(page, settings, tmp_path, monkeypatch):
    settings.PORTAL_REQUIRE_2FA = False
    larch = SchoolFactory(name="Larch School", code="larch")
    oak = SchoolFactory(name="Oak School", code="oak", federation=larch.federation)
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=larch, first_name="Sandra", last_name="Lewis")
    Membership.objects.create(person=office.person, school=oak)
    RoleAssignment.objects.create(person=office.person, role=Role.OFFICE_ADMIN, school=oak)
    head = make_user(Role.HEAD_OF_SCHOOL, Role.STAFF, school=larch, first_name="Priya", last_name="Shah")
    teacher = make_user(Role.CLASS_TEACHER, Role.STAFF, school=larch, first_name="Tom", last_name="Fletcher")
    make_service(larch, teacher, head, title="Larch news page", account="larch.news")
    make_service(oak, teacher, head, title="Oak sports page", account="oak.sports")
    for n in range(3):
        make_declaration(
            larch, make_user(Role.STAFF, school=larch, first_name=f"Staff{n}", last_name="Member")
        )
    first = ratified_version(larch.federation)
    acknowledge(teacher, first)
    import_version(larch.federation, text=policy_text().replace("Be kind online", "Be kind and fair online"))

    # --- Anyone reads the current policy without signing in. ---
    page.goto("/policy/public/")
    expect(page.get_by_role("heading", name="Test Policy")).to_be_visible()
    expect(page.get_by_text("Be kind online")).to_be_visible()
    check_axe(page, "policydocs-public")

    # --- The office admin: the approved-services register, filtered by school, as a PDF. ---
    sign_in(page, office.username, TEST_PASSWORD)
    nav_click(page, "Reports")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    check_axe(page, "policydocs-report-index")
    page.get_by_role("link", name="Approved social media services register").click()
    expect(page.get_by_role("heading", name="Approved social media services register")).to_be_visible()
    expect(page.get_by_role("cell", name="Larch news page")).to_be_visible()
    check_axe(page, "policydocs-services-register")

    page.get_by_label("School").select_option(label="Oak School")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("cell", name="Oak sports page")).to_be_visible()
    expect(page.get_by_role("cell", name="Larch news page")).to_have_count(0)
    check_axe(page, "policydocs-services-register-oak")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("approved-services-oak-")
    saved = tmp_path / "register.pdf"
    download.save_as(saved)
    text = pdf_text(saved.read_bytes())
    assert "Oak sports page" in text and "Larch news page" not in text

    # A long register's page shows one page of rows; its next page is reached from the keyboard.
    monkeypatch.setattr(registry.get("declarations"), "page_size", 2)
    page.goto("/policy/reports/declarations/")
    expect(
        page.get_by_text("Showing rows 1\u20132 of 3. The PDF and the CSV hold every row.")
    ).to_be_visible()
    check_axe(page, "policydocs-declarations-register")
    pages = page.get_by_role("navigation", name="Pages of declarations")
    pages.get_by_role("link", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Showing rows 3\u20133 of 3.")).to_be_visible()
    expect(pages.get_by_text("Page 2 of 2")).to_be_visible()
    check_axe(page, "policydocs-declarations-register-page-2")

    # A long register's PDF is made in the background; the page shows its progress, then the download.
    settings.POLICYDOCS_PDF_BACKGROUND_ROWS = 2
    page.get_by_role("link", name="Download PDF").click()
    expect(page.get_by_role("heading", name=re.compile("PDF$"))).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    expect(page.locator("#report-job-progress")).to_have_attribute("value", "100")
    check_axe(page, "policydocs-report-job")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")

    page.goto("/policy/reports/incident_summary/")
    expect(page.locator("svg[role=img]")).to_have_count(3)
    check_axe(page, "policydocs-incident-summary")
    _sign_out(page)

    # --- The head compares the draft with the current version, then ratifies it after confirming. ---
    sign_in(page, head.username, TEST_PASSWORD)
    page.goto("/policy/versions/")
    check_axe(page, "policydocs-versions")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Version 1 to version 2")).to_be_visible()
    expect(page.locator("ins").filter(has_text="and fair")).to_be_visible()
    check_axe(page, "policydocs-compare")

    page.goto("/policy/versions/")
    page.get_by_role("link", name="Version 2").click()
    check_axe(page, "policydocs-draft")
    page.get_by_role("link", name="Record its ratification").click()
    check_axe(page, "policydocs-ratify-form")
    page.get_by_label("Ratified by").fill("Resources Committee")
    page.get_by_label("Review due").fill("2099-09-01")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    expect(page.get_by_text("Version 1 will be superseded")).to_be_visible()
    check_axe(page, "policydocs-ratify-confirm")
    page.get_by_role("button", name="Ratify version 2").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Version 2 is now the current policy.")).to_be_visible()
    check_axe(page, "policydocs-ratified")
    _sign_out(page)

    # --- The teacher is asked to confirm the new version, reads it and confirms. ---
    sign_in(page, teacher.username, TEST_PASSWORD)
    card = page.get_by_role("region", name="Read and confirm the policy")
    expect(card).to_be_visible()
    card.get_by_role("link", name="Read the policy").click()
    expect(page.get_by_text("Be kind and fair online")).to_be_visible()
    check_axe(page, "policydocs-read")
    page.get_by_role("button", name="Confirm").click()
    unticked = "Tick the box to confirm that you have read and understood the policy."
    expect(page.get_by_role("link", name=unticked)).to_be_visible()
    expect(page.get_by_text(unticked)).to_have_count(2)
    check_axe(page, "policydocs-read-errors")
    page.get_by_label(re.compile("I have read and understood this version")).check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Thank you: your confirmation of Version 2 is recorded.")).to_be_visible()
    check_axe(page, "policydocs-read-confirmed")
    assert Acknowledgement.objects.filter(person=teacher.person, version__number=2).exists()
