"""Builders of the access matrix: each makes the record a URL is about, for one scope, and returns
the URL's keyword arguments. `w` is the `World`, `scope` one of `SCOPES`, `user` the signed-in user
(only the ``subject`` and ``reporter`` scopes use it: the record is about them, or theirs)."""

import uuid
from datetime import timedelta

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from approvals.models import ProposalStatus
from incidents import policies as incident_policies
from incidents import services as incident_services
from incidents.models import ActionKind, Allegation, ConcernCategory, IncidentType, Source
from notifications.models import Channel, Status
from people.models import ImportJob, ImportStatus, Membership, PersonKind, Role
from policydocs.reports import files
from policydocs.reports.models import JobStatus, ReportJob

from ..approvals.factories import DeclarationFactory, PermissionFactory, in_state
from ..factories import ClassGroupFactory, PersonFactory, PupilFactory, make_user
from ..incidents import cyberwork
from ..incidents.casework import case_in, record_case
from ..incidents.pupilwork import pupil_with_parent, record
from ..notifications.factories import NotificationFactory
from ..policydocs.helpers import import_version, ratified_version
from .world import adult_at

# --- People ------------------------------------------------------------------------------------


def person(w, scope, user):
    if scope == "subject":
        return {"pk": user.person.pk}
    school, _, _ = w.at(scope)
    return {"pk": PersonFactory(school=school).pk}


def pupil(w, scope, user):
    school, _, _ = w.at(scope)
    return {"pk": PupilFactory(school=school).pk}


def class_group(w, scope, user):
    school, _, _ = w.at(scope)
    return {"pk": ClassGroupFactory(school=school).pk}


# --- Concerns and allegations ---------------------------------------------------------------------


def _concern(w, scope, user):
    school, _, staff = w.at(scope)
    actor, subject = staff, adult_at(school)
    if scope == "subject":
        subject = user.person
    if scope == "reporter":
        actor = user
    return incident_services.concern_submit(
        actor=actor,
        school=school,
        category=ConcernCategory.ADULT_CONDUCT,
        what_happened="CANARY-posted a photo of a pupil.",
        subject=subject,
    )


def concern(w, scope, user):
    return {"pk": _concern(w, scope, user).pk}


def _allegation(w, scope, user, to=Allegation.Status.RECORDED, **extra):
    school, dsl, _ = w.at(scope)
    subject = adult_at(school)
    fields = {}
    if scope == "subject":
        subject = user.person
    if scope == "reporter":
        # The federation's leaders belong to no one school: a disclosure names a member of it.
        Membership.objects.get_or_create(person=user.person, school=school)
        staff = user.person.kind == PersonKind.STAFF
        fields = {"source": Source.STAFF if staff else Source.OTHER, "reporter": user.person}
    fields.update(extra)
    return case_in(dsl, school, subject, to, what_happened="CANARY-posted about a pupil.", **fields)


def allegation(w, scope, user):
    return {"pk": _allegation(w, scope, user).pk}


def allegation_from_parent(w, scope, user):
    school, _, _ = w.at(scope)
    return {"pk": _allegation(w, scope, user, source=Source.PARENT, reporter_name="A parent").pk}


def allegation_step(step):
    def build(w, scope, user):
        return {"pk": _allegation(w, scope, user).pk, "step": step}

    build.__name__ = f"allegation_step_{step}"
    return build


def evidence_file(w, scope, user):
    from ..incidents.test_evidence_files import png

    case = _allegation(w, scope, user)
    _, dsl, _ = w.at(scope)
    file = incident_services.evidence_upload(actor=dsl, allegation=case, name="shot.png", data=png())
    return {"pk": file.pk}


def low_level(w, scope, user):
    school, dsl, _ = w.at(scope)
    subject = user.person if scope == "subject" else adult_at(school)
    case_in(dsl, school, subject, Allegation.Status.LOW_LEVEL_CONCERN)
    return {"person_pk": subject.pk, "school_pk": school.pk}


# --- Pupil incidents (§8) ------------------------------------------------------------------------


