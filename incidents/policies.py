"""Who may see and do what with concerns and allegations. Built on `people.policies.access_for`.

Deny by default. Three rules hold everywhere, because every list, count, card, search,
panel and notice of this app goes through the querysets below:

- Subject blindness (KCSIE part four): a case about a person is invisible to that person,
  whatever roles they hold. `_blind_to_self` is the one place that says so.
- The case team: the DSL, the senior leadership team and the Head of School of the case's
  school, and the case manager: the Executive Head, or the chair of governors when the
  Executive Head is the subject.
- A sealed reporter (§9, a disclosure from staff): only the case manager and the school's
  DSL may reveal who reported it; everyone else reads "a member of staff".
"""

from django.db.models import Q, QuerySet

from people.models import Person, PersonKind, Role, RoleAssignment, School
from people.policies import CASE_TEAM_ROLES, STAFF_ROLES, access_for

from .models import Allegation, CaseManager, Concern, IctSanction, LowLevelReview, PupilIncident, Source

# Roles that record a disclosure as an allegation (§9: "If the SLT receives a disclosure").
RECORDING_ROLES = CASE_TEAM_ROLES
# Adults an allegation may be about: people employed by or working at the school.
ADULT_KINDS = (PersonKind.STAFF, PersonKind.GOVERNOR, PersonKind.VOLUNTEER, PersonKind.VISITOR)


def _blind_to_self(queryset: QuerySet, access, field: str = "subject_id") -> QuerySet:
    """Subject blindness: nothing about a person ever reaches that person."""
    if access.person_id is None:
        return queryset
    return queryset.exclude(**{field: access.person_id})


# --- Allegations ---------------------------------------------------------------------------------


def is_case_team(user) -> bool:
    """Holds a role that works allegations somewhere (no query beyond the cached roles)."""
    access = access_for(user)
    return (
        access.is_executive_head or access.is_chair_of_governors or bool(access.schools_with(CASE_TEAM_ROLES))
    )


def allegations_visible_to(user) -> QuerySet[Allegation]:
    """Allegations the user may see: their school's as the DSL, SLT or Head of School; the federation's
    as case manager. Never one about themselves."""
    if not is_case_team(user):
        return Allegation.objects.none()
    access = access_for(user)
    condition = Q(school_id__in_ids=access.schools_with(CASE_TEAM_ROLES))
    if access.is_executive_head:
        condition |= Q(
            school_id__in_ids=access.federation_school_ids, case_manager=CaseManager.EXECUTIVE_HEAD
        )
    if access.is_chair_of_governors:
        condition |= Q(
            school_id__in_ids=access.federation_school_ids, case_manager=CaseManager.CHAIR_OF_GOVERNORS
        )
    return _blind_to_self(Allegation.objects.filter(condition), access)


def case_schools(user) -> QuerySet[School]:
    """Schools whose cases the user may see (for filters): their case-team schools, or the federation's."""
    access = access_for(user)
    condition = Q(pk__in_ids=access.schools_with(CASE_TEAM_ROLES))
    if access.is_executive_head or access.is_chair_of_governors:
        condition |= Q(federation_id__in_ids=access.federation_ids)
    return School.objects.filter(condition)


def is_case_manager(user, allegation: Allegation) -> bool:
    access = access_for(user)
    if access.person_id is not None and access.person_id == allegation.subject_id:
        return False
    federation_id = allegation.school.federation_id
    if allegation.case_manager == CaseManager.CHAIR_OF_GOVERNORS:
        return access.is_chair_of_governors and federation_id in access.federation_ids
    return access.is_executive_head and federation_id in access.federation_ids


def is_school_dsl(user, allegation: Allegation) -> bool:
    access = access_for(user)
    return access.person_id != allegation.subject_id and access.holds_at(allegation.school_id, {Role.DSL})


def can_reveal_reporter(user, allegation: Allegation) -> bool:
    """§9: a staff reporter's identity is kept to the case manager and the school's DSL."""
    return is_case_manager(user, allegation) or is_school_dsl(user, allegation)


