"""The allegation workflow (§9, KCSIE part four) once a case is recorded (see recording.py): assess
the harm threshold, refer to the LADO, record the advice, investigate, record the outcome, close; or,
below the threshold, handle it as a low-level concern and close it with a note.

Every move goes through `_move`, after `_lock` has re-read the case for update through the
user's own visibility (so the subject can never act on it) and `_check_move` has found it in
TRANSITIONS. Free text never goes into the audit trail: events name the fields that were set.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record

from .. import notices, policies
from ..exceptions import InvalidTransition
from ..models import (
    Allegation,
    Concern,
    Outcome,
    ReferralMethod,
    Source,
)
from ..retention import retention_for

S = Allegation.Status

TRANSITIONS: dict[str, set[str]] = {
    S.RECORDED: {S.REFERRED_TO_LADO, S.LOW_LEVEL_CONCERN},
    S.REFERRED_TO_LADO: {S.LADO_ADVICE_RECORDED},
    S.LADO_ADVICE_RECORDED: {S.INVESTIGATING},
    S.INVESTIGATING: {S.OUTCOME_RECORDED},
    S.OUTCOME_RECORDED: {S.CLOSED},
    S.LOW_LEVEL_CONCERN: {S.CLOSED},
}

# How each move reads in a refusal: "... so it cannot be <step> now".
STEPS = {
    S.REFERRED_TO_LADO: "referred to the LADO",
    S.LOW_LEVEL_CONCERN: "handled as a low-level concern",
    S.LADO_ADVICE_RECORDED: "given the LADO's advice",
    S.INVESTIGATING: "put under investigation",
    S.OUTCOME_RECORDED: "given an outcome",
    S.CLOSED: "closed",
}

# States in which the LADO has advised, so §9's held steps may be recorded.
ADVISED = {S.LADO_ADVICE_RECORDED, S.INVESTIGATING, S.OUTCOME_RECORDED}


def refusal(current: str, to: str) -> str:
    """A refusal that says where the case is and where it must be for this step."""
    sources = [S(source).label for source, targets in TRANSITIONS.items() if to in targets]
    needed = " or ".join(f"‘{label}’" for label in sources)
    return f"This case is ‘{S(current).label}’, so it cannot be {STEPS[to]} now: only a case that is {needed} can."


def _lock(actor, allegation: Allegation) -> Allegation:
    """The case, locked for update, re-read through the actor's visibility; refused unless they may work it."""
    row = (
        policies.allegations_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("school", "subject")
        .filter(pk=allegation.pk)
        .first()
    )
    if row is None or not policies.can_work_case(actor, row):
        if row is not None and row.source == Source.PUPIL:
            raise PermissionDenied(
                "A disclosure from a pupil follows the child protection procedure: the DSL or the case "
                "manager takes these steps until the LADO or police work has ended (§9)."
            )
        raise PermissionDenied("You cannot work on this case.")
    return row


def _check_move(row: Allegation, to: str) -> None:
    if to not in TRANSITIONS.get(row.status, set()):
        raise InvalidTransition(refusal(row.status, to), code="invalid_transition")


def _move(
    *, actor, row: Allegation, to: str, action: str, fields: list[str], data: dict | None = None
) -> Allegation:
    old = row.status
    row.status = to
    row.save()
    audit_record(
        actor=actor,
        action=f"incidents.allegation.{action}",
        target=row,
        school=row.school_id,
        data={"changed": {"status": [old, to]}, "set": sorted(fields), **(data or {})},
    )
    return row


def _transition(*, actor, allegation: Allegation, to: str, action: str, apply, audit_data=None) -> Allegation:
    """The one guarded move: lock the row, check the move, apply the step's fields, save, audit.

    `apply(row)` validates and sets the step's fields and returns their names; it raises a
    ValidationError (nothing is saved) when the input cannot be accepted. `audit_data(row)`
    adds non-narrative facts to the audit event (an outcome, a date).
    """
    row = _lock(actor, allegation)
    _check_move(row, to)
    fields = apply(row)
    data = audit_data(row) if audit_data else None
    return _move(actor=actor, row=row, to=to, action=action, fields=fields, data=data)


