"""Recording a subject access request and taking it through its steps (disclosures.workflow)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.workflow import transition
from people.models import ParentLink, Person

from .. import dates, policies
from ..models import AccessRequest, RequestKind
from ..workflow import ACCESS_REQUEST
from . import redactions

REASON_MAX = 1000


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message}, code="required")
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters."}, code="max_length")
    return reason


@transaction.atomic
def request_record(
    *,
    actor,
    school,
    kind: str,
    requester: Person,
    subject: Person | None = None,
    received_on: date,
    allegation=None,
) -> AccessRequest:
    """Enter a request in the register. Its answer is due one calendar month from receipt (art. 12(3)).

    A request about oneself names the requester as its subject; a parent or carer asks about a child
    they are linked to; a copy of an allegation record goes to the allegation's subject."""
    if (
        not policies.can_handle_requests(actor)
        or not policies.schools_for_requests(actor).filter(pk=school.pk).exists()
    ):
        raise PermissionDenied(
            "Only the person who handles subject access requests for the school can record one."
        )
    errors = {}
    if received_on > timezone.localdate():
        errors["received_on"] = "The request cannot have been received in the future."
    if kind == RequestKind.OWN:
        subject = requester
    elif kind == RequestKind.CHILD:
        if subject is None:
            errors["subject"] = "Choose the child the request is about."
        elif not ParentLink.objects.filter(parent=requester, pupil=subject).exists():
            errors["subject"] = "The registry does not link this parent or carer to this child."
    elif kind == RequestKind.ALLEGATION_COPY:
        if allegation is None:
            errors["allegation"] = "Choose the allegation whose record is to be copied."
        else:
            subject = allegation.subject
            if requester.pk != allegation.subject_id:
                errors["requester"] = "A copy of an allegation record goes to the allegation's subject only."
    else:
        errors["kind"] = "Choose what kind of request it is."
    if errors:
        raise ValidationError(errors)
    people = policies.people_for_requests(actor)
    if not people.filter(pk=requester.pk).exists() or not people.filter(pk=subject.pk).exists():
        raise ValidationError({"requester": "Choose people of the school you handle requests for."})
    request = AccessRequest.objects.create(
        school=school,
        kind=kind,
        requester=requester,
        subject=subject,
        allegation=allegation if kind == RequestKind.ALLEGATION_COPY else None,
        received_on=received_on,
        due_on=dates.due_on(received_on),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="disclosures.request.record",
        target=request,
        school=school,
        data={"kind": kind, "received_on": received_on.isoformat(), "due_on": request.due_on.isoformat()},
    )
    return request


def _step(name: str, *, actor, request: AccessRequest, apply=None):
    row, _ = transition(
        ACCESS_REQUEST,
        name,
        record=request,
        actor=actor,
        queryset=policies.requests_visible_to(actor),
        apply=apply,
    )
    return row


def request_assemble(*, actor, request: AccessRequest) -> AccessRequest:
    """Start gathering the records the portal holds about the person."""
    return _step("assemble", actor=actor, request=request)


def request_review(*, actor, request: AccessRequest) -> AccessRequest:
    """Send the pack to redaction review: the portal proposes its redactions, for a person to decide."""

    def apply(row):
        return {"proposed": redactions.propose(row)}

    return _step("review", actor=actor, request=request, apply=apply)


def request_extend(*, actor, request: AccessRequest, reason: str) -> AccessRequest:
    """Extend the deadline by two further months (art. 12(3)), once, saying why."""

    def apply(row):
        row.extension_reason = _reason(reason, "Say why the request needs more time.")
        before, row.due_on = row.due_on, dates.due_on(row.received_on, extended=True)
        return {"due_on": [before.isoformat(), row.due_on.isoformat()]}

    return _step("extend", actor=actor, request=request, apply=apply)


def request_withdraw(*, actor, request: AccessRequest, reason: str) -> AccessRequest:
    def apply(row):
        row.closing_reason = _reason(reason, "Say how the request was withdrawn.")

    return _step("withdraw", actor=actor, request=request, apply=apply)


def request_refuse(*, actor, request: AccessRequest, reason: str) -> AccessRequest:
    """Refuse the request (manifestly unfounded or excessive, art. 12(5)), saying why: the refusal is the
    answer, so it is dated."""

    def apply(row):
        row.closing_reason = _reason(reason, "Say why the request is refused.")
        row.answered_on = timezone.localdate()

    return _step("refuse", actor=actor, request=request, apply=apply)


def request_release(*, actor, request: AccessRequest) -> AccessRequest:
    """Release the pack: every proposed redaction decided and none missing, the PDF and CSV made from the
    accepted ones and kept exactly as sent."""

    def apply(row):
        pdf, csv, count = redactions.release_files(row)
        row.released_pdf, row.released_csv = pdf, csv
        row.answered_on = timezone.localdate()
        return {"redactions": count}

    return _step("release", actor=actor, request=request, apply=apply)
