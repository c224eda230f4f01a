"""Query budgets of the registry pages: exact, explained, and the same with ten times the rows.

Every signed-in request costs four queries of its own: the session, the user, the user's
roles (read once per request, people.policies.access_for) and the unread-notifications count
in the navigation. A page that changes nothing writes nothing to the session (it is renewed at
most once a minute, people.middleware.SessionRenewalMiddleware).
"""

import pytest
from django.db import connection
from django.urls import reverse

from people.models import ParentLink

from ..factories import ClassGroupFactory, ParentFactory, PupilFactory

pytestmark = pytest.mark.django_db

REQUEST_OVERHEAD = 4


def audit_write() -> int:
    """Queries to append one audit event: read the last hash and insert; on PostgreSQL the
    chain's advisory lock comes first."""
    return 3 if connection.vendor == "postgresql" else 2


def _school_with(school, pupils: int):
    class_group = ClassGroupFactory(school=school)
    members = PupilFactory.create_batch(pupils, school=school)
    for pupil in members:
        ParentLink.objects.create(parent=ParentFactory(school=school), pupil=pupil, relationship="mother")
    class_group.pupils.set(members)
    return class_group, members


# (page, queries beyond the request overhead, what they are)
BUDGETS = {
    "dashboard": (
        1,
        "the cards' figures in one query (failed notifications, declarations due, a policy version to confirm)",
    ),
    "person_list": (
        5,
        "paginator count, the filter's schools and classes, the page of people, their memberships",
    ),
    "person_detail": (
        11,
        "the person and 6 prefetches (memberships, roles, parents, children, classes attended and taught); "
        "may-edit check; history and viewers; a pupil's supervised-ICT sanction in force (staff outside the "
        "case team); plus the view event (audit_write)",
    ),
    "class_list": (3, "paginator count, the page of classes, their teachers"),
    "class_detail": (4, "the class, its teachers, its pupils, may-manage check"),
}


def _urls(class_group, pupils):
    return {
        "dashboard": reverse("dashboard"),
        "person_list": reverse("people:person_list"),
        "person_detail": pupils[0].get_absolute_url(),
        "class_list": reverse("people:class_list"),
        "class_detail": reverse("people:class_detail", args=[class_group.pk]),
    }


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_registry_pages_keep_their_query_budget(
    client, django_assert_num_queries, office_user, school, page, rows
):
    """The same number of queries whether the school has 3 or 30 pupils with parents."""
    class_group, pupils = _school_with(school, rows)
    url = _urls(class_group, pupils)[page]
    client.force_login(office_user)
    client.get(url)  # warm-up: the first request of a session differs
    extra, _why = BUDGETS[page]
    if page == "person_detail":
        extra += audit_write()
    with django_assert_num_queries(REQUEST_OVERHEAD + extra):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("roles", [1, 5])
def test_the_sign_in_and_roles_page_keeps_its_budget(
    client, django_assert_num_queries, head_user, school, roles
):
    """The person with their sign-in, their roles, the may-manage check (a membership at a school
    whose roles the head keeps), the may-manage-the-sign-in check (nothing at another school), and
    the role form's school choices: five queries, plus the verified second-factor device that
    django-otp loads for a head's session (office admins, above, have none)."""
    from people.models import Role, RoleAssignment

    from ..factories import PersonFactory, SchoolFactory

    person = PersonFactory(school=school, email="p@example.org")
    for _n in range(roles):
        extra_school = SchoolFactory(federation=school.federation)
        RoleAssignment.objects.create(person=person, role=Role.STAFF, school=extra_school)
    url = reverse("people:person_access", args=[person.pk])
    client.force_login(head_user)
    client.get(url)
    with django_assert_num_queries(REQUEST_OVERHEAD + 6):
        assert client.get(url).status_code == 200


