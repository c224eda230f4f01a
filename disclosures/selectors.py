"""Reads of the register: what pages and the dashboard card show."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from . import policies
from .models import AccessRequest, Decision

OPEN = (
    AccessRequest.Status.RECEIVED,
    AccessRequest.Status.ASSEMBLING,
    AccessRequest.Status.REDACTION_REVIEW,
)


def register(user) -> QuerySet[AccessRequest]:
    """Every request the user handles: open ones first, the one due soonest first."""
    return (
        policies.requests_visible_to(user)
        .select_related("school", "requester", "subject")
        .order_by("answered_on", "due_on", "pk")
    )


def open_requests(user) -> QuerySet[AccessRequest]:
    return policies.requests_visible_to(user).filter(status__in=OPEN)


def overdue(user) -> QuerySet[AccessRequest]:
    return open_requests(user).filter(due_on__lt=timezone.localdate())


def due_soon(user) -> QuerySet[AccessRequest]:
    soon = timezone.localdate() + timedelta(days=settings.DISCLOSURES_DUE_SOON_DAYS)
    return open_requests(user).filter(due_on__lte=soon)


def redactions_of(request: AccessRequest) -> list:
    return list(request.redactions.select_related("decided_by__person").order_by("decision", "kind", "pk"))


def undecided_count(redactions) -> int:
    return sum(1 for item in redactions if item.decision == Decision.PROPOSED)
