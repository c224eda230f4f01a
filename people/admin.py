from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ClassGroup, Federation, Membership, ParentLink, Person, RoleAssignment, School, User

admin.site.register(User, UserAdmin)
admin.site.register(Federation)
admin.site.register(School)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "kind", "reference"]
    list_filter = ["kind"]
    search_fields = ["last_name", "first_name", "reference"]
    inlines = [MembershipInline, RoleInline]


admin.site.register(ParentLink)
admin.site.register(ClassGroup)
