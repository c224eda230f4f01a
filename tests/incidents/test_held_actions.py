"""§9: "It is not recommended that action is taken until advice has been given": suspension, a
disciplinary referral, telling the subject and telling parents are refused until LADO advice is recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import services
from incidents.exceptions import HeldUntilAdvice
from incidents.models import Allegation, CaseAction, HeldAction

from .casework import case_in, record_case

pytestmark = pytest.mark.django_db
S = Allegation.Status


def _act(actor, case, kind, taken_on=None):
    return services.allegation_record_action(
        actor=actor, allegation=case, kind=kind, taken_on=taken_on or timezone.localdate(), note="Done."
    )


@pytest.mark.parametrize("state", [S.RECORDED, S.REFERRED_TO_LADO])
@pytest.mark.parametrize("kind", HeldAction.values)
def test_each_held_step_is_refused_before_advice(kind, state, slt_user, school, subject):
    case = case_in(slt_user, school, subject, state)
    with pytest.raises(HeldUntilAdvice) as info:
        _act(slt_user, case, kind)
    assert info.value.messages == [
        f"‘{HeldAction(kind).label}’ cannot be recorded yet: §9 holds it until the LADO has advised, and no advice "
        "is recorded on this case. Record the LADO's advice first."
    ]
    assert not CaseAction.objects.exists()
    assert not AuditEvent.objects.filter(action="incidents.allegation.action").exists()


@pytest.mark.parametrize("state", [S.LADO_ADVICE_RECORDED, S.INVESTIGATING, S.OUTCOME_RECORDED])
@pytest.mark.parametrize("kind", HeldAction.values)
def test_each_held_step_is_recorded_once_advice_is_given(kind, state, slt_user, school, subject):
    case = case_in(slt_user, school, subject, state)
    action = _act(slt_user, case, kind)
    assert action.kind == kind and action.recorded_by == slt_user
    event = AuditEvent.objects.get(action="incidents.allegation.action")
    assert event.data["kind"] == kind and event.target_id == str(case.pk)
    assert "Done." not in str(event.data)


def test_a_step_dated_before_the_advice_is_refused(slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.LADO_ADVICE_RECORDED)
    with pytest.raises(Exception) as info:
        _act(
            slt_user,
            case,
            HeldAction.SUSPENSION,
            taken_on=timezone.localdate(case.advice_at) - timedelta(days=1),
        )
    assert "before the LADO's advice" in info.value.message_dict["taken_on"][0]


def test_a_step_in_the_future_is_refused(slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.LADO_ADVICE_RECORDED)
    with pytest.raises(Exception) as info:
        _act(slt_user, case, HeldAction.PARENTS_NOTIFIED, taken_on=timezone.localdate() + timedelta(days=1))
    assert info.value.message_dict["taken_on"] == [
        "The date cannot be in the future: record a step once it has been taken."
    ]


def test_a_low_level_concern_may_be_shared_but_never_suspended(slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.LOW_LEVEL_CONCERN)
    assert _act(slt_user, case, HeldAction.SUBJECT_INFORMED).pk
    with pytest.raises(InvalidTransition) as info:
        _act(slt_user, case, HeldAction.SUSPENSION)
    assert "suspension does not apply" in info.value.messages[0]


def test_nothing_is_recorded_on_a_closed_case(slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.CLOSED)
    with pytest.raises(InvalidTransition) as info:
        _act(slt_user, case, HeldAction.DISCIPLINARY_REFERRAL)
    assert info.value.messages == ["This case is closed: nothing more can be recorded on it."]


def test_the_page_shows_the_reason_and_keeps_the_input(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    url = reverse("incidents:allegation_step", args=[case.pk, "action"])
    page = client.get(url)
    assert "wait until the LADO has advised" in page.text

    response = client.post(
        url, {"kind": "suspension", "taken_on": timezone.localdate().isoformat(), "note": "Keep this note"}
    )
    assert response.status_code == 200
    assert "cannot be recorded yet: §9 holds it until the LADO has advised" in response.text
    assert "Keep this note" in response.text
    assert not CaseAction.objects.exists()


def test_the_case_page_says_what_is_held(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    assert (
        "No suspension, disciplinary referral, telling the subject or telling parents"
        in client.get(case.get_absolute_url()).text
    )
