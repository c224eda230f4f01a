"""Query budgets of the incidents pages: exact, explained, and the same with ten times the rows.

Every signed-in request of a safeguarding role costs five queries of its own: the session, the user,
the second-factor device (django-otp checks the session's device), the user's roles (read once per
request) and the unread count in the navigation. A member of staff without a second factor costs four.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import Allegation, Concern, ConcernCategory, HeldAction
from people.policies import access_for

from ..factories import PersonFactory
from .casework import advise, assess, record_case, refer
from .test_evidence_files import PDF

pytestmark = pytest.mark.django_db

OVERHEAD_2FA = 5
OVERHEAD_STAFF = 4
# Recording a view appends to the audit chain: the last hash and the insert, after (on PostgreSQL
# only) the advisory lock that keeps appenders in line.
VIEW_EVENT = 3 if connection.vendor == "postgresql" else 2


def _world(slt_user, staff_user, school, rows: int) -> Allegation:
    """`rows` cases (half of them awaiting referral), reports, and one case with `rows` notes, files,
    steps, views and notices."""
    cases = []
    for _ in range(rows):
        subject = PersonFactory(school=school)
        cases.append(
            advise(slt_user, refer(slt_user, assess(slt_user, record_case(slt_user, school, subject))))
        )
        record_case(slt_user, school, subject)
        services.concern_submit(
            actor=staff_user, school=school, category=ConcernCategory.WORKING_DAY_USE, what_happened="Phones."
        )
    case = cases[0]
    for n in range(rows):
        services.allegation_add_note(actor=slt_user, allegation=case, text=f"Note {n}")
        services.evidence_upload(actor=slt_user, allegation=case, name=f"letter-{n}.pdf", data=PDF)
        services.allegation_record_action(
            actor=slt_user, allegation=case, kind=HeldAction.PARENTS_NOTIFIED, taken_on=timezone.localdate()
        )
    repeated = PersonFactory(school=school)
    for _ in range(3):
        assess(slt_user, record_case(slt_user, school, repeated), met=False)
    return case


# page: (user fixture, queries beyond the request overhead, what they are)
BUDGETS = {
    "allegation_list": (
        "slt_user",
        4,
        "the week's referral deadlines, paginator count, the filter's schools, the page of cases with school "
        "and subject",
    ),
    "allegation_list_filtered": (
        "slt_user",
        3,
        "the week's referral deadlines, paginator count and the page (the filter's schools once)",
    ),
    "allegation_detail": (
        "slt_user",
        9 + VIEW_EVENT,
        "the case with its school, its people, the accounts that took its steps; the view event; notes, files, "
        "steps; "
        "the chronology's events, its latest views and the delivery of its notices",
    ),
    "allegation_print": (
        "slt_user",
        8 + VIEW_EVENT,
        "the case with its school, its people, the accounts that took its steps; the view event; files; the "
        "chronology's events, its latest views, notes and the delivery of its notices",
    ),
    "concern_list": ("slt_user", 2, "paginator count, the page of reports with school and subject"),
    "concern_detail": ("dsl_user", 2 + VIEW_EVENT, "the report; the view event; may-record check"),
    "low_level_list": ("dsl_user", 4, "the flagged counts, their reviews, the people, their schools"),
    "my_reports": ("staff_user", 2, "paginator count, the page of the author's reports with their school"),
}


def _urls(case):
    return {
        "allegation_list": reverse("incidents:allegation_list"),
        "allegation_list_filtered": reverse("incidents:allegation_list")
        + "?f-status=recorded&f-overdue=on&f-q=Last",
        "allegation_detail": case.get_absolute_url(),
        "allegation_print": reverse("incidents:allegation_print", args=[case.pk]),
        "concern_list": reverse("incidents:concern_list"),
        "concern_detail": Concern.objects.order_by("id").first().get_absolute_url(),
        "low_level_list": reverse("incidents:low_level_list"),
        "my_reports": reverse("incidents:my_reports"),
    }


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_incidents_pages_keep_their_query_budget(
    client, django_assert_num_queries, request, slt_user, dsl_user, staff_user, school, page, rows
):
    """The same number of queries with 3 or 30 cases, reports, notes, files and steps."""
    case = _world(slt_user, staff_user, school, rows)
    fixture, extra, _why = BUDGETS[page]
    user = request.getfixturevalue(fixture)
    url = _urls(case)[page]
    client.force_login(user)
    client.get(url)  # warm-up: the first request of a session differs
    overhead = OVERHEAD_STAFF if fixture == "staff_user" else OVERHEAD_2FA
    with django_assert_num_queries(overhead + extra):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_dashboard_cards_cost_one_query_each(
    django_assert_num_queries, slt_user, dsl_user, staff_user, school, rows
):
    """The dashboard is shared with other apps, so the budget of this app's cards is asserted on the
    providers: one for the LADO card (open and overdue, each counted up to the dashboard's limit, and the
    nearest deadline), one count for the reports card, one for the low-level card (the flags due, each
    against its last review); none at all for someone outside the team."""
    from incidents import cards

    _world(slt_user, staff_user, school, rows)
    for user in (slt_user, dsl_user, staff_user):
        access_for(user)  # a request has read the roles already
    with django_assert_num_queries(1):
        # Each row: a referred case and one awaiting referral; plus three low-level concerns.
        assert cards.lado_referrals_card(slt_user).count == 2 * rows + 3
    with django_assert_num_queries(1):
        assert cards.concerns_card(slt_user).count == rows
    with django_assert_num_queries(1):
        assert cards.low_level_card(dsl_user).count == 1
    with django_assert_num_queries(0):
        assert cards.lado_referrals_card(staff_user) is None
        assert cards.concerns_card(staff_user) is None
        assert cards.low_level_card(staff_user) is None


def test_the_low_level_card_costs_the_same_whether_anyone_is_flagged_or_not(
    django_assert_num_queries, slt_user, dsl_user, school
):
    """One query with nobody flagged, one flagged, or a flag reviewed."""
    from incidents import cards

    access_for(dsl_user)
    with django_assert_num_queries(1):
        assert cards.low_level_card(dsl_user) is None
    repeated = PersonFactory(school=school)
    for _ in range(3):
        assess(slt_user, record_case(slt_user, school, repeated), met=False)
    with django_assert_num_queries(1):
        assert cards.low_level_card(dsl_user).count == 1
    services.low_level_review_record(actor=dsl_user, subject=repeated, school=school, note="Discussed.")
    with django_assert_num_queries(1):
        assert cards.low_level_card(dsl_user) is None
