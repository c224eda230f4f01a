"""Django admin: read-only (every write goes through the portal's audited services)."""

from django.contrib import admin

from people.admin import ReadOnlyAdmin

from .models import Acknowledgement, PolicyVersion
from .reports.models import ReportJob


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["policy", "number", "status", "ratified_on", "review_due_on", "content_hash"]
    list_filter = ["status"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["version", "person", "acknowledged_at", "content_hash", "posts_checked_at"]
    list_select_related = ["version__policy", "person"]


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ["report", "user", "status", "progress", "rows", "created_at", "finished_at"]
    list_filter = ["status", "report"]
    exclude = ["filters"]
