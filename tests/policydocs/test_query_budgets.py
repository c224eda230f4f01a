"""Query budgets of the policy and report pages: exact, explained, and the same with ten times the rows.

Every signed-in request costs REQUEST_OVERHEAD queries of its own (see tests/people/test_query_budgets.py):
the session, the user, the user's roles and the unread-notifications count. The DSL, SLT and heads also load their verified second-factor device. Each report
generated is audited in a transaction of its own (generate_write: savepoint, release and the event).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from incidents.models import Allegation, Source
from people.models import Role

from ..factories import ParentFactory, PersonFactory, PupilFactory, make_user
from ..incidents.casework import case_in
from .helpers import acknowledge, import_version, policy_text, ratified_version
from .reportdata import make_cyberbullying, make_declaration, make_pupil_incident, make_service

pytestmark = pytest.mark.django_db

REQUEST_OVERHEAD = 4
TWO_FACTOR_DEVICE = 1


def audit_write() -> int:
    """Append one audit event: read the last hash and insert; on PostgreSQL the chain's lock first."""
    return 3 if connection.vendor == "postgresql" else 2


def generate_write() -> int:
    """The report's audited generation: its transaction (a savepoint under test) and the audit event."""
    return 2 + audit_write()


def _data(school, dsl_user, head_user, rows: int):
    """`rows` of everything the reports read: staff, cases, services, declarations, pupil incidents and
    cyberbullying reports (decided, with an adult named as responsible)."""
    version = ratified_version(school.federation)
    subject = PersonFactory(school=school)
    for n in range(rows):
        member = make_user(Role.STAFF, school=school)
        if n % 2:
            acknowledge(member, version)
        make_service(
            school, member, head_user, title=f"Service {n}", account=f"acc.{n}", moderators=[subject]
        )
        make_declaration(
            school, member, pupils=[PupilFactory(school=school)], parents=[ParentFactory(school=school)]
        )
        kind = ("phone_not_handed_in", "firewall_breach", "joined_staff_social")[n % 3]
        when = timezone.now() - timedelta(days=n * 7 + 1)
        make_pupil_incident(school, member, kind=kind, occurred_at=when, adult=subject if n % 2 else None)
        make_cyberbullying(
            school,
            member,
            reported_on=timezone.localdate() - timedelta(days=n * 7 + 1),
            rules=["in_school", "warn_all_parents"][: n % 3],
            decided_at=when,
            perpetrator=subject,
        )
    for n in range(min(rows, 12)):
        case_in(
            dsl_user,
            school,
            subject,
            Allegation.Status.RECORDED,
            source=Source.OTHER,
            received_at=timezone.now() - timedelta(days=n * 20 + 1),
        )
    return version


