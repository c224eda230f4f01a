"""Family-link declarations (§7): made in writing to the Executive Head or Head of School. Every
change of status goes through the table `workflows.DECLARATION`.

submitted → acknowledged (with a note) | withdrawn; acknowledged → withdrawn (when it no
longer applies); submitted or acknowledged → submitted again at the yearly re-declaration.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from core.vocabulary import SERVICE_PLATFORMS
from core.workflow import transition
from people.models import Person, PersonKind, School
from people.policies import access_for

from .. import policies
from ..models import (
    OPEN_DECLARATION_STATUSES,
    Declaration,
    DeclarationKind,
    DeclarationStatus,
    Relationship,
)
from ._common import (
    ACTION_NEEDED,
    DECLARATION_DUE,
    OUTCOME,
    add_months,
    already_queued,
    deciders_of,
    declaration_renewal_months,
    queue_notice,
    user_recipients,
)
from .workflows import DECLARATION

D = DeclarationStatus
CATEGORY = "family-link declaration"


def declaration_steps(*, actor, declaration: Declaration) -> frozenset[str]:
    """The steps `actor` may take on `declaration` now (its page offers exactly these)."""
    return DECLARATION.allowed_names(actor, declaration)


def _take(step: str, *, declaration: Declaration, actor, **kwargs) -> tuple[Declaration, AuditEvent]:
    # Only never-changing, non-null relations are joined: after waiting for the lock, PostgreSQL
    # re-reads the locked row but not the joined ones, so a joined decider would be stale.
    return transition(
        DECLARATION, step, record=declaration, actor=actor, related=("school", "declarant"), **kwargs
    )


def is_due(declaration: Declaration, today: date) -> bool:
    """A declaration still open and at least a year old is due for re-declaration (§7)."""
    return declaration.is_open and due_date(declaration) <= today


def due_date(declaration: Declaration) -> date:
    return add_months(declaration.declared_on, declaration_renewal_months())


def due_cutoff(today: date) -> date:
    """Declarations made on or before this day are due."""
    return add_months(today, -declaration_renewal_months())


def _check_people(
    *,
    school: School,
    kind: str,
    pupils: list[Person],
    parents: list[Person],
    relationship: str,
    platform: str,
) -> None:
    errors = {}
    members = set(
        Person.objects.filter(
            memberships__school=school, pk__in=[p.pk for p in pupils + parents]
        ).values_list("pk", flat=True)
    )
    if kind == DeclarationKind.FAMILY_LINK:
        if not pupils:
            errors["pupils"] = "Choose the pupil or pupils you have a family or friendship link with."
        bad = [p.full_name for p in pupils if p.kind != PersonKind.PUPIL or p.pk not in members]
        if bad:
            errors["pupils"] = f"Not a pupil at {school.name}: {', '.join(bad)}."
        if relationship not in Relationship.values:
            errors["relationship"] = "Choose how you are linked: parent, relative, family friend or other."
    elif kind == DeclarationKind.PARENT_CONNECTION:
        if not parents:
            errors["parents"] = "Choose the parent or carer you are connected with."
        bad = [p.full_name for p in parents if p.kind != PersonKind.PARENT or p.pk not in members]
        if bad:
            errors["parents"] = f"Not a parent or carer at {school.name}: {', '.join(bad)}."
        if platform not in SERVICE_PLATFORMS:
            errors["platform"] = "Choose the platform you are connected on."
    else:
        errors["kind"] = "Choose what you are declaring."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def declaration_create(
    *,
    actor,
    school: School,
    kind: str,
    statement: str,
    pupils: Iterable[Person] = (),
    parents: Iterable[Person] = (),
    relationship: str = "",
    platform: str = "",
    declared_on: date | None = None,
) -> Declaration:
    """Record a member of staff's written declaration (§7) and tell the school's deciders.

    `declared_on` is the date of the written declaration: today, or an earlier date when a
    declaration made on paper is entered later.
    """
    if not policies.schools_for_staff(actor).filter(pk=school.pk).exists():
        raise PermissionDenied("You can make a declaration only at a school where you work.")
    today = timezone.localdate()
    declared_on = declared_on or today
    if declared_on > today:
        raise ValidationError({"declared_on": "The date of the declaration cannot be in the future."})
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": "Describe the link in a sentence or two."})
    pupils, parents = list(pupils), list(parents)
    if kind == DeclarationKind.FAMILY_LINK:
        parents, platform = [], ""
    else:
        pupils, relationship = [], ""
    _check_people(
        school=school, kind=kind, pupils=pupils, parents=parents, relationship=relationship, platform=platform
    )
    declaration = Declaration.objects.create(
        school=school,
        declarant=actor,
        kind=kind,
        relationship=relationship,
        platform=platform,
        statement=statement,
        declared_on=declared_on,
        status_changed_at=timezone.now(),
    )
    declaration.pupils.set(pupils)
    declaration.parents.set(parents)
    event = audit_record(
        actor=actor,
        action="approvals.declaration.submit",
        target=declaration,
        school=school,
        data={
            "kind": kind,
            "relationship": relationship,
            "platform": platform,
            "declared_on": declared_on,
            "pupil_ids": sorted(p.pk for p in pupils),
            "parent_ids": sorted(p.pk for p in parents),
        },
    )
    _tell_deciders(declaration, event, actor)
    return declaration


def _tell_deciders(declaration: Declaration, event: AuditEvent, actor) -> None:
    queue_notice(
        event=f"approvals.declaration.{declaration.pk}.submitted.{event.pk}",
        recipients=deciders_of(declaration.school),
        template=ACTION_NEEDED,
        about=declaration,
        school=declaration.school,
        category=CATEGORY,
        actor=actor,
        exclude=[pid for pid in [access_for(actor).person_id] if pid],
    )


@transaction.atomic
def declaration_acknowledge(*, actor, declaration: Declaration, note: str) -> Declaration:
    """The Executive Head or Head of School acknowledges a declaration, with a note (§7)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Add a note: what you have noted, or any advice given."})

    def apply(d: Declaration) -> dict:
        d.acknowledged_by = actor
        d.acknowledged_at = timezone.now()
        d.acknowledgement_note = note
        return {"note": note}

    def tell_declarant(d: Declaration, event: AuditEvent) -> None:
        queue_notice(
            event=f"approvals.declaration.{d.pk}.acknowledged.{event.pk}",
            recipients=user_recipients([d.declarant]),
            template=OUTCOME,
            about=d,
            school=d.school,
            category=CATEGORY,
            outcome="acknowledged",
            actor=actor,
        )

    locked, _event = _take(
        "acknowledge", declaration=declaration, actor=actor, apply=apply, notify=tell_declarant
    )
    return locked


