"""Removal of malicious allegations (KCSIE part four) and the DSL's review of repeated low-level concerns."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from people.models import Person, School

from .. import evidence, policies
from ..models import Allegation, Concern, LowLevelReview, Outcome


@transaction.atomic
def allegation_purge(*, allegation: Allegation, actor=None) -> int | None:
    """Remove a closed malicious allegation whose removal date has come: the case, its notes, actions
    and files, and the report it came from. A tombstone stays in the audit trail; it holds no detail."""
    row = Allegation.objects.select_for_update().filter(pk=allegation.pk).first()
    if row is None:
        return
    today = timezone.localdate()
    if not (
        row.outcome == Outcome.MALICIOUS
        and row.status == Allegation.Status.CLOSED
        and row.removal_due_on is not None
        and row.removal_due_on <= today
    ):
        raise ValidationError("Only a closed malicious allegation whose removal date has come is removed.")
    stored = list(row.files.values_list("stored_name", flat=True))
    concern_id = row.concern_id
    reference, school_id, pk = row.reference, row.school_id, row.pk
    audit_record(
        actor=actor,
        action="incidents.allegation.purge",
        target=row,
        school=school_id,
        data={
            "reference": reference,
            "outcome": Outcome.MALICIOUS,
            "files": len(stored),
            "concern": concern_id,
        },
    )
    row.delete()
    if concern_id:
        Concern.objects.filter(pk=concern_id).delete()
    # Files go once the deletion has committed: a rollback keeps the case and its files together.
    transaction.on_commit(lambda: [evidence.remove(name) for name in stored])
    return pk


def retention_sweep() -> list[int]:
    """Daily: remove every closed malicious allegation whose removal date has come. Each in its own
    transaction, so one failure leaves the others done."""
    due = Allegation.objects.filter(
        outcome=Outcome.MALICIOUS,
        status=Allegation.Status.CLOSED,
        removal_due_on__lte=timezone.localdate(),
    ).values_list("pk", flat=True)
    removed = []
    for pk in list(due):
        allegation_purge(allegation=Allegation(pk=pk))
        removed.append(pk)
    return removed


@transaction.atomic
def low_level_review_record(*, actor, subject: Person, school: School, note: str) -> LowLevelReview:
    """The DSL records their review of a person flagged by repeated low-level concerns; the flag clears
    until the next one."""
    if not policies.can_review_low_level(actor):
        raise PermissionDenied("Only the DSL or the Executive Head reviews low-level concerns.")
    access = policies.access_for(actor)
    if subject.pk == access.person_id:
        raise PermissionDenied("You cannot review concerns about yourself.")
    visible = policies.low_level_cases_visible_to(actor).filter(subject=subject, school=school)
    if not visible.exists():
        raise PermissionDenied("You have no low-level concerns about this person at this school to review.")
    if not (note or "").strip():
        raise ValidationError({"note": "Write what the review found and what follows."})
    review = LowLevelReview.objects.create(
        subject=subject, school=school, reviewed_by=actor, note=note.strip()
    )
    audit_record(
        actor=actor,
        action="incidents.low_level_review.record",
        target=review,
        school=school,
        data={"subject_id": subject.pk},
    )
    return review
