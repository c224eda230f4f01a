"""Query budgets of approvals' pages: exact, explained, and the same with ten times the rows.

Every signed-in request costs REQUEST_OVERHEAD queries of its own (see
tests/people/test_query_budgets.py): the session, the user, the user's roles and the
unread-notifications count in the navigation. Heads and the Executive Head sign in with a second factor, which costs one more:
their verified device. The budgets below are what each page adds.
"""

import pytest
from django.urls import reverse

from approvals import cards
from approvals.models import ProposalStatus
from people.models import Role

from ..factories import ClassGroupFactory, ParentFactory, PersonFactory, PupilFactory, make_user
from ..people.test_query_budgets import REQUEST_OVERHEAD, audit_write
from .factories import DeclarationFactory, PermissionFactory, in_state

pytestmark = pytest.mark.django_db

# Who signs in with a second factor (django-otp loads the verified device on each request).
TWO_FACTOR = {"head": 1, "exec_head": 1}

S = ProposalStatus

# (page, who looks, queries beyond the request overhead, what they are)
BUDGETS = {
    "proposal_list": ("proposer", 2, "paginator count, the page of proposals with their schools"),
    "proposal_awaiting": ("head", 2, "paginator count, the page of submissions with schools and proposers"),
    "proposal_detail": (
        "head",
        5,
        "the proposal with school, proposer and decider; its classes, pupils and moderators; its history",
    ),
    "proposal_decide": (
        "head",
        7,
        "the proposal and its 3 prefetches; the age check (classes' pupils, pupils by name); "
        "how many pupils take part",
    ),
    "register": (
        "staff",
        3,
        "the filter's schools, the services with school, owner and decider, their moderators",
    ),
    "declaration_list": (
        "proposer",
        4,
        "paginator count, the page of declarations, their pupils, their parents",
    ),
    "declaration_detail": (
        "head",
        5,
        "the declaration with school, declarant and acknowledger; its pupils and parents; history; "
        "viewers; plus the view event (audit_write)",
    ),
    "declaration_register": (
        "head",
        6,
        "the filter's schools, pupils and staff; the declarations with their people; their pupils; their parents",
    ),
    "permission_list": ("proposer", 2, "paginator count, the page of requests with services and schools"),
    "permission_awaiting": (
        "exec_head",
        2,
        "paginator count, the page of requests with services, schools, requesters",
    ),
    "permission_detail": (
        "proposer",
        5,
        "the request with service, school and people; staff, pupils, parents; history",
    ),
    "permission_register": (
        "head",
        5,
        "the filter's schools; the agreed requests; their staff, pupils and parents",
    ),
}


@pytest.fixture
def world(school, head_user, exec_head_user, staff_user):
    proposer = make_user(Role.CLASS_TEACHER, Role.STAFF, school=school)
    return {"proposer": proposer, "head": head_user, "exec_head": exec_head_user, "staff": staff_user}


def _rows(school, world, n: int) -> dict:
    """n of everything, each with people attached, so a missing prefetch would show as n queries."""
    proposer, head = world["proposer"], world["head"]
    pupils = PupilFactory.create_batch(n, school=school)
    parents = ParentFactory.create_batch(n, school=school)
    staff = PersonFactory.create_batch(n, school=school)
    class_group = ClassGroupFactory(school=school)
    class_group.pupils.set(pupils)
    made = {}
    for i in range(n):
        for status in (S.DRAFT, S.SUBMITTED, S.APPROVED):
            proposal = in_state(
                status,
                school=school,
                proposer=proposer,
                decider=head,
                moderators=staff[:3],
                audience_pupils=True,
            )
            proposal.classes.set([class_group])
            proposal.pupils.set(pupils[:3])
            made.setdefault(status, proposal)
        declaration = DeclarationFactory(school=school, declarant=proposer, pupils=pupils[i : i + 2])
        declaration.parents.set(parents[:2])
        made.setdefault("declaration", declaration)
        permission = PermissionFactory(
            school=school, service=made[S.APPROVED], requester=proposer, status="requested"
        )
        permission.staff.set(staff[:2])
        permission.pupils.set(pupils[:2])
        made.setdefault("permission", permission)
        agreed = PermissionFactory(school=school, service=made[S.APPROVED], requester=proposer)
        type(agreed).objects.filter(pk=agreed.pk).update(
            status="agreed", decided_by=world["exec_head"], decided_at=agreed.created_at
        )
        agreed.pupils.set(pupils[:2])
    return made


def _url(page, made):
    return {
        "proposal_list": reverse("approvals:proposal_list"),
        "proposal_awaiting": reverse("approvals:proposal_awaiting"),
        "proposal_detail": made[S.APPROVED].get_absolute_url(),
        "proposal_decide": reverse("approvals:proposal_decide", args=[made[S.SUBMITTED].pk]),
        "register": reverse("approvals:register"),
        "declaration_list": reverse("approvals:declaration_list"),
        "declaration_detail": made["declaration"].get_absolute_url(),
        "declaration_register": reverse("approvals:declaration_register"),
        "permission_list": reverse("approvals:permission_list"),
        "permission_awaiting": reverse("approvals:permission_awaiting"),
        "permission_detail": made["permission"].get_absolute_url(),
        "permission_register": reverse("approvals:permission_register"),
    }[page]


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_approvals_pages_keep_their_query_budget(
    client, django_assert_num_queries, school, world, page, rows
):
    """The same number of queries with 3 or 30 of every record."""
    made = _rows(school, world, rows)
    who, extra, _why = BUDGETS[page]
    url = _url(page, made)
    client.force_login(world[who])
    assert client.get(url).status_code == 200  # warm-up: the first request of a session differs
    if page == "declaration_detail":
        extra += audit_write()
    with django_assert_num_queries(REQUEST_OVERHEAD + TWO_FACTOR.get(who, 0) + extra, info=_why):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_each_dashboard_card_costs_one_query_and_only_for_its_users(
    django_assert_num_queries, school, world, rows
):
    _rows(school, world, rows)
    head, exec_head, staff = world["head"], world["exec_head"], world["staff"]
    for provider, user, queries in [
        (cards.awaiting_decision_card, head, 1),
        (cards.awaiting_decision_card, staff, 0),
        (cards.declarations_to_acknowledge_card, head, 1),
        (cards.declarations_to_acknowledge_card, staff, 0),
        (cards.permissions_awaiting_card, exec_head, 1),
        (cards.permissions_awaiting_card, head, 0),
        (cards.declarations_due_card, staff, 1),
    ]:
        user.__dict__.pop("_portal_access", None)
        from people.policies import access_for

        access_for(user)  # the roles are read once per request, before any card
        with django_assert_num_queries(queries):
            provider(user)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_pupil_page_panel_costs_one_query_for_its_readers_and_none_for_others(
    django_assert_num_queries, school, world, rows, dsl_user, office_user
):
    made = _rows(school, world, rows)
    pupil = made["declaration"].pupils.first()
    for user, queries in [(dsl_user, 1), (office_user, 0)]:
        from people.policies import access_for

        access_for(user)
        with django_assert_num_queries(queries):
            cards.declared_links_panel(user, pupil)
