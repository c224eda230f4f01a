"""The in-app centre names the case and its deadline for the signed-in recipient ("ALG-00003: new case —
referral due Thu 10 Dec 14:00"), so thirteen "a new case needs your attention" rows can be told apart; the
emails of the same notices stay content-free; nobody but the recipient, and only while they may see the
case, gets the words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.formats import deadline, moment
from incidents import notices
from incidents.models import Allegation
from notifications.models import Channel, Notification
from notifications.rendering import in_app_lines, render_notification
from people.models import Role, RoleAssignment

from ..factories import PersonFactory
from .casework import assess, record_case, refer
from .test_query_budgets import OVERHEAD_2FA

pytestmark = pytest.mark.django_db

SUBJECT = "Safeguarding: a new case needs your attention"


def _cases(slt_user, school, n):
    return [record_case(slt_user, school, PersonFactory(school=school)) for _ in range(n)]


def _inbox_lines(client, user):
    client.force_login(user)
    return [line for _notification, line in client.get(reverse("notifications:inbox")).context["items"]]


def test_thirteen_new_cases_read_as_thirteen_different_lines(client, slt_user, dsl_user, school):
    cases = _cases(slt_user, school, 13)
    lines = _inbox_lines(client, dsl_user)
    expected = [
        f"{case.reference}: new case — referral due {deadline(case.referral_due_at)}" for case in cases
    ]
    assert sorted(lines) == sorted(expected)
    assert len(set(lines)) == 13


def test_the_line_follows_the_referral_overdue_or_made(client, slt_user, dsl_user, school):
    late, referred = _cases(slt_user, school, 2)
    Allegation.objects.filter(pk=late.pk).update(referral_due_at=timezone.now() - timedelta(hours=2))
    late.refresh_from_db()
    referred = refer(slt_user, assess(slt_user, referred))
    lines = set(_inbox_lines(client, dsl_user))
    assert f"{late.reference}: new case — referral overdue since {deadline(late.referral_due_at)}" in lines
    assert f"{referred.reference}: new case — referred to the LADO on {moment(referred.referred_at)}" in lines


def test_the_emails_of_the_same_notices_stay_content_free(slt_user, dsl_user, school):
    (case,) = _cases(slt_user, school, 1)
    email = Notification.objects.get(
        recipient_user=dsl_user, channel=Channel.EMAIL, template=notices.ALLEGATION_RECORDED
    )
    subject, text, html = render_notification(email)
    assert subject == SUBJECT
    for body in (subject, text, html):
        assert case.reference not in body and "referral due" not in body and case.what_happened not in body


def test_only_the_recipient_gets_the_words(slt_user, dsl_user, head_user, school):
    """Another member of the team, handed the DSL's rows, gets none of their lines."""
    _cases(slt_user, school, 1)
    rows = list(Notification.objects.filter(recipient_user=dsl_user, channel=Channel.IN_APP))
    assert rows and notices.in_app_lines(head_user, rows) == {}
    assert in_app_lines(head_user, rows) == []
    assert [line for _, line in in_app_lines(dsl_user, rows)][0].startswith("ALG-")


def test_a_recipient_who_may_no_longer_see_the_case_reads_the_plain_subject(
    client, slt_user, dsl_user, school
):
    _cases(slt_user, school, 1)
    RoleAssignment.objects.filter(person=dsl_user.person, role=Role.DSL).delete()
    assert _inbox_lines(client, dsl_user) == [SUBJECT]


@pytest.mark.parametrize("rows", [3, 13])
def test_the_centre_costs_the_same_whatever_the_number_of_notices(
    client, django_assert_num_queries, slt_user, dsl_user, school, rows
):
    """The page count, the page of notices, and one read of the cases they are about (those the user may
    see), beyond the request's own."""
    _cases(slt_user, school, rows)
    client.force_login(dsl_user)
    client.get(reverse("notifications:inbox"))
    with django_assert_num_queries(OVERHEAD_2FA + 3):
        response = client.get(reverse("notifications:inbox"))
    assert len({line for _, line in response.context["items"]}) == rows
