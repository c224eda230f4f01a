"""One school with a record of every kind the portal's forms act on, built through the services
(or the factories the other tests use), for the form fuzzing in `test_forms.py`."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from approvals.models import ProposalStatus
from incidents import services as incident_services
from incidents.models import ActionKind, Allegation, ConcernCategory, IncidentType
from notifications.models import Channel, Status
from people.models import PersonKind, Role

from ..approvals.factories import DeclarationFactory, PermissionFactory, in_state
from ..factories import ClassGroupFactory, PersonFactory, make_user
from ..incidents.casework import assess, case_in
from ..incidents.pupilwork import pupil_with_parent, record
from ..notifications.factories import NotificationFactory
from ..policydocs.helpers import import_version, policy_text, ratified_version


@dataclass
class World:
    users: dict
    records: dict

    def __getitem__(self, name):
        return self.records[name]


def build_world(school) -> World:
    federation = school.federation
    users = {
        "staff": make_user(Role.STAFF, school=school),
        "teacher": make_user(Role.CLASS_TEACHER, Role.STAFF, school=school),
        "dsl": make_user(Role.DSL, Role.STAFF, school=school),
        "slt": make_user(Role.SLT, Role.STAFF, school=school),
        "head": make_user(Role.HEAD_OF_SCHOOL, Role.STAFF, school=school),
        "office": make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school),
        "exec_head": make_user(Role.EXECUTIVE_HEAD, federation=federation),
        "governor": make_user(Role.GOVERNOR, school=school, kind=PersonKind.GOVERNOR),
    }
    dsl, teacher = users["dsl"], users["teacher"]
    pupil = pupil_with_parent(school, may_contact=True)
    subject = PersonFactory(
        school=school, first_name="Sam", last_name="Subject", date_of_birth=date(1980, 5, 1)
    )

    incident = record(
        users["staff"], school, IncidentType.IMPROPER_CONTACT, pupils=[pupil], adult_description="A stranger"
    )
    under_age = record(
        users["staff"], school, IncidentType.UNDER_AGE_ACCOUNT, pupils=[pupil], platform="tiktok"
    )
    notice_action = under_age.actions.get(kind=ActionKind.WARN_PARENTS)
    work_action = incident.actions.exclude(
        kind__in=[ActionKind.INFORM_PARENTS, ActionKind.WARN_PARENTS]
    ).first()

    concern = incident_services.concern_submit(
        actor=users["staff"],
        school=school,
        category=ConcernCategory.ADULT_CONDUCT,
        subject=subject,
        what_happened="I saw a post.",
    )
    allegation = case_in(dsl, school, subject, Allegation.Status.RECORDED)
    # One case at each step, so that every step's form reaches its service.
    steps = {
        "assess": allegation,
        "refer": case_in(dsl, school, subject, Allegation.Status.RECORDED),
        "advice": case_in(dsl, school, subject, Allegation.Status.REFERRED_TO_LADO),
        "investigate": case_in(dsl, school, subject, Allegation.Status.LADO_ADVICE_RECORDED),
        "outcome": case_in(dsl, school, subject, Allegation.Status.INVESTIGATING),
        "close": case_in(dsl, school, subject, Allegation.Status.OUTCOME_RECORDED),
        "action": case_in(dsl, school, subject, Allegation.Status.LADO_ADVICE_RECORDED),
    }
    case_in(dsl, school, subject, Allegation.Status.LOW_LEVEL_CONCERN)
    steps["refer"] = assess(dsl, steps["refer"])

    draft = in_state(ProposalStatus.DRAFT, school=school, proposer=teacher, moderators=[teacher.person])
    submitted = in_state(
        ProposalStatus.SUBMITTED, school=school, proposer=teacher, moderators=[teacher.person]
    )
    approved = in_state(ProposalStatus.APPROVED, school=school, proposer=teacher, moderators=[teacher.person])
    suspended = in_state(
        ProposalStatus.SUSPENDED, school=school, proposer=teacher, moderators=[teacher.person]
    )
    declaration = DeclarationFactory(school=school, declarant=teacher, pupils=[pupil])
    permission = PermissionFactory(school=school, requester=teacher, service=approved)

    ratified_version(federation)
    draft_version = import_version(federation, text=policy_text(" And one more rule."))

    failed_email = NotificationFactory(
        recipient_user=users["staff"],
        channel=Channel.EMAIL,
        status=Status.FAILED,
        event="fuzz.failed",
        school=school,
    )
    manual = NotificationFactory(
        recipient_user=None,
        recipient_person=subject,
        channel=Channel.MANUAL,
        status=Status.PENDING,
        event="fuzz.manual",
        school=school,
    )
    inbox = NotificationFactory(recipient_user=users["staff"], event="fuzz.inbox", read_at=None)

    reset_user = users["staff"]
    records = {
        "school": school,
        "pupil": pupil,
        "subject": subject,
        "class": ClassGroupFactory(school=school),
        "incident": incident,
        "work_action": work_action,
        "notice_incident": under_age,
        "notice_action": notice_action,
        "concern": concern,
        "allegation": allegation,
        "steps": steps,
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "suspended": suspended,
        "declaration": declaration,
        "permission": permission,
        "draft_version": draft_version,
        "failed_email": failed_email,
        "manual": manual,
        "inbox": inbox,
        "reset": {
            "uidb64": urlsafe_base64_encode(force_bytes(reset_user.pk)),
            "token": default_token_generator.make_token(reset_user),
        },
        "now": timezone.now(),
    }
    return World(users=users, records=records)
