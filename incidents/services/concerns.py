"""Concerns reported by staff ("Report a concern"): filed, routed (§7, §9), then taken forward as an
allegation (see allegations.allegation_record) or closed with a note by the safeguarding team."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from audit.services import audit_record
from core.vocabulary import INCIDENT_PLATFORMS
from core.workflow import Step, Workflow, transition
from people.models import Person, School

from .. import notices, policies
from ..models import CATEGORIES_ABOUT_AN_ADULT, ROUTES, Concern, ConcernCategory

C = Concern.Status


def _wrong_state(concern: Concern, step: Step) -> str:
    if step.name == "take_forward":
        return f"This report is already ‘{concern.get_status_display()}’: it cannot become a new allegation."
    if concern.status == C.TAKEN_FORWARD:
        return "This report was taken forward as an allegation: it closes when that case is closed."
    return "This report is already closed."


CONCERN = Workflow(
    model=Concern,
    audit="incidents.concern",
    noun="report",
    steps=[
        # The safeguarding team closes a report that needs no allegation; one taken forward (recording.py,
        # when the allegation is recorded) closes with its case, the portal acting.
        Step("close", {C.RECEIVED}, C.CLOSED, label="Close with a note", done="closed"),
        Step(
            "take_forward",
            {C.RECEIVED},
            C.TAKEN_FORWARD,
            label="Record as an allegation",
            done="taken forward",
            may=lambda actor, concern: _records_at(actor, concern.school_id),
            refused="You cannot take this report forward.",
        ),
        Step("close_with_allegation", {C.RECEIVED, C.TAKEN_FORWARD}, C.CLOSED, done="closed", audit="close"),
    ],
    wrong_state=_wrong_state,
)


def _records_at(actor, school_id: int) -> bool:
    return policies.schools_where_can_record(actor).filter(pk=school_id).exists()


@transaction.atomic
def concern_submit(
    *,
    actor,
    school: School,
    category: str,
    what_happened: str,
    subject: Person | None = None,
    platforms: list[str] = (),
    happened_on: date | None = None,
) -> Concern:
    """File a report. It goes where the policy sends it: a disclosure about an adult to SLT and the
    DSL (§9), social media in the working day to the DSL (§7), a doubt about communication to SLT (§7)."""
    if not policies.schools_to_report_at(actor).filter(pk=school.pk).exists():
        raise PermissionDenied("You can report concerns at your own school(s).")
    errors: dict = {}
    if category not in ConcernCategory.values:
        errors["category"] = "Choose what the concern is about."
    if category in CATEGORIES_ABOUT_AN_ADULT and subject is None:
        errors["subject"] = "Choose the adult this is about."
    if subject is not None:
        if not policies.possible_subjects(school).filter(pk=subject.pk).exists():
            errors["subject"] = "Choose an adult who works at the school."
        elif subject.pk == policies.access_for(actor).person_id:
            errors["subject"] = (
                "A report cannot be about yourself. If you are unsure about your own contact with a pupil or "
                "parent, speak to a member of the senior leadership team (§7)."
            )
    if not (what_happened or "").strip():
        errors["what_happened"] = "Say what happened, in your own words."
    if set(platforms) - set(INCIDENT_PLATFORMS):
        errors["platforms"] = "Choose from the list."
    if happened_on is not None and happened_on > timezone.localdate():
        errors["happened_on"] = "The date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    concern = Concern.objects.create(
        school=school,
        reported_by=actor,
        category=category,
        routed_to=ROUTES[ConcernCategory(category)],
        subject=subject,
        what_happened=what_happened.strip(),
        platforms=list(platforms),
        happened_on=happened_on,
    )
    audit_record(
        actor=actor,
        action="incidents.concern.submit",
        target=concern,
        school=school,
        data={"category": category, "routed_to": concern.routed_to},
    )
    concern.reach = notices.concern_received(concern=concern, actor=actor).reach
    concern.save(update_fields=["reach"])
    return concern


@transaction.atomic
def concern_close(*, actor, concern: Concern, closing_note: str) -> Concern:
    """Close a report that needs no allegation (a §7 doubt resolved, working-day use dealt with)."""

    def apply(row: Concern) -> dict:
        if not (closing_note or "").strip():
            raise ValidationError({"closing_note": "Write what was done, for the safeguarding record."})
        row.closing_note = closing_note.strip()
        row.closed_at = timezone.now()
        row.closed_by = actor
        return {"set": ["closed_at", "closing_note"]}

    try:
        row, _event = transition(
            CONCERN,
            "close",
            record=concern,
            actor=actor,
            queryset=policies.concerns_visible_to(actor),
            related=("school",),
            apply=apply,
        )
    except Http404:
        raise PermissionDenied("You cannot work on this report.") from None
    return row


def concern_close_with_allegation(*, actor, allegation) -> None:
    """The report an allegation was opened from closes when the case closes (once: a report already closed
    stays as it is). Whoever closed the case closes it, whether or not they see the inbox."""
    open_report = Concern.objects.filter(
        pk=allegation.concern_id, status__in=CONCERN["close_with_allegation"].sources
    ).first()
    if open_report is None:
        return

    def apply(row: Concern) -> None:
        row.closed_at = allegation.closed_at
        row.closed_by = actor

    transition(
        CONCERN,
        "close_with_allegation",
        record=open_report,
        actor=actor,
        related=("school",),
        apply=apply,
        data={"with_allegation": allegation.pk},
    )


@transaction.atomic
def concern_reveal_reporter(*, actor, concern: Concern) -> str:
    """Who filed a report, for the DSL and the Executive Head; the look is recorded (§9 confidentiality)."""
    row = (
        policies.concerns_visible_to(actor)
        .select_related("school", "reported_by__person")
        .filter(pk=concern.pk)
        .first()
    )
    if row is None or not policies.can_reveal_concern_reporter(actor, row):
        raise PermissionDenied("Only the DSL and the Executive Head may see who reported this.")
    audit_record(actor=actor, action="incidents.concern.reveal_reporter", target=row, school=row.school_id)
    person = getattr(row.reported_by, "person", None)
    return person.full_name if person is not None else row.reported_by.get_username()
