"""Publication permissions (§6): staff ask before a post refers to staff, pupils, parents or events;
the Executive Head alone agrees or declines (with a reason); the requester is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals import services
from approvals.models import PermissionStatus, ProposalStatus, PublicationPermission
from core.workflow import InvalidTransition

from ..factories import PersonFactory
from .factories import PermissionFactory
from .helpers import audit_events, notices, recipients_of

pytestmark = pytest.mark.django_db

P = PermissionStatus


@pytest.fixture
def service(make_proposal):
    return make_proposal(ProposalStatus.APPROVED, title="Class history blog")


@pytest.fixture
def requested(school, service, proposer):
    return PermissionFactory(school=school, service=service, requester=proposer)


def test_staff_ask_and_the_executive_head_is_told(service, proposer, pupil, exec_head_user, head_user):
    permission = services.permission_request(
        actor=proposer, service=service, post_text="Maya won the prize.", pupils=[pupil]
    )
    assert permission.status == P.REQUESTED and permission.school == service.school
    [event] = audit_events(permission, "approvals.permission.request")
    assert event.data["pupil_ids"] == [pupil.pk] and event.data["service_id"] == service.pk
    assert recipients_of("approvals_action_needed", permission) == {exec_head_user.pk}


def test_a_post_referring_to_no_one_needs_no_permission(service, proposer):
    with pytest.raises(ValidationError) as caught:
        services.permission_request(actor=proposer, service=service, post_text="Term starts Monday.")
    assert caught.value.message_dict["__all__"][0].endswith(
        "A post that refers to none of them needs no permission."
    )


@pytest.mark.parametrize("status", [s for s in ProposalStatus if s != ProposalStatus.APPROVED])
def test_posts_go_only_on_an_approved_service(make_proposal, proposer, status):
    service = make_proposal(status)
    with pytest.raises(ValidationError) as caught:
        services.permission_request(actor=proposer, service=service, post_text="x", event="Sports day")
    assert "posts go only on an approved service" in caught.value.message_dict["service"][0]


def test_people_referred_to_must_be_of_the_service_s_school(service, proposer, other_school):
    stranger = PersonFactory(school=other_school, first_name="Sam", last_name="Else")
    with pytest.raises(ValidationError) as caught:
        services.permission_request(actor=proposer, service=service, post_text="x", staff=[stranger])
    assert caught.value.message_dict == {"staff": ["Not a member of staff at Larch School: Sam Else."]}


@pytest.mark.parametrize("role", ["exec_head_user", "other_head", "governor_user"])
def test_only_staff_of_the_school_ask(request, service, role):
    with pytest.raises(PermissionDenied):
        services.permission_request(
            actor=request.getfixturevalue(role), service=service, post_text="x", event="Sports day"
        )


def test_the_executive_head_agrees_and_the_requester_is_told(requested, proposer, exec_head_user):
    services.permission_agree(actor=exec_head_user, permission=requested, note="No faces.")
    requested.refresh_from_db()
    assert requested.status == P.AGREED and requested.decided_by == exec_head_user
    [event] = audit_events(requested, "approvals.permission.agree")
    assert event.data == {"status": ["requested", "agreed"], "note": "No faces."}
    assert recipients_of("approvals_outcome", requested) == {proposer.pk}
    assert {n.context["outcome"] for n in notices("approvals_outcome", requested)} == {"agreed"}


def test_the_executive_head_declines_with_a_reason(requested, proposer, exec_head_user):
    with pytest.raises(ValidationError) as caught:
        services.permission_decline(actor=exec_head_user, permission=requested, reason="")
    assert caught.value.message_dict == {"reason": ["Give a reason for declining: the requester reads it."]}
    services.permission_decline(actor=exec_head_user, permission=requested, reason="Ask the colleague first.")
    requested.refresh_from_db()
    assert requested.status == P.DECLINED and requested.decision_note == "Ask the colleague first."
    assert [e.data["reason"] for e in audit_events(requested, "approvals.permission.decline")] == [
        "Ask the colleague first."
    ]
    assert {n.context["outcome"] for n in notices("approvals_outcome", requested)} == {"declined"}


@pytest.mark.parametrize("status", [P.AGREED, P.DECLINED])
@pytest.mark.parametrize("action", ["agree", "decline"])
def test_a_decided_request_is_not_decided_again(requested, exec_head_user, status, action):
    first = services.permission_agree if status == P.AGREED else services.permission_decline
    first(actor=exec_head_user, permission=requested, **({"reason": "No."} if status == P.DECLINED else {}))
    second = services.permission_agree if action == "agree" else services.permission_decline
    with pytest.raises(InvalidTransition) as caught:
        second(actor=exec_head_user, permission=requested, **({"reason": "x"} if action == "decline" else {}))
    assert caught.value.messages[0].startswith(f"This request was already {status} by Helen Marsh at ")


def test_agreeing_to_a_post_on_a_suspended_service_is_refused(requested, exec_head_user):
    type(requested.service).objects.filter(pk=requested.service_id).update(
        status=ProposalStatus.SUSPENDED, status_reason="x"
    )
    with pytest.raises(ValidationError, match="is suspended: nothing can be posted on it now"):
        services.permission_agree(actor=exec_head_user, permission=requested)


@pytest.mark.parametrize(
    "role", ["head_user", "proposer", "dsl_user", "slt_user", "office_user", "staff_user", "chair_user"]
)
def test_only_the_executive_head_decides(request, requested, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.permission_agree(actor=user, permission=requested)
    with pytest.raises(PermissionDenied):
        services.permission_decline(actor=user, permission=requested, reason="x")


# --- Pages --------------------------------------------------------------------------------------------


def test_asking_through_the_page_keeps_input_on_error(client, service, proposer):
    client.force_login(proposer)
    url = reverse("approvals:permission_create")
    response = client.post(url, {"service": service.pk, "post_text": "Term starts."})
    text = response.content.decode()
    assert "A post that refers to none of them needs no permission." in text
    assert "Term starts." in text
    response = client.post(
        url, {"service": service.pk, "post_text": "Sports day photos.", "event": "Sports day"}
    )
    permission = PublicationPermission.objects.get()
    assert response["Location"] == permission.get_absolute_url()


def test_the_ask_page_preselects_the_service(client, service, proposer):
    client.force_login(proposer)
    text = client.get(reverse("approvals:permission_create"), {"service": service.pk}).content.decode()
    assert f'<option value="{service.pk}" selected>' in text


def test_deciding_through_the_page_is_confirmed_first(client, requested, exec_head_user):
    client.force_login(exec_head_user)
    url = reverse("approvals:permission_decide", args=[requested.pk])
    response = client.post(url, {"decision": "decline", "note": ""})
    assert "Give a reason for declining: the requester reads it." in response.content.decode()
    response = client.post(url, {"decision": "decline", "note": "Not now."})
    assert "Confirm your decision" in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == P.REQUESTED
    client.post(url, {"decision": "decline", "note": "Not now.", "confirm": "yes"})
    requested.refresh_from_db()
    assert requested.status == P.DECLINED


@pytest.mark.parametrize(("role", "status"), [("proposer", 200), ("exec_head_user", 200), ("head_user", 200),
                                              ("dsl_user", 404), ("staff_user", 404), ("other_head", 404)])  # fmt: skip
def test_a_request_is_seen_by_its_requester_and_the_heads(request, client, requested, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(requested.get_absolute_url()).status_code == status


@pytest.mark.parametrize(("role", "status"), [("proposer", 403), ("head_user", 403), ("exec_head_user", 200)])
def test_the_decision_page_is_the_executive_head_s(request, client, requested, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("approvals:permission_decide", args=[requested.pk])).status_code == status


def test_the_register_lists_agreed_permissions_only(
    client, school, service, proposer, exec_head_user, head_user
):
    agreed = PermissionFactory(school=school, service=service, requester=proposer, post_text="Agreed post")
    services.permission_agree(actor=exec_head_user, permission=agreed)
    PermissionFactory(school=school, service=service, requester=proposer, post_text="Waiting post")
    client.force_login(head_user)
    text = client.get(reverse("approvals:permission_register")).content.decode()
    assert f"#{agreed.pk}" in text
    assert "1 agreed permission." in text


@pytest.mark.parametrize(("role", "status"), [("staff_user", 403), ("dsl_user", 403), ("head_user", 200)])
def test_the_permissions_register_is_for_the_heads(request, client, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("approvals:permission_register")).status_code == status
