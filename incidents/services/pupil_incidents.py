"""Pupil incidents (§8): recording a breach sets its prescribed follow-ups in motion, as owned actions
with due dates; the incident closes when every action is done or waived with a reason."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.vocabulary import INCIDENT_PLATFORMS, platform_minimum_age
from notifications.recipients import contactable_parents_of
from people.models import Person, Role, RoleAssignment, School, age_on

from .. import notices, policies
from ..exceptions import InvalidTransition
from ..models import (
    ActionKind,
    ActionOwner,
    CaseNote,
    IctSanction,
    IncidentAction,
    IncidentType,
    PupilIncident,
)
from ..working_days import add_working_days
from .allegations import _not_future, _raise, _required
from .case_steps import append_note

INCIDENT_TRANSITIONS = {PupilIncident.Status.OPEN: {PupilIncident.Status.CLOSED}}

# Kinds that tell parents (§8), and the action each creates per pupil.
PARENT_ACTIONS = {
    IncidentType.JOINED_STAFF_SOCIAL: ActionKind.INFORM_PARENTS,
    IncidentType.UNDER_AGE_ACCOUNT: ActionKind.WARN_PARENTS,
}


def follow_up_due(now: datetime | None = None) -> date:
    """Follow-ups are due by the end of the next working day."""
    return timezone.localtime(add_working_days(now or timezone.now(), 1)).date()


def _validate(
    errors,
    *,
    actor,
    school,
    kind,
    pupils,
    occurred_at,
    location,
    what_happened,
    platform,
    adult,
    adult_description,
    sanction_starts_on,
    sanction_ends_on,
):
    if kind not in IncidentType.values:
        errors["kind"] = "Choose what happened from the list."
    allowed = set(
        policies.possible_pupils(school).filter(pk__in=[p.pk for p in pupils]).values_list("pk", flat=True)
    )
    if not pupils:
        errors["pupils"] = "Choose the pupil or pupils involved."
    elif len(allowed) != len({p.pk for p in pupils}):
        errors["pupils"] = "Choose pupils on roll at this school."
    _required(errors, "occurred_at", occurred_at, "Enter when it happened.")
    _not_future(errors, "occurred_at", occurred_at, "When it happened")
    _required(errors, "location", (location or "").strip(), "Say where it happened.")
    _required(errors, "what_happened", (what_happened or "").strip(), "Say what happened.")
    if platform and platform not in INCIDENT_PLATFORMS:
        errors["platform"] = "Choose a platform from the list."
    if kind == IncidentType.UNDER_AGE_ACCOUNT:
        if not platform:
            errors["platform"] = "Choose the platform the account is on: its minimum age goes in the warning."
        elif occurred_at and "pupils" not in errors:
            on = timezone.localtime(occurred_at).date() if isinstance(occurred_at, datetime) else occurred_at
            minimum = platform_minimum_age(platform)
            too_old = [
                p.full_name
                for p in pupils
                if p.date_of_birth is not None and age_on(p.date_of_birth, on) >= minimum
            ]
            if too_old:
                errors["pupils"] = (
                    f"{', '.join(too_old)} {'was' if len(too_old) == 1 else 'were'} {minimum} or over on that day: "
                    "choose another kind of incident."
                )
    if kind in (IncidentType.JOINED_STAFF_SOCIAL, IncidentType.IMPROPER_CONTACT):
        if adult is None and not (adult_description or "").strip():
            errors["adult"] = (
                "Choose the member of staff whose area it was."
                if kind == IncidentType.JOINED_STAFF_SOCIAL
                else "Choose the adult who made contact, or describe them."
            )
        elif adult is not None and not policies.possible_subjects(school).filter(pk=adult.pk).exists():
            errors["adult"] = "Choose an adult who works at this school, or describe the adult instead."
        elif adult is not None and adult.pk == policies.access_for(actor).person_id:
            errors["adult"] = "You cannot record this about yourself: ask the DSL to record it."
    if kind == IncidentType.FIREWALL_BREACH:
        _required(
            errors, "sanction_starts_on", sanction_starts_on, "Enter the first day of supervised ICT use."
        )
        _required(errors, "sanction_ends_on", sanction_ends_on, "Enter the last day of supervised ICT use.")
        if sanction_starts_on and sanction_ends_on and sanction_ends_on < sanction_starts_on:
            errors["sanction_ends_on"] = "The last day cannot be before the first day."


@transaction.atomic
def pupil_incident_record(
    *,
    actor,
    school: School,
    kind: str,
    pupils: list[Person],
    occurred_at: datetime,
    in_school_day: bool,
    location: str,
    what_happened: str,
    platform: str = "",
    adult: Person | None = None,
    adult_description: str = "",
    sanction_starts_on: date | None = None,
    sanction_ends_on: date | None = None,
) -> PupilIncident:
    """Record a §8 breach and create what it sets in motion:

    - firewall: an ICT sanction per pupil (supervised use between two dates) and an action to apply it;
    - joining a staff member's social media: the Executive Head is told, and each pupil's parents are to be;
    - an under-age account: each pupil's parents are to be warned, with the platform's minimum age;
    - improper contact: the DSL is told at once and owns the safeguarding review.

    A pupil with no contactable parent gets an action saying so, rather than being skipped.
    """
    if (
        not policies.can_record_pupil_incident(actor)
        or not policies.schools_to_record_pupil_incident(actor).filter(pk=school.pk).exists()
    ):
        raise PermissionDenied("Only staff of this school record its pupil incidents.")
    pupils = list(pupils)
    errors: dict = {}
    _validate(
        errors,
        actor=actor,
        school=school,
        kind=kind,
        pupils=pupils,
        occurred_at=occurred_at,
        location=location,
        what_happened=what_happened,
        platform=platform,
        adult=adult,
        adult_description=adult_description,
        sanction_starts_on=sanction_starts_on,
        sanction_ends_on=sanction_ends_on,
    )
    _raise(errors)
    incident = PupilIncident.objects.create(
        school=school,
        kind=kind,
        recorded_by=actor,
        occurred_at=occurred_at,
        in_school_day=bool(in_school_day),
        location=location.strip(),
        what_happened=what_happened.strip(),
        platform=platform or "",
        adult=adult,
        adult_description=(adult_description or "").strip() if adult is None else "",
    )
    incident.pupils.set(pupils)
    due = follow_up_due()
    actions = []
    if kind == IncidentType.FIREWALL_BREACH:
        IctSanction.objects.bulk_create(
            IctSanction(incident=incident, pupil=p, starts_on=sanction_starts_on, ends_on=sanction_ends_on)
            for p in pupils
        )
        actions += [
            IncidentAction(
                incident=incident,
                school_id=incident.school_id,
                kind=ActionKind.SUPERVISE_ICT,
                pupil=p,
                owner=ActionOwner.SLT,
                due_on=sanction_starts_on,
            )
            for p in pupils
        ]
    if kind in PARENT_ACTIONS:
        for pupil in pupils:
            reachable = bool(contactable_parents_of(pupil))
            actions.append(
                IncidentAction(
                    incident=incident,
                    school_id=incident.school_id,
                    kind=PARENT_ACTIONS[kind] if reachable else ActionKind.NO_CONTACTABLE_PARENT,
                    pupil=pupil,
                    owner=ActionOwner.DSL,
                    due_on=due,
                )
            )
    if kind == IncidentType.IMPROPER_CONTACT:
        # The DSL reviews it (§8), unless the adult who made contact is a DSL of the school: then the
        # senior leadership team does, so the review never sits with its subject.
        adult_is_dsl = (
            adult is not None
            and RoleAssignment.objects.filter(person=adult, role=Role.DSL, school=school).exists()
        )
        actions.append(
            IncidentAction(
                incident=incident,
                school_id=incident.school_id,
                kind=ActionKind.SAFEGUARDING_REVIEW,
                owner=ActionOwner.SLT if adult_is_dsl else ActionOwner.DSL,
                due_on=due,
            )
        )
    IncidentAction.objects.bulk_create(actions)
    audit_record(
        actor=actor,
        action="incidents.pupil_incident.record",
        target=incident,
        school=school,
        data={"kind": kind, "pupil_ids": sorted(p.pk for p in pupils), "actions": [a.kind for a in actions]},
    )
    if kind == IncidentType.JOINED_STAFF_SOCIAL:
        notices.pupil_incident_alert(
            incident=incident,
            recipients=notices.joined_staff_social_recipients(incident),
            actor=actor,
            audience="executive_head",
        )
    if kind == IncidentType.IMPROPER_CONTACT:
        notices.pupil_incident_alert(
            incident=incident,
            recipients=notices.improper_contact_recipients(incident),
            actor=actor,
            audience="dsl",
        )
    return incident


def _lock_action(actor, action: IncidentAction) -> IncidentAction:
    if action.report_id is not None:
        from .cyberbullying import lock_report_action

        return lock_report_action(actor, action)
    row = (
        IncidentAction.objects.select_for_update(of=("self",))
        .select_related("incident__school", "incident__adult", "pupil")
        .filter(pk=action.pk, incident__in=policies.pupil_incidents_visible_to(actor))
        .first()
    )
    if row is None or not policies.can_work_pupil_incident(actor, row.incident):
        raise PermissionDenied("Only the school's safeguarding team works this incident.")
    if row.incident.status != PupilIncident.Status.OPEN:
        raise InvalidTransition(
            "This incident is closed: its actions can no longer change.", code="invalid_transition"
        )
    if row.status != IncidentAction.Status.OPEN:
        raise InvalidTransition(
            f"This action is already ‘{row.get_status_display()}’.", code="invalid_transition"
        )
    return row


def _finish(actor, row: IncidentAction, status: str, note: str, data: dict | None = None) -> IncidentAction:
    row.status, row.note, row.finished_at, row.finished_by = status, note, timezone.now(), actor
    row.save(update_fields=["status", "note", "finished_at", "finished_by", "reference"])
    case = row.incident if row.incident_id is not None else row.report
    audit_record(
        actor=actor,
        action=f"incidents.{'pupil_incident' if row.incident_id is not None else 'cyberbullying'}.action_{status}",
        target=case,
        school=case.school,
        data={"action_id": row.pk, "kind": row.kind, **(data or {})},
    )
    return row


@transaction.atomic
def incident_action_complete(
    *, actor, action: IncidentAction, note: str = "", reference: str = ""
) -> IncidentAction:
    """Mark a follow-up done. Parent notices are done by sending them (`incident_parent_notice_send`);
    a referral to the police is done once the police's reference is recorded (§10)."""
    row = _lock_action(actor, action)
    if row.kind in notices.PARENT_TEMPLATES:
        raise ValidationError(
            {"note": "Send the notice to the parents and carers, or waive it with a reason."},
            code="send_notice",
        )
    reference = (reference or "").strip()
    if row.kind == ActionKind.REFER_POLICE and not reference:
        raise ValidationError(
            {"reference": "Enter the reference the police gave for the referral (the crime number)."},
            code="required",
        )
    row.reference = reference
    data = {"reference": reference} if reference else None
    return _finish(actor, row, IncidentAction.Status.DONE, (note or "").strip(), data)


