"""The "My open actions" card and page: the open follow-ups of pupil incidents (§8) and cyberbullying reports
(§10) owned by a role the user holds at the case's school; how many, how many overdue, the nearest due date."""

from datetime import date, timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from incidents import cards, selectors, services
from incidents.models import IncidentAction, IncidentType
from people.models import Role
from people.policies import access_for

from ..factories import FederationFactory, PupilFactory, SchoolFactory, make_user
from .pupilwork import pupil_with_parent, record
from .test_query_budgets import OVERHEAD_2FA

pytestmark = pytest.mark.django_db


def firewall(staff_user, school, **fields):
    """One action owned by SLT (supervised ICT), due on the sanction's first day."""
    today = timezone.localdate()
    values = {"sanction_starts_on": today, "sanction_ends_on": today + timedelta(days=7)}
    values.update(fields)
    return record(staff_user, school, IncidentType.FIREWALL_BREACH, **values)


def contact(staff_user, school):
    """One action owned by the DSL (the safeguarding review), due the next working day."""
    return record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="A stranger")


def cyberbullying(teacher_user, dsl_user, school):
    """A decided report about a former pupil: one action owned by the DSL (contact the new school)."""
    report = services.cyberbullying_report_record(
        actor=teacher_user,
        school=school,
        victims=[PupilFactory(school=school)],
        perpetrators=[
            {"kind": "former_pupil", "name": "Alex", "left_on": date(2025, 7, 20), "new_school": "Ash"}
        ],
        when=["weekends"],
        channels=["social_media"],
        platform="instagram",
        what_happened="Unkind posts.",
        source="parent",
    )
    return services.cyberbullying_decide(actor=dsl_user, report=report)


def test_each_role_sees_the_actions_its_role_owns(staff_user, dsl_user, slt_user, head_user, school):
    review = contact(staff_user, school).actions.get()
    supervise = firewall(staff_user, school).actions.get()
    assert list(selectors.my_open_incident_actions(dsl_user)) == [review]
    assert list(selectors.my_open_incident_actions(slt_user)) == [supervise]
    assert list(selectors.my_open_incident_actions(head_user)) == [supervise]


def test_the_card_counts_open_and_overdue_and_names_the_next_due_date(
    staff_user, teacher_user, dsl_user, school, other_school
):
    contact(staff_user, school)
    late = contact(staff_user, school).actions.get()
    IncidentAction.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    done = contact(staff_user, school).actions.get()
    services.incident_action_waive(actor=dsl_user, action=done, reason="Dealt with by the police.")
    contact(make_user(Role.STAFF, school=other_school), other_school)  # another school's DSL owns that one
    cyberbullying(teacher_user, dsl_user, school)
    card = cards.my_open_actions_card(dsl_user)
    assert card.count == 3 and card.url == reverse("incidents:my_actions")
    expected_next = timezone.localdate() - timedelta(days=3)
    assert card.body == (
        f"1 action is overdue. 3 open actions for you or your team. Next due: {expected_next:%a %d %b %Y}."
    )
    assert card.tone == "danger"


def test_no_card_for_those_with_no_actions_or_outside_the_team(
    client, staff_user, teacher_user, dsl_user, school
):
    assert cards.my_open_actions_card(dsl_user) is None
    contact(staff_user, school)
    assert cards.my_open_actions_card(teacher_user) is None
    assert cards.my_open_actions_card(staff_user) is None
    client.force_login(teacher_user)
    assert client.get(reverse("incidents:my_actions")).status_code == 403


def test_the_adult_involved_never_counts_the_incidents_actions(staff_user, school):
    adult = make_user(Role.DSL, Role.STAFF, school=school)
    record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult=adult.person)
    assert cards.my_open_actions_card(adult) is None


def test_the_page_lists_each_action_with_a_link_to_its_case(client, staff_user, dsl_user, school):
    first = contact(staff_user, school)
    second = contact(staff_user, school)
    IncidentAction.objects.filter(incident=second).update(due_on=timezone.localdate() - timedelta(days=1))
    client.force_login(dsl_user)
    response = client.get(reverse("incidents:my_actions"))
    assert [a.incident for a in response.context["page"].object_list] == [second, first]
    html = response.content.decode()
    assert f'href="{first.get_absolute_url()}">{first.reference}</a>' in html
    assert html.count("Overdue</span>") == 1


def test_the_page_links_cyberbullying_actions_to_their_report(client, teacher_user, dsl_user, school):
    try:
        reverse("incidents:cyberbullying_detail", args=[1])
    except NoReverseMatch:
        pytest.skip("the cyberbullying case page is not part of this build yet")
    report = cyberbullying(teacher_user, dsl_user, school)
    client.force_login(dsl_user)
    html = client.get(reverse("incidents:my_actions")).content.decode()
    assert f'href="{report.get_absolute_url()}">{report.reference}</a>' in html


@pytest.mark.parametrize("rows", [2, 20])
def test_the_card_costs_one_query_and_the_page_a_fixed_number(
    client, django_assert_num_queries, staff_user, dsl_user, school, rows
):
    """The card: one query (open and overdue, each counted up to the dashboard's limit, and the nearest
    due date). The page: the paginator's count and the page of actions with their case, its
    school and the pupil (one query), beyond the request's own eight."""
    for _ in range(rows):
        contact(staff_user, school)
        record(
            staff_user,
            school,
            IncidentType.UNDER_AGE_ACCOUNT,
            pupils=[pupil_with_parent(school, may_contact=False)],
            platform="tiktok",
        )
    access_for(dsl_user)
    with django_assert_num_queries(1):
        card = cards.my_open_actions_card(dsl_user)
    assert card.count == 2 * rows
    nearest = min(
        IncidentAction.objects.filter(status=IncidentAction.Status.OPEN).values_list("due_on", flat=True)
    )
    assert f"Next due: {nearest:%a %d %b %Y}." in card.body
    url = reverse("incidents:my_actions")
    client.force_login(dsl_user)
    client.get(url)
    with django_assert_num_queries(OVERHEAD_2FA + 2):
        assert client.get(url).status_code == 200


def test_each_action_keeps_its_cases_school(staff_user, teacher_user, dsl_user, school):
    incident_action = contact(staff_user, school).actions.get()
    report_action = cyberbullying(teacher_user, dsl_user, school).actions.get()
    assert incident_action.school_id == report_action.school_id == school.pk


def test_the_executive_head_counts_every_open_action_of_the_federation(
    exec_head_user, staff_user, school, other_school
):
    here = contact(staff_user, school).actions.get()
    there = firewall(make_user(Role.STAFF, school=other_school), other_school).actions.get()
    elsewhere = SchoolFactory(federation=FederationFactory(name="Another Federation"))
    contact(make_user(Role.STAFF, school=elsewhere), elsewhere)
    assert set(selectors.my_open_incident_actions(exec_head_user)) == {here, there}
    assert cards.my_open_actions_card(exec_head_user).count == 2
