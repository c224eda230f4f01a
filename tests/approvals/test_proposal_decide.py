"""Deciding a submitted proposal (§5): the Executive Head or the Head of School of its school, never
the proposer; a reason to turn down or send back; conditions and a review date to approve."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import ProposalStatus
from approvals.services import add_months
from approvals.services.workflows import STATUS_PHRASES
from core.vocabulary import Platform
from core.workflow import InvalidTransition
from people.models import Role

from ..factories import ClassGroupFactory, PupilFactory, make_user
from .helpers import audit_events, notices, recipients_of

pytestmark = pytest.mark.django_db

DECISIONS = {
    "approve": (services.proposal_approve, {}, ProposalStatus.APPROVED, "approved"),
    "reject": (
        services.proposal_reject,
        {"reason": "Use the school website."},
        ProposalStatus.REJECTED,
        "turned down",
    ),
    "request_changes": (
        services.proposal_request_changes,
        {"reason": "Name a second moderator."},
        ProposalStatus.CHANGES_REQUESTED,
        "sent back for changes",
    ),
}
DONE = {"approve": "approved", "reject": "rejected", "request_changes": "sent back for changes"}


@pytest.mark.parametrize("decider", ["head_user", "exec_head_user"])
@pytest.mark.parametrize("action", sorted(DECISIONS))
def test_a_decider_decides_and_the_proposer_is_told(request, submitted, proposer, decider, action):
    service, kwargs, status, outcome = DECISIONS[action]
    user = request.getfixturevalue(decider)
    service(actor=user, proposal=submitted, **kwargs)

    submitted.refresh_from_db()
    assert submitted.status == status
    assert submitted.decided_by == user and submitted.decided_at is not None
    [event] = audit_events(submitted, f"approvals.proposal.{action}")
    assert event.actor == user
    assert event.data["status"] == ["submitted", status]
    if "reason" in kwargs:
        assert event.data["reason"] == kwargs["reason"]
        assert submitted.status_reason == kwargs["reason"]
    assert recipients_of("approvals_outcome", submitted) == {proposer.pk}
    assert {n.context["outcome"] for n in notices("approvals_outcome", submitted)} == {outcome}


def test_approval_sets_the_default_review_date_and_keeps_the_conditions(submitted, exec_head_user):
    services.proposal_approve(actor=exec_head_user, proposal=submitted, conditions="  Comments off.  ")
    submitted.refresh_from_db()
    assert submitted.review_date == add_months(timezone.localdate(), 12)
    assert submitted.conditions == "Comments off."
    [event] = audit_events(submitted, "approvals.proposal.approve")
    assert event.data["conditions"] == "Comments off."
    assert event.data["review_date"] == submitted.review_date.isoformat()


def test_the_review_period_is_a_setting(settings, submitted, exec_head_user):
    settings.APPROVALS_REVIEW_MONTHS = 6
    services.proposal_approve(actor=exec_head_user, proposal=submitted)
    submitted.refresh_from_db()
    assert submitted.review_date == add_months(timezone.localdate(), 6)


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "The review date must be after today."),
        (-3, "The review date must be after today."),
        (3 * 366 + 2, "Choose a review date within 3 years of today."),
    ],
)
def test_a_review_date_must_be_in_the_coming_three_years(submitted, exec_head_user, days, message):
    with pytest.raises(ValidationError) as caught:
        services.proposal_approve(
            actor=exec_head_user, proposal=submitted, review_date=timezone.localdate() + timedelta(days=days)
        )
    assert caught.value.message_dict == {"review_date": [message]}
    submitted.refresh_from_db()
    assert submitted.status == ProposalStatus.SUBMITTED


@pytest.mark.parametrize("action", ["reject", "request_changes"])
def test_turning_down_or_sending_back_needs_a_reason(submitted, head_user, action):
    service = DECISIONS[action][0]
    with pytest.raises(ValidationError) as caught:
        service(actor=head_user, proposal=submitted, reason="   ")
    assert "Give a reason" in caught.value.message_dict["reason"][0]
    submitted.refresh_from_db()
    assert submitted.status == ProposalStatus.SUBMITTED
    assert notices("approvals_outcome", submitted) == []


@pytest.mark.parametrize("action", sorted(DECISIONS))
@pytest.mark.parametrize("status", sorted(set(ProposalStatus) - {ProposalStatus.SUBMITTED}))
def test_only_a_submitted_proposal_is_decided(make_proposal, head_user, exec_head_user, action, status):
    service, kwargs, _, _ = DECISIONS[action]
    proposal = make_proposal(status, decider=exec_head_user)
    with pytest.raises(InvalidTransition) as caught:
        service(actor=head_user, proposal=proposal, **kwargs)
    if proposal.decided_at:
        local = timezone.localtime(proposal.decided_at)
        assert caught.value.messages == [
            f"This proposal was already decided by Helen Marsh at {local:%H:%M} on {local.day} {local:%b %Y} "
            f"({STATUS_PHRASES[status]}). Nothing was changed."
        ]
    else:
        assert caught.value.messages == [
            f"This proposal is {STATUS_PHRASES[status]}: it can be {DONE[action]} only while it is submitted."
        ]
    proposal.refresh_from_db()
    assert proposal.status == status
    assert audit_events(proposal, f"approvals.proposal.{action}") == []


def test_a_second_decider_is_told_who_decided_first(submitted, head_user, exec_head_user):
    """Two deciders at once: one decision stands; the other is told by whom and when (§5)."""
    services.proposal_approve(actor=exec_head_user, proposal=submitted)
    stale = type(submitted).objects.get(pk=submitted.pk)
    with pytest.raises(InvalidTransition, match=r"^\['This proposal was already decided by Helen Marsh at "):
        services.proposal_reject(actor=head_user, proposal=stale, reason="No.")
    stale.refresh_from_db()
    assert stale.status == ProposalStatus.APPROVED and stale.decided_by == exec_head_user


@pytest.mark.parametrize("action", sorted(DECISIONS))
@pytest.mark.parametrize(
    "role", ["proposer", "staff_user", "dsl_user", "slt_user", "office_user", "other_head", "chair_user"]
)
def test_only_the_executive_head_or_the_school_s_head_decides(request, submitted, action, role):
    service, kwargs, _, _ = DECISIONS[action]
    with pytest.raises(PermissionDenied):
        service(actor=request.getfixturevalue(role), proposal=submitted, **kwargs)
    submitted.refresh_from_db()
    assert submitted.status == ProposalStatus.SUBMITTED


def test_a_head_never_decides_on_their_own_proposal(make_proposal, head_user):
    proposal = make_proposal(ProposalStatus.SUBMITTED, proposer=head_user)
    with pytest.raises(PermissionDenied):
        services.proposal_approve(actor=head_user, proposal=proposal)


def test_the_executive_head_of_another_federation_cannot_decide(submitted):
    from ..factories import FederationFactory

    stranger = make_user(Role.EXECUTIVE_HEAD, federation=FederationFactory(name="Elsewhere"))
    with pytest.raises(PermissionDenied):
        services.proposal_approve(actor=stranger, proposal=submitted)


def test_approval_runs_the_age_guard_again(school, make_proposal, head_user):
    """A class that gained a younger pupil since submission is caught at approval."""
    year_8 = ClassGroupFactory(school=school, name="Year 8")
    proposal = make_proposal(ProposalStatus.SUBMITTED, audience_pupils=True, platform=Platform.INSTAGRAM)
    proposal.classes.set([year_8])
    year_8.pupils.add(PupilFactory(school=school, date_of_birth=date(2015, 1, 1)))
    with pytest.raises(ValidationError, match="cannot be approved: 1 pupil taking part is younger than 13"):
        services.proposal_approve(actor=head_user, proposal=proposal, today=date(2026, 9, 1))


# --- The decision page: form, confirm step, decision -------------------------------------------------


def _url(proposal):
    return reverse("approvals:proposal_decide", args=[proposal.pk])


def test_approving_through_the_page_asks_for_confirmation_first(client, submitted, exec_head_user):
    client.force_login(exec_head_user)
    review = (timezone.localdate() + timedelta(days=200)).isoformat()
    answers = {"decision": "approve", "conditions": "Comments off.", "review_date": review}
    response = client.post(_url(submitted), answers)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Confirm your decision" in text and "Comments off." in text
    submitted.refresh_from_db()
    assert submitted.status == ProposalStatus.SUBMITTED  # nothing happens before confirming

    response = client.post(_url(submitted), {**answers, "confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == submitted.get_absolute_url()
    submitted.refresh_from_db()
    assert submitted.status == ProposalStatus.APPROVED
    assert submitted.conditions == "Comments off."
    assert submitted.review_date.isoformat() == review


def test_changing_answers_at_the_confirm_step_keeps_them(client, submitted, head_user):
    client.force_login(head_user)
    answers = {"decision": "reject", "reason": "Use the school website.", "review_date": ""}
    response = client.post(_url(submitted), {**answers, "edit": "1"})
    text = response.content.decode()
    assert "Your decision" in text and "Use the school website." in text
    submitted.refresh_from_db()
    assert submitted.status == ProposalStatus.SUBMITTED


def test_turning_down_without_a_reason_is_refused_on_the_form(client, submitted, head_user):
    client.force_login(head_user)
    response = client.post(_url(submitted), {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert "Give a reason for turning the proposal down: the proposer reads it." in response.content.decode()


def test_a_decision_that_lost_the_race_is_shown_on_the_form(client, submitted, head_user, exec_head_user):
    client.force_login(head_user)
    services.proposal_approve(actor=exec_head_user, proposal=type(submitted).objects.get(pk=submitted.pk))
    response = client.post(_url(submitted), {"decision": "reject", "reason": "No.", "confirm": "yes"})
    assert response.status_code == 200
    assert "This proposal was already decided by Helen Marsh at" in response.content.decode()


def test_a_decision_refused_now_shows_on_the_form_before_anyone_is_asked(
    client, submitted, head_user, exec_head_user
):
    client.force_login(head_user)
    services.proposal_approve(actor=exec_head_user, proposal=type(submitted).objects.get(pk=submitted.pk))
    response = client.post(_url(submitted), {"decision": "reject", "reason": "No."})
    text = response.content.decode()
    assert "This proposal was already decided by Helen Marsh at" in text
    assert "Confirm your decision" not in text


def test_the_confirmation_answers_yes_goes_back_to_the_form_or_cancels(client, submitted, head_user):
    client.force_login(head_user)
    response = client.post(_url(submitted), {"decision": "reject", "reason": "Use the school website."})
    text = response.content.decode()
    assert 'name="confirm" value="yes"' in text and ">Confirm decision</button>" in text
    assert 'name="edit"' in text
    assert f'href="{submitted.get_absolute_url()}">Cancel</a>' in text
    assert "You are turning down" in text and "Use the school website." in text


def test_opening_the_decision_page_of_a_decided_proposal_goes_back_to_it(client, make_proposal, head_user):
    proposal = make_proposal(ProposalStatus.APPROVED, decider=head_user)
    client.force_login(head_user)
    response = client.get(_url(proposal), follow=True)
    assert response.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert "already decided by" in response.content.decode()


@pytest.mark.parametrize("role", ["proposer", "staff_user", "dsl_user", "office_user"])
def test_the_decision_page_is_refused_to_the_proposer_and_staff(request, client, submitted, role):
    """The proposer sees their proposal but may not decide it (403); staff do not see a submission (404)."""
    client.force_login(request.getfixturevalue(role))
    expected = 403 if role == "proposer" else 404
    assert client.get(_url(submitted)).status_code == expected
    assert client.post(_url(submitted), {"decision": "approve", "confirm": "yes"}).status_code == expected


def test_the_head_of_another_school_finds_no_such_proposal(client, submitted, other_head):
    client.force_login(other_head)
    assert client.get(_url(submitted)).status_code == 404
    assert client.get(submitted.get_absolute_url()).status_code == 404


def test_the_awaiting_page_lists_what_the_decider_may_decide(client, make_proposal, head_user, other_head):
    mine = make_proposal(ProposalStatus.SUBMITTED, title="Year 9 blog")
    own = make_proposal(ProposalStatus.SUBMITTED, title="My own idea", proposer=head_user)
    make_proposal(ProposalStatus.APPROVED, title="Already approved")
    client.force_login(head_user)
    text = client.get(reverse("approvals:proposal_awaiting")).content.decode()
    assert mine.title in text
    assert own.title not in text and "Already approved" not in text
    client.force_login(other_head)
    assert mine.title not in client.get(reverse("approvals:proposal_awaiting")).content.decode()


def test_the_awaiting_page_is_for_deciders_only(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("approvals:proposal_awaiting")).status_code == 403
