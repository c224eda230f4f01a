"""Every move of the allegation workflow: the happy path, each illegal source state with its message,
the audit event, the notices queued, and the roles refused (§9, KCSIE part four)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import services
from incidents.models import Allegation, Outcome, Source
from notifications.models import Notification
from people.models import Role

from ..factories import PupilFactory, make_user
from .casework import ALL_STATES, advise, assess, case_in, record_case, refer

pytestmark = pytest.mark.django_db
S = Allegation.Status


def _outcome(actor, case):
    return services.allegation_record_outcome(
        actor=actor, allegation=case, outcome=Outcome.FALSE, decision_notes="Shown to be untrue."
    )


def _close(actor, case):
    return services.allegation_close(actor=actor, allegation=case, closing_note="Nothing further.")


# name: (call, source states, target, audit action, notice template queued or None)
MOVES = {
    "refer": (lambda a, c: refer(a, c), {S.RECORDED}, S.REFERRED_TO_LADO, "refer_to_lado", None),
    "low_level": (
        lambda a, c: assess(a, c, met=False),
        {S.RECORDED},
        S.LOW_LEVEL_CONCERN,
        "assess_harm",
        None,
    ),
    "advice": (
        lambda a, c: advise(a, c),
        {S.REFERRED_TO_LADO},
        S.LADO_ADVICE_RECORDED,
        "record_advice",
        "incidents_lado_advice_recorded",
    ),
    "investigate": (
        lambda a, c: services.allegation_start_investigation(actor=a, allegation=c),
        {S.LADO_ADVICE_RECORDED},
        S.INVESTIGATING,
        "start_investigation",
        None,
    ),
    "outcome": (_outcome, {S.INVESTIGATING}, S.OUTCOME_RECORDED, "record_outcome", None),
    "close": (_close, {S.OUTCOME_RECORDED, S.LOW_LEVEL_CONCERN}, S.CLOSED, "close", None),
}

REFUSALS = {
    "refer": "so it cannot be referred to the LADO now: only a case that is ‘Recorded’ can.",
    "low_level": "the harm threshold is assessed only while a case is ‘Recorded’.",
    "advice": "so it cannot be given the LADO's advice now: only a case that is ‘Referred to the LADO’ can.",
    "investigate": "so it cannot be put under investigation now: only a case that is ‘LADO advice recorded’ can.",
    "outcome": "so it cannot be given an outcome now: only a case that is ‘Investigating’ can.",
    "close": "so it cannot be closed now: only a case that is ‘Outcome recorded’ or ‘Low-level concern’ can.",
}


def _prepare(actor, school, subject, state, move):
    case = case_in(actor, school, subject, state, low_level=(move == "close" and state == S.CLOSED))
    if move == "refer" and state == S.RECORDED:
        case = assess(actor, case)
    return case


@pytest.mark.parametrize(
    "move, source",
    [(move, source) for move, spec in MOVES.items() for source in sorted(spec[1])],
)
def test_each_move_from_each_allowed_state(move, source, slt_user, dsl_user, exec_head_user, school, subject):
    call, _, target, action, notice = MOVES[move]
    case = _prepare(slt_user, school, subject, source, move)
    before = set(Notification.objects.values_list("id", flat=True))

    moved = call(slt_user, case)

    assert moved.status == target
    assert Allegation.objects.get(pk=case.pk).status == target
    event = AuditEvent.objects.filter(action=f"incidents.allegation.{action}", target_id=str(case.pk)).latest(
        "id"
    )
    assert event.actor == slt_user and event.school_id == school.pk
    assert event.data["status"] == [source, target]
    new = Notification.objects.exclude(id__in=before)
    if notice:
        assert {n.template for n in new} == {notice}
        assert {n.recipient_user_id for n in new} >= {slt_user.pk, dsl_user.pk, exec_head_user.pk}
    else:
        assert not new.exists()


@pytest.mark.parametrize(
    "move, state",
    [(move, state) for move, spec in MOVES.items() for state in ALL_STATES if state not in spec[1]],
)
def test_each_move_is_refused_from_every_other_state(move, state, slt_user, school, subject):
    call = MOVES[move][0]
    case = _prepare(slt_user, school, subject, state, move)
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidTransition) as info:
        call(slt_user, case)

    assert info.value.messages[0].startswith(f"This case is ‘{S(state).label}’")
    assert REFUSALS[move] in info.value.messages[0]
    assert Allegation.objects.get(pk=case.pk).status == state
    assert AuditEvent.objects.count() == events


def test_a_case_is_referred_only_after_the_harm_threshold_is_met(slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    with pytest.raises(InvalidTransition) as info:
        refer(slt_user, case)
    assert info.value.messages == [
        "Record the harm threshold assessment first: a case goes to the LADO when at least one of the four tests "
        "is met."
    ]


def test_the_referral_time_cannot_precede_receipt_or_be_in_the_future(slt_user, school, subject):
    case = assess(slt_user, record_case(slt_user, school, subject))
    with pytest.raises(Exception) as info:
        refer(slt_user, case, at=case.received_at - timezone.timedelta(minutes=1))
    assert info.value.message_dict["referred_at"] == [
        "The referral cannot be before the disclosure was received."
    ]
    with pytest.raises(Exception) as info:
        refer(slt_user, case, at=timezone.now() + timezone.timedelta(minutes=5))
    assert info.value.message_dict["referred_at"] == ["The referral time cannot be in the future."]


def test_an_outcome_must_be_one_of_the_five(slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.INVESTIGATING)
    with pytest.raises(Exception) as info:
        services.allegation_record_outcome(
            actor=slt_user, allegation=case, outcome="proven", decision_notes="x"
        )
    assert info.value.message_dict["outcome"] == ["Choose one of the five outcomes."]


@pytest.mark.parametrize("outcome", Outcome.values)
def test_each_outcome_sets_retention_or_removal(outcome, slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.OUTCOME_RECORDED, outcome=outcome)
    if outcome == Outcome.MALICIOUS:
        assert case.retain_until is None and case.removal_due_on == timezone.localdate()
    else:
        assert case.removal_due_on is None
        assert case.retain_until == subject.date_of_birth.replace(year=subject.date_of_birth.year + 67)
    assert case.may_be_cited_in_reference is (outcome == Outcome.SUBSTANTIATED)


# --- Who may move a case ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture", ["staff_user", "teacher_user", "office_user", "governor_user", "chair_user", "subject_user"]
)
def test_people_outside_the_case_team_cannot_move_it(request, fixture, slt_user, school, subject_user):
    """Including the subject, who holds SLT rights at the school: the case does not exist for them."""
    case = record_case(make_user(Role.DSL, Role.STAFF, school=school), school, subject_user.person)
    user = request.getfixturevalue(fixture)
    with pytest.raises(PermissionDenied):
        assess(user, case)


def test_slt_of_another_school_cannot_move_it(other_school, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    with pytest.raises(PermissionDenied):
        assess(make_user(Role.SLT, Role.STAFF, school=other_school), case)


def test_a_pupils_disclosure_stays_with_the_dsl_until_the_outcome(
    slt_user, dsl_user, exec_head_user, school, subject
):
    """§9: a disclosure from a child follows the child protection procedure; SLT may not take its steps."""
    pupil = PupilFactory(school=school)
    case = record_case(dsl_user, school, subject, source=Source.PUPIL, reporter=pupil)
    with pytest.raises(PermissionDenied) as info:
        assess(slt_user, case)
    assert "child protection procedure" in str(info.value)

    case = advise(dsl_user, refer(dsl_user, assess(dsl_user, case)))
    case = services.allegation_start_investigation(actor=exec_head_user, allegation=case)
    case = _outcome(dsl_user, case)
    # Once the outcome is recorded, SLT may close it.
    assert _close(slt_user, case).status == S.CLOSED


# --- Through the pages ------------------------------------------------------------------------

NOW = "2026-01-01T00:00"


def _step_data(step, case):
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {
        "assess": {
            "harm_to_child": "yes",
            "criminal_offence": "no",
            "risk_to_children": "no",
            "unsuitable_to_work": "no",
            "rationale": "A photo of a pupil was shared.",
        },
        "refer": {
            "referred_at": now,
            "referral_method": "phone",
            "lado_name": "Jo Whitfield",
            "lado_contact": "020 7946 0000",
            "lado_reference": "L/26/1",
        },
        "advice": {
            "advice_at": now,
            "advice": "Investigate under the code of conduct.",
            "police_involved": "no",
            "strategy_meeting": "no",
            "suspension_advised": "no",
        },
        "investigate": {},
        "outcome": {"outcome": "unsubstantiated", "decision_notes": "Not enough evidence."},
        "close": {"closing_note": "Outcome shared with the subject."},
    }[step]


@pytest.mark.parametrize(
    "step, target",
    [
        ("assess", S.RECORDED),
        ("refer", S.REFERRED_TO_LADO),
        ("advice", S.LADO_ADVICE_RECORDED),
        ("investigate", S.INVESTIGATING),
        ("outcome", S.OUTCOME_RECORDED),
        ("close", S.CLOSED),
    ],
)
def test_each_step_page_confirms_then_moves_the_case(client, step, target, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    order = ["assess", "refer", "advice", "investigate", "outcome", "close"]
    client.force_login(slt_user)
    for earlier in order[: order.index(step)]:
        data = {**_step_data(earlier, case), "confirm": "yes"}
        assert (
            client.post(reverse("incidents:allegation_step", args=[case.pk, earlier]), data).status_code
            == 302
        )
    url = reverse("incidents:allegation_step", args=[case.pk, step])
    assert client.get(url).status_code == 200

    response = client.post(url, _step_data(step, case))
    assert response.status_code == 200 and "What you entered" in response.text
    assert Allegation.objects.get(pk=case.pk).status == (
        S.RECORDED if step == "assess" else order_state(step)
    )

    response = client.post(url, {**_step_data(step, case), "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert Allegation.objects.get(pk=case.pk).status == target


def order_state(step):
    return {
        "refer": S.RECORDED,
        "advice": S.REFERRED_TO_LADO,
        "investigate": S.LADO_ADVICE_RECORDED,
        "outcome": S.INVESTIGATING,
        "close": S.OUTCOME_RECORDED,
    }[step]


def test_a_refused_step_shows_its_reason_on_the_form_and_keeps_the_input(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    response = client.post(
        reverse("incidents:allegation_step", args=[case.pk, "refer"]),
        {**_step_data("refer", case), "lado_name": "Keep me"},
    )
    assert response.status_code == 200
    assert "Record the harm threshold assessment first" in response.text
    assert 'value="Keep me"' in response.text


def test_an_unanswered_harm_test_is_a_field_error(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    data = _step_data("assess", case)
    del data["criminal_offence"]
    response = client.post(reverse("incidents:allegation_step", args=[case.pk, "assess"]), data)
    assert response.status_code == 200
    assert "Answer Yes or No." in response.text
    assert "A photo of a pupil was shared." in response.text


def test_step_pages_answer_404_to_those_who_cannot_see_the_case(
    client, staff_user, slt_user, school, subject
):
    case = record_case(slt_user, school, subject)
    client.force_login(staff_user)
    for step in ["assess", "refer", "advice", "investigate", "outcome", "close", "action"]:
        assert client.get(reverse("incidents:allegation_step", args=[case.pk, step])).status_code == 404


def test_step_pages_answer_403_to_slt_on_a_pupils_disclosure(client, slt_user, dsl_user, school, subject):
    case = record_case(dsl_user, school, subject, source=Source.PUPIL, reporter=PupilFactory(school=school))
    client.force_login(slt_user)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("incidents:allegation_step", args=[case.pk, "assess"])).status_code == 403


def test_an_unknown_step_is_404(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    assert client.get(reverse("incidents:allegation_step", args=[case.pk, "delete"])).status_code == 404


def test_a_met_threshold_cannot_be_reassessed_into_a_low_level_concern(slt_user, dsl_user, school, subject):
    """Once a test is met the case goes to the LADO: four Noes given afterwards, by anyone, are refused
    and the case stays on the LADO path, with nothing recorded."""
    case = assess(slt_user, record_case(slt_user, school, subject))
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition) as refused:
        assess(dsl_user, case, met=False)
    assert "the case goes to the LADO and the answers cannot be changed" in str(refused.value)
    case.refresh_from_db()
    assert case.status == S.RECORDED and case.harm_threshold_met and not case.is_low_level
    assert AuditEvent.objects.count() == events


def test_the_case_page_offers_only_the_referral_once_the_threshold_is_met(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    assess_url = reverse("incidents:allegation_step", args=[case.pk, "assess"])
    refer_url = reverse("incidents:allegation_step", args=[case.pk, "refer"])
    page = client.get(case.get_absolute_url()).text
    assert assess_url in page and refer_url not in page

    assess(slt_user, case)
    page = client.get(case.get_absolute_url()).text
    assert refer_url in page and assess_url not in page
    response = client.post(assess_url, {**_step_data("assess", case), "harm_to_child": "no"})
    assert response.status_code == 200
    assert "the answers cannot be changed" in response.text
    assert Allegation.objects.get(pk=case.pk).status == S.RECORDED


# --- The steps a case page offers ---------------------------------------------------------------------

OFFERED = {
    S.RECORDED: ["assess"],
    S.REFERRED_TO_LADO: ["advice"],
    S.LADO_ADVICE_RECORDED: ["investigate"],
    S.INVESTIGATING: ["outcome"],
    S.OUTCOME_RECORDED: ["close"],
    S.LOW_LEVEL_CONCERN: ["close"],
    S.CLOSED: [],
}


@pytest.mark.parametrize("state", ALL_STATES)
def test_the_case_page_offers_the_steps_the_service_allows(state, client, slt_user, school, subject):
    case = case_in(slt_user, school, subject, state)
    offered = [step.name for step in services.allegation_steps(slt_user, case)]
    assert offered == OFFERED[state]
    client.force_login(slt_user)
    page = client.get(case.get_absolute_url()).text
    for name in ["assess", "refer", "advice", "investigate", "outcome", "close"]:
        link = reverse("incidents:allegation_step", args=[case.pk, name])
        assert (f'href="{link}"' in page) is (name in offered)


def test_once_the_threshold_is_met_the_referral_is_offered_instead_of_the_assessment(
    slt_user, school, subject
):
    case = assess(slt_user, record_case(slt_user, school, subject))
    assert [step.name for step in services.allegation_steps(slt_user, case)] == ["refer"]


def test_slt_is_offered_no_step_on_a_pupils_disclosure_before_the_outcome(
    slt_user, dsl_user, school, subject
):
    case = record_case(dsl_user, school, subject, source=Source.PUPIL, reporter=PupilFactory(school=school))
    assert services.allegation_steps(slt_user, case) == []
    assert [step.name for step in services.allegation_steps(dsl_user, case)] == ["assess"]


def test_the_audit_event_names_the_fields_a_step_set(slt_user, school, subject):
    case = refer(slt_user, assess(slt_user, record_case(slt_user, school, subject)))
    event = AuditEvent.objects.filter(action="incidents.allegation.refer_to_lado").latest("id")
    assert event.data["status"] == [S.RECORDED, S.REFERRED_TO_LADO]
    assert event.data["set"] == sorted(
        ["referred_at", "lado_name", "lado_contact", "lado_reference", "referral_method"]
    )
    assert case.status == S.REFERRED_TO_LADO
