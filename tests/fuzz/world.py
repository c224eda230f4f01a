"""One school with a record of every kind the portal's forms act on, built through the services
(or the factories the other tests use), for the form fuzzing in `test_forms.py`.

Records are made when first asked for (`world["allegation"]`), so a form's test builds only what
its URL needs. To add a record: a builder function in `_BUILDERS`.
"""

from datetime import date

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from approvals.models import ProposalStatus
from incidents import services as incident_services
from incidents.models import ActionKind, Allegation, ConcernCategory, IncidentType
from notifications.models import Channel, Status
from people.models import Role

from ..approvals.factories import DeclarationFactory, PermissionFactory, in_state
from ..factories import ClassGroupFactory, ParentLinkFactory, PersonFactory, PupilFactory, make_user
from ..incidents import cyberwork
from ..incidents.casework import assess, case_in
from ..incidents.pupilwork import pupil_with_parent, record
from ..notifications.factories import NotificationFactory
from ..policydocs.helpers import import_version, policy_text, ratified_version

ROLES = {
    "staff": (Role.STAFF,),
    "teacher": (Role.CLASS_TEACHER, Role.STAFF),
    "dsl": (Role.DSL, Role.STAFF),
    "head": (Role.HEAD_OF_SCHOOL, Role.STAFF),
    "office": (Role.OFFICE_ADMIN, Role.STAFF),
}


class Users(dict):
    def __init__(self, school):
        super().__init__()
        self.school = school

    def __missing__(self, role):
        if role == "exec_head":
            user = make_user(Role.EXECUTIVE_HEAD, federation=self.school.federation)
        else:
            user = make_user(*ROLES[role], school=self.school)
        self[role] = user
        return user


class World:
    def __init__(self, school):
        self.school = school
        self.users = Users(school)
        self._records: dict = {"school": school}

    def __getitem__(self, name):
        if name not in self._records:
            self._records[name] = _BUILDERS[name](self)
        return self._records[name]


def _subject(w):
    return PersonFactory(
        school=w.school, first_name="Sam", last_name="Subject", date_of_birth=date(1980, 5, 1)
    )


def _case(w, status):
    return case_in(w.users["dsl"], w.school, w["subject"], status)


def _steps(w):
    """One case at each step, so that every step's form reaches its service."""
    S = Allegation.Status
    return {
        "assess": w["allegation"],
        "refer": assess(w.users["dsl"], _case(w, S.RECORDED)),
        "advice": _case(w, S.REFERRED_TO_LADO),
        "investigate": _case(w, S.LADO_ADVICE_RECORDED),
        "outcome": _case(w, S.INVESTIGATING),
        "close": _case(w, S.OUTCOME_RECORDED),
        "action": _case(w, S.LADO_ADVICE_RECORDED),
    }


def _incident(w):
    return record(
        w.users["staff"],
        w.school,
        IncidentType.IMPROPER_CONTACT,
        pupils=[w["pupil"]],
        adult_description="A stranger",
    )


def _young_pupil(w):
    """A pupil under 13 whose parent the school may contact: a cyberbullying report about them warns the
    parents (§10)."""
    child = PupilFactory(school=w.school, date_of_birth=cyberwork.YEAR_7)
    ParentLinkFactory(pupil=child, may_contact=True)
    return child


def _cyber_report(w, **fields):
    return cyberwork.report(
        w.users["staff"],
        w.school,
        victims=[w["pupil"]],
        perpetrators=[{"kind": "pupil", "person": w["young_pupil"]}],
        **fields,
    )


def _cyber_decided(w):
    """A decided report whose actions include a police referral and a warning to parents."""
    report = _cyber_report(w, parents_refuse_to_engage=True, bullying_continues=True)
    return incident_services.cyberbullying_decide(actor=w.users["dsl"], report=report)


def _cyber_closable(w):
    """A decided report whose one action is waived: it may be closed."""
    report = cyberwork.report(
        w.users["staff"], w.school, victims=[w["pupil"]], perpetrators=[{"kind": "unknown"}]
    )
    incident_services.cyberbullying_decide(actor=w.users["dsl"], report=report)
    for action in report.actions.all():
        incident_services.incident_action_waive(actor=w.users["dsl"], action=action, reason="Dealt with.")
    return report


def _proposal(status):
    def build(w):
        teacher = w.users["teacher"]
        return in_state(status, school=w.school, proposer=teacher, moderators=[teacher.person])

    return build


def _draft_version(w):
    ratified_version(w.school.federation)
    return import_version(w.school.federation, text=policy_text(" And one more rule."))


def _notice(fields):
    def build(w):
        return NotificationFactory(school=w.school, **fields(w))

    return build


def _reset(w):
    user = w.users["staff"]
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


_BUILDERS = {
    "pupil": lambda w: pupil_with_parent(w.school, may_contact=True),
    "subject": _subject,
    "class": lambda w: ClassGroupFactory(school=w.school),
    "incident": _incident,
    "work_action": lambda w: (
        w["incident"].actions.exclude(kind__in=[ActionKind.INFORM_PARENTS, ActionKind.WARN_PARENTS]).first()
    ),
    "notice_incident": lambda w: record(
        w.users["staff"], w.school, IncidentType.UNDER_AGE_ACCOUNT, pupils=[w["pupil"]], platform="tiktok"
    ),
    "notice_action": lambda w: w["notice_incident"].actions.get(kind=ActionKind.WARN_PARENTS),
    "young_pupil": _young_pupil,
    "cyber_report": _cyber_report,
    "cyber_decided": _cyber_decided,
    "cyber_police": lambda w: w["cyber_decided"].actions.get(kind=ActionKind.REFER_POLICE),
    "cyber_warning": lambda w: w["cyber_decided"].actions.get(
        kind=ActionKind.WARN_PARENTS, pupil=w["young_pupil"]
    ),
    "cyber_closable": _cyber_closable,
    "concern": lambda w: incident_services.concern_submit(
        actor=w.users["staff"],
        school=w.school,
        category=ConcernCategory.ADULT_CONDUCT,
        subject=w["subject"],
        what_happened="I saw a post.",
    ),
    "allegation": lambda w: _case(w, Allegation.Status.RECORDED),
    "low_level": lambda w: _case(w, Allegation.Status.LOW_LEVEL_CONCERN),
    "steps": _steps,
    "draft": _proposal(ProposalStatus.DRAFT),
    "submitted": _proposal(ProposalStatus.SUBMITTED),
    "approved": _proposal(ProposalStatus.APPROVED),
    "suspended": _proposal(ProposalStatus.SUSPENDED),
    "declaration": lambda w: DeclarationFactory(
        school=w.school, declarant=w.users["teacher"], pupils=[w["pupil"]]
    ),
    "permission": lambda w: PermissionFactory(
        school=w.school, requester=w.users["teacher"], service=w["approved"]
    ),
    "draft_version": _draft_version,
    "failed_email": _notice(
        lambda w: {"recipient_user": w.users["staff"], "channel": Channel.EMAIL, "status": Status.FAILED}
    ),
    "manual": _notice(
        lambda w: {
            "recipient_user": None,
            "recipient_person": w["subject"],
            "channel": Channel.MANUAL,
            "status": Status.PENDING,
        }
    ),
    "inbox": _notice(lambda w: {"recipient_user": w.users["staff"], "read_at": None}),
    "reset": _reset,
}


def build_world(school) -> World:
    return World(school)