def _incident(w, scope, user):
    school, _, staff = w.at(scope)
    if scope == "subject":
        return record(
            staff,
            school,
            kind=IncidentType.IMPROPER_CONTACT,
            adult=user.person,
            what_happened="CANARY-messaged a pupil.",
        )
    # Governors and the chair are not staff (§8): they cannot have recorded one, so a colleague did.
    actor = user if scope == "reporter" and incident_policies.can_record_pupil_incident(user) else staff
    return record(
        actor,
        school,
        kind=IncidentType.UNDER_AGE_ACCOUNT,
        platform="instagram",
        pupils=[pupil_with_parent(school)],
    )


def incident(w, scope, user):
    return {"pk": _incident(w, scope, user).pk}


def incident_action(w, scope, user):
    found = _incident(w, scope, user)
    return {"pk": found.pk, "action_pk": found.actions.order_by("pk").first().pk}


def incident_parent_action(w, scope, user):
    found = _incident(w, scope, user)
    action = found.actions.exclude(pupil=None).order_by("pk").first() or found.actions.order_by("pk").first()
    return {"pk": found.pk, "action_pk": action.pk}


# --- Cyberbullying (§10) --------------------------------------------------------------------------------


def _report(w, scope, user, decided=False):
    """A report about two under-13 pupils with parents; ``reporter``: recorded by the signed-in user."""
    school, dsl, staff = w.at(scope)
    actor = staff
    if scope == "reporter" and incident_policies.can_record_pupil_incident(user):
        # The federation's leaders belong to no one school: they record at one they are a member of.
        Membership.objects.get_or_create(person=user.person, school=school)
        actor = user
    found = cyberwork.report(
        actor,
        school,
        victims=[cyberwork.pupil(school, cyberwork.YEAR_7)],
        perpetrators=[{"kind": "pupil", "person": cyberwork.pupil(school, cyberwork.YEAR_7)}],
        what_happened="CANARY-unkind posts about a pupil.",
    )
    if decided:
        incident_services.cyberbullying_decide(actor=dsl, report=found)
    return found


def cyberbullying(w, scope, user):
    return {"pk": _report(w, scope, user).pk}


def cyberbullying_file(w, scope, user):
    """A file on a report: downloaded through the same view as an allegation's files."""
    from ..incidents.test_evidence_files import png

    found = _report(w, scope, user)
    _, dsl, _ = w.at(scope)
    file = incident_services.evidence_upload(actor=dsl, report=found, name="shot.png", data=png())
    return {"pk": file.pk}


def cyberbullying_action(w, scope, user):
    found = _report(w, scope, user, decided=True)
    action = found.actions.exclude(kind=ActionKind.WARN_PARENTS).order_by("pk").first()
    return {"pk": found.pk, "action_pk": action.pk}


def cyberbullying_parent_action(w, scope, user):
    found = _report(w, scope, user, decided=True)
    action = found.actions.filter(kind=ActionKind.WARN_PARENTS).order_by("pk").first()
    return {"pk": found.pk, "action_pk": action.pk}


def cyberbullying_closable(w, scope, user):
    """A decided report whose every action is waived: it may be closed."""
    found = _report(w, scope, user, decided=True)
    _, dsl, _ = w.at(scope)
    for action in found.actions.order_by("pk"):
        incident_services.incident_action_waive(actor=dsl, action=action, reason="Not needed.")
    return {"pk": found.pk}


# --- Notifications ----------------------------------------------------------------------------------


def notification_as(channel, status):
    def build(w, scope, user):
        """A notice to a colleague of the scope's school; ``reporter``: a notice in the user's own inbox."""
        school, _, staff = w.at(scope)
        if scope == "reporter":
            row = NotificationFactory(
                recipient_user=user, school=school, channel=Channel.IN_APP, status=Status.SENT
            )
        else:
            row = NotificationFactory(recipient_user=staff, school=school, channel=channel, status=status)
        return {"pk": row.pk}

    return build


notification = notification_as(Channel.EMAIL, Status.FAILED)


# --- Approvals ---------------------------------------------------------------------------------------


def proposal(status):
    def build(w, scope, user):
        school, _, staff = w.at(scope)
        proposer = user if scope == "reporter" else staff
        return {"pk": in_state(status, school=school, proposer=proposer, moderators=[staff.person]).pk}

    build.__name__ = f"proposal_{status}"
    return build


def declaration(w, scope, user):
    school, _, staff = w.at(scope)
    declarant = user if scope == "reporter" else staff
    return {"pk": DeclarationFactory(school=school, declarant=declarant).pk}


