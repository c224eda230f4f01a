"""A subject access request in a real browser, axe-core on every page: the Executive Head finds the
request's clock on the dashboard, starts it, reviews each proposed redaction, adds a phrase of their own,
confirms the release and downloads the pack, which holds none of the redacted text."""

import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from disclosures import services
from disclosures.models import AccessRequest, RequestKind
from incidents import services as incident_services
from people.models import Role

from ..factories import TEST_PASSWORD, PupilFactory, SchoolFactory, make_user
from .conftest import check_axe, check_no_sideways_scroll, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_redaction_review_from_dashboard_to_released_pack(page, settings, tmp_path):
    from django.utils import timezone

    settings.PORTAL_REQUIRE_2FA = False
    school = SchoolFactory(name="Larch School", code="larch")
    head = make_user(Role.EXECUTIVE_HEAD, federation=school.federation, first_name="Helen", last_name="Marsh")
    dsl = make_user(Role.DSL, Role.STAFF, school=school, first_name="Grace", last_name="Adeyemi")
    pupil = PupilFactory(school=school, first_name="Ada", last_name="Penrose")
    other = PupilFactory(school=school, first_name="Zara", last_name="Quillfeather")
    incident_services.pupil_incident_record(
        actor=dsl,
        school=school,
        kind="social_media_in_day",
        pupils=[pupil, other],
        occurred_at=timezone.now() - timedelta(hours=2),
        in_school_day=True,
        location="Library",
        what_happened="Zara Quillfeather filmed the lesson near the blue holdall.",
    )
    request = services.request_record(
        actor=head, school=school, kind=RequestKind.OWN, requester=pupil, received_on=timezone.localdate()
    )

    sign_in(page, head.username, TEST_PASSWORD)
    card = page.get_by_role("link", name="Open the register")
    expect(card).to_be_visible()
    card.click()
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    check_axe(page, "sar-register")
    page.get_by_role("link", name=request.reference).click()
    check_axe(page, "sar-request")

    page.get_by_role("link", name="Start assembling").click()
    check_axe(page, "sar-step")
    page.get_by_role("button", name="Continue").click()
    check_axe(page, "sar-confirm")
    page.get_by_role("button", name="Start assembling").click()
    page.get_by_role("link", name="Propose redactions and review them").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Propose redactions and review them").click()

    page.get_by_role("link", name="Review the redactions").click()
    expect(page.get_by_role("heading", name=f"Redactions for {request.reference}")).to_be_visible()
    check_axe(page, "sar-review")
    check_no_sideways_scroll(page)
    for name in ("Zara Quillfeather", "Grace Adeyemi"):
        page.get_by_role("button", name=f"Redact: {name}").click()
        expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("Redact")
    page.get_by_label("Words to redact").fill("blue holdall")
    page.get_by_role("button", name="Add the redaction").click()
    expect(page.get_by_text("3 redactions; 0 still to decide.")).to_be_visible()
    check_axe(page, "sar-review-decided")

    page.get_by_role("link", name="Release the pack").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Release the pack?")).to_be_visible()
    check_axe(page, "sar-release-confirm")
    page.get_by_role("button", name="Release the pack").click()
    expect(page.get_by_text(f"Request {request.reference}: released.")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name=f"{request.reference}.pdf").click()
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode().split()
    )
    assert "Ada Penrose" in text and "[redacted: other pupil]" in text
    for gone in ("Quillfeather", "Adeyemi", "holdall"):
        assert gone not in text
    assert AccessRequest.objects.get(pk=request.pk).status == AccessRequest.Status.RELEASED
