"""Assertions the approvals tests share: audit events and queued notices."""

from audit.models import AuditEvent
from notifications.models import Channel, Notification


def audit_events(target, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, target_type=target._meta.label_lower, target_id=str(target.pk)
        ).order_by("id")
    )


def notices(template: str, about) -> list[Notification]:
    return list(
        Notification.objects.filter(
            template=template, about_type=about._meta.label_lower, about_id=str(about.pk)
        ).order_by("id")
    )


def recipients_of(template: str, about, channel: str = Channel.EMAIL) -> set[int]:
    """User ids told by email (every staff recipient also gets an in-portal notice)."""
    return {n.recipient_user_id for n in notices(template, about) if n.channel == channel}