def reporter_is_sealed(allegation: Allegation) -> bool:
    return allegation.source == Source.STAFF


def can_work_case(user, allegation: Allegation) -> bool:
    """May move the case on, add notes, files and actions (the allegation is already visible to them).

    §9: a disclosure from a pupil follows the child protection procedure until the LADO or
    police work ends, so until the outcome the DSL (and the case manager) lead it; SLT may
    not take those steps.
    """
    access = access_for(user)
    if access.person_id is not None and access.person_id == allegation.subject_id:
        return False
    if is_case_manager(user, allegation):
        return True
    if allegation.source == Source.PUPIL and allegation.status not in (
        Allegation.Status.OUTCOME_RECORDED,
        Allegation.Status.CLOSED,
    ):
        return access.holds_at(allegation.school_id, {Role.DSL})
    return access.holds_at(allegation.school_id, CASE_TEAM_ROLES)


def schools_where_can_record(user) -> QuerySet[School]:
    access = access_for(user)
    condition = Q(pk__in_ids=access.schools_with(RECORDING_ROLES))
    if access.is_executive_head:
        condition |= Q(federation_id__in_ids=access.federation_ids)
    return School.objects.filter(condition)


def can_record_allegation(user) -> bool:
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(RECORDING_ROLES))


def possible_subjects(schools) -> QuerySet[Person]:
    """Adults an allegation at `schools` (a School, or several) may be about: their adult members, and
    the federation's role holders (the Executive Head and the chair of governors belong to no one school)."""
    schools = [schools] if isinstance(schools, School) else list(schools)
    federation_people = RoleAssignment.objects.filter(
        federation_id__in={school.federation_id for school in schools}
    ).values("person_id")
    return (
        Person.objects.filter(kind__in=ADULT_KINDS, left_on__isnull=True)
        .filter(Q(memberships__school__in=schools) | Q(pk__in=federation_people))
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def possible_reporters(schools) -> QuerySet[Person]:
    """Anyone at the school(s) who may disclose: staff, parents, pupils and other adults."""
    schools = [schools] if isinstance(schools, School) else list(schools)
    return (
        Person.objects.filter(memberships__school__in=schools)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def possible_receivers(schools) -> QuerySet[Person]:
    """Staff of the school(s), or the federation's leaders, who may have received a disclosure."""
    return possible_subjects(schools).filter(kind=PersonKind.STAFF)


# --- Concerns ---------------------------------------------------------------------------------------


def can_report_concern(user) -> bool:
    """Any member of staff, governor or federation role holder may report (no query beyond the roles)."""
    access = access_for(user)
    return access.person_id is not None and bool(access.roles)


def schools_to_report_at(user) -> QuerySet[School]:
    access = access_for(user)
    condition = Q(pk__in={school_id for school_id, _ in access.school_roles})
    if access.federation_ids:
        condition |= Q(federation_id__in_ids=access.federation_ids)
    return School.objects.filter(condition)


def can_triage_concerns(user) -> bool:
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(CASE_TEAM_ROLES))


def concerns_visible_to(user) -> QuerySet[Concern]:
    """Reports the safeguarding team looks at: their school's (the federation's for the Executive
    Head); never one about themselves."""
    access = access_for(user)
    if not can_triage_concerns(user):
        return Concern.objects.none()
    condition = Q(school_id__in_ids=access.schools_with(CASE_TEAM_ROLES))
    if access.is_executive_head:
        condition |= Q(school_id__in_ids=access.federation_school_ids)
    return _blind_to_self(Concern.objects.filter(condition), access)


def concerns_reported_by(user) -> QuerySet[Concern]:
    """The author's own reports: they see them and their broad status, never the case file."""
    if not user.is_authenticated:
        return Concern.objects.none()
    return Concern.objects.filter(reported_by_id=user.pk)


def can_reveal_concern_reporter(user, concern: Concern) -> bool:
    access = access_for(user)
    if access.person_id is not None and access.person_id == (concern.subject_id or -1):
        return False
    if access.is_executive_head and concern.school.federation_id in access.federation_ids:
        return True
    return access.holds_at(concern.school_id, {Role.DSL})


# --- Low-level concerns -------------------------------------------------------------------------------


def can_review_low_level(user) -> bool:
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with({Role.DSL}))


