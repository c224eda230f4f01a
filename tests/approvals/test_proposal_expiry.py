"""The daily jobs: approvals expire on their review date unless renewed; proposer and approver are
reminded 30 and 7 days before, and told when it expires."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import ProposalStatus
from core.workflow import InvalidTransition
from notifications.reminders import registered_daily, run_daily

from .helpers import audit_events, notices, recipients_of

pytestmark = pytest.mark.django_db

S = ProposalStatus


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.mark.parametrize("status", [S.APPROVED, S.SUSPENDED])
def test_a_service_expires_on_its_review_date_and_both_are_told(
    make_proposal, proposer, head_user, today, status
):
    due = make_proposal(status, decider=head_user, review_date=today)
    later = make_proposal(S.APPROVED, decider=head_user, review_date=today + timedelta(days=1))

    assert services.proposals_expire_due(today=today) == [due.pk]

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == S.EXPIRED and later.status == S.APPROVED
    [event] = audit_events(due, "approvals.proposal.expire")
    assert event.actor is None
    assert event.data == {"status": [status, "expired"], "review_date": today.isoformat()}
    assert recipients_of("approvals_expired", due) == {proposer.pk, head_user.pk}


def test_expiry_is_idempotent(make_proposal, today):
    proposal = make_proposal(S.APPROVED, review_date=today - timedelta(days=3))
    assert services.proposals_expire_due(today=today) == [proposal.pk]
    assert services.proposals_expire_due(today=today) == []
    assert len(audit_events(proposal, "approvals.proposal.expire")) == 1


@pytest.mark.parametrize("status", sorted(set(S) - {S.APPROVED, S.SUSPENDED}))
def test_only_a_running_service_expires(make_proposal, today, status):
    proposal = make_proposal(status)
    with pytest.raises(InvalidTransition, match="it can be expired only while it is approved or suspended"):
        services.proposal_expire(proposal=proposal, today=today)


def test_a_service_is_not_expired_before_its_review_date(make_proposal, today):
    proposal = make_proposal(S.APPROVED, review_date=today + timedelta(days=2))
    with pytest.raises(InvalidTransition, match="runs until its review date"):
        services.proposal_expire(proposal=proposal, today=today)


@pytest.mark.parametrize(("days_left", "reminder"), [(30, 30), (20, 30), (8, 30), (7, 7), (1, 7)])
def test_proposer_and_approver_are_reminded_before_the_review(
    make_proposal, proposer, head_user, today, days_left, reminder
):
    proposal = make_proposal(S.APPROVED, decider=head_user, review_date=today + timedelta(days=days_left))
    assert services.proposal_review_reminders_send(today=today) == 1
    assert recipients_of("approvals_review_due", proposal) == {proposer.pk, head_user.pk}
    [notice] = [n for n in notices("approvals_review_due", proposal) if n.recipient_user_id == proposer.pk][
        :1
    ]
    assert notice.event.endswith(f".{reminder}")
    assert notice.context["days"] == days_left


def test_no_reminder_more_than_thirty_days_ahead(make_proposal, today):
    make_proposal(S.APPROVED, review_date=today + timedelta(days=31))
    assert services.proposal_review_reminders_send(today=today) == 0


def test_each_reminder_goes_once_even_when_the_job_runs_daily(make_proposal, today):
    proposal = make_proposal(S.APPROVED, review_date=today + timedelta(days=30))
    assert services.proposal_review_reminders_send(today=today) == 1
    assert services.proposal_review_reminders_send(today=today + timedelta(days=1)) == 0
    assert services.proposal_review_reminders_send(today=today + timedelta(days=23)) == 1  # the 7-day one
    assert services.proposal_review_reminders_send(today=today + timedelta(days=24)) == 0
    # Two reminders, each by email and in the portal, to the proposer and the approver.
    assert len(notices("approvals_review_due", proposal)) == 8


def test_a_renewed_service_is_reminded_again_for_its_new_date(make_proposal, head_user, today):
    proposal = make_proposal(S.APPROVED, decider=head_user, review_date=today + timedelta(days=5))
    assert services.proposal_review_reminders_send(today=today) == 1
    services.proposal_renew(
        actor=head_user, proposal=proposal, review_date=today + timedelta(days=6), today=today
    )
    assert services.proposal_review_reminders_send(today=today) == 1


def test_the_daily_jobs_are_registered_and_run(make_proposal, today):
    names = set(registered_daily())
    assert {
        "approvals.proposals_expire",
        "approvals.proposal_reviews_due",
        "approvals.declarations_due",
    } <= names
    proposal = make_proposal(S.APPROVED, review_date=today)
    outcome = run_daily()
    assert outcome["approvals.proposals_expire"] == "ok"
    proposal.refresh_from_db()
    assert proposal.status == S.EXPIRED
