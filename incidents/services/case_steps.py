"""Steps on an allegation that do not move it: the actions §9 holds until advice, notes (append-only),
the parent checklist step, and revealing a sealed staff reporter."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core import formats
from core.workflow import InvalidTransition

from .. import policies
from ..exceptions import HeldUntilAdvice
from ..models import Allegation, CaseAction, CaseNote, HeldAction, Source
from .allegations import S, case_state, lock_case
from .checks import raise_errors, required

CLOSED = "This case is closed: nothing more can be recorded on it."


@transaction.atomic
def allegation_record_action(
    *, actor, allegation: Allegation, kind: str, taken_on, note: str = ""
) -> CaseAction:
    """Suspension, a disciplinary referral, telling the subject, telling parents: §9 holds each until
    the LADO has advised ("not recommended that action is taken until advice has been given")."""
    row = lock_case(actor, allegation)
    if kind not in HeldAction.values:
        raise ValidationError({"kind": "Choose what was done."})
    label = HeldAction(kind).label
    if case_state(row)["closed"]:
        raise InvalidTransition(CLOSED, code="closed")
    if row.status == S.LOW_LEVEL_CONCERN and kind == HeldAction.SUSPENSION:
        raise InvalidTransition(
            "A low-level concern is below the harm threshold, so suspension does not apply. If new "
            "information meets the threshold, record it as a new allegation.",
            code="low_level",
        )
    if case_state(row)["held"]:
        raise HeldUntilAdvice(
            f"‘{label}’ cannot be recorded yet: §9 holds it until the LADO has advised, and no advice is "
            "recorded on this case. Record the LADO's advice first.",
            code="held_until_advice",
        )
    errors: dict = {}
    today = timezone.localdate()
    if taken_on is None:
        errors["taken_on"] = "Enter the date it was done."
    elif taken_on > today:
        errors["taken_on"] = "The date cannot be in the future: record a step once it has been taken."
    elif row.advice_at is not None and taken_on < timezone.localdate(row.advice_at):
        errors["taken_on"] = (
            f"That is before the LADO's advice of {formats.day(row.advice_at)}: §9 holds this "
            "step until advice has been given."
        )
    raise_errors(errors)
    action = CaseAction.objects.create(
        allegation=row, kind=kind, taken_on=taken_on, note=(note or "").strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="incidents.allegation.action",
        target=row,
        school=row.school_id,
        data={"kind": kind, "action_id": action.pk, "taken_on": taken_on},
    )
    return action


@transaction.atomic
def allegation_add_note(
    *, actor, allegation: Allegation, text: str, corrects: CaseNote | None = None, third_party: bool = False
) -> CaseNote:
    """Append a note. Notes are never edited or removed; a correction points at the note it corrects."""
    row = lock_case(actor, allegation)
    return append_note(
        actor=actor,
        case=row,
        field="allegation",
        action="incidents.allegation.note",
        text=text,
        corrects=corrects,
        third_party=third_party,
    )


def append_note(
    *, actor, case, field: str, action: str, text: str, corrects: CaseNote | None, third_party: bool = False
) -> CaseNote:
    """Append a note to a case already locked and checked (`field`: the note's foreign key to it, `action`:
    the audit event's name). The event names the note, never its text."""
    errors: dict = {}
    required(errors, "text", text, "Write the note.")
    if corrects is not None and getattr(corrects, f"{field}_id") != case.pk:
        errors["corrects"] = "Choose a note of this case."
    raise_errors(errors)
    note = CaseNote.objects.create(
        **{field: case}, author=actor, text=text.strip(), corrects=corrects, third_party=third_party
    )
    audit_record(
        actor=actor,
        action=action,
        target=case,
        school=case.school_id,
        data={"note_id": note.pk, "corrects": corrects.pk if corrects else None, "third_party": third_party},
    )
    return note


@transaction.atomic
def allegation_mark_parent_process_explained(*, actor, allegation: Allegation) -> Allegation:
    """§9: a parent who discloses is calmed and has the process explained; the case records it."""
    row = lock_case(actor, allegation)
    if row.source != Source.PARENT:
        raise InvalidTransition(
            "This step applies to a disclosure from a parent or carer.", code="not_parent"
        )
    if row.parent_process_explained_at is not None:
        raise InvalidTransition(
            f"This was recorded on {formats.moment(row.parent_process_explained_at)}.",
            code="already_done",
        )
    if case_state(row)["closed"]:
        raise InvalidTransition(CLOSED, code="closed")
    row.parent_process_explained_at = timezone.now()
    row.parent_process_explained_by = actor
    row.save()
    audit_record(
        actor=actor,
        action="incidents.allegation.checklist",
        target=row,
        school=row.school_id,
        data={"step": "parent_process_explained"},
    )
    return row


@transaction.atomic
def allegation_reveal_reporter(*, actor, allegation: Allegation) -> str:
    """Show who made a staff disclosure to the case manager or the DSL, recording that they looked (§9)."""
    row = (
        policies.allegations_visible_to(actor)
        .select_related("school", "reporter")
        .filter(pk=allegation.pk)
        .first()
    )
    if row is None or not policies.can_reveal_reporter(actor, row):
        raise PermissionDenied("Only the case manager and the school's DSL may see who reported this.")
    audit_record(
        actor=actor,
        action="incidents.allegation.reveal_reporter",
        target=row,
        school=row.school_id,
    )
    return reporter_label(row, revealed=True)


def receiver_label(allegation: Allegation, *, revealed: bool = False) -> str:
    """Who received the disclosure, as the reader may see it. A member of staff who reported a colleague
    and also received it (they recorded the incident it came from, §8) is the sealed reporter (§9):
    their name would say who reported it, so it is "a member of staff" too."""
    if (
        allegation.source == Source.STAFF
        and not revealed
        and allegation.received_by_id == allegation.reporter_id
    ):
        return "A member of staff"
    return allegation.received_by.full_name


def reporter_label(allegation: Allegation, *, revealed: bool = False) -> str:
    """Who disclosed it, as the reader may see it: a sealed staff reporter is "a member of staff"."""
    if allegation.source == Source.STAFF and not revealed:
        return "A member of staff"
    if allegation.source == Source.ANONYMOUS:
        return "Anonymous"
    if allegation.reporter_id:
        return f"{allegation.reporter.full_name} ({allegation.reporter.get_kind_display().lower()})"
    return allegation.reporter_name or "Not recorded"