def low_level_reviews_visible_to(user) -> QuerySet[LowLevelReview]:
    access = access_for(user)
    if not can_review_low_level(user):
        return LowLevelReview.objects.none()
    condition = Q(school_id__in_ids=access.schools_with({Role.DSL}))
    if access.is_executive_head:
        condition |= Q(school_id__in_ids=access.federation_school_ids)
    return _blind_to_self(LowLevelReview.objects.filter(condition), access)


def low_level_cases_visible_to(user) -> QuerySet[Allegation]:
    """Low-level concerns the user may count for review: the DSL's school(s), the Executive Head's federation."""
    if not can_review_low_level(user):
        return Allegation.objects.none()
    access = access_for(user)
    condition = Q(school_id__in_ids=access.schools_with({Role.DSL}))
    if access.is_executive_head:
        condition |= Q(school_id__in_ids=access.federation_school_ids)
    return _blind_to_self(Allegation.objects.filter(condition, is_low_level=True), access)


# --- Pupil incidents (§8) -------------------------------------------------------------------------------


# Pupils' breaches are recorded by people who work at a school (§8: any member of staff records a breach).
# Governors are volunteers who read anonymised statistics, not staff: they do not record them.


def can_record_pupil_incident(user) -> bool:
    """§8: any member of staff records a breach, and the Executive Head (no query beyond the roles)."""
    access = access_for(user)
    return access.person_id is not None and (
        access.is_executive_head or bool(access.schools_with(STAFF_ROLES))
    )


def schools_to_record_pupil_incident(user) -> QuerySet[School]:
    access = access_for(user)
    if access.person_id is None:
        return School.objects.none()
    condition = Q(pk__in_ids=access.schools_with(STAFF_ROLES))
    executive = {f for f, role in access.federation_roles if role == Role.EXECUTIVE_HEAD}
    if executive:
        condition |= Q(federation_id__in=executive)
    return School.objects.filter(condition)


def can_see_pupil_incidents(user) -> bool:
    """The DSL, SLT and Head of School of a school, and the Executive Head (no query beyond the roles)."""
    return can_triage_concerns(user)


def ict_sanctions_visible_to(user) -> QuerySet[IctSanction]:
    """Supervised-ICT sanctions (§8) set at a school where the user works: every member of staff who may
    have the pupil at a computer must know, though only the case team reads the incident behind it."""
    schools = access_for(user).schools_with(STAFF_ROLES)
    if not schools:
        return IctSanction.objects.none()
    return IctSanction.objects.filter(incident__school_id__in=schools)


def pupil_incidents_visible_to(user) -> QuerySet[PupilIncident]:
    """Every incident of the user's case-team schools (the federation's for the Executive Head): the DSL's
    list holds every report (§8, zero tolerance). Never one naming the user as the adult involved."""
    if not can_see_pupil_incidents(user):
        return PupilIncident.objects.none()
    access = access_for(user)
    condition = Q(school_id__in_ids=access.schools_with(CASE_TEAM_ROLES))
    if access.is_executive_head:
        condition |= Q(school_id__in_ids=access.federation_school_ids)
    return _blind_to_self(PupilIncident.objects.filter(condition), access, field="adult_id")


def can_work_pupil_incident(user, incident: PupilIncident) -> bool:
    """Completes actions, sends parent notices, closes: the school's case team or the Executive Head."""
    access = access_for(user)
    if access.person_id is not None and access.person_id == incident.adult_id:
        return False
    if access.is_executive_head and incident.school.federation_id in access.federation_ids:
        return True
    return access.holds_at(incident.school_id, CASE_TEAM_ROLES)