@transaction.atomic
def incident_action_waive(*, actor, action: IncidentAction, reason: str) -> IncidentAction:
    """Decide not to take a follow-up, with the reason written down (audited)."""
    row = _lock_action(actor, action)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why this action is not being taken."}, code="required")
    return _finish(actor, row, IncidentAction.Status.WAIVED, reason.strip())


@transaction.atomic
def incident_parent_notice_send(*, actor, action: IncidentAction, template: str) -> list:
    """Send the chosen parent notice to the pupil's contactable parents and carers, by the channel each prefers;
    the action is then done. Refused, with what to do, when no parent or carer may be contacted."""
    row = _lock_action(actor, action)
    choices = notices.PARENT_TEMPLATES.get(row.kind)
    if choices is None:
        raise ValidationError("This action does not send a notice to parents.", code="not_a_notice")
    if template not in choices:
        raise ValidationError({"template": "Choose one of the notices offered."}, code="invalid_choice")
    if not contactable_parents_of(row.pupil_id):
        raise ValidationError(
            {
                "template": "No parent or carer of this pupil may be contacted: waive this action and say how they "
                "will be reached."
            },
            code="no_contactable_parent",
        )
    sent = notices.parent_notice(action=row, template=template, actor=actor)
    _finish(actor, row, IncidentAction.Status.DONE, "", {"template": template, "recipients": len(sent)})
    return sent


