"""The audit trail in the admin: readable by those with the view permission, never editable."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "actor", "action", "target_type", "target_id", "school", "client_address")
    list_filter = ("target_type",)
    search_fields = ("=action", "=target_id")
    list_select_related = ("actor", "school")
    date_hierarchy = "at"
    ordering = ("-id",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
