"""Reads: the in-portal notices of a user, their unread count, the delivery log."""

from django.db.models import QuerySet

from .models import Channel, Notification, Status
from .policies import delivery_log_visible_to


def inbox_for(user) -> QuerySet[Notification]:
    """The user's in-portal notices, newest first (cancelled ones are withdrawn, so left out)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient_user_id=user.pk, channel=Channel.IN_APP)
        .exclude(status=Status.CANCELLED)
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    """How many of the user's in-portal notices are unread (one query)."""
    return inbox_for(user).filter(read_at__isnull=True).count()


def delivery_log(user) -> QuerySet[Notification]:
    """The delivery log rows the user may see, newest first, with what the page shows."""
    return (
        delivery_log_visible_to(user)
        .select_related("recipient_user", "recipient_person", "school")
        .order_by("-created_at", "-id")
    )


def failed(user) -> QuerySet:
    """Notices of the user's school(s) that could not be sent."""
    return delivery_log_visible_to(user).filter(status=Status.FAILED)
