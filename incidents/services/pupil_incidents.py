"""Pupil incidents (§8): recording a breach sets its prescribed follow-ups in motion, as owned actions
with due dates; the incident closes when every action is done or waived with a reason."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.vocabulary import INCIDENT_PLATFORMS, platform_minimum_age
from core.workflow import InvalidTransition, Step, Workflow, lock, transition
from notifications.recipients import contactable_parents_of
from people.models import Person, Role, RoleAssignment, School, age_on

from .. import notices, policies
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
from .case_steps import append_note
from .checks import not_future, raise_errors, required

S = PupilIncident.Status
WORKS = "Only the school's safeguarding team works this incident."


def _wrong_state(incident: PupilIncident, step: Step) -> str:
    if step.name == "add_file":
        return "This incident is closed: no more files can be added to it."
    return f"This incident is ‘{incident.get_status_display()}’: it cannot be {step.done}."


# Open → closed once every follow-up is done or waived. Notes may be added to a closed incident; files
# only while it is open. The follow-ups have their own workflow (`actions.INCIDENT_ACTION`).
PUPIL_INCIDENT = Workflow(
    model=PupilIncident,
    audit="incidents.pupil_incident",
    noun="incident",
    steps=[
        Step(
            "close",
            {S.OPEN},
            S.CLOSED,
            label="Close the incident",
            done="closed",
            may=policies.can_work_pupil_incident,
            refused="Only the school's safeguarding team closes this incident.",
        ),
        Step(
            "note",
            set(S.values),
            None,
            label="Add a note",
            done="noted",
            may=policies.can_work_pupil_incident,
            refused=WORKS,
        ),
        Step(
            "add_file",
            {S.OPEN},
            None,
            label="Add a file",
            done="given a file",
            may=policies.can_work_pupil_incident,
            refused=WORKS,
        ),
    ],
    wrong_state=_wrong_state,
)

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
    required(errors, "occurred_at", occurred_at, "Enter when it happened.")
    not_future(errors, "occurred_at", occurred_at, "When it happened")
    required(errors, "location", (location or "").strip(), "Say where it happened.")
    required(errors, "what_happened", (what_happened or "").strip(), "Say what happened.")
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
        required(
            errors, "sanction_starts_on", sanction_starts_on, "Enter the first day of supervised ICT use."
        )
        required(errors, "sanction_ends_on", sanction_ends_on, "Enter the last day of supervised ICT use.")
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
    raise_errors(errors)
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


@transaction.atomic
def pupil_incident_close(*, actor, incident: PupilIncident) -> PupilIncident:
    """Close the incident once every action is done or waived."""

    def apply(row: PupilIncident) -> None:
        refuse_open_actions(row)
        row.closed_at, row.closed_by = timezone.now(), actor

    row, _event = transition(
        PUPIL_INCIDENT, "close", record=incident, actor=actor, related=("school",), apply=apply
    )
    return row


def refuse_open_actions(case) -> None:
    """A case closes only once every follow-up is done or waived (a pupil incident or a cyberbullying report)."""
    still_open = case.actions.filter(status=IncidentAction.Status.OPEN).count()
    if still_open:
        raise InvalidTransition(
            f"{still_open} action{'s are' if still_open != 1 else ' is'} still to do: complete or waive "
            f"{'them' if still_open != 1 else 'it'} first.",
            code="actions_open",
        )


def lock_incident(actor, incident: PupilIncident, step: str) -> PupilIncident:
    """The incident, locked for update, once `actor` may take `step` on it now (a note, a file)."""
    row = lock(PupilIncident.objects.all(), related=("school",), pk=incident.pk)
    PUPIL_INCIDENT.check(actor, row, step)
    return row


@transaction.atomic
def pupil_incident_add_note(
    *, actor, incident: PupilIncident, text: str, corrects: CaseNote | None = None, third_party: bool = False
) -> CaseNote:
    """Append a note to the incident's file, as on an allegation: never edited or removed; a correction
    points at the note it corrects. Notes may still be added once the incident is closed."""
    row = lock_incident(actor, incident, "note")
    return append_note(
        actor=actor,
        case=row,
        field="incident",
        action="incidents.pupil_incident.note",
        text=text,
        corrects=corrects,
        third_party=third_party,
    )
