"""Approvals in a real browser, with axe-core on every page: a teacher proposes a class blog for
Year 9, the Executive Head approves it with a condition, and it appears on the register; an
Instagram proposal with a Year 6 class is refused at submission with the age message."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from approvals.models import Declaration, Proposal, ProposalStatus, PublicationPermission
from people.models import Role

from ..approvals.factories import in_state
from ..factories import TEST_PASSWORD, ClassGroupFactory, PupilFactory, SchoolFactory, make_user
from .conftest import check_axe, nav_click, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=days)


def _named_user(*roles, **kwargs):
    """A sign-in named as the registry names its person (as the portal's own account creation does)."""
    user = make_user(*roles, **kwargs)
    user.first_name, user.last_name = kwargs["first_name"], kwargs["last_name"]
    user.save()
    return user


@pytest.fixture
def larch(settings):
    # Two-factor sign-in is covered by the registry's journeys; here it would only add set-up steps.
    settings.PORTAL_REQUIRE_2FA = False
    school = SchoolFactory(name="Larch School", code="larch")
    year_9 = ClassGroupFactory(school=school, name="Year 9", year_group=9)
    year_9.pupils.set([PupilFactory(school=school, date_of_birth=_years_ago(14, d)) for d in (10, 100, 200)])
    year_6 = ClassGroupFactory(school=school, name="Year 6", year_group=6)
    year_6.pupils.set([PupilFactory(school=school, date_of_birth=_years_ago(11, d)) for d in (10, 100)])
    teacher = _named_user(
        Role.CLASS_TEACHER, Role.STAFF, school=school, first_name="Tom", last_name="Fletcher"
    )
    executive = _named_user(
        Role.EXECUTIVE_HEAD, federation=school.federation, first_name="Helen", last_name="Marsh"
    )
    return {"school": school, "teacher": teacher, "executive": executive}


def _propose(page, *, title, platform, account, audience, class_name):
    nav_click(page, "Proposals")
    expect(page.get_by_role("heading", name="Your social media proposals")).to_be_visible()
    check_axe(page, "approvals-my-proposals")
    page.get_by_role("link", name="Propose a social media service").click()
    check_axe(page, "approvals-start")
    page.get_by_label("Yes: the school").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Propose a social media service")).to_be_visible()
    check_axe(page, "approvals-proposal-form")

    page.get_by_label("Title").fill(title)
    page.get_by_role("combobox", name=re.compile(r"^Platform\*?$")).select_option(label=platform)
    page.get_by_label("Account name or address").fill(account)
    page.get_by_label("Purpose").fill("Pupils share their projects with families.")
    page.get_by_label("Hosted by the school").check()
    for who in audience:
        page.get_by_label(who, exact=True).check()
    page.get_by_label(class_name, exact=True).check()
    page.get_by_role("group", name=re.compile(r"^Moderators")).get_by_label(
        re.compile(r"Fletcher, Tom")
    ).check()
    page.get_by_label("Moderation and content plan").fill("I approve every post and comment before it shows.")
    page.get_by_label("Comments are moderated before they appear, or switched off").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_text("Your draft was saved.")).to_be_visible()
    check_axe(page)

    page.get_by_role("link", name="Submit for approval").click()
    expect(page.get_by_role("heading", name="Terms of Use (§6)")).to_be_visible()
    check_axe(page, "approvals-submit")
    page.get_by_label(re.compile("I have read the Terms of Use")).check()
    page.get_by_role("button", name="Submit for approval").click()


def test_a_class_blog_is_proposed_approved_with_a_condition_and_registered(page, browser, live_server, larch):
    teacher, executive = larch["teacher"], larch["executive"]

    sign_in(page, teacher.username, TEST_PASSWORD)
    _propose(
        page,
        title="Year 9 history blog",
        platform="Blog",
        account="blogs.larch.example.org/year9",
        audience=["Pupils", "Parents and carers"],
        class_name="Year 9",
    )
    expect(page.get_by_text("Your proposal was submitted.")).to_be_visible()
    expect(page.locator(".lead .badge")).to_have_text("Submitted")
    check_axe(page, "approvals-submitted")

    # The Executive Head, in their own browser session.
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", base_url=live_server.url)
    head = context.new_page()
    sign_in(head, executive.username, TEST_PASSWORD)
    card = head.get_by_role("region", name="Awaiting your decision")
    expect(card.locator(".card-count")).to_have_text("1")
    check_axe(head, "approvals-dashboard-executive")
    card.get_by_role("link", name="Decide on proposals").click()
    check_axe(head, "approvals-awaiting")
    head.get_by_role("link", name="Year 9 history blog").click()
    expect(head.get_by_role("heading", name="Decide on “Year 9 history blog”")).to_be_visible()
    expect(head.get_by_text("3 pupils would take part; all are at least 13 today.")).to_be_visible()
    check_axe(head, "approvals-decide")

    # The decision by keyboard alone.
    head.get_by_label("Approve", exact=True).focus()
    head.keyboard.press("Space")
    head.get_by_label("Conditions (when approving)").focus()
    head.keyboard.type("Comments are approved before they show.")
    head.get_by_role("button", name="Continue").focus()
    head.keyboard.press("Enter")
    expect(head.get_by_role("heading", name="Confirm your decision")).to_be_visible()
    check_axe(head, "approvals-decide-confirm")
    head.get_by_role("button", name="Confirm decision").focus()
    head.keyboard.press("Enter")
    expect(head.get_by_text("Year 9 history blog is approved. The proposer has been told.")).to_be_visible()
    expect(head.get_by_role("cell", name="Comments are approved before they show.").first).to_be_visible()
    check_axe(head, "approvals-approved")

    nav_click(head, "Approved services")
    row = head.get_by_role("row", name=re.compile("Year 9 history blog"))
    expect(row).to_contain_text("blogs.larch.example.org/year9")
    expect(row).to_contain_text("Tom Fletcher")
    expect(row).to_contain_text("Comments are approved before they show.")
    expect(row).to_contain_text("Approved")
    check_axe(head, "approvals-register")
    context.close()

    proposal = Proposal.objects.get(title="Year 9 history blog")
    assert proposal.status == ProposalStatus.APPROVED and proposal.decided_by == executive