# The confirmation asked before a role or a sign-in changes, beyond the request overhead. Each starts
# with the second-factor device, the person, their roles and the may-manage check (4), as the page
# does, then tries the service in a savepoint rolled back: the savepoint and the service's own (2),
# the service's checks, its writes and the audit event, then release, rollback and release (3).
# Nothing of it grows with the roles the person holds.
CONFIRMATION_BUDGETS = {
    # + the role form's school choice (1); checks: may-manage, the school's roles kept (2);
    # the role's get_or_create (select, savepoint, insert, release: 4), the membership's (1).
    "grant": 4 + 1 + 2 + 2 + 4 + 1 + 3,
    # checks: may-manage, the school's roles kept (2); the delete (1).
    "revoke": 4 + 2 + 2 + 1 + 3,
    # the may-manage-the-sign-in check (1); the update and the person's first school, for the audit (2).
    "deactivate": 4 + 2 + 1 + 2 + 3,
}


@pytest.mark.parametrize("roles", [1, 5])
@pytest.mark.parametrize("action", sorted(CONFIRMATION_BUDGETS))
def test_the_sign_in_and_roles_confirmation_keeps_its_budget(
    client, django_assert_num_queries, head_user, school, action, roles
):
    """The confirmation costs the same whether the person holds one role or five. (A sign-in is the
    head's to switch off only when every role is at the head's school: the roles are held there.)"""
    from people.models import Person, Role, RoleAssignment

    from ..factories import SchoolFactory, make_user

    person = Person.objects.get(user=make_user(school=school, email="p@example.org"))
    own_school_roles = [Role.STAFF, Role.CLASS_TEACHER, Role.SLT, Role.OFFICE_ADMIN, Role.GOVERNOR]
    for n in range(roles):
        if action == "deactivate":
            RoleAssignment.objects.create(person=person, role=own_school_roles[n], school=school)
        else:
            extra_school = SchoolFactory(federation=school.federation)
            RoleAssignment.objects.create(person=person, role=Role.STAFF, school=extra_school)
    removable = RoleAssignment.objects.create(person=person, role=Role.DSL, school=school)
    data = {
        "grant": {"action": "grant", "role": Role.SLT, "school": school.pk},
        "revoke": {"action": "revoke", "assignment": removable.pk},
        "deactivate": {"action": "deactivate"},
    }[action]
    url = reverse("people:person_access", args=[person.pk])
    client.force_login(head_user)
    client.get(url)
    with django_assert_num_queries(REQUEST_OVERHEAD + CONFIRMATION_BUDGETS[action] + audit_write()):
        response = client.post(url, data)
    assert response.status_code == 200
    assert "people/person_access_confirm.html" in [t.name for t in response.templates]
    assert person.user.__class__.objects.get(pk=person.user_id).is_active


@pytest.mark.parametrize("fixture", ["exec_head_user", "head_user", "dsl_user", "slt_user", "staff_user"])
def test_the_dashboard_counts_every_card_in_one_query(client, request, fixture):
    """Every card's figures (proposals, declarations, permissions, cases, concerns, actions, failed
    notices, the nearest referral and action deadlines, the low-level flags due: whichever the user's
    roles show) come from one statement; the only other plain count on the page is the navigation's
    unread-notifications badge. The cases and their actions are read otherwise only by the deadline sources
    (core.deadlines): the referrals and the actions once for the "Urgent" list and once for the week's strip,
    each a page of rows (LIMIT), for the roles that see them; no statement reads the reviews."""
    from django.test.utils import CaptureQueriesContext

    client.force_login(request.getfixturevalue(fixture))
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    together = [sql for sql in statements if sql.startswith("SELECT (SELECT COUNT(*) FROM")]
    alone = [sql for sql in statements if sql.startswith("SELECT COUNT(")]
    assert len(together) == 1
    assert len(alone) == 1 and "notifications_notification" in alone[0], alone
    case_tables = ("incidents_allegation", "incidents_incidentaction", "incidents_lowlevelreview")
    deadline_reads = [sql for sql in statements if sql not in together and any(t in sql for t in case_tables)]
    assert len(deadline_reads) == (0 if fixture == "staff_user" else 4), deadline_reads
    assert all(" LIMIT " in sql and "lowlevelreview" not in sql for sql in deadline_reads)
