"""Generating reports: every one is audited ("policydocs.report.generate", with the report, the
format and the filters); a large PDF is made by a Celery task that records its progress."""

import logging
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record

from . import files, registry
from .base import Filters, Report, ReportResult
from .models import JobStatus, ReportJob
from .output import to_pdf

log = logging.getLogger(__name__)

FORMATS = ("html", "csv", "pdf")


def _audit(*, actor, report: Report, fmt: str, filters: Filters, target, rows: int, extra=None) -> None:
    data = {"report": report.key, "format": fmt, "filters": filters.for_audit(), "rows": rows}
    if target is not None:
        data["target"] = target.pk
    data.update(extra or {})
    audit_record(
        actor=actor,
        action="policydocs.report.generate",
        target=target,
        school=filters.school if filters.school is not None else getattr(target, "school_id", None),
        data=data,
    )


@transaction.atomic
def report_generate(
    *, actor, report: Report, filters: Filters, fmt: str, target=None, page=None
) -> ReportResult:
    """Build the report for `actor` and audit it. The reader's access is checked again here.

    `page` (the HTML page's "page" parameter, None for every row) is given to a paged report only;
    the audit event then records the page shown, and as `rows` every row the filters match."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}.")
    if not report.allowed(actor):
        raise PermissionDenied
    if report.paged and page is not None:
        result = report.build(actor, filters, target, page=page)
    else:
        result = report.build(actor, filters, target)
    extra = dict(result.audit_extra)
    if result.page_number is not None:
        extra["page"] = result.page_number
    _audit(
        actor=actor,
        report=report,
        fmt=fmt,
        filters=filters,
        target=target,
        rows=result.rows,
        extra=extra,
    )
    return result


@transaction.atomic
def report_record(
    *, actor, report: Report, filters: Filters, fmt: str, result: ReportResult, target=None
) -> None:
    """Audit a report already built for `actor` (a PDF whose size decided how it is made)."""
    if not report.allowed(actor):
        raise PermissionDenied
    _audit(
        actor=actor,
        report=report,
        fmt=fmt,
        filters=filters,
        target=target,
        rows=result.rows,
        extra=result.audit_extra,
    )


def needs_background(result: ReportResult) -> bool:
    return result.rows > settings.POLICYDOCS_PDF_BACKGROUND_ROWS


# --- Background PDFs ----------------------------------------------------------------------------------


@transaction.atomic
def report_job_start(*, actor, report: Report, filters: Filters, target=None, rows: int = 0) -> ReportJob:
    """Queue a PDF to be made in the background (after commit) and audit the request."""
    if not report.allowed(actor):
        raise PermissionDenied
    job = ReportJob.objects.create(
        user=actor,
        report=report.key,
        target_id=target.pk if target is not None else None,
        filters=filters.for_audit(),
        rows=rows,
        stage="Waiting to start",
        download_name=f"{report.file_stem(filters, target)}.pdf",
    )
    _audit(
        actor=actor,
        report=report,
        fmt="pdf",
        filters=filters,
        target=target,
        rows=rows,
        extra={"job": str(job.pk), "background": True},
    )
    transaction.on_commit(partial(_dispatch, job.pk), robust=True)
    return job


def _dispatch(job_id) -> None:
    # Looked up by name in Celery's registry (policydocs.extensions imports the tasks at start-up): the
    # tasks module imports this one.
    report_pdf_task = current_app.tasks["policydocs.tasks.report_pdf_task"]
    try:
        report_pdf_task.delay(str(job_id))
    except Exception as exc:  # the broker is down: say so on the job's page rather than wait forever
        log.warning("report job %s not queued (%s)", job_id, type(exc).__name__)
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            error="The report service is not available just now. Try again in a few minutes.",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )


def _progress(job_id, percent: int, stage: str) -> None:
    ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        progress=percent, stage=stage[:100], updated_at=timezone.now()
    )


def _fail(job_id, message: str) -> None:
    ReportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=message[:300], finished_at=timezone.now(), updated_at=timezone.now()
    )


def report_job_run(job_id) -> str:
    """Make the job's PDF (called by the task). Claims the job first, so a repeated message does
    nothing; checks the reader's access again, since they may have lost it since asking."""
    now = timezone.now()
    claimed = ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, progress=5, stage="Collecting the records", updated_at=now
    )
    if not claimed:
        return "skipped"
    job = ReportJob.objects.select_related("user").get(pk=job_id)
    report = registry.get(job.report)
    user = job.user
    if report is None or not user.is_active or not report.allowed(user):
        _fail(job.pk, "You may no longer run this report.")
        return "refused"
    try:
        filters = Filters.from_stored(job.filters, report.schools(user))
        target = None
        if report.per_record:
            target = report.target(user, job.target_id)
            if target is None:
                _fail(job.pk, "The record is no longer one you may see.")
                return "refused"
        result = report.build(user, filters, target)
        data = to_pdf(result, progress=partial(_progress, job.pk))
        file_name = f"{job.pk}.pdf"
        files.store(file_name, data)
    except LookupError:
        _fail(job.pk, "The school chosen is no longer one you may report on.")
        return "refused"
    except Exception as exc:  # any failure is shown on the job's page; the log names the class only
        log.error("report job %s failed (%s)", job.pk, type(exc).__name__)
        _fail(job.pk, "The report could not be made. Try again; if it fails again, tell the office.")
        return "failed"
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        stage="Ready",
        rows=result.rows,
        file_name=file_name,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return "done"


@transaction.atomic
def report_job_download(*, actor, job: ReportJob) -> None:
    """Audit that the reader downloaded a background PDF (the view sends the file)."""
    audit_record(
        actor=actor,
        action="policydocs.report.download",
        school=job.filters.get("school") if isinstance(job.filters, dict) else None,
        data={"report": job.report, "job": str(job.pk), "format": "pdf"},
    )
