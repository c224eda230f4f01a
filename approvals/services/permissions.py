"""Publication permissions (§6): a post that refers to a member of staff, a pupil, a parent or a
school activity or event needs permission agreed beforehand with the Executive Head.

requested → agreed | declined (with a reason), by the Executive Head only.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from notifications.recipients import executive_heads
from people.models import Person, PersonKind, Role
from people.policies import access_for

from .. import policies
from ..models import PermissionStatus as P
from ..models import Proposal, ProposalStatus, PublicationPermission
from ._common import (
    ACTION_NEEDED,
    OUTCOME,
    InvalidTransition,
    Move,
    name_of,
    queue_notice,
    user_recipients,
    when,
    wrong_state_message,
)

CATEGORY = "publication permission"

TRANSITIONS: dict[str, Move] = {
    "agree": Move(frozenset({P.REQUESTED}), P.AGREED, "agreed"),
    "decline": Move(frozenset({P.REQUESTED}), P.DECLINED, "declined"),
}


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
    if service.status != ProposalStatus.APPROVED:
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


def _wrong_state(permission: PublicationPermission, action: str) -> str:
    if permission.decided_at:
        return (
            f"This request was already {permission.get_status_display().lower()} by "
            f"{name_of(permission.decided_by)} at {when(permission.decided_at)}. Nothing was changed."
        )
    return wrong_state_message(
        "request", permission.get_status_display(), TRANSITIONS[action], dict(P.choices)
    )


def refusal_for(permission: PublicationPermission, action: str) -> str | None:
    """Why `action` cannot be taken in the present state, or None when it can (for pages)."""
    if permission.status in TRANSITIONS[action].sources:
        return None
    return _wrong_state(permission, action)


def _transition(
    *,
    permission: PublicationPermission,
    actor,
    action: str,
    apply: Callable[[PublicationPermission], dict | None],
) -> tuple[PublicationPermission, AuditEvent]:
    """Lock the request, check who and when, apply, save and audit (the caller's transaction)."""
    # Only never-changing, non-null relations are joined: after waiting for the lock, PostgreSQL
    # re-reads the locked row but not the joined ones, so a joined decider would be stale.
    locked = (
        PublicationPermission.objects.select_for_update(of=("self",))
        .select_related("school", "requester", "service")
        .get(pk=permission.pk)
    )
    if not policies.can_decide_permission(actor, locked):
        raise PermissionDenied(
            f"Only the {Role.EXECUTIVE_HEAD.label} gives permission to publish, and never on their own request."
        )
    move = TRANSITIONS[action]
    if locked.status not in move.sources:
        raise InvalidTransition(_wrong_state(locked, action), code="invalid_transition")
    before = locked.status
    data = apply(locked) or {}
    locked.status = move.target
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    audit = audit_record(
        actor=actor,
        action=f"approvals.permission.{action}",
        target=locked,
        school=locked.school_id,
        data={"from": before, "to": move.target, **data},
    )
    for field in PublicationPermission._meta.concrete_fields:
        setattr(permission, field.attname, getattr(locked, field.attname))
    queue_notice(
        event=f"approvals.permission.{locked.pk}.{action}.{audit.pk}",
        recipients=user_recipients([locked.requester]),
        template=OUTCOME,
        about=locked,
        school=locked.school,
        category=CATEGORY,
        outcome=move.done,
        actor=actor,
    )
    return locked, audit


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

    locked, _audit = _transition(permission=permission, actor=actor, action="agree", apply=apply)
    return locked


@transaction.atomic
def permission_decline(*, actor, permission: PublicationPermission, reason: str) -> PublicationPermission:
    """The Executive Head declines the post, with a reason the requester reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason for declining: the requester reads it."})

    def apply(p: PublicationPermission) -> dict:
        p.decision_note = reason
        return {"reason": reason}

    locked, _audit = _transition(permission=permission, actor=actor, action="decline", apply=apply)
    return locked
