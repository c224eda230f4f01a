"""Publication permissions (§6): a post that refers to a member of staff, a pupil, a parent or a
school activity or event needs permission agreed beforehand with the Executive Head.

requested → agreed | declined (with a reason), by the Executive Head only.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from core.workflow import transition
from notifications.recipients import executive_heads
from people.models import Person, PersonKind
from people.policies import access_for

from .. import policies
from ..models import PermissionStatus as P
from ..models import Proposal, ProposalStatus, PublicationPermission
from ._common import (
    ACTION_NEEDED,
    OUTCOME,
    queue_notice,
    user_recipients,
)
from .workflows import PERMISSION

CATEGORY = "publication permission"


def permission_steps(*, actor, permission: PublicationPermission) -> frozenset[str]:
    """The steps `actor` may take on `permission` now (its page offers exactly these)."""
    return PERMISSION.allowed_names(actor, permission)


def awaiting_decision(permission: PublicationPermission) -> bool:
    """Not yet agreed or declined: nothing may be posted until it is agreed (§6)."""
    return PERMISSION.state_refusal(permission, "agree") is None


def note_label(permission: PublicationPermission) -> str:
    """What the decider's note is called: the reason, when the request was declined."""
    return "Reason" if permission.status == P.DECLINED else "Note"


def posts_allowed_on(service: Proposal) -> bool:
    """Posts go only on an approved service (§6)."""
    return service.status == ProposalStatus.APPROVED


def may_ask_permission_on(actor, service: Proposal) -> bool:
    """Whether `actor` may ask permission for a post on `service`: staff of its school, while it is approved."""
    return posts_allowed_on(service) and policies.can_request_permission_at(actor, service.school_id)


@transaction.atomic
def permission_request(
    *,
    actor,
    service: Proposal,
    post_text: str,
    staff: Iterable[Person] = (),
    pupils: Iterable[Person] = (),
    parents: Iterable[Person] = (),
    event: str = "",
) -> PublicationPermission:
    """Ask the Executive Head's permission for a post on an approved service (§6)."""
    service = Proposal.objects.select_related("school").get(pk=service.pk)
    if not policies.can_request_permission_at(actor, service.school_id):
        raise PermissionDenied("Ask for permission at a school where you work.")
    errors = {}
    if not posts_allowed_on(service):
        errors["service"] = (
            f"{service.title} is {service.get_status_display().lower()}: posts go only on an approved service."
        )
    post_text = (post_text or "").strip()
    if not post_text:
        errors["post_text"] = "Enter what the post will say."
    staff, pupils, parents, event = list(staff), list(pupils), list(parents), (event or "").strip()
    if not (staff or pupils or parents or event):
        errors["__all__"] = (
            "Say who or what the post refers to: a member of staff, a pupil, a parent or carer, or a school "
            "activity or event. A post that refers to none of them needs no permission."
        )
    members = set(
        Person.objects.filter(
            memberships__school_id=service.school_id, pk__in=[p.pk for p in staff + pupils + parents]
        ).values_list("pk", flat=True)
    )
    for field, people, kind, noun in (
        ("staff", staff, PersonKind.STAFF, "a member of staff"),
        ("pupils", pupils, PersonKind.PUPIL, "a pupil"),
        ("parents", parents, PersonKind.PARENT, "a parent or carer"),
    ):
        bad = [p.full_name for p in people if p.kind != kind or p.pk not in members]
        if bad:
            errors[field] = f"Not {noun} at {service.school.name}: {', '.join(bad)}."
    if errors:
        raise ValidationError(errors)
    permission = PublicationPermission.objects.create(
        service=service, school=service.school, requester=actor, post_text=post_text, event=event
    )
    permission.staff.set(staff)
    permission.pupils.set(pupils)
    permission.parents.set(parents)
    audit = audit_record(
        actor=actor,
        action="approvals.permission.request",
        target=permission,
        school=service.school_id,
        data={
            "service_id": service.pk,
            "staff_ids": sorted(p.pk for p in staff),
            "pupil_ids": sorted(p.pk for p in pupils),
            "parent_ids": sorted(p.pk for p in parents),
            "event": bool(event),
        },
    )
    queue_notice(
        event=f"approvals.permission.{permission.pk}.requested.{audit.pk}",
        recipients=executive_heads(service.school.federation_id),
        template=ACTION_NEEDED,
        about=permission,
        school=service.school,
        category=CATEGORY,
        actor=actor,
        exclude=[pid for pid in [access_for(actor).person_id] if pid],
    )
    return permission


def _decide(step: str, *, permission: PublicationPermission, actor, apply) -> PublicationPermission:
    """Agree or decline: the decider and the time are kept, and the requester is told."""

    def decide(p: PublicationPermission) -> dict:
        data = apply(p)
        p.decided_by = actor
        p.decided_at = timezone.now()
        return data

    def tell_requester(p: PublicationPermission, event: AuditEvent) -> None:
        queue_notice(
            event=f"approvals.permission.{p.pk}.{step}.{event.pk}",
            recipients=user_recipients([p.requester]),
            template=OUTCOME,
            about=p,
            school=p.school,
            category=CATEGORY,
            outcome=PERMISSION[step].done,
            actor=actor,
        )

    # Only never-changing, non-null relations are joined: after waiting for the lock, PostgreSQL
    # re-reads the locked row but not the joined ones, so a joined decider would be stale.
    locked, _event = transition(
        PERMISSION,
        step,
        record=permission,
        actor=actor,
        related=("school", "requester", "service"),
        apply=decide,
        notify=tell_requester,
    )
    return locked


@transaction.atomic
def permission_agree(*, actor, permission: PublicationPermission, note: str = "") -> PublicationPermission:
    """The Executive Head agrees the post (§6). Only a post on a service that is still approved."""
    note = (note or "").strip()

    def apply(p: PublicationPermission) -> dict:
        if p.service.status != ProposalStatus.APPROVED:
            raise ValidationError(
                f"The service {p.service.title} is {p.service.get_status_display().lower()}: "
                "nothing can be posted on it now. Decline the request instead."
            )
        p.decision_note = note
        return {"note": note} if note else {}

    return _decide("agree", permission=permission, actor=actor, apply=apply)


@transaction.atomic
def permission_decline(*, actor, permission: PublicationPermission, reason: str) -> PublicationPermission:
    """The Executive Head declines the post, with a reason the requester reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason for declining: the requester reads it."})

    def apply(p: PublicationPermission) -> dict:
        p.decision_note = reason
        return {"reason": reason}

    return _decide("decline", permission=permission, actor=actor, apply=apply)
