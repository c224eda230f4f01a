"""Django admin: read-only for the registry (every write goes through the portal's audited
services); user accounts may be changed here, and each change is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from audit.services import audit_record

from .models import ClassGroup, Federation, Membership, ParentLink, Person, RoleAssignment, School, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyInline):
    model = Membership


class RoleInline(ReadOnlyInline):
    model = RoleAssignment
    fk_name = "person"


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "kind", "reference"]
    list_filter = ["kind"]
    search_fields = ["last_name", "first_name", "reference"]
    inlines = [MembershipInline, RoleInline]


for model in (Federation, School, ParentLink, ClassGroup):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Account administration for superusers. Deleting is refused: deactivate instead, so that
    the audit trail keeps its actors."""

    def has_delete_permission(self, request, obj=None):
        return False

    @transaction.atomic
    def user_change_password(self, request, id, form_url=""):
        """Setting a password here signs the holder out everywhere (Django's session hash); it is audited."""
        before = (
            User.objects.filter(pk=id).values_list("password", flat=True).first()
            if str(id).isdigit()
            else None
        )
        response = super().user_change_password(request, id, form_url)
        user = User.objects.filter(pk=id).first() if before is not None else None
        if user is not None and user.password != before:
            audit_record(
                actor=request.user, action="people.user.update", target=user, data={"fields": ["password"]}
            )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = sorted(
            name for name in form.changed_data if name not in ("password", "password1", "password2")
        )
        if "password" in form.changed_data or "password1" in form.changed_data:
            changed.append("password")
        audit_record(
            actor=request.user,
            action="people.user.update" if change else "people.user.create",
            target=obj,
            data={"fields": changed},
        )
