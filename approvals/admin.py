"""Approvals in the Django admin: read-only (every write goes through the audited services)."""

from django.contrib import admin

from .models import Declaration, Proposal, PublicationPermission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "school", "platform", "status", "review_date"]
    list_filter = ["status", "platform", "school"]
    list_select_related = ["school"]
    search_fields = ["title", "account"]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ["id", "school", "kind", "status", "declared_on"]
    list_filter = ["status", "kind", "school"]
    list_select_related = ["school"]


@admin.register(PublicationPermission)
class PublicationPermissionAdmin(ReadOnlyAdmin):
    list_display = ["id", "school", "service", "status", "decided_at"]
    list_filter = ["status", "school"]
    list_select_related = ["school", "service"]
