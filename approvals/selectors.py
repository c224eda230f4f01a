"""Reads for approvals' pages. Each returns what its page shows, with the joins it needs,
so that templates never query."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from audit.models import AuditEvent
from audit.selectors import history_for
from core import formats
from people.models import ClassGroup, Person

from . import policies
from .models import (
    OPEN_DECLARATION_STATUSES,
    REGISTER_STATUSES,
    Declaration,
    PermissionStatus,
    Proposal,
    ProposalStatus,
    PublicationPermission,
)
from .services.declarations import due_cutoff

# How far back a record's history goes on its page: the whole of it, in practice.
HISTORY_LIMIT = 500

ACTION_LABELS = {
    "approvals.proposal.create": "Draft started",
    "approvals.proposal.update": "Draft changed",
    "approvals.proposal.submit": "Submitted for approval",
    "approvals.proposal.approve": "Approved",
    "approvals.proposal.reject": "Turned down",
    "approvals.proposal.request_changes": "Sent back for changes",
    "approvals.proposal.suspend": "Suspended",
    "approvals.proposal.reinstate": "Reinstated",
    "approvals.proposal.renew": "Renewed",
    "approvals.proposal.withdraw": "Withdrawn",
    "approvals.proposal.expire": "Expired (review date reached)",
    "approvals.declaration.submit": "Declared",
    "approvals.declaration.acknowledge": "Acknowledged",
    "approvals.declaration.withdraw": "Withdrawn",
    "approvals.declaration.redeclare": "Declared again",
    "approvals.permission.request": "Requested",
    "approvals.permission.agree": "Agreed",
    "approvals.permission.decline": "Declined",
}
# What a history line shows besides who and when, in this order.
DETAIL_LABELS = {
    "reason": "Reason",
    "conditions": "Conditions",
    "review_date": "Review date",
    "note": "Note",
    "declared_on": "Declared on",
}


@dataclass(frozen=True)
class HistoryLine:
    event: AuditEvent
    label: str
    details: list[tuple[str, str]]


def workflow_history(target) -> list[HistoryLine]:
    """Every change to an approvals record, newest first: who, when, what, and the reason given.

    Read from the audit trail (one query); notices queued and views are left out.
    """
    lines = []
    for event in history_for(target, limit=HISTORY_LIMIT):
        label = ACTION_LABELS.get(event.action)
        if label is None:
            continue
        data = event.data if isinstance(event.data, dict) else {}
        details = []
        for key, name in DETAIL_LABELS.items():
            value = data.get(key)
            if value in (None, ""):
                continue
            if key in ("review_date", "declared_on"):
                value = formats.day(date.fromisoformat(value))
            details.append((name, str(value)))
        lines.append(HistoryLine(event=event, label=label, details=details))
    return lines


# --- Proposals ------------------------------------------------------------------------------------


def proposals_of(user) -> QuerySet[Proposal]:
    """The user's own proposals, newest first."""
    return (
        Proposal.objects.filter(proposer_id=user.pk).select_related("school").order_by("-created_at", "-id")
    )


def proposals_awaiting(user) -> QuerySet[Proposal]:
    """Submitted proposals the user decides (never their own), oldest submission first."""
    return (
        policies.proposals_decidable_by(user)
        .filter(status=ProposalStatus.SUBMITTED)
        .select_related("school", "proposer")
        .order_by("submitted_at", "id")
    )


def proposal_for_page(user, pk: int) -> QuerySet[Proposal]:
    """The proposal (if visible) with everything its page shows."""
    return (
        policies.proposals_visible_to(user)
        .filter(pk=pk)
        .select_related("school", "proposer", "decided_by")
        .prefetch_related(
            Prefetch("classes", queryset=ClassGroup.objects.order_by("year_group", "name")),
            Prefetch("pupils", queryset=Person.objects.order_by("last_name", "first_name")),
            Prefetch("moderators", queryset=Person.objects.order_by("last_name", "first_name")),
        )
    )


def register(user) -> QuerySet[Proposal]:
    """The approved-services register: approved, suspended and expired services the user may see."""
    return (
        policies.proposals_visible_to(user)
        .filter(status__in=REGISTER_STATUSES)
        .select_related("school", "proposer", "decided_by")
        .prefetch_related(Prefetch("moderators", queryset=Person.objects.order_by("last_name", "first_name")))
        .order_by("school__name", "status", "title", "id")
    )