def _required(errors: dict, field: str, value, message: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[field] = message


def _not_future(errors: dict, field: str, value: datetime | None, what: str) -> None:
    if value is not None and value > timezone.now():
        errors[field] = f"{what} cannot be in the future."


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- Harm threshold -------------------------------------------------------------------------------


def low_level_count(*, subject_id: int, now: datetime | None = None) -> int:
    """Low-level concerns about a person received within the window (all schools)."""
    now = now or timezone.now()
    since = now - _months(settings.INCIDENTS_LOW_LEVEL_WINDOW_MONTHS)
    return Allegation.objects.filter(subject_id=subject_id, is_low_level=True, received_at__gte=since).count()


def _months(months: int) -> timedelta:
    # A calendar month averages 30.44 days; the window is about counting, not a legal deadline.
    return timedelta(days=round(months * 30.44))


@transaction.atomic
def allegation_assess_harm(
    *,
    actor,
    allegation: Allegation,
    harm_to_child: bool,
    criminal_offence: bool,
    risk_to_children: bool,
    unsuitable_to_work: bool,
    rationale: str,
) -> Allegation:
    """Record the four KCSIE tests. Any met: the case goes to the LADO. None met: it becomes a
    low-level concern, handled internally, and repeated ones flag the person for the DSL's review."""
    row = _lock(actor, allegation)
    if row.status != S.RECORDED:
        raise InvalidTransition(
            f"This case is ‘{row.get_status_display()}’: the harm threshold is assessed only while a case is "
            "‘Recorded’.",
            code="invalid_transition",
        )
    if row.harm_assessed and row.harm_threshold_met:
        # Once a test is met the case is the LADO's to advise on: answers given again here could turn it
        # into a low-level concern that is never referred.
        raise InvalidTransition(
            f"The harm threshold was met on {timezone.localtime(row.harm_assessed_at):%d %B %Y}: the case goes "
            "to the LADO and the answers cannot be changed. If one was wrong, say so in a note and tell the "
            "LADO when you refer the case.",
            code="threshold_already_met",
        )
    errors: dict = {}
    _required(errors, "rationale", rationale, "Explain how the tests were judged.")
    _raise(errors)
    row.harm_to_child = bool(harm_to_child)
    row.criminal_offence = bool(criminal_offence)
    row.risk_to_children = bool(risk_to_children)
    row.unsuitable_to_work = bool(unsuitable_to_work)
    row.harm_rationale = rationale.strip()
    row.harm_assessed_at = timezone.now()
    row.harm_assessed_by = actor
    fields = [
        "harm_to_child",
        "criminal_offence",
        "risk_to_children",
        "unsuitable_to_work",
        "harm_rationale",
        "harm_assessed_at",
    ]
    tests = {
        "harm_to_child": row.harm_to_child,
        "criminal_offence": row.criminal_offence,
        "risk_to_children": row.risk_to_children,
        "unsuitable_to_work": row.unsuitable_to_work,
    }
    if row.harm_threshold_met:
        row.save()
        audit_record(
            actor=actor,
            action="incidents.allegation.assess_harm",
            target=row,
            school=row.school_id,
            data={"threshold_met": True, "tests": tests, "set": fields},
        )
        return row
    _check_move(row, S.LOW_LEVEL_CONCERN)
    row.is_low_level = True
    row = _move(
        actor=actor,
        row=row,
        to=S.LOW_LEVEL_CONCERN,
        action="assess_harm",
        fields=[*fields, "is_low_level"],
        data={"threshold_met": False, "tests": tests},
    )
    if low_level_count(subject_id=row.subject_id) >= settings.INCIDENTS_LOW_LEVEL_THRESHOLD:
        notices.low_level_review_due(allegation=row, actor=actor)
    return row


# --- The LADO path ---------------------------------------------------------------------------------


@transaction.atomic
def allegation_refer_to_lado(
    *,
    actor,
    allegation: Allegation,
    referred_at: datetime,
    lado_name: str,
    lado_contact: str,
    referral_method: str,
    lado_reference: str = "",
) -> Allegation:
    """§9: "refer the matter to the LADO", within the working-day deadline of receipt."""

    def apply(row: Allegation) -> list[str]:
        if not row.harm_assessed or not row.harm_threshold_met:
            raise InvalidTransition(
                "Record the harm threshold assessment first: a case goes to the LADO when at least one of the "
                "four tests is met.",
                code="not_assessed",
            )
        errors: dict = {}
        _required(errors, "referred_at", referred_at, "Enter when the referral was made.")
        _not_future(errors, "referred_at", referred_at, "The referral time")
        if referred_at is not None and referred_at < row.received_at:
            errors["referred_at"] = "The referral cannot be before the disclosure was received."
        _required(errors, "lado_name", lado_name, "Enter the name of the LADO you spoke to or wrote to.")
        _required(errors, "lado_contact", lado_contact, "Enter the LADO's phone number or email address.")
        if referral_method not in ReferralMethod.values:
            errors["referral_method"] = "Choose how the referral was made."
        _raise(errors)
        row.referred_at = referred_at
        row.referred_by = actor
        row.lado_name = lado_name.strip()
        row.lado_contact = lado_contact.strip()
        row.lado_reference = (lado_reference or "").strip()
        row.referral_method = referral_method
        return ["referred_at", "lado_name", "lado_contact", "lado_reference", "referral_method"]

    return _transition(
        actor=actor, allegation=allegation, to=S.REFERRED_TO_LADO, action="refer_to_lado", apply=apply
    )


@transaction.atomic
def allegation_record_advice(
    *,
    actor,
    allegation: Allegation,
    advice_at: datetime,
    advice: str,
    police_involved: bool,
    strategy_meeting: bool,
    suspension_advised: bool,
    actions_advised: str = "",
) -> Allegation:
    """§9: the LADO advises (after contact with the police) whether to suspend; nothing is done before."""

    def apply(row: Allegation) -> list[str]:
        errors: dict = {}
        _required(errors, "advice_at", advice_at, "Enter when the LADO gave their advice.")
        _not_future(errors, "advice_at", advice_at, "The time of the advice")
        if advice_at is not None and row.referred_at is not None and advice_at < row.referred_at:
            errors["advice_at"] = "The advice cannot be before the referral was made."
        _required(errors, "advice", advice, "Write down the LADO's advice.")
        _raise(errors)
        row.advice_at = advice_at
        row.advice_recorded_by = actor
        row.advice = advice.strip()
        row.police_involved = bool(police_involved)
        row.strategy_meeting = bool(strategy_meeting)
        row.suspension_advised = bool(suspension_advised)
        row.actions_advised = (actions_advised or "").strip()
        return [
            "advice_at",
            "advice",
            "police_involved",
            "strategy_meeting",
            "suspension_advised",
            "actions_advised",
        ]

    row = _transition(
        actor=actor, allegation=allegation, to=S.LADO_ADVICE_RECORDED, action="record_advice", apply=apply
    )
    notices.lado_advice_recorded(allegation=row, actor=actor)
    return row


@transaction.atomic
def allegation_start_investigation(*, actor, allegation: Allegation) -> Allegation:
    def apply(row: Allegation) -> list[str]:
        row.investigation_started_at = timezone.now()
        row.investigation_started_by = actor
        return ["investigation_started_at"]

    return _transition(
        actor=actor, allegation=allegation, to=S.INVESTIGATING, action="start_investigation", apply=apply
    )


@transaction.atomic
def allegation_record_outcome(
    *, actor, allegation: Allegation, outcome: str, decision_notes: str
) -> Allegation:
    """One of the five KCSIE outcomes, with the decision. Sets how long the record is kept; a
    malicious allegation is scheduled for removal instead."""

    def apply(row: Allegation) -> list[str]:
        errors: dict = {}
        if outcome not in Outcome.values:
            errors["outcome"] = "Choose one of the five outcomes."
        _required(errors, "decision_notes", decision_notes, "Explain the decision.")
        _raise(errors)
        now = timezone.now()
        retention = retention_for(
            outcome=outcome,
            allegation_on=timezone.localdate(row.received_at),
            subject_born_on=row.subject.date_of_birth,
            decided_on=timezone.localdate(now),
        )
        row.outcome = outcome
        row.outcome_at = now
        row.outcome_by = actor
        row.decision_notes = decision_notes.strip()
        row.retain_until = retention.retain_until
        row.removal_due_on = retention.removal_due_on
        return ["outcome", "outcome_at", "decision_notes", "retain_until", "removal_due_on"]

    return _transition(
        actor=actor,
        allegation=allegation,
        to=S.OUTCOME_RECORDED,
        action="record_outcome",
        apply=apply,
        audit_data=lambda row: {
            "outcome": row.outcome,
            "retain_until": row.retain_until,
            "removal_due_on": row.removal_due_on,
        },
    )


@transaction.atomic
def allegation_close(*, actor, allegation: Allegation, closing_note: str) -> Allegation:
    """Close an outcome-recorded case, or a low-level concern ("closed with a note")."""

    def apply(row: Allegation) -> list[str]:
        errors: dict = {}
        _required(errors, "closing_note", closing_note, "Write a closing note.")
        _raise(errors)
        row.closing_note = closing_note.strip()
        row.closed_at = timezone.now()
        row.closed_by = actor
        return ["closing_note", "closed_at"]

    row = _transition(actor=actor, allegation=allegation, to=S.CLOSED, action="close", apply=apply)
    if row.concern_id:
        concern = Concern.objects.select_for_update().get(pk=row.concern_id)
        if concern.status != Concern.Status.CLOSED:
            old = concern.status
            concern.status = Concern.Status.CLOSED
            concern.closed_at = row.closed_at
            concern.closed_by = actor
            concern.save()
            audit_record(
                actor=actor,
                action="incidents.concern.close",
                target=concern,
                school=row.school_id,
                data={"changed": {"status": [old, concern.status]}, "with_allegation": row.pk},
            )
    return row
