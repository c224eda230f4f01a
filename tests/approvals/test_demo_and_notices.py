"""The demo data (every state, idempotent) and the notices' wording (a category, a school, a link:
never a proposal's content)."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from approvals import services
from approvals.models import Declaration, Proposal, ProposalStatus, PublicationPermission
from notifications.catalogue import get_template
from notifications.rendering import preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _counts():
    return (
        Proposal.objects.count(),
        Declaration.objects.count(),
        PublicationPermission.objects.count(),
    )


def test_the_demo_has_proposals_in_every_state(seeded):
    assert set(Proposal.objects.values_list("status", flat=True)) == set(ProposalStatus)
    proposers = set(Proposal.objects.values_list("proposer__username", flat=True))
    assert proposers == {"teacher.larchwood", "staff.larchwood"}
    deciders = set(Proposal.objects.exclude(decided_by=None).values_list("decided_by__username", flat=True))
    assert deciders == {"exec.head", "head.larchwood"}


def test_the_demo_has_declarations_and_permissions_in_each_state(seeded):
    assert set(Declaration.objects.values_list("status", flat=True)) == {"submitted", "acknowledged"}
    assert set(PublicationPermission.objects.values_list("status", flat=True)) == {
        "requested",
        "agreed",
        "declined",
    }


def test_the_approved_demo_blog_has_no_pupil_under_thirteen(seeded):
    from django.utils import timezone

    from approvals.services.age_guard import check_ages

    blog = Proposal.objects.get(title="Class history blog", status=ProposalStatus.APPROVED)
    assert check_ages(blog, timezone.localdate()).passed


def test_seeding_twice_adds_nothing(seeded):
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert _counts() == first


@pytest.mark.parametrize(
    ("template", "context", "expected_subject"),
    [
        ("approvals_action_needed", {"category": "social media proposal"}, "A social media proposal needs your attention"),
        ("approvals_outcome", {"category": "social media proposal", "outcome": "approved"}, "Your social media proposal: approved"),
        ("approvals_review_due", {"category": "x", "days": 7, "review_date": "3 Mar 2027"}, "A social media service is due for review in 7 days"),
        ("approvals_expired", {"category": "x"}, "A social media service's approval has expired"),
        ("approvals_declaration_due", {"category": "family-link declaration"}, "Your declaration is due to be made again"),
    ],
)  # fmt: skip
def test_each_notice_renders_with_a_school_and_a_link(template, context, expected_subject):
    spec = get_template(template)
    assert set(context) <= spec.prints
    subject, text, html = preview(
        template, {**context, "school_name": "Larch School", "url": "/approvals/proposals/4/"}
    )
    assert subject == expected_subject
    for body in (text, html):
        assert "Larch School" in body
        assert f"{settings.PORTAL_BASE_URL}/approvals/proposals/4/" in body


def test_an_email_about_a_decision_carries_no_content_of_the_proposal(
    django_capture_on_commit_callbacks, submitted, proposer, head_user
):
    proposer.email = "tom@larch.example.org"
    proposer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_reject(
            actor=head_user, proposal=submitted, reason="A secret reason about pupil Maya."
        )
    [message] = [m for m in mail.outbox if m.to == ["tom@larch.example.org"]]
    body = message.body + message.alternatives[0][0]
    assert "turned down" in message.subject
    assert "secret reason" not in body and submitted.title not in body and submitted.account not in body
    assert submitted.get_absolute_url() in body
