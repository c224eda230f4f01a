"""A running service: suspended (with a reason) and reinstated, renewed with a new review date, and
withdrawn by its proposer (at any stage) or closed by a decider."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import ProposalStatus
from approvals.services.workflows import PROPOSAL, STATUS_PHRASES
from core.workflow import InvalidTransition

from .helpers import audit_events, notices, recipients_of

pytestmark = pytest.mark.django_db

S = ProposalStatus
ACTIONS = {
    "suspend": (services.proposal_suspend, {"reason": "A post named a pupil."}, S.SUSPENDED, "suspended"),
    "reinstate": (services.proposal_reinstate, {"note": "Post removed."}, S.APPROVED, "reinstated"),
    "renew": (services.proposal_renew, {}, S.APPROVED, "renewed"),
}
DECIDER_ROLES = ["head_user", "exec_head_user"]
REFUSED_ROLES = ["proposer", "staff_user", "dsl_user", "slt_user", "office_user", "other_head", "chair_user"]


def _source(action):
    return next(iter(PROPOSAL[action].sources))


@pytest.mark.parametrize("decider", DECIDER_ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_decider_acts_on_a_running_service_and_the_proposer_is_told(
    request, make_proposal, proposer, action, decider
):
    service, kwargs, target, outcome = ACTIONS[action]
    user = request.getfixturevalue(decider)
    proposal = make_proposal(_source(action))
    service(actor=user, proposal=proposal, **kwargs)
    proposal.refresh_from_db()
    assert proposal.status == target
    [event] = audit_events(proposal, f"approvals.proposal.{action}")
    assert event.actor == user and event.data["status"] == [_source(action), target]
    assert recipients_of("approvals_outcome", proposal) == {proposer.pk}
    assert {n.context["outcome"] for n in notices("approvals_outcome", proposal)} == {outcome}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_is_refused_from_every_other_state(make_proposal, head_user, action):
    service, kwargs, _, _ = ACTIONS[action]
    move = PROPOSAL[action]
    for status in sorted(set(S) - move.sources):
        proposal = make_proposal(status)
        with pytest.raises(InvalidTransition) as caught:
            service(actor=head_user, proposal=proposal, **kwargs)
        assert caught.value.messages == [
            f"This proposal is {STATUS_PHRASES[status]}: it can be {move.done} only while it is "
            f"{STATUS_PHRASES[_source(action)]}."
        ], status
        proposal.refresh_from_db()
        assert proposal.status == status


@pytest.mark.parametrize("role", REFUSED_ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_only_a_decider_acts_on_a_running_service(request, make_proposal, action, role):
    service, kwargs, _, _ = ACTIONS[action]
    proposal = make_proposal(_source(action))
    with pytest.raises(PermissionDenied):
        service(actor=request.getfixturevalue(role), proposal=proposal, **kwargs)
    proposal.refresh_from_db()
    assert proposal.status == _source(action)


def test_suspending_needs_a_reason(make_proposal, head_user):
    proposal = make_proposal(S.APPROVED)
    with pytest.raises(ValidationError) as caught:
        services.proposal_suspend(actor=head_user, proposal=proposal, reason="")
    assert caught.value.message_dict == {
        "reason": ["Give a reason for suspending the service: the proposer reads it."]
    }


def test_a_service_past_its_review_date_is_not_reinstated(make_proposal, head_user):
    proposal = make_proposal(S.SUSPENDED, review_date=timezone.localdate())
    with pytest.raises(ValidationError, match="review date has passed"):
        services.proposal_reinstate(actor=head_user, proposal=proposal)


def test_renewal_sets_a_new_review_date_and_may_change_the_conditions(make_proposal, exec_head_user):
    proposal = make_proposal(S.APPROVED, conditions="Comments off.")
    new_date = timezone.localdate() + timedelta(days=400)
    services.proposal_renew(
        actor=exec_head_user, proposal=proposal, review_date=new_date, conditions="None now."
    )
    proposal.refresh_from_db()
    assert proposal.review_date == new_date
    assert proposal.conditions == "None now."
    assert proposal.decided_by == exec_head_user


# --- Withdrawing -----------------------------------------------------------------------------------------

WITHDRAWABLE = PROPOSAL["withdraw"].sources


@pytest.mark.parametrize("status", sorted(WITHDRAWABLE))
def test_the_proposer_withdraws_at_any_stage_before_it_finishes(make_proposal, proposer, status):
    proposal = make_proposal(status)
    services.proposal_withdraw(actor=proposer, proposal=proposal, reason="No longer needed.")
    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN
    [event] = audit_events(proposal, "approvals.proposal.withdraw")
    assert event.data == {"status": [status, "withdrawn"], "reason": "No longer needed."}
    # The proposer acted: no one needs telling.
    assert notices("approvals_outcome", proposal) == []


@pytest.mark.parametrize("status", sorted(set(S) - WITHDRAWABLE))
def test_a_finished_proposal_is_not_withdrawn(make_proposal, proposer, status):
    proposal = make_proposal(status)
    with pytest.raises(InvalidTransition) as caught:
        services.proposal_withdraw(actor=proposer, proposal=proposal)
    assert caught.value.messages[0].startswith(
        f"This proposal is {STATUS_PHRASES[status]}: it can be withdrawn"
    )


@pytest.mark.parametrize("status", [S.APPROVED, S.SUSPENDED])
def test_a_decider_closes_a_running_service_and_the_proposer_is_told(
    make_proposal, proposer, head_user, status
):
    proposal = make_proposal(status)
    services.proposal_withdraw(actor=head_user, proposal=proposal, reason="The class has ended.")
    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN
    assert recipients_of("approvals_outcome", proposal) == {proposer.pk}


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED])
def test_a_decider_does_not_withdraw_someone_else_s_proposal(make_proposal, head_user, status):
    proposal = make_proposal(status)
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(actor=head_user, proposal=proposal)


@pytest.mark.parametrize("role", ["staff_user", "dsl_user", "office_user", "other_head"])
def test_staff_cannot_withdraw_a_colleague_s_service(request, make_proposal, role):
    proposal = make_proposal(S.APPROVED)
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(actor=request.getfixturevalue(role), proposal=proposal)


# --- The pages ------------------------------------------------------------------------------------------


def test_suspending_through_the_page_keeps_the_reason_and_tells_the_proposer(
    client, make_proposal, head_user
):
    proposal = make_proposal(S.APPROVED)
    client.force_login(head_user)
    url = reverse("approvals:proposal_suspend", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert "Suspend this service" in page
    response = client.post(url, {"reason": ""})
    assert "Enter the reason for suspending." in response.content.decode()
    response = client.post(url, {"reason": "A post named a pupil."}, follow=True)
    assert "The service is suspended. The proposer has been told." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == S.SUSPENDED and proposal.status_reason == "A post named a pupil."


def test_withdrawing_through_the_page_is_confirmed_on_its_own_page(client, draft, proposer):
    client.force_login(proposer)
    url = reverse("approvals:proposal_withdraw", args=[draft.pk])
    assert "Withdrawing is final" in client.get(url).content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    client.post(url, {})
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN


def test_renewing_through_the_page(client, make_proposal, exec_head_user):
    proposal = make_proposal(S.APPROVED)
    client.force_login(exec_head_user)
    new_date = timezone.localdate() + timedelta(days=365)
    client.post(
        reverse("approvals:proposal_renew", args=[proposal.pk]),
        {"review_date": new_date.isoformat(), "conditions": ""},
    )
    proposal.refresh_from_db()
    assert proposal.review_date == new_date


def test_an_action_page_for_the_wrong_state_goes_back_with_the_reason(client, make_proposal, head_user):
    proposal = make_proposal(S.SUSPENDED)
    client.force_login(head_user)
    response = client.get(reverse("approvals:proposal_suspend", args=[proposal.pk]), follow=True)
    assert response.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert (
        "This proposal is suspended: it can be suspended only while it is approved."
        in response.content.decode()
    )


@pytest.mark.parametrize("action", ["suspend", "reinstate", "renew"])
def test_staff_who_see_a_service_may_not_act_on_it(client, make_proposal, staff_user, action):
    proposal = make_proposal(_source(action))
    client.force_login(staff_user)
    assert client.get(proposal.get_absolute_url()).status_code == 200  # on the register
    assert client.get(reverse(f"approvals:proposal_{action}", args=[proposal.pk])).status_code == 403


def test_the_proposer_may_not_suspend_their_own_service(client, make_proposal, proposer):
    proposal = make_proposal(S.APPROVED)
    client.force_login(proposer)
    assert (
        client.post(reverse("approvals:proposal_suspend", args=[proposal.pk]), {"reason": "x"}).status_code
        == 403
    )
