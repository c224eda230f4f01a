"""The allegation workflow (§9, KCSIE part four) once a case is recorded (see recording.py): assess
the harm threshold, refer to the LADO, record the advice, investigate, record the outcome, close; or,
below the threshold, handle it as a low-level concern and close it with a note.

`ALLEGATION` is the table of steps; every step is taken through `core.workflow.transition`, which
re-reads the case for update through the actor's own visibility (so the subject can never act on it).
Free text never goes into the audit trail: events name the fields that were set.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from core import formats
from core.workflow import InvalidTransition, Step, Workflow, lock, transition

from .. import notices, policies
from ..models import Allegation, Outcome, ReferralMethod, Source
from ..retention import retention_for
from ..selectors import window_start
from .checks import not_future, raise_errors, required
from .concerns import concern_close_with_allegation

S = Allegation.Status

# §9: until the LADO has advised, suspension, a disciplinary referral and telling the subject or parents wait.
HELD = frozenset({S.RECORDED, S.REFERRED_TO_LADO})
# The people and school a step reads (who may take it, the retention of an outcome): they never change.
CASE_RELATED = ("school", "subject")


def work_refused(allegation: Allegation) -> str:
    """Why the actor may not work the case: §9 keeps a pupil's disclosure with the DSL and the case manager."""
    if allegation.source == Source.PUPIL:
        return (
            "A disclosure from a pupil follows the child protection procedure: the DSL or the case "
            "manager takes these steps until the LADO or police work has ended (§9)."
        )
    return "You cannot work on this case."


def _wrong_state(allegation: Allegation, step: Step) -> str:
    """A refusal that says where the case is and where it must be for this step."""
    current = S(allegation.status).label
    if step.name in ("assess", "low_level"):
        return f"This case is ‘{current}’: the harm threshold is assessed only while a case is ‘Recorded’."
    needed = " or ".join(f"‘{status.label}’" for status in S if status in step.sources)
    return f"This case is ‘{current}’, so it cannot be {step.done} now: only a case that is {needed} can."


def _step(name: str, **kwargs) -> Step:
    return Step(name, may=policies.can_work_case, refused=work_refused, **kwargs)


ALLEGATION = Workflow(
    model=Allegation,
    audit="incidents.allegation",
    noun="case",
    steps=[
        # Met, the threshold keeps the case where it is, for the referral; not met, it is a low-level concern.
        _step(
            "assess",
            sources={S.RECORDED},
            target=None,
            label="Assess the harm threshold",
            audit="assess_harm",
        ),
        _step("low_level", sources={S.RECORDED}, target=S.LOW_LEVEL_CONCERN, audit="assess_harm"),
        _step(
            "refer",
            sources={S.RECORDED},
            target=S.REFERRED_TO_LADO,
            label="Record the LADO referral",
            done="referred to the LADO",
            audit="refer_to_lado",
        ),
        _step(
            "advice",
            sources={S.REFERRED_TO_LADO},
            target=S.LADO_ADVICE_RECORDED,
            label="Record the LADO's advice",
            done="given the LADO's advice",
            audit="record_advice",
        ),
        _step(
            "investigate",
            sources={S.LADO_ADVICE_RECORDED},
            target=S.INVESTIGATING,
            label="Start the investigation",
            done="put under investigation",
            audit="start_investigation",
        ),
        _step(
            "outcome",
            sources={S.INVESTIGATING},
            target=S.OUTCOME_RECORDED,
            label="Record the outcome",
            done="given an outcome",
            audit="record_outcome",
        ),
        _step(
            "close",
            sources={S.OUTCOME_RECORDED, S.LOW_LEVEL_CONCERN},
            target=S.CLOSED,
            label="Close the case",
            done="closed",
        ),
    ],
    wrong_state=_wrong_state,
)


def allegation_steps(actor, allegation: Allegation) -> list[Step]:
    """The steps the case page offers `actor`: those the table allows, less the one the harm assessment
    decides (a low-level concern) and, in a recorded case, the assessment once the threshold is met
    (it stands) or the referral until it is."""
    if allegation.status == S.RECORDED:
        ready = "refer" if allegation.harm_assessed and allegation.harm_threshold_met else "assess"
        skip = {"assess", "refer"} - {ready}
    else:
        skip = set()
    return [
        step for step in ALLEGATION.allowed_steps(actor, allegation) if step.label and step.name not in skip
    ]


