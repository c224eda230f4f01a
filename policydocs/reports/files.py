"""Where generated report files live: MEDIA_ROOT/reports/, outside any served path. They are sent
only through the download view, which checks who is asking."""

import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import JobStatus, ReportJob

log = logging.getLogger(__name__)


def reports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(file_name: str) -> Path:
    """The file's path; a name that would leave the folder is refused."""
    if not file_name or os.sep in file_name or "/" in file_name or file_name.startswith("."):
        raise ValueError("Not a report file name.")
    return reports_dir() / file_name


def store(file_name: str, data: bytes) -> Path:
    """Write the file whole or not at all (a reader never sees half a PDF)."""
    target = path_for(file_name)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def delete_expired(now=None) -> int:
    """Delete the files of jobs finished more than POLICYDOCS_REPORT_FILE_DAYS ago."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.POLICYDOCS_REPORT_FILE_DAYS)
    jobs = list(ReportJob.objects.filter(status=JobStatus.DONE, finished_at__lt=cutoff))
    for job in jobs:
        try:
            path_for(job.file_name).unlink(missing_ok=True)
        except (OSError, ValueError) as exc:
            log.warning("report job %s: file not deleted (%s)", job.pk, type(exc).__name__)
            continue
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.EXPIRED, updated_at=timezone.now())
    return len(jobs)


def delete_for_record(target_id: int) -> None:
    """Expire the jobs of the per-record reports made for one record (an allegation being removed) and
    delete their files once that removal has committed: nothing of the record outlives it here."""
    from django.db import transaction

    from .registry import all_reports

    keys = [report.key for report in all_reports() if report.per_record]
    jobs = ReportJob.objects.filter(report__in=keys, target_id=target_id)
    names = [name for name in jobs.values_list("file_name", flat=True) if name]
    jobs.update(status=JobStatus.EXPIRED, file_name="", updated_at=timezone.now())

    def unlink():
        for name in names:
            try:
                path_for(name).unlink(missing_ok=True)
            except (OSError, ValueError) as exc:
                log.warning("report file of record %s not deleted (%s)", target_id, type(exc).__name__)

    transaction.on_commit(unlink)
