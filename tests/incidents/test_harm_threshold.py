"""The harm threshold (KCSIE part four): any test met → the LADO path; none → a low-level concern;
three low-level concerns about one person in twelve months flag them for the DSL's review."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core import formats
from core.workflow import InvalidTransition
from incidents import cards, selectors, services
from incidents.models import Allegation, LowLevelReview
from notifications.models import Notification

from .casework import assess, record_case

pytestmark = pytest.mark.django_db
S = Allegation.Status


@pytest.mark.parametrize(
    "test", ["harm_to_child", "criminal_offence", "risk_to_children", "unsuitable_to_work"]
)
def test_any_one_test_met_keeps_the_case_on_the_lado_path(test, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    tests = dict.fromkeys(
        ["harm_to_child", "criminal_offence", "risk_to_children", "unsuitable_to_work"], False
    )
    tests[test] = True
    case = services.allegation_assess_harm(actor=slt_user, allegation=case, rationale="Judged.", **tests)
    assert case.status == S.RECORDED and case.harm_threshold_met and not case.is_low_level
    event = AuditEvent.objects.get(action="incidents.allegation.assess_harm")
    assert event.data["threshold_met"] is True and event.data["tests"][test] is True


def test_none_met_makes_a_low_level_concern(slt_user, school, subject):
    case = assess(slt_user, record_case(slt_user, school, subject), met=False)
    assert case.status == S.LOW_LEVEL_CONCERN and case.is_low_level
    event = AuditEvent.objects.get(action="incidents.allegation.assess_harm")
    assert event.data["status"] == [S.RECORDED, S.LOW_LEVEL_CONCERN]


def test_a_rationale_is_required(slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    with pytest.raises(Exception) as info:
        services.allegation_assess_harm(
            actor=slt_user,
            allegation=case,
            harm_to_child=True,
            criminal_offence=False,
            risk_to_children=False,
            unsuitable_to_work=False,
            rationale=" ",
        )
    assert info.value.message_dict == {"rationale": ["Explain how the tests were judged."]}


def test_a_referred_case_is_not_reassessed(slt_user, school, subject):
    from .casework import refer

    case = refer(slt_user, assess(slt_user, record_case(slt_user, school, subject)))
    with pytest.raises(InvalidTransition):
        assess(slt_user, case, met=False)


def _low_level(actor, school, subject, days_ago):
    case = record_case(actor, school, subject, received_at=timezone.now() - timedelta(days=days_ago))
    return assess(actor, case, met=False)


def test_the_third_low_level_concern_in_twelve_months_flags_the_person(dsl_user, slt_user, school, subject):
    _low_level(slt_user, school, subject, 300)
    _low_level(slt_user, school, subject, 100)
    assert not Notification.objects.filter(template="incidents_low_level_review_due").exists()
    assert selectors.low_level_flags(dsl_user) == []

    third = _low_level(slt_user, school, subject, 1)

    notices = Notification.objects.filter(template="incidents_low_level_review_due")
    assert dsl_user.pk in {n.recipient_user_id for n in notices}
    assert all(n.context["url"] == reverse("incidents:low_level_list") for n in notices)
    [flag] = selectors.low_level_flags(dsl_user)
    assert flag.subject == subject and flag.count == 3 and flag.needs_review
    assert flag.latest == third.received_at


def test_the_review_notice_counts_as_the_review_list_groups_by_person_and_school(
    exec_head_user, slt_user, school, other_school, subject
):
    """Three concerns about one person at two schools: no school reaches the threshold, so no notice says a
    review is due (it would open an empty list); the third at one school sends it, and the list holds it."""
    from people.models import Membership, Role

    from ..factories import make_user

    Membership.objects.create(person=subject, school=other_school)
    other_slt = make_user(Role.SLT, Role.STAFF, school=other_school)
    _low_level(slt_user, school, subject, 200)
    _low_level(slt_user, school, subject, 100)
    _low_level(other_slt, other_school, subject, 50)
    assert not Notification.objects.filter(template="incidents_low_level_review_due").exists()
    assert selectors.low_level_flags(exec_head_user) == []

    _low_level(slt_user, school, subject, 1)
    assert Notification.objects.filter(template="incidents_low_level_review_due").exists()
    [flag] = selectors.low_level_flags(exec_head_user)
    assert (flag.subject, flag.school_id, flag.count) == (subject, school.pk, 3)


def test_concerns_older_than_the_window_do_not_count(dsl_user, slt_user, school, subject):
    _low_level(slt_user, school, subject, 400)
    _low_level(slt_user, school, subject, 100)
    _low_level(slt_user, school, subject, 1)
    assert selectors.low_level_flags(dsl_user) == []
    assert not Notification.objects.filter(template="incidents_low_level_review_due").exists()


def test_the_threshold_and_window_are_settings(settings, dsl_user, slt_user, school, subject):
    settings.INCIDENTS_LOW_LEVEL_THRESHOLD = 2
    settings.INCIDENTS_LOW_LEVEL_WINDOW_MONTHS = 24
    _low_level(slt_user, school, subject, 600)
    _low_level(slt_user, school, subject, 1)
    assert [flag.count for flag in selectors.low_level_flags(dsl_user)] == [2]


def test_the_dsl_reviews_and_the_flag_clears_until_the_next_concern(
    client, dsl_user, slt_user, school, subject
):
    for days in (200, 100, 10):
        _low_level(slt_user, school, subject, days)
    client.force_login(dsl_user)
    url = reverse("incidents:low_level_review", args=[subject.pk, school.pk])
    assert "Review Sam Subject" in client.get(reverse("incidents:low_level_list")).text

    assert "What you entered" in client.post(url, {"note": "Pattern discussed; training arranged."}).text
    response = client.post(url, {"note": "Pattern discussed; training arranged.", "confirm": "yes"})
    assert response.status_code == 302
    review = LowLevelReview.objects.get()
    assert review.reviewed_by == dsl_user
    assert AuditEvent.objects.filter(action="incidents.low_level_review.record").exists()
    [flag] = selectors.low_level_flags(dsl_user)
    assert not flag.needs_review
    assert cards.low_level_card(dsl_user) is None

    _low_level(slt_user, school, subject, 0)
    [flag] = selectors.low_level_flags(dsl_user)
    assert flag.needs_review and flag.count == 4
    assert cards.low_level_card(dsl_user).count == 1


def test_the_dashboard_counts_the_flags_the_review_list_marks_due(
    dsl_user, slt_user, school, other_school, subject
):
    """The dashboard's count of flags due (one query) agrees with the review list, person by person and
    school by school: never reviewed, reviewed before the latest concern, reviewed since, under the
    threshold, and a school the DSL does not review."""
    from core.dashboard import count_up_to
    from people.models import Role

    from ..factories import PersonFactory, make_user

    never, reviewed_before, reviewed_since, under = (PersonFactory(school=school) for _ in range(4))
    for person in (never, reviewed_before, reviewed_since, subject):
        for days in (200, 100, 10):
            _low_level(slt_user, school, person, days)
    _low_level(slt_user, school, under, 5)
    _low_level(slt_user, school, under, 4)
    elsewhere, their_slt = (
        PersonFactory(school=other_school),
        make_user(Role.SLT, Role.STAFF, school=other_school),
    )
    for days in (30, 20, 10):
        _low_level(their_slt, other_school, elsewhere, days)
    for person in (reviewed_before, reviewed_since, subject):
        services.low_level_review_record(actor=dsl_user, subject=person, school=school, note="Discussed.")
    LowLevelReview.objects.filter(subject=reviewed_before).update(
        reviewed_at=timezone.now() - timedelta(days=50)
    )
    _low_level(slt_user, school, subject, 0)  # a new concern since its review

    flags = selectors.low_level_flags(dsl_user)
    due = {flag.subject for flag in flags if flag.needs_review}
    assert due == {never, reviewed_before, subject}
    assert {flag.subject for flag in flags} == due | {reviewed_since}
    assert count_up_to(selectors.low_level_due(dsl_user)) == 3
    assert cards.low_level_card(dsl_user).count == 3
    assert count_up_to(selectors.low_level_due(dsl_user), limit=1) == 2  # counting stops past the limit


def test_opening_the_review_page_is_audited_with_the_cases_it_lists(
    client, dsl_user, slt_user, school, subject
):
    cases = [_low_level(slt_user, school, subject, days) for days in (200, 100, 10)]
    client.force_login(dsl_user)
    assert client.get(reverse("incidents:low_level_review", args=[subject.pk, school.pk])).status_code == 200
    event = AuditEvent.objects.get(action="incidents.low_level.view")
    assert event.actor == dsl_user and event.target_id == str(subject.pk) and event.school_id == school.pk
    assert sorted(event.data["allegation_ids"]) == sorted(case.pk for case in cases)


def test_the_review_page_is_for_the_dsl(client, slt_user, school, subject):
    for days in (200, 100, 10):
        _low_level(slt_user, school, subject, days)
    client.force_login(slt_user)
    assert client.get(reverse("incidents:low_level_list")).status_code == 403
    assert client.get(reverse("incidents:low_level_review", args=[subject.pk, school.pk])).status_code == 403


def test_the_review_of_someone_without_concerns_is_404(client, dsl_user, school, subject):
    client.force_login(dsl_user)
    assert client.get(reverse("incidents:low_level_review", args=[subject.pk, school.pk])).status_code == 404


def test_the_case_page_counts_the_persons_low_level_concerns(client, dsl_user, slt_user, school, subject):
    for days in (200, 100, 10):
        case = _low_level(slt_user, school, subject, days)
    client.force_login(dsl_user)
    assert (
        "3 low-level concerns about Sam Subject in the last twelve months: flagged"
        in client.get(case.get_absolute_url()).text
    )


def _answers(yes=()):
    tests = ["harm_to_child", "criminal_offence", "risk_to_children", "unsuitable_to_work"]
    return {**{t: "yes" if t in yes else "no" for t in tests}, "rationale": "Judged against each test."}


def test_the_confirmation_says_what_the_answers_do_before_they_are_recorded(
    client, slt_user, school, subject
):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    url = reverse("incidents:allegation_step", args=[case.pk, "assess"])
    none_met = client.post(url, _answers()).text
    assert (
        "You answered No to all four tests: the case becomes a low-level concern, handled inside the school, "
        "and is not referred to the LADO." in none_met
    )
    due = formats.deadline(case.referral_due_at)
    two_met = client.post(url, _answers(yes=("harm_to_child", "risk_to_children"))).text
    assert f"You answered Yes to 2 tests: the case must be referred to the LADO by {due}." in two_met
    assert "low-level concern" not in two_met
    case.refresh_from_db()
    assert case.status == S.RECORDED and case.harm_assessed_at is None


def test_the_confirmation_says_when_the_referral_is_already_late(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    Allegation.objects.filter(pk=case.pk).update(referral_due_at=timezone.now() - timedelta(hours=2))
    client.force_login(slt_user)
    url = reverse("incidents:allegation_step", args=[case.pk, "assess"])
    page = client.post(url, _answers(yes=("criminal_offence",))).text
    assert "You answered Yes to one test: the referral to the LADO was due by" in page
    assert ": make it now." in page
