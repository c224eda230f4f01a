"""Recording a disclosure about an adult as an allegation (§9), directly or from a staff report."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from audit.services import audit_record
from core.vocabulary import INCIDENT_PLATFORMS
from core.workflow import InvalidTransition, lock, transition
from people.models import Person, PersonKind, Role, RoleAssignment, School

from .. import notices, policies
from ..clauses import CLAUSES_BY_CODE
from ..models import Allegation, CaseManager, Concern, Platform, PupilIncident, Source
from ..working_days import add_working_days
from .checks import not_future, raise_errors, required
from .concerns import CONCERN
from .pupil_incidents import WORKS


def case_manager_for(*, subject: Person, school: School) -> str:
    """KCSIE part four: the Executive Head manages the case; the chair of governors when the
    Executive Head is the subject."""
    subject_is_executive_head = RoleAssignment.objects.filter(
        person=subject, role=Role.EXECUTIVE_HEAD, federation_id=school.federation_id
    ).exists()
    return CaseManager.CHAIR_OF_GOVERNORS if subject_is_executive_head else CaseManager.EXECUTIVE_HEAD


def _validate_reporter(errors: dict, *, source: str, reporter: Person | None, reporter_name: str) -> None:
    if source == Source.STAFF:
        if reporter is None or reporter.kind != PersonKind.STAFF:
            errors["reporter"] = "Choose the member of staff who made the disclosure."
    elif source == Source.PARENT:
        if reporter is not None and reporter.kind != PersonKind.PARENT:
            errors["reporter"] = (
                "Choose a parent or carer, or write their name if they are not in the registry."
            )
        elif reporter is None and not reporter_name.strip():
            errors["reporter_name"] = "Choose the parent or carer, or write their name."
    elif source == Source.PUPIL:
        if reporter is None or reporter.kind not in (PersonKind.PUPIL, PersonKind.FORMER_PUPIL):
            errors["reporter"] = "Choose the pupil who made the disclosure."
    elif source == Source.OTHER:
        if reporter is None and not reporter_name.strip():
            errors["reporter_name"] = "Choose who made the disclosure, or write their name."
    elif source == Source.ANONYMOUS:
        if reporter is not None or reporter_name.strip():
            errors["source"] = (
                "An anonymous disclosure names no one: clear the reporter, or choose another source."
            )
    else:
        errors["source"] = "Choose where the disclosure came from."


@transaction.atomic
def allegation_record(
    *,
    actor,
    school: School,
    received_at: datetime,
    received_by: Person,
    source: str,
    subject: Person,
    what_happened: str,
    reporter: Person | None = None,
    reporter_name: str = "",
    platforms: list[str] = (),
    platform_other: str = "",
    clauses: list[str] = (),
    concern: Concern | None = None,
    pupil_incident: PupilIncident | None = None,
) -> Allegation:
    """Record a disclosure about an adult (§9: "Record the disclosure in line with child protection policy").

    From a staff report (`concern`) the source is that member of staff, whose identity is sealed.
    From an improper-contact incident (`pupil_incident`, §8) the case is about the adult who made contact;
    one incident opens at most one case.
    The LADO referral deadline is set from the time received.
    """
    if not policies.schools_where_can_record(actor).filter(pk=school.pk).exists():
        raise PermissionDenied("Only the DSL, the senior leadership team or a head records allegations here.")
    access_person_id = policies.access_for(actor).person_id
    errors: dict = {}

    if concern is not None:
        try:
            concern = lock(
                policies.concerns_visible_to(actor), related=("reported_by__person",), pk=concern.pk
            )
        except Http404:
            raise PermissionDenied("You cannot take this report forward.") from None
        CONCERN.check(actor, concern, "take_forward")
        if concern.school_id != school.pk:
            errors["school"] = "The allegation belongs to the school the report was made at."
        if concern.subject_id is not None and subject is not None and subject.pk != concern.subject_id:
            # The report is hidden from the person it names; an allegation about someone else would leave
            # that person reading the report about themselves (subject blindness).
            errors["subject"] = (
                "An allegation taken forward from a staff report is about the person the report names. If "
                "the report names the wrong person, record the allegation directly and close the report "
                "with the reason."
            )
        source, reporter, reporter_name = _sealed_staff_source(errors, concern.reported_by, "reported this")

    if pupil_incident is not None:
        if concern is not None:
            raise ValidationError("An allegation is opened from a report or from an incident, not both.")
        pupil_incident = _lock_incident(actor, pupil_incident)
        if pupil_incident.school_id != school.pk:
            errors["school"] = "The allegation belongs to the school the incident was recorded at."
        if subject is not None and subject.pk != pupil_incident.adult_id:
            errors["subject"] = "An allegation opened from an incident is about the adult who made contact."
        source, reporter, reporter_name = _sealed_staff_source(
            errors, pupil_incident.recorded_by, "recorded this incident"
        )

    if subject is None or not policies.possible_subjects(school).filter(pk=subject.pk).exists():
        errors["subject"] = (
            "Choose the adult the allegation is about: someone employed by or working at the school."
        )
    elif subject.pk == access_person_id:
        errors["subject"] = (
            "You cannot record an allegation about yourself: ask the DSL or another senior leader to record it."
        )
    elif reporter is not None and reporter.pk == subject.pk:
        errors["reporter"] = "The person who disclosed it cannot also be its subject."
    if received_by is None or not policies.possible_receivers(school).filter(pk=received_by.pk).exists():
        errors["received_by"] = "Choose the member of staff who received the disclosure."
    elif subject is not None and received_by.pk == subject.pk:
        errors["received_by"] = "The subject of the allegation cannot be the person who received it."
    required(errors, "received_at", received_at, "Enter when the disclosure was received.")
    not_future(errors, "received_at", received_at, "The time it was received")
    _validate_reporter(errors, source=source, reporter=reporter, reporter_name=reporter_name or "")
    if reporter is not None and not policies.possible_reporters(school).filter(pk=reporter.pk).exists():
        errors["reporter"] = "Choose someone at this school, or write the name of someone outside it."
    required(errors, "what_happened", what_happened, "Say what was seen or said.")
    unknown_platforms = set(platforms) - set(INCIDENT_PLATFORMS)
    if unknown_platforms:
        errors["platforms"] = "Choose platforms from the list."
    if Platform.OTHER in platforms and not platform_other.strip():
        errors["platform_other"] = "Say which other platform or service it was."
    if set(clauses) - set(CLAUSES_BY_CODE):
        errors["clauses"] = "Choose clauses from the list."
    raise_errors(errors)

    due = add_working_days(received_at, settings.INCIDENTS_LADO_REFERRAL_WORKING_DAYS)
    allegation = Allegation.objects.create(
        school=school,
        concern=concern,
        pupil_incident=pupil_incident,
        received_at=received_at,
        received_by=received_by,
        recorded_by=actor,
        source=source,
        reporter=reporter,
        reporter_name=(reporter_name or "").strip() if reporter is None else "",
        subject=subject,
        case_manager=case_manager_for(subject=subject, school=school),
        platforms=list(platforms),
        platform_other=platform_other.strip() if Platform.OTHER in platforms else "",
        what_happened=what_happened.strip(),
        clauses=list(clauses),
        referral_due_at=due,
        referral_half_at=received_at + (due - received_at) / 2,
    )
    audit_record(
        actor=actor,
        action="incidents.allegation.record",
        target=allegation,
        school=school,
        data={
            "source": source,
            "case_manager": allegation.case_manager,
            "referral_due_at": due,
            "from_concern": concern.pk if concern else None,
            "from_incident": pupil_incident.pk if pupil_incident else None,
        },
    )
    if pupil_incident is not None:
        audit_record(
            actor=actor,
            action="incidents.pupil_incident.allegation_opened",
            target=pupil_incident,
            school=school,
            data={"allegation_id": allegation.pk},
        )
    if concern is not None:

        def name_the_subject(row: Concern) -> dict:
            if row.subject_id is None:
                row.subject = subject
            return {"allegation_id": allegation.pk}

        transition(CONCERN, "take_forward", record=concern, actor=actor, apply=name_the_subject)
    notices.allegation_recorded(allegation=allegation, actor=actor)
    return allegation


def _sealed_staff_source(errors: dict, account, did: str) -> tuple[str, Person | None, str]:
    """The source of a case taken forward from a staff report or an incident: the member of staff who
    filed it (sealed, §9), never what the form says. Without a registry record there is no one to seal."""
    reporter = getattr(account, "person", None)
    if reporter is None:
        errors["source"] = f"The member of staff who {did} has no registry record; record it directly."
    return Source.STAFF, reporter, ""


def _lock_incident(actor, incident: PupilIncident) -> PupilIncident:
    """The incident, locked so two intakes cannot both open a case from it."""
    row = lock(PupilIncident.objects.all(), related=("school",), pk=incident.pk)
    if not policies.can_work_pupil_incident(actor, row):
        raise PermissionDenied(WORKS)
    if not policies.incident_opens_allegation(row):
        raise InvalidTransition(
            "Only improper contact by an adult who works at the school opens an allegation.",
            code="not_improper_contact",
        )
    if not policies.can_open_allegation_from(actor, row):
        raise PermissionDenied("Only the DSL, the senior leadership team or a head records allegations here.")
    if Allegation.objects.filter(pupil_incident=row).exists():
        raise InvalidTransition(
            f"An allegation has already been opened from incident {row.reference}: add to that case instead.",
            code="already_opened",
        )
    return row