def case_state(allegation: Allegation) -> dict:
    """What the case's state means on its pages, as booleans: awaiting the LADO referral, held until the
    LADO has advised (§9), closed (nothing more is recorded on it)."""
    return {
        "awaiting_referral": allegation.status == S.RECORDED,
        "held": allegation.status in HELD,
        "closed": allegation.status == S.CLOSED,
    }


def lock_case(actor, allegation: Allegation) -> Allegation:
    """The case, locked for update through the actor's visibility; refused unless they may work it. For the
    steps that record on a case without moving it (actions, notes, the parent checklist)."""
    try:
        row = lock(policies.allegations_visible_to(actor), related=CASE_RELATED, pk=allegation.pk)
    except Http404:
        raise PermissionDenied("You cannot work on this case.") from None
    if not policies.can_work_case(actor, row):
        raise PermissionDenied(work_refused(row))
    return row


def _take(name: str, *, actor, allegation: Allegation, apply, notify=None) -> Allegation:
    """Take step `name` through the actor's visible cases; one they cannot see is refused as one they may
    not work (it does not exist for them)."""
    try:
        row, _event = transition(
            ALLEGATION,
            name,
            record=allegation,
            actor=actor,
            queryset=policies.allegations_visible_to(actor),
            related=CASE_RELATED,
            apply=apply,
            notify=notify,
        )
    except Http404:
        raise PermissionDenied("You cannot work on this case.") from None
    return row


def set_fields(*fields: str) -> dict:
    """The audit data naming the fields a step set (never their text)."""
    return {"set": sorted(fields)}


# --- Harm threshold -------------------------------------------------------------------------------


def low_level_count(*, subject_id: int, school_id: int, now: datetime | None = None) -> int:
    """Low-level concerns about a person at one school within the window: counted as the review list
    groups them (selectors.low_level_flags, by person and school), so a notice that a review is due always
    opens a list that holds it."""
    return Allegation.objects.filter(
        subject_id=subject_id, school_id=school_id, is_low_level=True, received_at__gte=window_start(now)
    ).count()