# (report, queries beyond the overhead and the audit event, what they are)
REPORT_BUDGETS = {
    # Paged: the facts are counted over every case in SQL, then one page of cases is fetched.
    "lado_log": (
        4,
        "the school choices; the schools in scope; the cases counted by deadline status; one page of cases",
    ),
    "incident_summary": (
        6,
        "the school choices; the schools in scope; concerns, allegations, pupil incidents and cyberbullying "
        "reports counted (one query each)",
    ),
    # Paged too: their facts counted over every row, then one page of rows.
    "approved_services": (
        5,
        "the school choices; the schools in scope; the services counted; one page of services; their "
        "moderators",
    ),
    "declarations": (
        6,
        "the school choices; the schools in scope; the declarations counted; one page of declarations; "
        "their pupils; their parents",
    ),
    "ack_compliance": (
        5,
        "the school choices; the schools in scope; the current version; the staff; confirmations",
    ),
    "governors_termly": (
        19,
        "the school choices; the schools in scope; counts this term and last (4 each: concerns, allegations, "
        "pupil incidents, cyberbullying reports); referrals this term and last; outcomes; the decisions on "
        "cyberbullying reports; the current version, staff and confirmations; services; declarations",
    ),
}


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("report", sorted(REPORT_BUDGETS))
def test_report_pages_keep_their_budget(
    client, django_assert_num_queries, dsl_user, head_user, school, report, rows
):
    _data(school, dsl_user, head_user, rows)
    url = reverse("policydocs:report", args=[report])
    client.force_login(dsl_user)
    client.get(url)  # warm-up: the first request of a session differs
    extra, _why = REPORT_BUDGETS[report]

    with django_assert_num_queries(REQUEST_OVERHEAD + TWO_FACTOR_DEVICE + extra + generate_write()):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_csv_keeps_the_pages_budget(client, django_assert_num_queries, dsl_user, head_user, school, rows):
    _data(school, dsl_user, head_user, rows)
    url = reverse("policydocs:report_export", args=["declarations", "csv"])
    client.force_login(dsl_user)
    client.get(url)

    # The schools in scope, the declarations, their pupils, their parents. No page, so neither the school
    # choices nor the navigation's unread-notifications count.
    with django_assert_num_queries(REQUEST_OVERHEAD - 1 + TWO_FACTOR_DEVICE + 4 + generate_write()):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_chronology_pack_keeps_its_budget(client, django_assert_num_queries, dsl_user, school, rows):
    """The case with its people; its notes, files and steps; its events, its latest views and its notices'
    delivery."""
    case = case_in(dsl_user, school, PersonFactory(school=school), Allegation.Status.RECORDED)
    from incidents import services as incident_services

    for n in range(rows):
        incident_services.allegation_add_note(actor=dsl_user, allegation=case, text=f"Note {n}")
    url = reverse("policydocs:report_record", args=["chronology_pack", case.pk])
    client.force_login(dsl_user)
    client.get(url)

    with django_assert_num_queries(REQUEST_OVERHEAD + TWO_FACTOR_DEVICE + 7 + generate_write()):
        assert client.get(url).status_code == 200


# (page, queries beyond the overhead, what they are)
PAGE_BUDGETS = {
    "read": (
        5,
        "the federations; the current version; its sections; the reader's confirmation; the posts check",
    ),
    "version_list": (1, "the versions with their confirmations (the reader's federations are a subquery)"),
    "version_detail": (4, "the version; its sections; its clauses; the reader's confirmation"),
}


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("page", ["read", "version_list", "version_detail"])
def test_policy_pages_keep_their_budget(client, django_assert_num_queries, staff_user, school, page, rows):
    federation = school.federation
    for n in range(rows // 3):
        import_version(federation, text=policy_text(f" draft {n}"))
    version = ratified_version(
        federation, text=policy_text("\n\n3. More\n\n" + "\n".join(f"- rule {n}" for n in range(rows)))
    )
    for _n in range(rows):
        acknowledge(make_user(Role.STAFF, school=school), version)
    url = {
        "read": reverse("policydocs:read"),
        "version_list": reverse("policydocs:version_list"),
        "version_detail": version.get_absolute_url(),
    }[page]
    client.force_login(staff_user)
    client.get(url)
    extra, _why = PAGE_BUDGETS[page]

    with django_assert_num_queries(REQUEST_OVERHEAD + extra):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_public_page_keeps_its_budget(client, django_assert_num_queries, school, rows):
    """No sign-in, so no session: the versions and their sections."""
    ratified_version(
        school.federation, text=policy_text("\n\n3. More\n\n" + "\n".join(f"- rule {n}" for n in range(rows)))
    )

    with django_assert_num_queries(2):
        assert client.get(reverse("policydocs:public")).status_code == 200


def test_the_acknowledgement_card_costs_one_query_and_one_more_to_show(
    django_assert_num_queries, staff_user, school
):
    """Whether a version waits is one figure among the dashboard's (one query on its own); the version is
    read only when the card shows."""
    from policydocs.cards import acknowledge_card

    staff_user.__dict__.pop("_portal_access", None)
    from people.policies import access_for

    access_for(staff_user)
    with django_assert_num_queries(1):
        assert acknowledge_card(staff_user) is None
    version = ratified_version(school.federation)
    with django_assert_num_queries(2):
        card = acknowledge_card(staff_user)
    assert card.title == "Read and confirm the policy" and version.label in card.body


def test_the_card_asks_nothing_of_people_who_do_not_sign(django_assert_num_queries, governor_user):
    from people.policies import access_for
    from policydocs.cards import acknowledge_card

    access_for(governor_user)
    with django_assert_num_queries(0):
        assert acknowledge_card(governor_user) is None