def permission(w, scope, user):
    school, _, staff = w.at(scope)
    requester = user if scope == "reporter" else staff
    return {"pk": PermissionFactory(school=school, requester=requester).pk}


# --- Policy documents and reports ----------------------------------------------------------------------


def policy_version(w, scope, user):
    """``own``: a draft of the federation's policy (heads only); ``other``: a ratified version of
    another federation's policy (nobody here)."""
    if scope == "other":
        return {"pk": ratified_version(w.foreign_federation_school().federation).pk}
    if scope == "other_draft":
        return {"pk": import_version(w.foreign_federation_school().federation).pk}
    return {"pk": import_version(w.school.federation).pk}


def report_job(w, scope, user):
    """A finished PDF of the incident summary: a colleague's (``own``) or the user's (``reporter``)."""
    owner = user if scope == "reporter" else w.colleague_dsl
    name = f"{uuid.uuid4()}.pdf"
    files.store(name, b"%PDF-1.4 test")
    job = ReportJob.objects.create(
        user=owner,
        report="incident_summary",
        status=JobStatus.DONE,
        file_name=name,
        download_name="summary.pdf",
    )
    return {"job_id": job.pk}


def import_job(w, scope, user):
    """A finished import into `school`: another office admin's (``own``) or the user's (``reporter``)."""
    owner = user if scope == "reporter" else make_user(Role.OFFICE_ADMIN, Role.STAFF, school=w.school)
    job = ImportJob.objects.create(
        user=owner,
        school=w.school,
        source=ImportJob.Source.CTF,
        file_name=f"{uuid.uuid4().hex}.xml",
        status=ImportStatus.DONE,
        progress=100,
    )
    return {"pk": job.pk}


def report(key, fmt=None):
    def build(w, scope, user):
        return {"key": key} | ({"fmt": fmt} if fmt else {})

    build.__name__ = f"report_{key}"
    return build


def report_record(fmt=None):
    def build(w, scope, user):
        return {"key": "chronology_pack", "pk": _allegation(w, scope, user).pk} | (
            {"fmt": fmt} if fmt else {}
        )

    return build


# --- Subject access requests ------------------------------------------------------------------------------


def _access_request(w, scope, user, **fields):
    """A request at the scope's school, entered by the Executive Head; ``subject``: about the signed-in
    person."""
    from disclosures.dates import due_on
    from disclosures.models import AccessRequest, RequestKind

    school, _, _ = w.at(scope)
    person = user.person if scope == "subject" else PersonFactory(school=school)
    received = timezone.localdate()
    return AccessRequest.objects.create(
        school=school,
        kind=RequestKind.OWN,
        requester=person,
        subject=person,
        received_on=received,
        due_on=due_on(received),
        recorded_by=w.users["exec_head"],
        **fields,
    )


def access_request(w, scope, user):
    return {"pk": _access_request(w, scope, user).pk}


def access_request_step(step):
    def build(w, scope, user):
        return {"pk": _access_request(w, scope, user).pk, "name": step}

    build.__name__ = f"access_request_step_{step}"
    return build


def access_request_redaction(w, scope, user):
    from disclosures.models import AccessRequest, Redaction

    found = _access_request(w, scope, user, status=AccessRequest.Status.REDACTION_REVIEW)
    item = Redaction.objects.create(request=found, kind="other_pupil", phrase="CANARY-name")
    return {"pk": found.pk, "redaction_pk": item.pk}


def access_request_in_review(w, scope, user):
    return {"pk": access_request_redaction(w, scope, user)["pk"]}


def access_request_pack(fmt):
    def build(w, scope, user):
        from disclosures.models import AccessRequest

        found = _access_request(
            w,
            scope,
            user,
            status=AccessRequest.Status.RELEASED,
            answered_on=timezone.localdate(),
            released_pdf=b"%PDF-1.7 released",
            released_csv=b"Section,Record,Item,Value",
        )
        return {"pk": found.pk, "fmt": fmt}

    build.__name__ = f"access_request_pack_{fmt}"
    return build


# --- Sign-in ---------------------------------------------------------------------------------------------


def password_reset_link(w, scope, user):
    who = w.colleague
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(who.pk)),
        "token": default_token_generator.make_token(who),
    }


def oidc_provider(w, scope, user):
    return {"provider": "microsoft"}


__all__ = [
    "ProposalStatus",
    "timedelta",
    "timezone",
    "record_case",
]
