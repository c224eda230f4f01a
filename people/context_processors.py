"""Navigation by role: computed once per request from the cached roles."""

from django.urls import reverse

from . import policies
from .dashboard import nav_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(item.label, reverse(item.url_name), item.url_name) for item in nav_for(user)]
    access = policies.access_for(user)
    return {"nav_items": items, "portal_roles": sorted(access.roles)}
