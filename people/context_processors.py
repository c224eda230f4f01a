"""Navigation by role: computed once per request from the cached roles."""

from django.urls import reverse

from . import policies


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("Dashboard", reverse("dashboard"), "dashboard")]
    if policies.can_view_registry(user):
        items.append(("People", reverse("people:person_list"), "people"))
        items.append(("Classes", reverse("people:class_list"), "classes"))
    if policies.can_manage_registry(user):
        items.append(("Import people", reverse("people:person_import"), "import"))
    access = policies.access_for(user)
    return {"nav_items": items, "portal_roles": sorted(access.roles)}
