"""Report pages: the list, each report as a page with filters and a print stylesheet, its CSV and its
A4 PDF (made in the background when large, with a progress page), and the download of a made file.

A report the reader's roles do not allow answers 403; a case the reader may not see, or a file
someone else asked for, answers 404 as if missing."""

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.viewtools import fetch_choices
from incidents import policies as incident_policies

from ..forms import ReportFilterForm
from ..reports import files, registry
from ..reports import services as report_services
from ..reports.base import Filters
from ..reports.models import ReportJob
from ..reports.output import to_csv, to_pdf
from .common import require


def _report(request, key: str):
    report = registry.get(key)
    if report is None:
        raise Http404
    require(report.allowed(request.user))
    return report


def _target(request, report, pk):
    if not report.per_record:
        if pk is not None:
            raise Http404
        return None
    target = report.target(request.user, pk)
    if target is None:
        raise Http404
    return target


_FILTER_NAMES = ("school", "date_from", "date_to")


def _form(request, report):
    """The filter form, bound to the query string, or to the report's defaults when there is none."""
    data = request.GET
    if not any(name in data for name in _FILTER_NAMES):
        start, end = report.default_dates(timezone.localdate())
        data = {"date_from": start.isoformat() if start else "", "date_to": end.isoformat() if end else ""}
    return ReportFilterForm(
        data, schools=report.schools(request.user), uses_dates=report.uses_dates, date_label=report.date_label
    )


def _filters(form) -> Filters:
    data = form.cleaned_data
    return Filters(school=data.get("school"), date_from=data.get("date_from"), date_to=data.get("date_to"))


def _urls(report, target, query: str) -> dict:
    args = [report.key] if target is None else [report.key, target.pk]
    suffix = f"?{query}" if query else ""
    page = "policydocs:report" if target is None else "policydocs:report_record"
    export = "policydocs:report_export" if target is None else "policydocs:report_record_export"
    return {
        "page": reverse(page, args=args),
        "csv": reverse(export, args=[*args, "csv"]) + suffix,
        "pdf": reverse(export, args=[*args, "pdf"]) + suffix,
    }


@require_GET
def report_index(request):
    reports = registry.reports_for(request.user)
    require(bool(reports))
    cases = None
    if any(report.per_record for report in reports) and incident_policies.is_case_team(request.user):
        cases = list(
            incident_policies.allegations_visible_to(request.user)
            .select_related("school")
            .order_by("-received_at", "-id")[:200]
        )
    return render(request, "reports/report_index.html", {"reports": reports, "cases": cases})


@require_GET
def report_page(request, key, pk=None):
    report = _report(request, key)
    target = _target(request, report, pk)
    form = _form(request, report) if not report.per_record else None
    if form is not None:
        fetch_choices(form)
    result = None
    if form is None or form.is_valid():
        filters = _filters(form) if form is not None else Filters()
        # A paged report shows one page of rows; the PDF and the CSV hold every row.
        result = report_services.report_generate(
            actor=request.user,
            report=report,
            filters=filters,
            fmt="html",
            target=target,
            page=request.GET.get("page", "1"),
        )
    # The downloads and the page links carry the filters shown (the defaults when the page was opened
    # without any).
    query = (
        urlencode({name: value for name, value in form.data.items() if value and name in _FILTER_NAMES})
        if form is not None
        else ""
    )
    return render(
        request,
        "reports/report_page.html",
        {
            "report": report,
            "target": target,
            "form": form,
            "result": result,
            "urls": _urls(report, target, query),
            # The same test the PDF download applies, so the page says "made in the background" exactly
            # when the download will be.
            "pdf_in_background": result is not None and report_services.needs_background(result),
            "query": query,
        },
    )


@require_GET
def report_export(request, key, fmt, pk=None):
    report = _report(request, key)
    target = _target(request, report, pk)
    form = _form(request, report) if not report.per_record else None
    if form is not None and not form.is_valid():
        # The page shows what is wrong with the filters, with the user's input kept.
        return redirect(f"{_urls(report, target, '')['page']}?{request.GET.urlencode()}")
    filters = _filters(form) if form is not None else Filters()
    stem = report.file_stem(filters, target)
    if fmt == "csv":
        result = report_services.report_generate(
            actor=request.user, report=report, filters=filters, fmt="csv", target=target
        )
        response = HttpResponse(to_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    if fmt != "pdf":
        raise Http404
    # A paged report counts its rows without writing them out (its first page), to decide whether the
    # PDF is made here or in the background.
    result = report.build(request.user, filters, target, page=1) if report.paged else None
    if result is None or not report_services.needs_background(result):
        result = report.build(request.user, filters, target)
    if report_services.needs_background(result):
        # A large PDF is made by a task (which rebuilds it then); the request is what is audited.
        job = report_services.report_job_start(
            actor=request.user, report=report, filters=filters, target=target, rows=result.rows
        )
        return redirect(job)
    report_services.report_record(
        actor=request.user, report=report, filters=filters, fmt="pdf", target=target, result=result
    )
    response = HttpResponse(to_pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    return response


def _own_job(request, job_id) -> ReportJob:
    job = get_object_or_404(ReportJob, pk=job_id, user=request.user)
    report = registry.get(job.report)
    if report is None or not report.allowed(request.user):
        raise Http404
    if job.target_id is not None and report.target(request.user, job.target_id) is None:
        # Made for one record: only while the reader may still see that record.
        raise Http404
    return job


@require_GET
def report_job(request, job_id):
    job = _own_job(request, job_id)
    return render(request, "reports/job_status.html", {"job": job, "report": registry.get(job.report)})


@require_GET
def report_job_status(request, job_id):
    job = _own_job(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "stage": job.stage,
            "error": job.error,
            "download_url": reverse("policydocs:report_job_download", args=[job.pk])
            if job.is_ready
            else None,
        }
    )


@require_GET
def report_job_download(request, job_id):
    job = _own_job(request, job_id)
    if not job.is_ready:
        raise Http404
    try:
        handle = files.path_for(job.file_name).open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    report_services.report_job_download(actor=request.user, job=job)
    return FileResponse(
        handle, as_attachment=True, filename=job.download_name, content_type="application/pdf"
    )
