"""Decisions under concurrency (§5): ten deciders approve one proposal at the same moment; exactly
one decision stands, and every other decider is told who decided and when. PostgreSQL only: the
row lock (SELECT ... FOR UPDATE) is what is being tested."""

import threading

import pytest
from django.db import connection

from approvals import services
from approvals.models import Proposal, ProposalStatus
from core.workflow import InvalidTransition
from people.models import Role

from ..factories import make_user
from .factories import in_state
from .helpers import audit_events, notices

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

THREADS = 10


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole transactions): set DATABASE_URL")


def test_ten_deciders_approving_at_once_leave_exactly_one_decision(school, proposer):
    proposal = in_state(
        ProposalStatus.SUBMITTED, school=school, proposer=proposer, moderators=[proposer.person]
    )
    deciders = [make_user(Role.HEAD_OF_SCHOOL, Role.STAFF, school=school) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def approve(user):
        try:
            start.wait(timeout=30)
            services.proposal_approve(
                actor=user, proposal=Proposal(pk=proposal.pk), conditions=f"by {user.pk}"
            )
            result = ("approved", "")
        except InvalidTransition as exc:
            result = ("refused", exc.messages[0])
        except Exception as exc:  # anything else fails the test below, with its name
            result = ("error", repr(exc))
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=approve, args=(user,)) for user in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == THREADS
    assert [kind for kind, _ in outcomes].count("approved") == 1, outcomes
    assert [kind for kind, _ in outcomes].count("refused") == THREADS - 1, outcomes
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    winner = proposal.decided_by
    assert proposal.conditions == f"by {winner.pk}"
    for kind, message in outcomes:
        if kind == "refused":
            assert message.startswith(f"This proposal was already decided by {winner.person.full_name} at ")
            assert message.endswith("(approved). Nothing was changed.")
    assert len(audit_events(proposal, "approvals.proposal.approve")) == 1
    assert len(notices("approvals_outcome", proposal)) == 2  # the proposer, by email and in the portal
