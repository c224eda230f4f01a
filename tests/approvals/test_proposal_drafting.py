"""Starting a proposal: the school-service question (§5), the draft form, and changing a draft."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals import services
from approvals.models import Proposal, ProposalStatus
from core.vocabulary import Platform
from core.workflow import InvalidTransition
from people.models import Role

from ..factories import ClassGroupFactory, PersonFactory, PupilFactory, make_user
from .helpers import audit_events

pytestmark = pytest.mark.django_db


def _answers(school, proposer, **overrides):
    data = {
        "school": school.pk,
        "title": "Year 9 history blog",
        "platform": Platform.BLOG,
        "account": "blogs.larch.example.org/history",
        "purpose": "Pupils publish their projects.",
        "hosting": "school",
        "audience": ["pupils", "parents"],
        "moderators": [proposer.person.pk],
        "moderation_plan": "The teacher approves each post.",
        "safeguard_comment_moderation": "on",
    }
    data.update(overrides)
    return data


def test_use_outside_a_school_service_needs_no_approval_and_files_nothing(client, proposer):
    client.force_login(proposer)
    response = client.post(reverse("approvals:proposal_start"), {"school_service": "no"}, follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("approvals:proposal_not_needed")
    assert "does not need the approval of the Executive Head or the Head of School (§5)" in text
    assert "Nothing has been filed." in text
    assert "Terms of Use (§6)" in text and "§6.10" in text
    assert not Proposal.objects.exists()


def test_use_as_part_of_a_school_service_goes_to_the_proposal_form(client, proposer):
    client.force_login(proposer)
    response = client.post(reverse("approvals:proposal_start"), {"school_service": "yes"})
    assert response["Location"] == reverse("approvals:proposal_create")


def test_the_start_question_must_be_answered(client, proposer):
    client.force_login(proposer)
    response = client.post(reverse("approvals:proposal_start"), {})
    assert "Choose yes or no." in response.content.decode()


def test_a_teacher_saves_a_draft(client, school, proposer):
    class_group = ClassGroupFactory(school=school, name="Year 9")
    client.force_login(proposer)
    response = client.post(
        reverse("approvals:proposal_create"),
        _answers(school, proposer, classes=[class_group.pk]),
        follow=True,
    )
    proposal = Proposal.objects.get()
    assert response.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.proposer == proposer and proposal.school == school
    assert proposal.minimum_age == 13
    assert proposal.audience_pupils and proposal.audience_parents and not proposal.audience_public
    assert list(proposal.classes.all()) == [class_group]
    assert list(proposal.moderators.all()) == [proposer.person]
    [event] = audit_events(proposal, "approvals.proposal.create")
    assert event.data["fields"]["title"] == "Year 9 history blog"
    assert event.data["fields"]["purpose"] is True  # the trail names free text, it does not copy it


def test_a_bad_answer_keeps_everything_entered_and_says_what_to_fix(client, school, proposer):
    client.force_login(proposer)
    answers = _answers(school, proposer, platform=Platform.OTHER, platform_name="", minimum_age="")
    response = client.post(reverse("approvals:proposal_create"), answers)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Give the platform&#x27;s name." in text
    assert "Give the platform&#x27;s minimum age (see its terms of use)." in text
    assert 'value="Year 9 history blog"' in text
    assert "The teacher approves each post." in text
    assert not Proposal.objects.exists()


def test_an_other_platform_cannot_go_below_the_portal_s_minimum_age(school, proposer):
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(
            actor=proposer,
            school=school,
            title="Chat",
            platform=Platform.OTHER,
            platform_name="KidsChat",
            minimum_age=8,
            account="kidschat/larch",
            purpose="x",
            hosting="third_party",
            moderation_plan="x",
        )
    assert caught.value.message_dict["minimum_age"] == [
        "The policy keeps pupils under 13 off social networking (§8): the minimum age cannot be below 13."
    ]


def test_a_listed_platform_always_takes_the_table_s_age(school, proposer):
    proposal = services.proposal_create(
        actor=proposer,
        school=school,
        title="Page",
        platform=Platform.FACEBOOK,
        minimum_age=5,
        account="fb/larch",
        purpose="x",
        hosting="third_party",
        moderation_plan="x",
    )
    assert proposal.minimum_age == 13


def test_classes_pupils_and_moderators_must_belong_to_the_school(school, other_school, proposer):
    elsewhere_class = ClassGroupFactory(school=other_school, name="Year 7")
    elsewhere_pupil = PupilFactory(school=other_school, first_name="Ann", last_name="Other")
    elsewhere_staff = PersonFactory(school=other_school, first_name="Sam", last_name="Else")
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(
            actor=proposer,
            school=school,
            title="Blog",
            platform=Platform.BLOG,
            account="b",
            purpose="x",
            hosting="school",
            moderation_plan="x",
            audience_pupils=True,
            classes=[elsewhere_class],
            pupils=[elsewhere_pupil],
            moderators=[elsewhere_staff],
        )
    assert caught.value.message_dict == {
        "classes": ["Not a class at Larch School: Year 7."],
        "pupils": ["Not a pupil at Larch School: Ann Other."],
        "moderators": ["Not a member of staff at Larch School: Sam Else."],
    }


def test_nobody_proposes_at_a_school_where_they_do_not_work(other_school, proposer):
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=proposer,
            school=other_school,
            title="Blog",
            platform=Platform.BLOG,
            account="b",
            purpose="x",
            hosting="school",
            moderation_plan="x",
        )


def test_governors_cannot_propose(client, governor_user):
    client.force_login(governor_user)
    assert client.get(reverse("approvals:proposal_start")).status_code == 403
    assert client.get(reverse("approvals:proposal_create")).status_code == 403


def test_the_proposer_changes_a_draft_and_the_change_is_audited(client, school, draft, proposer):
    client.force_login(proposer)
    url = reverse("approvals:proposal_edit", args=[draft.pk])
    assert client.get(url).status_code == 200
    client.post(url, _answers(school, proposer, title="Renamed blog", audience=["parents"]))
    draft.refresh_from_db()
    assert draft.title == "Renamed blog"
    [event] = audit_events(draft, "approvals.proposal.update")
    assert "title" in event.data["changed"]


@pytest.mark.parametrize(
    "status", [s for s in ProposalStatus if s not in (ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED)]
)
def test_only_a_draft_or_a_proposal_sent_back_is_changed(make_proposal, proposer, status):
    proposal = make_proposal(status)
    with pytest.raises(InvalidTransition, match="it can be changed only while it is a draft or sent back"):
        services.proposal_update(actor=proposer, proposal=proposal, title="x")


def test_the_edit_page_of_a_submitted_proposal_goes_back_with_the_reason(client, submitted, proposer):
    client.force_login(proposer)
    response = client.get(reverse("approvals:proposal_edit", args=[submitted.pk]), follow=True)
    assert (
        "This proposal is submitted: it can be changed only while it is a draft" in response.content.decode()
    )


def test_no_one_else_changes_a_proposal(client, make_proposal, head_user):
    proposal = make_proposal(ProposalStatus.CHANGES_REQUESTED)
    with pytest.raises(PermissionDenied):
        services.proposal_update(actor=head_user, proposal=proposal, title="x")
    client.force_login(head_user)
    assert client.get(reverse("approvals:proposal_edit", args=[proposal.pk])).status_code == 403


def test_a_colleague_cannot_open_someone_else_s_draft(client, draft, school):
    colleague = make_user(Role.CLASS_TEACHER, Role.STAFF, school=school)
    client.force_login(colleague)
    assert client.get(reverse("approvals:proposal_edit", args=[draft.pk])).status_code == 404


def test_an_empty_form_says_what_each_field_needs(client, proposer):
    client.force_login(proposer)
    text = client.post(reverse("approvals:proposal_create"), {}).content.decode()
    for message in [
        "Give the service a short name.",
        "Choose a platform from the list, or Other.",
        "Enter the account&#x27;s name or address.",
        "Say what the service is for.",
        "Choose who hosts it.",
        "Choose who the service is for.",
        "Describe how the service will be moderated and what will be posted.",
    ]:
        assert message in text, message