@transaction.atomic
def declaration_withdraw(*, actor, declaration: Declaration, reason: str = "") -> Declaration:
    """The declarant withdraws a declaration that no longer applies."""
    reason = (reason or "").strip()
    locked, _event = _take(
        "withdraw", declaration=declaration, actor=actor, data={"reason": reason} if reason else {}
    )
    return locked


@transaction.atomic
def declaration_redeclare(*, actor, declaration: Declaration, statement: str | None = None) -> Declaration:
    """The yearly re-declaration (§7): the link still applies, dated today, to be acknowledged again."""

    def apply(d: Declaration) -> dict:
        previous = d.declared_on
        d.declared_on = timezone.localdate()
        if statement is not None:
            if not statement.strip():
                raise ValidationError({"statement": "Describe the link in a sentence or two."})
            d.statement = statement.strip()
        d.acknowledged_by = None
        d.acknowledged_at = None
        d.acknowledgement_note = ""
        return {"previous_declared_on": previous, "declared_on": d.declared_on}

    locked, _event = _take(
        "redeclare",
        declaration=declaration,
        actor=actor,
        apply=apply,
        notify=lambda d, event: _tell_deciders(d, event, actor),
    )
    return locked


@transaction.atomic
def declaration_reminders_send(*, today: date | None = None) -> int:
    """Remind each declarant whose open declaration is a year old to declare it again (once per declaration date)."""
    today = today or timezone.localdate()
    due = Declaration.objects.filter(
        status__in=OPEN_DECLARATION_STATUSES, declared_on__lte=due_cutoff(today)
    ).select_related("school", "declarant")
    sent = 0
    for declaration in due:
        key = f"approvals.declaration.{declaration.pk}.due.{declaration.declared_on.isoformat()}"
        if already_queued(key):
            continue
        queue_notice(
            event=key,
            recipients=user_recipients([declaration.declarant]),
            template=DECLARATION_DUE,
            about=declaration,
            school=declaration.school,
            category=CATEGORY,
            actor=None,
        )
        sent += 1
    return sent
