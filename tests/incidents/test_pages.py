"""The LADO referrals list (filters, deadline order, overdue cases standing out), the case page's
countdown, the dashboard card, the person-page panel, and who reaches each page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dashboard import cards_for
from people.models import Role

from ..factories import PersonFactory, make_user
from .casework import advance, assess, case_in, record_case

pytestmark = pytest.mark.django_db


def _refs(html):
    return re.findall(r">(ALG-\d{5})</a>", html)


@pytest.fixture
def cases(slt_user, school):
    now = timezone.now()
    overdue = record_case(
        slt_user,
        school,
        PersonFactory(school=school, last_name="Overdue"),
        received_at=now - timedelta(days=7),
    )
    soon = record_case(
        slt_user, school, PersonFactory(school=school, last_name="Soon"), received_at=now - timedelta(hours=2)
    )
    closed = case_in(
        slt_user, school, PersonFactory(school=school, last_name="Closed"), "closed", outcome="false"
    )
    low = case_in(slt_user, school, PersonFactory(school=school, last_name="Low"), "low_level_concern")
    return {"overdue": overdue, "soon": soon, "closed": closed, "low": low}


def test_cases_awaiting_referral_come_first_by_deadline_and_overdue_ones_stand_out(client, slt_user, cases):
    client.force_login(slt_user)
    page = client.get(reverse("incidents:allegation_list")).text
    refs = _refs(page)
    assert refs[:2] == [cases["overdue"].reference, cases["soon"].reference]
    assert set(refs) == {c.reference for c in cases.values()}
    row = page.split(cases["overdue"].reference)[0].rsplit("<tr", 1)[1]
    assert 'class="table-danger"' in row
    assert "Overdue" in page and "overdue by" in page and "due in" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("f-overdue=on", ["overdue"]),
        ("f-status=closed", ["closed"]),
        ("f-status=low_level_concern", ["low"]),
        ("f-outcome=false", ["closed"]),
        ("f-q=Soon", ["soon"]),
    ],
)
def test_the_list_filters(client, slt_user, cases, query, expected):
    client.force_login(slt_user)
    refs = _refs(client.get(reverse("incidents:allegation_list") + "?" + query).text)
    assert refs == [cases[name].reference for name in expected]


def test_search_by_reference_and_school_filter(client, slt_user, other_school, school, cases, exec_head_user):
    client.force_login(slt_user)
    ref = cases["low"].reference
    assert _refs(client.get(reverse("incidents:allegation_list") + f"?f-q={ref}").text) == [ref]
    exec_head_user.person.memberships.create(school=other_school)
    elsewhere = record_case(exec_head_user, other_school, PersonFactory(school=other_school))
    client.force_login(exec_head_user)
    assert _refs(client.get(reverse("incidents:allegation_list") + f"?f-school={other_school.pk}").text) == [
        elsewhere.reference
    ]


@pytest.mark.parametrize(
    "fixture, status",
    [
        ("slt_user", 200),
        ("dsl_user", 200),
        ("head_user", 200),
        ("exec_head_user", 200),
        ("chair_user", 200),
        ("staff_user", 403),
        ("teacher_user", 403),
        ("office_user", 403),
        ("governor_user", 403),
    ],
)
def test_who_reaches_the_lado_referrals_list(client, request, fixture, status):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("incidents:allegation_list")).status_code == status


@pytest.mark.parametrize(
    "fixture, status",
    [
        ("slt_user", 200),
        ("dsl_user", 200),
        ("head_user", 200),
        ("exec_head_user", 200),
        ("chair_user", 404),
        ("staff_user", 404),
        ("teacher_user", 404),
        ("office_user", 404),
        ("governor_user", 404),
    ],
)
def test_who_reaches_a_case(client, request, fixture, status, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(case.get_absolute_url()).status_code == status
    assert client.get(reverse("incidents:allegation_print", args=[case.pk])).status_code == status


def test_slt_of_another_school_finds_no_case(client, other_school, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(make_user(Role.SLT, Role.STAFF, school=other_school))
    assert client.get(case.get_absolute_url()).status_code == 404


def test_the_case_page_counts_down_to_the_referral(client, slt_user, school, subject, frozen_now):
    case = record_case(slt_user, school, subject)
    frozen_now(case.referral_due_at - timedelta(hours=3, minutes=20))
    client.force_login(slt_user)
    assert "LADO referral due in 3 h 20 min" in client.get(case.get_absolute_url()).text
    frozen_now(case.referral_due_at + timedelta(days=1, hours=2))
    client.force_login(slt_user)  # sign in again: the first sign-in has expired by then
    assert "The LADO referral is overdue by 1 day 2 h" in client.get(case.get_absolute_url()).text


def test_the_dashboard_card_shows_open_cases_overdue_and_the_next_deadline(slt_user, cases):
    card = next(card for card in cards_for(slt_user) if card.title == "LADO referrals")
    assert card.count == 3 and card.tone == "danger"
    assert "1 LADO referral is overdue." in card.body and "Next referral deadline" in card.body


def test_no_card_for_those_outside_the_team(office_user, staff_user, cases):
    for user in (office_user, staff_user):
        assert not any(card.title == "LADO referrals" for card in cards_for(user))


def test_the_person_page_shows_their_cases_to_the_team_only(
    client, slt_user, head_user, office_user, school, subject
):
    case = assess(slt_user, record_case(slt_user, school, subject))
    client.force_login(head_user)
    page = client.get(subject.get_absolute_url()).text
    assert "Allegations about this person" in page and case.reference in page
    client.force_login(office_user)
    page = client.get(subject.get_absolute_url()).text
    assert "Allegations about this person" not in page and case.reference not in page


def test_the_nav_offers_lado_referrals_to_the_team(client, slt_user, staff_user):
    client.force_login(slt_user)
    assert f'href="{reverse("incidents:allegation_list")}"' in client.get(reverse("dashboard")).text
    client.force_login(staff_user)
    assert f'href="{reverse("incidents:allegation_list")}"' not in client.get(reverse("dashboard")).text


def test_the_whole_path_is_followable_from_the_case_page(client, slt_user, school, subject):
    """Each state offers the next step as a button, so a senior leader needs no instructions."""
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    expected = {
        "recorded": ["Assess the harm threshold"],
        "referred_to_lado": ["Record the LADO&#x27;s advice"],
        "lado_advice_recorded": ["Start the investigation"],
        "investigating": ["Record the outcome"],
        "outcome_recorded": ["Close the case"],
    }
    for state, buttons in expected.items():
        case = advance(slt_user, record_case(slt_user, school, subject), state)
        page = client.get(case.get_absolute_url()).text
        for button in buttons:
            assert button in page, (state, button)
    assessed = assess(slt_user, record_case(slt_user, school, subject))
    assert "Record the LADO referral" in client.get(assessed.get_absolute_url()).text
