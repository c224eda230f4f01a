"""Submitting a proposal (§5, §6): the proposer only, the Terms of Use confirmed, complete, and
never with a pupil younger than the platform's minimum age (§8)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals import services
from approvals.models import ProposalStatus
from core.vocabulary import Platform
from core.workflow import InvalidTransition
from people.models import Role

from ..factories import ClassGroupFactory, PupilFactory, make_user
from .helpers import audit_events, notices, recipients_of

pytestmark = pytest.mark.django_db

SUBMITTABLE = {ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED}


def test_the_proposer_submits_a_draft_and_the_deciders_are_told(
    draft, proposer, head_user, exec_head_user, other_head, dsl_user
):
    """The Head of School and the Executive Head get the notice; no one else (§5)."""
    services.proposal_submit(actor=proposer, proposal=draft, terms_confirmed=True)

    draft.refresh_from_db()
    assert draft.status == ProposalStatus.SUBMITTED
    assert draft.terms_confirmed_at is not None and draft.submitted_at is not None
    [event] = audit_events(draft, "approvals.proposal.submit")
    assert event.actor == proposer
    assert event.data == {"status": ["draft", "submitted"]}
    assert recipients_of("approvals_action_needed", draft) == {head_user.pk, exec_head_user.pk}
    assert {n.channel for n in notices("approvals_action_needed", draft)} == {"email", "in_app"}
    assert notices("approvals_action_needed", draft)[0].context["category"] == "social media proposal"


def test_a_head_who_proposes_is_not_told_about_their_own_proposal(
    school, head_user, exec_head_user, make_proposal
):
    proposal = make_proposal(proposer=head_user, moderators=[head_user.person])
    services.proposal_submit(actor=head_user, proposal=proposal, terms_confirmed=True)
    assert recipients_of("approvals_action_needed", proposal) == {exec_head_user.pk}


def test_a_resubmission_after_changes_tells_the_deciders_again(make_proposal, proposer, head_user):
    proposal = make_proposal(ProposalStatus.CHANGES_REQUESTED, decider=head_user)
    services.proposal_submit(actor=proposer, proposal=proposal, terms_confirmed=True)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.status_reason == ""
    services.proposal_request_changes(actor=head_user, proposal=proposal, reason="Add a moderator.")
    services.proposal_submit(actor=proposer, proposal=proposal, terms_confirmed=True)
    # Two submissions, two notices to the head (email and in-portal each).
    head_notices = [
        n for n in notices("approvals_action_needed", proposal) if n.recipient_user_id == head_user.pk
    ]
    assert len(head_notices) == 4


@pytest.mark.parametrize("status", sorted(set(ProposalStatus) - SUBMITTABLE))
def test_only_a_draft_or_a_proposal_sent_back_can_be_submitted(make_proposal, proposer, status):
    proposal = make_proposal(status)
    with pytest.raises(InvalidTransition) as caught:
        services.proposal_submit(actor=proposer, proposal=proposal, terms_confirmed=True)
    phrase = services.workflows.STATUS_PHRASES[status]
    assert caught.value.messages == [
        f"This proposal is {phrase}: it can be submitted only while it is a draft or sent back for changes."
    ]
    proposal.refresh_from_db()
    assert proposal.status == status
    assert audit_events(proposal, "approvals.proposal.submit") == []


@pytest.mark.parametrize("role", ["head_user", "exec_head_user", "staff_user"])
def test_no_one_but_the_proposer_submits(request, draft, role):
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=request.getfixturevalue(role), proposal=draft, terms_confirmed=True)
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.DRAFT


def test_the_terms_of_use_must_be_confirmed(draft, proposer):
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(actor=proposer, proposal=draft, terms_confirmed=False)
    assert caught.value.message_dict == {
        "confirm_terms": ["Confirm that the service will keep to the Terms of Use (§6)."]
    }


def test_an_incomplete_proposal_is_refused_with_what_is_missing(make_proposal, proposer):
    proposal = make_proposal(moderators=[], audience_parents=False, audience_pupils=True)
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(actor=proposer, proposal=proposal, terms_confirmed=True)
    assert caught.value.messages == [
        "Pupils are in the audience: name the classes or pupils who will take part.",
        "Name at least one moderator from the school's staff.",
    ]


def test_a_second_live_proposal_for_the_same_account_is_refused(make_proposal, proposer):
    make_proposal(ProposalStatus.APPROVED, title="History blog", account="Blog.Example.org/history")
    proposal = make_proposal(account="blog.example.org/HISTORY")
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(actor=proposer, proposal=proposal, terms_confirmed=True)
    assert (
        "already has a proposal for the Blog account blog.example.org/HISTORY (approved: History blog)"
        in (caught.value.messages[0])
    )


# --- The age guard (§8) -----------------------------------------------------------------------------

SUBMISSION_DAY = date(2026, 9, 15)


@pytest.fixture
def year_group(school):
    """A class with one pupil who turns 13 on the submission day, and one who turns 13 the day after."""
    class_group = ClassGroupFactory(school=school, name="Year 8")
    thirteen_today = PupilFactory(school=school, date_of_birth=date(2013, 9, 15))
    thirteen_tomorrow = PupilFactory(school=school, date_of_birth=date(2013, 9, 16))
    class_group.pupils.set([thirteen_today, thirteen_tomorrow])
    return class_group, thirteen_today, thirteen_tomorrow


def test_a_pupil_who_is_thirteen_on_the_submission_day_may_take_part(make_proposal, proposer, year_group):
    _class, thirteen_today, _ = year_group
    proposal = make_proposal(audience_pupils=True, platform=Platform.INSTAGRAM)
    proposal.pupils.set([thirteen_today])
    services.proposal_submit(actor=proposer, proposal=proposal, terms_confirmed=True, today=SUBMISSION_DAY)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_a_pupil_a_day_short_of_thirteen_blocks_submission(make_proposal, proposer, year_group):
    """The message names how many pupils, and which classes, are too young."""
    class_group, _, _ = year_group
    proposal = make_proposal(audience_pupils=True, platform=Platform.INSTAGRAM)
    proposal.classes.set([class_group])
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(
            actor=proposer, proposal=proposal, terms_confirmed=True, today=SUBMISSION_DAY
        )
    assert caught.value.messages == [
        "This proposal cannot be submitted: 1 pupil taking part is younger than 13, the minimum age for "
        "Instagram (1 in Year 8). Remove them from the proposal, or choose a platform whose minimum age they meet."
    ]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert audit_events(proposal, "approvals.proposal.submit") == []
    assert notices("approvals_action_needed", proposal) == []


def test_the_age_message_counts_pupils_once_and_names_every_class(school, make_proposal, proposer):
    year_6 = ClassGroupFactory(school=school, name="Year 6")
    year_5 = ClassGroupFactory(school=school, name="Year 5")
    ten = PupilFactory.create_batch(3, school=school, date_of_birth=date(2016, 1, 1))
    nine = PupilFactory(school=school, date_of_birth=date(2017, 1, 1))
    year_6.pupils.set(ten)
    year_5.pupils.set([nine, ten[0]])
    proposal = make_proposal(audience_pupils=True, platform=Platform.TIKTOK)
    proposal.classes.set([year_6, year_5])
    proposal.pupils.set([nine])
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(
            actor=proposer, proposal=proposal, terms_confirmed=True, today=SUBMISSION_DAY
        )
    assert caught.value.messages[0].startswith(
        "This proposal cannot be submitted: 4 pupils taking part are younger than 13, the minimum age for TikTok "
        "(2 in Year 5, 3 in Year 6 and 1 chosen by name)."
    )


def test_the_minimum_age_default_is_a_setting(settings, make_proposal, proposer, year_group):
    """Were the law to move the age to 14, a thirteen-year-old could no longer take part."""
    settings.PORTAL_MIN_PLATFORM_AGE = 14
    _class, thirteen_today, _ = year_group
    proposal = make_proposal(audience_pupils=True, platform=Platform.FACEBOOK)
    proposal.pupils.set([thirteen_today])
    with pytest.raises(ValidationError, match="younger than 14, the minimum age for Facebook"):
        services.proposal_submit(
            actor=proposer, proposal=proposal, terms_confirmed=True, today=SUBMISSION_DAY
        )


def test_an_other_platform_uses_the_age_the_proposer_gave(make_proposal, proposer, year_group):
    _class, thirteen_today, _ = year_group
    proposal = make_proposal(
        audience_pupils=True, platform=Platform.OTHER, platform_name="Mastodon", minimum_age=16
    )
    proposal.pupils.set([thirteen_today])
    with pytest.raises(ValidationError, match="younger than 16, the minimum age for Mastodon"):
        services.proposal_submit(
            actor=proposer, proposal=proposal, terms_confirmed=True, today=SUBMISSION_DAY
        )


def test_pupils_outside_the_audience_are_not_counted(make_proposal, proposer, year_group):
    """Classes only take part when pupils are in the audience; a parents-only page is not refused."""
    class_group, _, _ = year_group
    proposal = make_proposal(audience_pupils=False, platform=Platform.FACEBOOK)
    proposal.classes.set([class_group])
    services.proposal_submit(actor=proposer, proposal=proposal, terms_confirmed=True, today=SUBMISSION_DAY)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


# --- The page -------------------------------------------------------------------------------------------


def test_the_submit_page_shows_the_terms_of_use_in_full(client, draft, proposer):
    client.force_login(proposer)
    text = client.get(reverse("approvals:proposal_submit", args=[draft.pk])).content.decode()
    for number in ["§6.1", "§6.5", "§6.9", "§6.10"]:
        assert number in text
    assert "permission agreed beforehand with the Executive Head" in text
    assert "gross misconduct" in text


def test_submitting_without_confirming_keeps_the_draft_and_says_why(client, draft, proposer):
    client.force_login(proposer)
    response = client.post(reverse("approvals:proposal_submit", args=[draft.pk]), {})
    assert response.status_code == 200
    assert "Confirm that the service will keep to the Terms of Use (§6)." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.DRAFT


def test_the_age_refusal_is_shown_on_the_submit_page(client, school, make_proposal, proposer):
    year_6 = ClassGroupFactory(school=school, name="Year 6")
    year_6.pupils.set(PupilFactory.create_batch(2, school=school, date_of_birth=date(2015, 3, 1)))
    proposal = make_proposal(audience_pupils=True, platform=Platform.INSTAGRAM)
    proposal.classes.set([year_6])
    client.force_login(proposer)
    response = client.post(reverse("approvals:proposal_submit", args=[proposal.pk]), {"confirm_terms": "on"})
    assert response.status_code == 200
    assert "2 pupils taking part are younger than 13, the minimum age for Instagram (2 in Year 6)" in (
        response.content.decode()
    )


def test_a_successful_submission_redirects_to_the_proposal(client, draft, proposer):
    client.force_login(proposer)
    response = client.post(
        reverse("approvals:proposal_submit", args=[draft.pk]), {"confirm_terms": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "Your proposal was submitted." in response.content.decode()


@pytest.mark.parametrize("role", ["head_user", "exec_head_user", "staff_user", "dsl_user"])
def test_a_draft_is_missing_for_everyone_but_its_proposer(request, client, draft, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("approvals:proposal_submit", args=[draft.pk])).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_head_who_sees_a_proposal_sent_back_may_not_submit_it(client, make_proposal, head_user):
    proposal = make_proposal(ProposalStatus.CHANGES_REQUESTED, decider=head_user)
    client.force_login(head_user)
    assert client.get(proposal.get_absolute_url()).status_code == 200
    assert (
        client.post(
            reverse("approvals:proposal_submit", args=[proposal.pk]), {"confirm_terms": "on"}
        ).status_code
        == 403
    )


def test_a_colleague_at_another_school_cannot_submit(client, draft, other_school):
    stranger = make_user(Role.CLASS_TEACHER, Role.STAFF, school=other_school)
    client.force_login(stranger)
    assert (
        client.post(
            reverse("approvals:proposal_submit", args=[draft.pk]), {"confirm_terms": "on"}
        ).status_code
        == 404
    )
