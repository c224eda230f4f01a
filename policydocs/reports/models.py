"""Report files made in the background: one row per PDF a user asked for."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from people.models import TimeStampedModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Deleted (kept for a limited time)"


class ReportJob(TimeStampedModel):
    """A PDF made by a Celery task while the page shows its progress.

    Only the user who asked for it may download it, and only while they may still run the
    report. The file lives under MEDIA_ROOT/reports/ (never a served path) and is deleted
    after POLICYDOCS_REPORT_FILE_DAYS.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report = models.CharField(max_length=40, help_text="The report's key.")
    target_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The record a per-record report is about (an allegation)."
    )
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    rows = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=100, blank=True, help_text="Name of the file under reports/.")
    download_name = models.CharField(max_length=150, blank=True)
    error = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_job_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.DONE) | ~Q(file_name=""), name="report_job_done_has_file"
            ),
        ]

    def __str__(self):
        return f"Report job {self.pk}"

    def get_absolute_url(self):
        return reverse("policydocs:report_job", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        """The file is made and may be downloaded."""
        return self.status == JobStatus.DONE

    @property
    def is_finished(self) -> bool:
        """Nothing more will happen: the file is ready, or making it failed."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