HARM_TESTS = ("harm_to_child", "criminal_offence", "risk_to_children", "unsuitable_to_work")


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
    answers = {
        "harm_to_child": bool(harm_to_child),
        "criminal_offence": bool(criminal_offence),
        "risk_to_children": bool(risk_to_children),
        "unsuitable_to_work": bool(unsuitable_to_work),
    }
    met = any(answers.values())

    def apply(row: Allegation) -> dict:
        if row.harm_assessed and row.harm_threshold_met:
            # Once a test is met the case is the LADO's to advise on: answers given again here could turn
            # it into a low-level concern that is never referred.
            raise InvalidTransition(
                f"The harm threshold was met on {formats.day(row.harm_assessed_at)}: the case "
                "goes to the LADO and the answers cannot be changed. If one was wrong, say so in a note and "
                "tell the LADO when you refer the case.",
                code="threshold_already_met",
            )
        errors: dict = {}
        required(errors, "rationale", rationale, "Explain how the tests were judged.")
        raise_errors(errors)
        for name, answer in answers.items():
            setattr(row, name, answer)
        row.harm_rationale = rationale.strip()
        row.harm_assessed_at = timezone.now()
        row.harm_assessed_by = actor
        row.is_low_level = row.is_low_level or not met
        fields = [*HARM_TESTS, "harm_rationale", "harm_assessed_at", *([] if met else ["is_low_level"])]
        return {"threshold_met": met, "tests": answers, **set_fields(*fields)}

    def notify(row: Allegation, _event) -> None:
        threshold = settings.INCIDENTS_LOW_LEVEL_THRESHOLD
        if not met and low_level_count(subject_id=row.subject_id, school_id=row.school_id) >= threshold:
            notices.low_level_review_due(allegation=row, actor=actor)

    return _take(
        "assess" if met else "low_level", actor=actor, allegation=allegation, apply=apply, notify=notify
    )


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

    def apply(row: Allegation) -> dict:
        if not row.harm_assessed or not row.harm_threshold_met:
            raise InvalidTransition(
                "Record the harm threshold assessment first: a case goes to the LADO when at least one of the "
                "four tests is met.",
                code="not_assessed",
            )
        errors: dict = {}
        required(errors, "referred_at", referred_at, "Enter when the referral was made.")
        not_future(errors, "referred_at", referred_at, "The referral time")
        if referred_at is not None and referred_at < row.received_at:
            errors["referred_at"] = "The referral cannot be before the disclosure was received."
        required(errors, "lado_name", lado_name, "Enter the name of the LADO you spoke to or wrote to.")
        required(errors, "lado_contact", lado_contact, "Enter the LADO's phone number or email address.")
        if referral_method not in ReferralMethod.values:
            errors["referral_method"] = "Choose how the referral was made."
        raise_errors(errors)
        row.referred_at = referred_at
        row.referred_by = actor
        row.lado_name = lado_name.strip()
        row.lado_contact = lado_contact.strip()
        row.lado_reference = (lado_reference or "").strip()
        row.referral_method = referral_method
        return set_fields("referred_at", "lado_name", "lado_contact", "lado_reference", "referral_method")

    return _take("refer", actor=actor, allegation=allegation, apply=apply)


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

    def apply(row: Allegation) -> dict:
        errors: dict = {}
        required(errors, "advice_at", advice_at, "Enter when the LADO gave their advice.")
        not_future(errors, "advice_at", advice_at, "The time of the advice")
        if advice_at is not None and row.referred_at is not None and advice_at < row.referred_at:
            errors["advice_at"] = "The advice cannot be before the referral was made."
        required(errors, "advice", advice, "Write down the LADO's advice.")
        raise_errors(errors)
        row.advice_at = advice_at
        row.advice_recorded_by = actor
        row.advice = advice.strip()
        row.police_involved = bool(police_involved)
        row.strategy_meeting = bool(strategy_meeting)
        row.suspension_advised = bool(suspension_advised)
        row.actions_advised = (actions_advised or "").strip()
        return set_fields(
            "advice_at",
            "advice",
            "police_involved",
            "strategy_meeting",
            "suspension_advised",
            "actions_advised",
        )

    return _take(
        "advice",
        actor=actor,
        allegation=allegation,
        apply=apply,
        notify=lambda row, _event: notices.lado_advice_recorded(allegation=row, actor=actor),
    )


@transaction.atomic
def allegation_start_investigation(*, actor, allegation: Allegation) -> Allegation:
    def apply(row: Allegation) -> dict:
        row.investigation_started_at = timezone.now()
        row.investigation_started_by = actor
        return set_fields("investigation_started_at")

    return _take("investigate", actor=actor, allegation=allegation, apply=apply)


@transaction.atomic
def allegation_record_outcome(
    *, actor, allegation: Allegation, outcome: str, decision_notes: str
) -> Allegation:
    """One of the five KCSIE outcomes, with the decision. Sets how long the record is kept; a
    malicious allegation is scheduled for removal instead."""

    def apply(row: Allegation) -> dict:
        errors: dict = {}
        if outcome not in Outcome.values:
            errors["outcome"] = "Choose one of the five outcomes."
        required(errors, "decision_notes", decision_notes, "Explain the decision.")
        raise_errors(errors)
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
        return {
            **set_fields("outcome", "outcome_at", "decision_notes", "retain_until", "removal_due_on"),
            "outcome": row.outcome,
            "retain_until": row.retain_until,
            "removal_due_on": row.removal_due_on,
        }

    return _take("outcome", actor=actor, allegation=allegation, apply=apply)


@transaction.atomic
def allegation_close(*, actor, allegation: Allegation, closing_note: str) -> Allegation:
    """Close an outcome-recorded case, or a low-level concern ("closed with a note"); the staff report
    it was opened from closes with it."""

    def apply(row: Allegation) -> dict:
        errors: dict = {}
        required(errors, "closing_note", closing_note, "Write a closing note.")
        raise_errors(errors)
        row.closing_note = closing_note.strip()
        row.closed_at = timezone.now()
        row.closed_by = actor
        return set_fields("closing_note", "closed_at")

    row = _take("close", actor=actor, allegation=allegation, apply=apply)
    if row.concern_id:
        concern_close_with_allegation(actor=actor, allegation=row)
    return row
