"""The approved-services register, who sees which proposal, the dashboard cards, navigation, the
proposal page's history, and page hygiene (no inline styles under the CSP)."""

import pytest
from django.urls import reverse

from approvals import policies, services
from approvals.models import ProposalStatus
from approvals.services.workflows import DECISIONS
from core.vocabulary import Platform

from ..factories import PersonFactory
from .factories import DeclarationFactory, PermissionFactory

pytestmark = pytest.mark.django_db

S = ProposalStatus


@pytest.fixture
def every_state(make_proposal, head_user):
    return {status: make_proposal(status, decider=head_user, title=f"The {status} one") for status in S}


def test_the_register_lists_approved_suspended_and_expired_services(client, every_state, staff_user):
    client.force_login(staff_user)
    text = client.get(reverse("approvals:register")).content.decode()
    for status, proposal in every_state.items():
        assert (proposal.title in text) == (status in (S.APPROVED, S.SUSPENDED, S.EXPIRED)), status


def test_the_register_shows_account_owner_moderators_conditions_and_review_date(
    client, make_proposal, staff_user
):
    moderator = PersonFactory(first_name="Ada", last_name="Mod")
    proposal = make_proposal(S.APPROVED, account="@larch", conditions="Comments off.", moderators=[moderator])
    client.force_login(staff_user)
    text = client.get(reverse("approvals:register")).content.decode()
    assert "@larch" in text and "Ada Mod" in text and "Comments off." in text
    assert proposal.review_date.strftime("%-d %b %Y") in text
    assert "Tom Fletcher" in text  # the owner


def test_the_register_filters_by_school_platform_and_status(
    client, make_proposal, exec_head_user, other_school
):
    make_proposal(S.APPROVED, title="Larch blog", platform=Platform.BLOG)
    make_proposal(S.SUSPENDED, title="Larch feed", platform=Platform.X, account="@larch")
    make_proposal(S.APPROVED, title="Oak page", school=other_school, platform=Platform.FACEBOOK)
    client.force_login(exec_head_user)
    url = reverse("approvals:register")

    def titles(**query):
        text = client.get(url, {f"f-{k}": v for k, v in query.items()}).content.decode()
        return {t for t in ["Larch blog", "Larch feed", "Oak page"] if t in text}

    assert titles() == {"Larch blog", "Larch feed", "Oak page"}
    assert titles(school=other_school.pk) == {"Oak page"}
    assert titles(platform=Platform.X) == {"Larch feed"}
    assert titles(status=S.APPROVED) == {"Larch blog", "Oak page"}


def test_the_register_is_printable(client, staff_user):
    client.force_login(staff_user)
    text = client.get(reverse("approvals:register")).content.decode()
    assert "approvals/print.css" in text and "approvals/print.js" in text
    assert "data-print" in text


def test_a_member_of_staff_sees_only_their_own_school_s_register(
    client, make_proposal, other_school, staff_user
):
    make_proposal(S.APPROVED, title="Oak page", school=other_school)
    client.force_login(staff_user)
    assert "Oak page" not in client.get(reverse("approvals:register")).content.decode()


def test_governors_do_not_see_the_register(client, governor_user):
    client.force_login(governor_user)
    assert client.get(reverse("approvals:register")).status_code == 403


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("proposer", set(S)),
        ("head_user", set(S) - {S.DRAFT}),
        ("exec_head_user", set(S) - {S.DRAFT}),
        ("staff_user", {S.APPROVED, S.SUSPENDED, S.EXPIRED}),
        ("dsl_user", {S.APPROVED, S.SUSPENDED, S.EXPIRED}),
        ("other_head", set()),
        ("governor_user", set()),
        ("chair_user", set()),
    ],
)
def test_who_sees_which_proposal(request, every_state, role, visible):
    user = request.getfixturevalue(role)
    seen = set(policies.proposals_visible_to(user).values_list("status", flat=True))
    assert seen == visible


def test_the_proposal_page_shows_every_transition_with_who_and_why(client, draft, proposer, head_user):
    services.proposal_submit(actor=proposer, proposal=draft, terms_confirmed=True)
    services.proposal_request_changes(actor=head_user, proposal=draft, reason="Name a second moderator.")
    services.proposal_submit(actor=proposer, proposal=draft, terms_confirmed=True)
    services.proposal_approve(actor=head_user, proposal=draft, conditions="Comments off.")
    client.force_login(proposer)
    text = client.get(draft.get_absolute_url()).content.decode()
    for expected in [
        "Submitted for approval",
        "Sent back for changes",
        "Name a second moderator.",
        "Approved",
        "Comments off.",
    ]:
        assert expected in text, expected
    assert text.count("Submitted for approval") == 2
    assert "Notification queue" not in text  # the outbox's own trail is not part of the workflow


def test_the_proposer_s_actions_follow_the_state(client, make_proposal, proposer):
    client.force_login(proposer)
    text = client.get(make_proposal().get_absolute_url()).content.decode()
    assert "Submit for approval" in text and "Withdraw" in text and ">Decide<" not in text
    text = client.get(make_proposal(S.APPROVED).get_absolute_url()).content.decode()
    assert "Ask permission to post" in text and "Suspend" not in text


