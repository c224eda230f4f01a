"""The unread count in the navigation: one query, only for signed-in users.

Counted here, before the template renders (every page a signed-in user is shown carries the
navigation, so it is always used), so that no query runs while a template renders.
"""

from .selectors import unread_count


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}
    return {"notifications_unread": unread_count(user)}