def incident_recorder_sealed(user, incident: PupilIncident) -> bool:
    """§9 on a pupil incident naming an adult of the school (improper contact by a colleague): the member
    of staff who recorded it reported a colleague, so who they are is kept to the school's DSL and the
    Executive Head (as a staff reporter of an allegation is), and to themselves."""
    if incident.adult_id is None or incident.recorded_by_id == user.pk:
        return False
    access = access_for(user)
    return not (access.is_executive_head or access.holds_at(incident.school_id, {Role.DSL}))


def possible_pupils(schools) -> QuerySet[Person]:
    """Pupils on roll at the school(s)."""
    schools = [schools] if isinstance(schools, School) else list(schools)
    return (
        Person.objects.filter(kind=PersonKind.PUPIL, left_on__isnull=True, memberships__school__in=schools)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


# --- Cyberbullying (§10) ----------------------------------------------------------------------------------


def cyberbullying_visible_to(user):
    """Every report of the user's case-team schools (the federation's for the Executive Head): all of them
    reach the DSL's list, even when the school is not responsible (§8, zero tolerance)."""
    from .models import CyberbullyingReport

    if not can_see_pupil_incidents(user):
        return CyberbullyingReport.objects.none()
    access = access_for(user)
    condition = Q(school_id__in_ids=access.schools_with(CASE_TEAM_ROLES))
    if access.is_executive_head:
        condition |= Q(school_id__in_ids=access.federation_school_ids)
    return CyberbullyingReport.objects.filter(condition)


def can_decide_cyberbullying(user, report) -> bool:
    """Decides, completes actions, sends parent warnings, adds notes and files, closes: the school's case
    team or the Executive Head, as on a pupil incident (§8, §10)."""
    access = access_for(user)
    if access.is_executive_head and report.school.federation_id in access.federation_ids:
        return True
    return access.holds_at(report.school_id, CASE_TEAM_ROLES)


def can_see_cyberbullying_reporter(user, report) -> bool:
    """A pupil who reported in confidence (§8) is sealed like a staff reporter: the school's DSL only."""
    from .models import ReportSource

    if report.source != ReportSource.PUPIL:
        return can_see_pupil_incidents(user)
    return access_for(user).holds_at(report.school_id, {Role.DSL})


def cyberbullying_reporter_label(user, report) -> str:
    if report.reporter_id is None:
        return "Not recorded"
    if can_see_cyberbullying_reporter(user, report):
        return report.reporter.full_name
    return "A pupil (kept confidential)"


# --- Improper contact that opens an allegation (§8 → §9) ----------------------------------------------------


def incident_opens_allegation(incident: PupilIncident) -> bool:
    """§8 improper contact by an adult who works at the school is also a disclosure about that adult (§9)."""
    from .models import IncidentType

    return incident.kind == IncidentType.IMPROPER_CONTACT and incident.adult_id is not None


def can_open_allegation_from(user, incident: PupilIncident) -> bool:
    """Works the incident and records allegations at its school (no query beyond the roles)."""
    if not incident_opens_allegation(incident) or not can_work_pupil_incident(user, incident):
        return False
    access = access_for(user)
    if access.is_executive_head and incident.school.federation_id in access.federation_ids:
        return True
    return access.holds_at(incident.school_id, RECORDING_ROLES)


# --- Notes and files of every kind of case ------------------------------------------------------------------


def evidence_files_visible_to(user):
    """Files the user may download: those of a case they may see, whichever kind of case it is."""
    from .models import EvidenceFile

    if not (is_case_team(user) or can_see_pupil_incidents(user)):
        return EvidenceFile.objects.none()
    return EvidenceFile.objects.filter(
        Q(allegation__in=allegations_visible_to(user))
        | Q(incident__in=pupil_incidents_visible_to(user))
        | Q(report__in=cyberbullying_visible_to(user))
    )
