"""The dashboard's "Urgent" list and the week's deadline strip: LADO referrals still to be made (§9) and open
follow-up actions (§8, §10), overdue first then soonest due, in words, each linked to its case; the strip lays
Monday to Friday out a day per column. One query per source, whatever the number of cases."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.deadlines import URGENT_SHOWN, urgent_for, week_for, week_start
from core.formats import deadline, weekday
from incidents import deadlines
from incidents.models import Allegation, IncidentAction, IncidentType
from people.policies import access_for

from ..factories import PersonFactory
from .casework import record_case
from .pupilwork import record

pytestmark = pytest.mark.django_db


def case_due(actor, school, due):
    """A case still to be referred whose deadline is `due`."""
    case = record_case(actor, school, PersonFactory(school=school))
    Allegation.objects.filter(pk=case.pk).update(referral_due_at=due)
    case.referral_due_at = due
    return case


def action_due(actor, school, due_on):
    """An improper-contact incident whose one action (the DSL's safeguarding review) is due on `due_on`."""
    incident = record(actor, school, IncidentType.IMPROPER_CONTACT, adult_description="A stranger")
    IncidentAction.objects.filter(incident=incident).update(due_on=due_on)
    return incident


def test_an_overdue_referral_comes_before_an_action_due_next_week_before_the_two_factor_card(
    unverified_client, settings, staff_user, dsl_user, school
):
    """The DSL, without a second factor yet: the overdue referral first, in words, then the action due
    next week, and only then the card asking them to set up two-factor sign-in."""
    settings.PORTAL_REQUIRE_2FA = False
    now = timezone.now()
    later = action_due(staff_user, school, timezone.localdate() + timedelta(days=7))
    late = case_due(dsl_user, school, now - timedelta(days=4, minutes=30))
    unverified_client.force_login(dsl_user)
    html = unverified_client.get(reverse("dashboard")).text
    referral = f"{late.reference}: referral overdue by 4 days — refer now"
    action = (
        f"{later.reference}: action due {weekday(timezone.localdate() + timedelta(days=7))}"
        " — The DSL deals with it as a safeguarding matter"
    )
    assert f'<a class="text-break" href="{late.get_absolute_url()}"><strong>{referral}</strong></a>' in html
    assert f'<a class="text-break" href="{later.get_absolute_url()}">{action}</a>' in html
    urgent = html.index('id="urgent-heading"')
    assert urgent < html.index(referral) < html.index(action) < html.index("Set up two-factor sign-in")


def test_the_words_of_a_referral_due_and_of_actions_overdue_and_due_today(staff_user, dsl_user, school):
    now = timezone.now()
    soon = case_due(dsl_user, school, now + timedelta(hours=3, minutes=20))
    assert deadlines.referral_words(soon, now) == (
        f"referral due {deadline(soon.referral_due_at)} (in 3 h 20 min) — refer to the LADO"
    )
    today = timezone.localdate()
    action = action_due(staff_user, school, today - timedelta(days=2)).actions.get()
    assert deadlines.action_words(action, today) == (
        "action overdue by 2 days — The DSL deals with it as a safeguarding matter"
    )
    assert deadlines.action_words(action, action.due_on).startswith("action due today — ")
    assert deadlines.action_words(action, action.due_on - timedelta(days=1)) == (
        f"action due {weekday(action.due_on)} — The DSL deals with it as a safeguarding matter"
    )


def test_the_list_shows_the_first_few_and_links_to_everything_due(client, dsl_user, school):
    now = timezone.now()
    cases = [case_due(dsl_user, school, now + timedelta(hours=n + 1)) for n in range(URGENT_SHOWN + 1)]
    client.force_login(dsl_user)
    response = client.get(reverse("dashboard"))
    assert [item.reference for item in response.context["urgent"].items] == [
        case.reference for case in cases[:URGENT_SHOWN]
    ]
    assert f'<a href="{reverse("deadlines")}">See everything due</a>' in response.text
    everything = client.get(reverse("deadlines"))
    assert [item.reference for item in everything.context["urgent"].items] == [
        case.reference for case in cases
    ]
    assert "Only the first" not in everything.text


def test_the_subject_of_a_case_and_staff_outside_the_team_see_no_deadline(
    client, staff_user, slt_user, dsl_user, school
):
    """KCSIE part four: the subject never learns of the case, not even from its deadline."""
    about_the_dsl = record_case(slt_user, school, dsl_user.person)
    about_someone_else = record_case(slt_user, school, PersonFactory(school=school))
    assert [item.reference for item in urgent_for(dsl_user).items] == [about_someone_else.reference]
    assert about_the_dsl.reference in [item.reference for item in urgent_for(slt_user).items]
    assert urgent_for(staff_user).items == []
    client.force_login(staff_user)
    assert 'id="urgent-heading"' not in client.get(reverse("dashboard")).text


def _wednesday():
    """Wednesday 10:00 of the current week, in the portal's time zone."""
    today = timezone.localdate()
    wednesday = today - timedelta(days=today.weekday()) + timedelta(days=2)
    return timezone.make_aware(datetime.combine(wednesday, datetime.min.time()) + timedelta(hours=10))


def test_the_strip_has_a_column_per_weekday_with_that_days_deadlines_overdue_first(
    staff_user, dsl_user, school
):
    now = _wednesday()
    monday = now - timedelta(days=2)
    late_today = case_due(dsl_user, school, now - timedelta(hours=1))  # Wednesday 09:00: overdue
    later_today = case_due(dsl_user, school, now + timedelta(hours=5))  # Wednesday 15:00
    action_today = action_due(staff_user, school, now.date())  # due by the end of Wednesday
    on_monday = case_due(dsl_user, school, monday)  # overdue, on Monday
    case_due(dsl_user, school, monday - timedelta(days=3))  # last Friday: not this week
    action_due(staff_user, school, (now + timedelta(days=5)).date())  # next Monday: not this week
    on_friday = action_due(staff_user, school, (now + timedelta(days=2)).date())
    week = week_for(dsl_user, now=now)
    assert [day.label for day in week.days] == [weekday(monday + timedelta(days=n)) for n in range(5)]
    assert [day.is_today for day in week.days] == [False, False, True, False, False]
    assert [[item.reference for item in day.items] for day in week.days] == [
        [on_monday.reference],
        [],
        [late_today.reference, later_today.reference, action_today.reference],
        [],
        [on_friday.reference],
    ]
    assert [item.overdue for item in week.days[2].items] == [True, False, False]
    assert week.days[0].items[0].text.startswith("referral overdue by 2 days")


def test_the_lado_list_shows_the_weeks_referrals_by_day_and_no_actions(client, staff_user, dsl_user, school):
    today = timezone.localdate()
    case = case_due(dsl_user, school, timezone.now() + timedelta(minutes=1))
    action_due(staff_user, school, today)
    client.force_login(dsl_user)
    response = client.get(reverse("incidents:allegation_list"))
    html = response.text
    assert '<h2 class="h4" id="week-heading">Referrals due this week</h2>' in html
    for n in range(5):
        day = week_start(today) + timedelta(days=n)
        assert f"{weekday(day)}{' (today)' if day == today else ''}</h3>" in html
    items = [item for day in response.context["week"].days for item in day.items]
    if today.weekday() < 5:
        assert [item.reference for item in items] == [case.reference]
    assert "action due" not in html


@pytest.mark.parametrize("rows", [3, 30])
def test_each_source_costs_one_query_whatever_the_number_of_cases(
    django_assert_num_queries, staff_user, dsl_user, school, rows
):
    """The urgent list and the strip: one query for the referrals (the cases with their deadline only) and
    one for the actions (with their case, for its reference), with 3 or 30 of each; none for staff outside
    the team."""
    now = timezone.now()
    for n in range(rows):
        case_due(dsl_user, school, now + timedelta(hours=n - rows // 2))
        action_due(staff_user, school, timezone.localdate() + timedelta(days=n % 5 - 2))
    access_for(dsl_user)
    access_for(staff_user)
    with django_assert_num_queries(2):
        urgent = urgent_for(dsl_user)
    assert len(urgent.items) == URGENT_SHOWN and urgent.more
    with django_assert_num_queries(2):
        week_for(dsl_user)
    with django_assert_num_queries(0):
        assert urgent_for(staff_user).items == [] and week_for(staff_user).count == 0


def test_the_two_factor_card_comes_after_the_cards_of_the_casework(
    unverified_client, settings, dsl_user, school
):
    """Even with nothing overdue, the referrals card (and its next deadline) comes before the account's set-up."""
    settings.PORTAL_REQUIRE_2FA = False
    case_due(dsl_user, school, timezone.now() + timedelta(days=3))
    unverified_client.force_login(dsl_user)
    titles = [card.title for card in unverified_client.get(reverse("dashboard")).context["cards"]]
    assert titles.index("LADO referrals") < titles.index("Set up two-factor sign-in")


def test_at_a_weekend_the_strip_shows_the_coming_week():
    friday = week_start(timezone.localdate()) + timedelta(days=4)
    assert week_start(friday) == friday - timedelta(days=4)
    assert week_start(friday + timedelta(days=1)) == friday + timedelta(days=3)
    assert week_start(friday + timedelta(days=2)) == friday + timedelta(days=3)