@transaction.atomic
def pupil_incident_close(*, actor, incident: PupilIncident) -> PupilIncident:
    """Close the incident once every action is done or waived."""
    row = lock_incident_to_work(actor, incident, "Only the school's safeguarding team closes this incident.")
    to = PupilIncident.Status.CLOSED
    if to not in INCIDENT_TRANSITIONS.get(row.status, set()):
        raise InvalidTransition(
            f"This incident is ‘{row.get_status_display()}’: it cannot be closed.", code="invalid_transition"
        )
    still_open = row.actions.filter(status=IncidentAction.Status.OPEN).count()
    if still_open:
        raise InvalidTransition(
            f"{still_open} action{'s are' if still_open != 1 else ' is'} still to do: complete or waive "
            f"{'them' if still_open != 1 else 'it'} first.",
            code="actions_open",
        )
    old = row.status
    row.status, row.closed_at, row.closed_by = to, timezone.now(), actor
    row.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="incidents.pupil_incident.close",
        target=row,
        school=row.school,
        data={"changed": {"status": [old, to]}},
    )
    return row


def lock_incident_to_work(
    actor, incident: PupilIncident, message: str = "Only the school's safeguarding team works this incident."
) -> PupilIncident:
    """The incident, locked for update, re-read through the actor's visibility; refused (with `message`)
    unless they work it."""
    row = (
        policies.pupil_incidents_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("school")
        .filter(pk=incident.pk)
        .first()
    )
    if row is None or not policies.can_work_pupil_incident(actor, row):
        raise PermissionDenied(message)
    return row


@transaction.atomic
def pupil_incident_add_note(
    *, actor, incident: PupilIncident, text: str, corrects: CaseNote | None = None
) -> CaseNote:
    """Append a note to the incident's file, as on an allegation: never edited or removed; a correction
    points at the note it corrects. Notes may still be added once the incident is closed."""
    row = lock_incident_to_work(actor, incident)
    return append_note(
        actor=actor,
        case=row,
        field="incident",
        action="incidents.pupil_incident.note",
        text=text,
        corrects=corrects,
    )