def test_an_instagram_proposal_with_a_year_6_class_is_refused_at_submission(page, larch):
    sign_in(page, larch["teacher"].username, TEST_PASSWORD)
    _propose(
        page,
        title="Year 6 photo diary",
        platform="Instagram",
        account="@larch_year6",
        audience=["Pupils"],
        class_name="Year 6",
    )
    alert = page.get_by_role("alert").filter(has_text="cannot be submitted")
    expect(alert).to_contain_text(
        "2 pupils taking part are younger than 13, the minimum age for Instagram (2 in Year 6)."
    )
    check_axe(page, "approvals-age-refusal")
    assert Proposal.objects.get(title="Year 6 photo diary").status == ProposalStatus.DRAFT


def test_a_declaration_and_a_permission_to_post_go_through_their_pages(page, browser, live_server, larch):
    """Every other approvals page is keyboard-usable and axe-clean: declaring, acknowledging, the
    declarations register, asking permission to post, deciding it, and the permissions register."""
    school, teacher, executive = larch["school"], larch["teacher"], larch["executive"]
    blog = in_state(ProposalStatus.APPROVED, school=school, proposer=teacher, title="Year 9 history blog")
    pupil = school.classes.get(name="Year 9").pupils.order_by("last_name").first()

    sign_in(page, teacher.username, TEST_PASSWORD)
    nav_click(page, "Declarations")
    check_axe(page, "approvals-my-declarations")
    page.get_by_role("link", name="Make a declaration").click()
    check_axe(page, "approvals-declaration-form")
    page.get_by_label("Family or friendship link with pupils").check()
    linked = page.get_by_role("group", name=re.compile(r"^Pupils you are linked with"))
    linked.get_by_label(pupil.choice_label, exact=True).check()
    page.get_by_label("How you are linked").select_option(label="Relative")
    page.get_by_label("Your statement").fill("My niece is in Year 9.")
    page.get_by_role("button", name="Make the declaration").click()
    expect(page.get_by_text("Your declaration was recorded.")).to_be_visible()
    check_axe(page, "approvals-declaration")

    nav_click(page, "Permissions to post")
    check_axe(page, "approvals-my-permissions")
    page.get_by_role("link", name="Ask permission to post").click()
    check_axe(page, "approvals-permission-form")
    page.get_by_label("Approved service").select_option(label=f"{blog.title} (Blog, {school.name})")
    page.get_by_label("What the post will say").fill("Photos from the museum trip.")
    page.get_by_label("School activity or event it refers to").fill("Museum trip")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request was sent to the Executive Head.")).to_be_visible()
    check_axe(page, "approvals-permission")

    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", base_url=live_server.url)
    head = context.new_page()
    sign_in(head, executive.username, TEST_PASSWORD)
    head.get_by_role("region", name="Declarations to acknowledge").get_by_role("link").click()
    check_axe(head, "approvals-declaration-register")
    head.get_by_role("link", name="Tom Fletcher").click()
    head.get_by_role("link", name="Acknowledge").click()
    check_axe(head, "approvals-acknowledge")
    head.get_by_label("Note").fill("Noted: not in your teaching group.")
    head.get_by_role("button", name="Acknowledge").click()
    expect(head.get_by_text("The declaration is acknowledged.")).to_be_visible()
    check_axe(head)

    head.get_by_role("link", name="Dashboard").click()
    head.get_by_role("region", name="Publication permissions to decide").get_by_role("link").click()
    check_axe(head, "approvals-permissions-awaiting")
    head.get_by_role("link", name=re.compile(r"^Request #")).click()
    check_axe(head, "approvals-permission-decide")
    head.get_by_label("Agree", exact=True).check()
    head.get_by_role("button", name="Continue").click()
    check_axe(head, "approvals-permission-confirm")
    head.get_by_role("button", name="Confirm decision").click()
    expect(head.get_by_text("The request is agreed. The requester has been told.")).to_be_visible()
    nav_click(head, "Permissions to post")
    head.get_by_role("link", name="Agreed permissions").click()
    expect(head.get_by_role("cell", name="Museum trip")).to_be_visible()
    check_axe(head, "approvals-permission-register")
    context.close()

    assert Declaration.objects.get().status == "acknowledged"
    assert PublicationPermission.objects.get().status == "agreed"