# --- Declarations ---------------------------------------------------------------------------------


def declarations_of(user) -> QuerySet[Declaration]:
    return (
        Declaration.objects.filter(declarant_id=user.pk)
        .select_related("school")
        .prefetch_related("pupils", "parents")
        .order_by("-declared_on", "-id")
    )


def declarations_due(user, today: date) -> QuerySet[Declaration]:
    """The user's open declarations that are a year old or more."""
    return Declaration.objects.filter(
        declarant_id=user.pk, status__in=OPEN_DECLARATION_STATUSES, declared_on__lte=due_cutoff(today)
    )


def declarations_to_acknowledge(user) -> QuerySet[Declaration]:
    return (
        policies.declarations_on_register(user)
        .filter(status="submitted")
        .exclude(declarant_id=user.pk)
        .select_related("school", "declarant")
        .order_by("declared_on", "id")
    )


def declaration_for_page(user, pk: int) -> QuerySet[Declaration]:
    return (
        policies.declarations_visible_to(user)
        .filter(pk=pk)
        .select_related("school", "declarant", "acknowledged_by")
        .prefetch_related(
            Prefetch("pupils", queryset=Person.objects.order_by("last_name", "first_name")),
            Prefetch("parents", queryset=Person.objects.order_by("last_name", "first_name")),
        )
    )


def declaration_register(user) -> QuerySet[Declaration]:
    return (
        policies.declarations_on_register(user)
        .select_related("school", "declarant", "acknowledged_by")
        .prefetch_related(
            Prefetch("pupils", queryset=Person.objects.order_by("last_name", "first_name")),
            Prefetch("parents", queryset=Person.objects.order_by("last_name", "first_name")),
        )
        .order_by("school__name", "declarant__last_name", "declarant__first_name", "-declared_on", "id")
    )


def declared_links_of_pupil(user, pupil: Person) -> list[Declaration]:
    """Declared family links with `pupil` that the user may see (one query, declarants joined)."""
    return list(
        policies.declarations_visible_to(user)
        .filter(pupils=pupil)
        .select_related("declarant")
        .order_by("-declared_on", "-id")
    )


# --- Publication permissions -----------------------------------------------------------------------


def permissions_of(user) -> QuerySet[PublicationPermission]:
    return (
        PublicationPermission.objects.filter(requester_id=user.pk)
        .select_related("service", "school")
        .order_by("-created_at", "-id")
    )


def permissions_awaiting(user) -> QuerySet[PublicationPermission]:
    return (
        policies.permissions_decidable_by(user)
        .filter(status=PermissionStatus.REQUESTED)
        .select_related("service", "school", "requester")
        .order_by("created_at", "id")
    )


def services_open_for_posts(schools) -> QuerySet[Proposal]:
    """The services of `schools` that a post may go on (approved ones, §6), by school and title."""
    return Proposal.objects.filter(school__in=schools, status=ProposalStatus.APPROVED).order_by(
        "school__name", "title"
    )


def permission_for_page(user, pk: int) -> QuerySet[PublicationPermission]:
    return (
        policies.permissions_visible_to(user)
        .filter(pk=pk)
        .select_related("service", "school", "requester", "decided_by")
        .prefetch_related(
            Prefetch("staff", queryset=Person.objects.order_by("last_name", "first_name")),
            Prefetch("pupils", queryset=Person.objects.order_by("last_name", "first_name")),
            Prefetch("parents", queryset=Person.objects.order_by("last_name", "first_name")),
        )
    )


def permission_register(user) -> QuerySet[PublicationPermission]:
    """Agreed permissions the user may see (§6)."""
    return (
        policies.permissions_on_register(user)
        .filter(status=PermissionStatus.AGREED)
        .select_related("service", "school", "requester", "decided_by")
        .prefetch_related(
            Prefetch("staff", queryset=Person.objects.order_by("last_name", "first_name")),
            Prefetch("pupils", queryset=Person.objects.order_by("last_name", "first_name")),
            Prefetch("parents", queryset=Person.objects.order_by("last_name", "first_name")),
        )
        .order_by("school__name", "-decided_at", "-id")
    )
