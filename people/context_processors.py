"""Navigation by role: computed once per request from the cached roles."""

from core.dashboard import nav_entries_for

from . import policies


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    access = policies.access_for(user)
    return {"nav_entries": nav_entries_for(user), "portal_roles": sorted(access.roles)}
