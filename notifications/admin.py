"""Read-only admin views of the outbox: every change goes through the services (and the audit trail)."""

from django.contrib import admin

from .models import HiddenFrom, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "event",
        "template",
        "channel",
        "status",
        "attempts",
        "school",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template"]
    search_fields = ["event"]
    list_select_related = ["school"]
    date_hierarchy = "created_at"
    # The context is left out on purpose: it is for the templates, not for browsing.
    fields = [
        "event",
        "recipient_user",
        "recipient_person",
        "channel",
        "template",
        "status",
        "attempts",
        "last_error",
        "about_type",
        "about_id",
        "school",
        "created_at",
        "available_at",
        "claimed_at",
        "sent_at",
        "read_at",
    ]


@admin.register(HiddenFrom)
class HiddenFromAdmin(ReadOnlyAdmin):
    list_display = ["notification", "person"]