def test_the_decider_s_actions_follow_the_state(client, make_proposal, head_user):
    client.force_login(head_user)
    assert ">Decide<" in client.get(make_proposal(S.SUBMITTED).get_absolute_url()).content.decode()
    text = client.get(make_proposal(S.APPROVED).get_absolute_url()).content.decode()
    assert "Suspend" in text and "Renew" in text and "Withdraw" in text
    assert "Reinstate" in client.get(make_proposal(S.SUSPENDED).get_absolute_url()).content.decode()


# The link a proposal's page shows for each step of its workflow.
STEP_LINKS = {
    "update": ">Change</a>",
    "submit": ">Submit for approval</a>",
    "renew": ">Renew</a>",
    "reinstate": ">Reinstate</a>",
    "suspend": ">Suspend</a>",
    "withdraw": ">Withdraw</a>",
}


@pytest.mark.parametrize("role", ["proposer", "head_user", "exec_head_user", "staff_user"])
@pytest.mark.parametrize("status", sorted(S))
def test_a_proposal_s_page_offers_exactly_the_steps_its_service_accepts(
    request, client, make_proposal, head_user, role, status
):
    user = request.getfixturevalue(role)
    proposal = make_proposal(status, decider=head_user)
    client.force_login(user)
    page = client.get(proposal.get_absolute_url())
    if page.status_code == 404:
        return  # a proposal the user may not see offers nothing
    text = page.content.decode()
    steps = services.proposal_steps(actor=user, proposal=proposal)
    for step, link in STEP_LINKS.items():
        assert (link in text) == (step in steps), (step, sorted(steps))
    assert (">Decide</a>" in text) == bool(steps & DECISIONS), sorted(steps)
    assert "expire" not in steps  # the portal's own step, on the review date


# --- Dashboard and navigation ------------------------------------------------------------------------


def test_approvers_see_how_many_proposals_await_them(
    client, make_proposal, head_user, exec_head_user, staff_user
):
    make_proposal(S.SUBMITTED)
    make_proposal(S.SUBMITTED)
    make_proposal(S.SUBMITTED, proposer=head_user)
    for user, count in [(head_user, 2), (exec_head_user, 3)]:
        client.force_login(user)
        text = client.get(reverse("dashboard")).content.decode()
        assert "Awaiting your decision" in text
        assert f'<p class="card-count mb-1">{count}</p>' in text
    client.force_login(staff_user)
    assert "Awaiting your decision" not in client.get(reverse("dashboard")).content.decode()


def test_the_executive_head_sees_permissions_and_declarations_to_decide(
    client, school, make_proposal, exec_head_user, proposer, pupil
):
    PermissionFactory(school=school, service=make_proposal(S.APPROVED), requester=proposer)
    DeclarationFactory(school=school, declarant=proposer, pupils=[pupil])
    client.force_login(exec_head_user)
    text = client.get(reverse("dashboard")).content.decode()
    assert "Publication permissions to decide" in text
    assert "Declarations to acknowledge" in text


@pytest.mark.parametrize(
    ("role", "entries"),
    [
        (
            "staff_user",
            {"Proposals", "Approved services", "Declarations", "Permissions to post"},
        ),
        (
            "exec_head_user",
            {"Proposals", "Approved services", "Declarations", "Permissions to post"},
        ),
        ("governor_user", set()),
    ],
)
def test_the_navigation_offers_approvals_to_staff_and_the_executive_head(request, client, role, entries):
    client.force_login(request.getfixturevalue(role))
    text = client.get(reverse("dashboard")).content.decode()
    for label in ["Proposals", "Approved services", "Declarations", "Permissions to post"]:
        assert (f">{label}</a>" in text) == (label in entries), label


# --- Page hygiene ------------------------------------------------------------------------------------------


def test_no_page_has_an_inline_style(client, school, make_proposal, proposer, head_user, pupil):
    approved = make_proposal(S.APPROVED)
    submitted = make_proposal(S.SUBMITTED)
    declaration = DeclarationFactory(school=school, declarant=proposer, pupils=[pupil])
    permission = PermissionFactory(school=school, service=approved, requester=proposer)
    urls = {
        proposer: [
            reverse("approvals:proposal_list"),
            reverse("approvals:proposal_start"),
            reverse("approvals:proposal_not_needed"),
            reverse("approvals:proposal_create"),
            reverse("approvals:proposal_submit", args=[make_proposal().pk]),
            reverse("approvals:declaration_list"),
            reverse("approvals:declaration_create"),
            reverse("approvals:permission_list"),
            reverse("approvals:permission_create"),
            permission.get_absolute_url(),
        ],
        head_user: [
            reverse("approvals:proposal_awaiting"),
            reverse("approvals:proposal_decide", args=[submitted.pk]),
            reverse("approvals:proposal_suspend", args=[approved.pk]),
            reverse("approvals:proposal_renew", args=[approved.pk]),
            approved.get_absolute_url(),
            reverse("approvals:register"),
            declaration.get_absolute_url(),
            reverse("approvals:declaration_acknowledge", args=[declaration.pk]),
            reverse("approvals:declaration_register"),
            reverse("approvals:permission_register"),
            pupil.get_absolute_url(),
        ],
    }
    for user, pages in urls.items():
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert 'style="' not in response.content.decode(), url
