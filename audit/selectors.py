"""Reading the audit trail for one record. Each selector runs exactly one query."""

from django.db import models

from .models import AuditEvent
from .services import view_action_for


def _events_on(target: models.Model):
    return AuditEvent.objects.filter(
        target_type=target._meta.concrete_model._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")


def history_for(target: models.Model, *, limit: int = 50) -> list[AuditEvent]:
    """The latest `limit` events on `target` other than views, newest first, with their actors."""
    events = _events_on(target).exclude(action=view_action_for(target)).order_by("-at", "-id")
    return list(events[:limit])


def viewers_of(target: models.Model, *, limit: int = 50) -> list[AuditEvent]:
    """The latest `limit` views of `target` (as recorded by `audit_view`), newest first, with their actors."""
    events = _events_on(target).filter(action=view_action_for(target)).order_by("-at", "-id")
    return list(events[:limit])
