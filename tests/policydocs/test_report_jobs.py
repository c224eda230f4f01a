"""Large PDFs are made by a Celery task while the page shows progress, then offered for download:
only to the reader who asked, only while they may still run the report."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from people.models import Role, RoleAssignment
from policydocs.reports import files
from policydocs.reports import services as report_services
from policydocs.reports.models import JobStatus, ReportJob

from ..factories import make_user
from .reportdata import make_service, pdf_text, response_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(school, staff_user, head_user, settings):
    settings.POLICYDOCS_PDF_BACKGROUND_ROWS = 2
    for n in range(3):
        make_service(school, staff_user, head_user, title=f"Service {n}", account=f"larch.{n}")


def _start(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(reverse("policydocs:report_export", args=["approved_services", "pdf"]))


def test_a_large_pdf_is_made_in_the_background_then_downloaded(
    client, office_user, register, django_capture_on_commit_callbacks
):
    client.force_login(office_user)

    started = _start(client, django_capture_on_commit_callbacks)

    job = ReportJob.objects.get()
    assert started.status_code == 302 and started["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.rows == 3
    page = client.get(job.get_absolute_url())
    assert b"Download the PDF" in page.content and b"report-job.js" in page.content
    status = client.get(reverse("policydocs:report_job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == reverse("policydocs:report_job_download", args=[job.pk])

    download = client.get(status["download_url"])

    assert download["Content-Type"] == "application/pdf"
    assert (
        "attachment" in download["Content-Disposition"]
        and "approved-services" in download["Content-Disposition"]
    )
    text = pdf_text(response_bytes(download))
    assert "Service 0" in text and "Service 2" in text
    generated = AuditEvent.objects.get(action="policydocs.report.generate")
    assert generated.data["format"] == "pdf" and generated.data["background"] is True
    assert generated.data["job"] == str(job.pk)
    assert AuditEvent.objects.filter(action="policydocs.report.download", actor=office_user).count() == 1


def test_the_file_is_kept_outside_any_served_path(
    client, office_user, register, settings, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    _start(client, django_capture_on_commit_callbacks)

    job = ReportJob.objects.get()
    path = files.path_for(job.file_name)
    assert path.is_file() and path.parent == settings.MEDIA_ROOT / "reports"
    with pytest.raises(ValueError):
        files.path_for("../secrets.pdf")


def test_progress_is_visible_while_the_pdf_is_made(
    client, office_user, register, django_capture_on_commit_callbacks
):
    seen = {}

    def slow_pdf(result, progress=None):
        progress(50, "Laying out 3 pages")
        job = ReportJob.objects.get()
        seen.update(status=job.status, progress=job.progress, stage=job.stage)
        seen["json"] = client.get(reverse("policydocs:report_job_status", args=[job.pk])).json()
        return b"%PDF-1.7 test"

    client.force_login(office_user)
    with mock.patch.object(report_services, "to_pdf", slow_pdf):
        _start(client, django_capture_on_commit_callbacks)

    assert (
        seen["status"] == JobStatus.RUNNING
        and seen["progress"] == 50
        and seen["stage"] == "Laying out 3 pages"
    )
    assert seen["json"]["status"] == "running" and seen["json"]["download_url"] is None


def test_someone_else_cannot_see_or_download_the_file(
    client, office_user, register, school, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    _start(client, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    colleague = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)
    client.force_login(colleague)

    for name in ("report_job", "report_job_status", "report_job_download"):
        assert client.get(reverse(f"policydocs:{name}", args=[job.pk])).status_code == 404


def test_a_reader_who_lost_the_role_can_no_longer_download(
    client, office_user, register, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    _start(client, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    RoleAssignment.objects.filter(person=office_user.person, role=Role.OFFICE_ADMIN).delete()
    client.force_login(office_user)

    assert client.get(reverse("policydocs:report_job_download", args=[job.pk])).status_code == 404


def test_with_the_broker_down_the_page_says_so(
    client, office_user, register, django_capture_on_commit_callbacks
):
    from policydocs import tasks

    client.force_login(office_user)
    with mock.patch.object(tasks.report_pdf_task, "delay", side_effect=ConnectionError("down")):
        _start(client, django_capture_on_commit_callbacks)

    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED
    page = client.get(job.get_absolute_url())
    assert b"The report service is not available just now. Try again in a few minutes." in page.content


def test_a_failure_while_making_the_pdf_is_shown_not_hidden(
    client, office_user, register, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    with mock.patch.object(report_services, "to_pdf", side_effect=RuntimeError("layout")):
        _start(client, django_capture_on_commit_callbacks)

    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.error == "The report could not be made. Try again; if it fails again, tell the office."
    assert client.get(reverse("policydocs:report_job_download", args=[job.pk])).status_code == 404


def test_a_repeated_task_does_nothing(client, office_user, register, django_capture_on_commit_callbacks):
    client.force_login(office_user)
    _start(client, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()

    assert report_services.report_job_run(job.pk) == "skipped"


def test_files_are_deleted_after_the_keeping_period(
    client, office_user, register, settings, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    _start(client, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    path = files.path_for(job.file_name)

    assert files.delete_expired(timezone.now()) == 0
    assert (
        files.delete_expired(timezone.now() + timedelta(days=settings.POLICYDOCS_REPORT_FILE_DAYS + 1)) == 1
    )

    job.refresh_from_db()
    assert job.status == JobStatus.EXPIRED and not path.exists()
    assert client.get(reverse("policydocs:report_job_download", args=[job.pk])).status_code == 404


def test_a_small_pdf_comes_straight_back(client, office_user, school, staff_user, head_user):
    make_service(school, staff_user, head_user, title="Only one", account="larch.one")
    client.force_login(office_user)

    response = client.get(reverse("policydocs:report_export", args=["approved_services", "pdf"]))

    assert response["Content-Type"] == "application/pdf"
    assert not ReportJob.objects.exists()
    event = AuditEvent.objects.get(action="policydocs.report.generate")
    assert event.data["format"] == "pdf" and "background" not in event.data


NOTICE = b"This report is long: its PDF is made in the background"


@pytest.mark.parametrize(("limit", "in_background"), [(2, True), (3, False)])
def test_the_page_says_the_pdf_is_made_in_the_background_only_when_it_is(
    client, office_user, register, settings, django_capture_on_commit_callbacks, limit, in_background
):
    """Three rows: over a limit of two the PDF is made by the task, and the page says so; at a limit of
    three it is made at once, and the page says nothing about the background."""
    settings.POLICYDOCS_PDF_BACKGROUND_ROWS = limit
    client.force_login(office_user)

    page = client.get(reverse("policydocs:report", args=["approved_services"]))
    download = _start(client, django_capture_on_commit_callbacks)

    assert (NOTICE in page.content) is in_background
    assert ReportJob.objects.exists() is in_background
    if in_background:
        assert (
            download.status_code == 302 and download["Location"] == ReportJob.objects.get().get_absolute_url()
        )
    else:
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
