"""Recording a request and taking it from receipt to its answer: each step, each refusal, each audit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from disclosures import policies, services
from disclosures.models import AccessRequest, RequestKind
from disclosures.workflow import ACCESS_REQUEST
from people.models import Membership, Role

from ..factories import ParentFactory, PersonFactory, PupilFactory, make_user
from ..incidents.casework import record_case
from .helpers import child_request, in_review, own_request

S = AccessRequest.Status
pytestmark = pytest.mark.django_db


def events(request):
    return list(
        AuditEvent.objects.filter(target_type="disclosures.accessrequest", target_id=str(request.pk))
        .order_by("pk")
        .values_list("action", "data")
    )


def test_a_request_is_recorded_with_its_due_date_and_audited(exec_head_user, school):
    person = PersonFactory(school=school)
    request = own_request(exec_head_user, school, person, received_on=date(2026, 1, 31))
    assert (request.status, request.subject, request.due_on) == (S.RECEIVED, person, date(2026, 2, 28))
    assert events(request) == [
        (
            "disclosures.request.record",
            {"kind": "own", "received_on": "2026-01-31", "due_on": "2026-02-28"},
        )
    ]


def test_a_parent_asks_only_about_a_child_linked_to_them(exec_head_user, school):
    request = child_request(exec_head_user, school)
    assert request.kind == RequestKind.CHILD and request.requester != request.subject
    stranger = ParentFactory(school=school)
    with pytest.raises(ValidationError) as refused:
        services.request_record(
            actor=exec_head_user,
            school=school,
            kind=RequestKind.CHILD,
            requester=stranger,
            subject=PupilFactory(school=school),
            received_on=date(2026, 11, 2),
        )
    assert refused.value.message_dict == {
        "subject": ["The registry does not link this parent or carer to this child."]
    }


def test_a_request_received_in_the_future_is_refused(exec_head_user, school):
    with pytest.raises(ValidationError) as refused:
        own_request(
            exec_head_user, school, PersonFactory(school=school), timezone.localdate() + timedelta(days=1)
        )
    assert refused.value.message_dict == {
        "received_on": ["The request cannot have been received in the future."]
    }


def test_a_copy_of_an_allegation_goes_to_its_subject_only(exec_head_user, dsl_user, school):
    subject = PersonFactory(school=school)
    case = record_case(dsl_user, school, subject)
    copy = services.request_record(
        actor=exec_head_user,
        school=school,
        kind=RequestKind.ALLEGATION_COPY,
        requester=subject,
        allegation=case,
        received_on=date(2026, 11, 2),
    )
    assert (copy.subject, copy.allegation) == (subject, case)
    with pytest.raises(ValidationError) as refused:
        services.request_record(
            actor=exec_head_user,
            school=school,
            kind=RequestKind.ALLEGATION_COPY,
            requester=PersonFactory(school=school),
            allegation=case,
            received_on=date(2026, 11, 2),
        )
    assert refused.value.message_dict == {
        "requester": ["A copy of an allegation record goes to the allegation's subject only."]
    }


@pytest.mark.parametrize("role", [Role.DSL, Role.HEAD_OF_SCHOOL, Role.OFFICE_ADMIN, Role.SLT, Role.STAFF])
def test_only_the_handling_role_records_a_request(school, role):
    user = make_user(role, school=school)
    with pytest.raises(PermissionDenied):
        own_request(user, school, PersonFactory(school=school))


def test_the_handling_role_is_a_setting(settings, school):
    settings.DISCLOSURES_HANDLER_ROLE = Role.OFFICE_ADMIN
    office = make_user(Role.OFFICE_ADMIN, school=school)
    request = own_request(office, school, PersonFactory(school=school))
    assert request.status == S.RECEIVED


def test_the_happy_path_releases_a_pack_and_audits_each_step(exec_head_user, school):
    request = own_request(exec_head_user, school, PersonFactory(school=school))
    services.request_assemble(actor=exec_head_user, request=request)
    assert request.status == S.ASSEMBLING
    services.request_review(actor=exec_head_user, request=request)
    assert request.status == S.REDACTION_REVIEW
    services.request_release(actor=exec_head_user, request=request)
    request.refresh_from_db()
    assert request.status == S.RELEASED and request.answered_on == timezone.localdate()
    assert bytes(request.released_pdf).startswith(b"%PDF") and bytes(request.released_csv)
    assert [action for action, _ in events(request)] == [
        "disclosures.request.record",
        "disclosures.request.assemble",
        "disclosures.request.review",
        "disclosures.request.release",
    ]
    assert events(request)[-1][1] == {"status": ["redaction_review", "released"], "redactions": 0}


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("review", S.RECEIVED),
        ("release", S.RECEIVED),
        ("release", S.ASSEMBLING),
        ("assemble", S.ASSEMBLING),
    ],
)
def test_a_step_out_of_order_is_refused(exec_head_user, school, step, status):
    request = own_request(exec_head_user, school, PersonFactory(school=school))
    if status == S.ASSEMBLING:
        services.request_assemble(actor=exec_head_user, request=request)
    with pytest.raises(InvalidTransition):
        getattr(services, f"request_{step}")(actor=exec_head_user, request=request)


@pytest.mark.parametrize("closing", ["withdraw", "refuse"])
def test_withdrawal_and_refusal_need_a_reason_and_end_the_request(exec_head_user, school, closing):
    request = own_request(exec_head_user, school, PersonFactory(school=school))
    step = getattr(services, f"request_{closing}")
    with pytest.raises(ValidationError) as refused:
        step(actor=exec_head_user, request=request, reason="  ")
    assert list(refused.value.message_dict) == ["reason"]
    step(actor=exec_head_user, request=request, reason="The requester wrote to withdraw it.")
    request.refresh_from_db()
    assert request.status == (S.WITHDRAWN if closing == "withdraw" else S.REFUSED)
    assert request.closing_reason == "The requester wrote to withdraw it."
    assert (request.answered_on is not None) == (closing == "refuse")
    with pytest.raises(InvalidTransition) as again:
        services.request_assemble(actor=exec_head_user, request=request)
    assert "it can be assembled only while it is received" in str(again.value)


def test_the_deadline_is_extended_once_with_a_reason(exec_head_user, school):
    request = own_request(exec_head_user, school, PersonFactory(school=school), received_on=date(2026, 1, 31))
    with pytest.raises(ValidationError) as refused:
        services.request_extend(actor=exec_head_user, request=request, reason="")
    assert refused.value.message_dict == {"reason": ["Say why the request needs more time."]}
    services.request_extend(actor=exec_head_user, request=request, reason="Records at three schools.")
    request.refresh_from_db()
    assert request.due_on == date(2026, 4, 30) and request.status == S.RECEIVED
    assert events(request)[-1] == (
        "disclosures.request.extend",
        {"status": ["received", "received"], "due_on": ["2026-02-28", "2026-04-30"]},
    )
    with pytest.raises(InvalidTransition) as again:
        services.request_extend(actor=exec_head_user, request=request, reason="More.")
    assert str(again.value.message) == (
        "The deadline of this request has already been extended: it can be extended once."
    )


def test_a_release_waits_for_every_proposed_redaction(exec_head_user, dsl_user, school):
    pupil = PupilFactory(school=school)
    from ..incidents.pupilwork import record

    record(dsl_user, school, pupils=[pupil, PupilFactory(school=school)])
    request = in_review(exec_head_user, own_request(exec_head_user, school, pupil))
    assert request.redactions.count() >= 1
    with pytest.raises(ValidationError) as refused:
        services.request_release(actor=exec_head_user, request=request)
    assert refused.value.messages[0].startswith("Decide every proposed redaction first:")
    request.refresh_from_db()
    assert request.status == S.REDACTION_REVIEW


@pytest.mark.parametrize("role", [Role.DSL, Role.HEAD_OF_SCHOOL, Role.OFFICE_ADMIN, Role.CHAIR_OF_GOVERNORS])
def test_other_roles_cannot_see_a_request_to_take_its_steps(exec_head_user, school, role):
    request = own_request(exec_head_user, school, PersonFactory(school=school))
    user = make_user(role, school=school)
    with pytest.raises(Http404):
        services.request_assemble(actor=user, request=request)


def test_a_handler_does_not_handle_a_request_about_themselves(exec_head_user, school):
    other_head = make_user(Role.EXECUTIVE_HEAD, federation=school.federation)
    Membership.objects.create(person=exec_head_user.person, school=school)
    request = own_request(other_head, school, exec_head_user.person)
    with pytest.raises(Http404):
        services.request_assemble(actor=exec_head_user, request=request)
    assert ACCESS_REQUEST.refusal(exec_head_user, request, "assemble") == (
        "Only the person who handles subject access requests for the school can do this."
    )


def test_a_school_handling_role_sees_only_its_own_schools_requests(settings, school, other_school):
    settings.DISCLOSURES_HANDLER_ROLE = Role.OFFICE_ADMIN
    office = make_user(Role.OFFICE_ADMIN, school=school)
    other_office = make_user(Role.OFFICE_ADMIN, school=other_school)
    mine = own_request(office, school, PersonFactory(school=school))
    theirs = own_request(other_office, other_school, PersonFactory(school=other_school))
    assert list(policies.requests_visible_to(office)) == [mine]
    with pytest.raises(PermissionDenied):
        own_request(office, other_school, PersonFactory(school=other_school))
    with pytest.raises(Http404):
        services.request_assemble(actor=office, request=theirs)


def test_a_superuser_sees_every_request(exec_head_user, school, other_school):
    first = own_request(exec_head_user, school, PersonFactory(school=school))
    second = own_request(exec_head_user, other_school, PersonFactory(school=other_school))
    admin = make_user(school=school)
    admin.is_superuser = True
    admin.save()
    assert set(policies.requests_visible_to(admin)) == {first, second}


def test_a_handling_role_that_names_no_role_is_refused_loudly(settings, school):
    settings.DISCLOSURES_HANDLER_ROLE = "headteacher"
    with pytest.raises(ValueError, match="DISCLOSURES_HANDLER_ROLE names no role"):
        policies.can_handle_requests(make_user(Role.DSL, school=school))


def test_the_system_check_names_a_wrong_handling_role(settings):
    from disclosures.apps import check_handler_role

    assert check_handler_role() == []
    settings.DISCLOSURES_HANDLER_ROLE = "headteacher"
    assert [error.id for error in check_handler_role()] == ["disclosures.E001"]
