"""Cyberbullying (§10): the triage for each scenario, mixed cases, the minimum-age boundary, the later
report after a warning, overrides, zero tolerance and the sealed reporting pupil."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import notices, policies, services
from incidents.models import ActionKind, IncidentAction, Perpetrator, TriageRule
from people.models import Role

from ..factories import ParentLinkFactory, PupilFactory, make_user

pytestmark = pytest.mark.django_db

REPORTED_ON = date(2026, 3, 2)
YEAR_7 = date(2014, 9, 1)  # 11 on REPORTED_ON
YEAR_9 = date(2012, 9, 1)  # 13 on REPORTED_ON


def report(actor, school, *, victims, perpetrators, when=("weekends",), channels=("social_media",), **fields):
    values = {"platform": "instagram", "what_happened": "Unkind posts.", "source": "parent"}
    values.update(fields)
    return services.cyberbullying_report_record(
        actor=actor,
        school=school,
        victims=victims,
        perpetrators=perpetrators,
        when=list(when),
        channels=list(channels),
        reported_on=REPORTED_ON,
        **values,
    )


def pupil(school, born=YEAR_9):
    return PupilFactory(school=school, date_of_birth=born)


def pupil_with_parent(school, born=YEAR_9):
    child = pupil(school, born)
    ParentLinkFactory(pupil=child)
    return child


def kinds(rep):
    return sorted(IncidentAction.objects.filter(report=rep).values_list("kind", flat=True))


def test_former_pupil_is_not_the_schools_responsibility(teacher_user, dsl_user, school):
    rep = report(
        teacher_user,
        school,
        victims=[pupil(school)],
        perpetrators=[
            {"kind": "former_pupil", "name": "Alex", "left_on": date(2025, 7, 20), "new_school": "Ash"}
        ],
    )
    decided = services.cyberbullying_decide(actor=dsl_user, report=rep)
    assert decided.rules == [TriageRule.FORMER_PUPIL]
    assert "§10: A former pupil: not the school's responsibility" in decided.reasoning
    assert kinds(rep) == [ActionKind.CONTACT_NEW_SCHOOL]
    assert rep in policies.cyberbullying_visible_to(dsl_user)  # zero tolerance: still on the DSL's list


def test_current_pupils_out_of_school_is_a_duty_of_care(teacher_user, dsl_user, school):
    victim, bully = pupil(school), pupil(school)
    rep = report(teacher_user, school, victims=[victim], perpetrators=[{"kind": "pupil", "person": bully}])
    decided = services.cyberbullying_decide(actor=dsl_user, report=rep)
    assert decided.rules == [TriageRule.DUTY_OF_CARE]
    assert kinds(rep) == [ActionKind.INVESTIGATE, ActionKind.MEET_FAMILY, ActionKind.MEET_FAMILY]
    assert set(
        IncidentAction.objects.filter(kind=ActionKind.MEET_FAMILY).values_list("pupil", flat=True)
    ) == {
        victim.pk,
        bully.pk,
    }


def test_under_minimum_age_adds_a_warning_to_all_parents(teacher_user, dsl_user, school, settings):
    settings.PORTAL_MIN_PLATFORM_AGE = 13
    victim, bully = pupil(school, YEAR_7), pupil(school, YEAR_7)
    rep = report(teacher_user, school, victims=[victim], perpetrators=[{"kind": "pupil", "person": bully}])
    decided = services.cyberbullying_decide(actor=dsl_user, report=rep)
    assert decided.rules == [TriageRule.DUTY_OF_CARE, TriageRule.WARN_ALL_PARENTS]
    warned = set(IncidentAction.objects.filter(kind=ActionKind.WARN_PARENTS).values_list("pupil", flat=True))
    assert warned == {victim.pk, bully.pk}  # the victim's parents included


def test_minimum_age_boundary(teacher_user, dsl_user, school, settings):
    """Thirteen on the day of the report: no warning; twelve (the day before the birthday): warned."""
    settings.PORTAL_MIN_PLATFORM_AGE = 13
    thirteen_today = pupil(school, date(2013, 3, 2))
    thirteen_tomorrow = pupil(school, date(2013, 3, 3))
    older = report(
        teacher_user,
        school,
        victims=[thirteen_today],
        perpetrators=[{"kind": "pupil", "person": pupil(school)}],
    )
    assert (
        TriageRule.WARN_ALL_PARENTS not in services.cyberbullying_decide(actor=dsl_user, report=older).rules
    )
    younger = report(
        teacher_user,
        school,
        victims=[thirteen_tomorrow],
        perpetrators=[{"kind": "pupil", "person": pupil(school)}],
    )
    assert TriageRule.WARN_ALL_PARENTS in services.cyberbullying_decide(actor=dsl_user, report=younger).rules


def test_texts_and_phones_are_bullying_but_no_platform_age_applies(teacher_user, dsl_user, school):
    rep = report(
        teacher_user,
        school,
        victims=[pupil(school, YEAR_7)],
        perpetrators=[{"kind": "pupil", "person": pupil(school, YEAR_7)}],
        channels=("text", "phone"),
        platform="",
    )
    assert services.cyberbullying_decide(actor=dsl_user, report=rep).rules == [TriageRule.DUTY_OF_CARE]


def send_warnings(dsl_user, rep):
    """Send each decided warning to the parents (the notice goes; the action is done)."""
    for action in IncidentAction.objects.filter(report=rep, kind=ActionKind.WARN_PARENTS):
        services.incident_parent_notice_send(actor=dsl_user, action=action, template=notices.PARENT_UNDER_AGE)


def later_report(teacher_user, school, victim, bully, when=("weekends",)):
    return services.cyberbullying_report_record(
        actor=teacher_user,
        school=school,
        victims=[victim],
        perpetrators=[{"kind": "pupil", "person": bully}],
        when=list(when),
        channels=["social_media"],
        platform="instagram",
        what_happened="Again.",
        source="parent",
        reported_on=date.today(),
    )


def test_a_warning_decided_but_not_sent_is_no_warning(teacher_user, dsl_user, school):
    """The later-report rule needs the earlier warning to have gone: decided, then waived, is not enough."""
    victim, bully = pupil_with_parent(school, YEAR_7), pupil_with_parent(school, YEAR_7)
    first = report(teacher_user, school, victims=[victim], perpetrators=[{"kind": "pupil", "person": bully}])
    services.cyberbullying_decide(actor=dsl_user, report=first)
    unsent = IncidentAction.objects.filter(report=first, kind=ActionKind.WARN_PARENTS).first()
    services.incident_action_waive(actor=dsl_user, action=unsent, reason="Parents away.")
    decided = services.cyberbullying_decide(
        actor=dsl_user, report=later_report(teacher_user, school, victim, bully)
    )
    assert TriageRule.DECLINE_SOCIAL not in decided.rules
    assert TriageRule.WARN_ALL_PARENTS in decided.rules


def test_a_later_report_after_the_warning_was_sent_may_be_declined(teacher_user, dsl_user, school):
    victim, bully = pupil_with_parent(school, YEAR_7), pupil_with_parent(school, YEAR_7)
    first = report(teacher_user, school, victims=[victim], perpetrators=[{"kind": "pupil", "person": bully}])
    services.cyberbullying_decide(actor=dsl_user, report=first)
    send_warnings(dsl_user, first)
    later = services.cyberbullying_report_record(
        actor=teacher_user,
        school=school,
        victims=[victim],
        perpetrators=[{"kind": "pupil", "person": bully}],
        when=["weekends"],
        channels=["social_media"],
        platform="instagram",
        what_happened="Again.",
        source="parent",
        reported_on=date.today(),
    )
    decided = services.cyberbullying_decide(actor=dsl_user, report=later)
    assert TriageRule.DECLINE_SOCIAL in decided.rules and decided.declined_social_networking
    assert TriageRule.WARN_ALL_PARENTS not in decided.rules
    assert kinds(later) == []  # nothing in school was reported


def test_declined_later_report_still_deals_with_bullying_in_school(teacher_user, dsl_user, school):
    victim, bully = pupil_with_parent(school, YEAR_7), pupil_with_parent(school, YEAR_7)
    first = report(teacher_user, school, victims=[victim], perpetrators=[{"kind": "pupil", "person": bully}])
    services.cyberbullying_decide(actor=dsl_user, report=first)
    send_warnings(dsl_user, first)
    later = services.cyberbullying_report_record(
        actor=teacher_user,
        school=school,
        victims=[victim],
        perpetrators=[{"kind": "pupil", "person": bully}],
        when=["weekends", "school_time"],
        channels=["social_media"],
        platform="instagram",
        what_happened="Again, and in the playground.",
        source="parent",
        reported_on=date.today(),
    )
    decided = services.cyberbullying_decide(actor=dsl_user, report=later)
    assert TriageRule.DECLINE_SOCIAL in decided.rules and TriageRule.IN_SCHOOL in decided.rules
    assert ActionKind.INVESTIGATE in kinds(later)


def test_parents_refuse_and_bullying_continues_goes_to_the_police(teacher_user, dsl_user, school):
    rep = report(
        teacher_user,
        school,
        victims=[pupil(school)],
        perpetrators=[{"kind": "pupil", "person": pupil(school)}],
        parents_refuse_to_engage=True,
        bullying_continues=True,
    )
    decided = services.cyberbullying_decide(actor=dsl_user, report=rep)
    assert decided.rules == [TriageRule.DUTY_OF_CARE, TriageRule.POLICE]
    assert ActionKind.REFER_POLICE in kinds(rep)


def test_mixed_case_gets_the_union(teacher_user, dsl_user, school):
    rep = report(
        teacher_user,
        school,
        victims=[pupil(school)],
        perpetrators=[{"kind": "former_pupil", "name": "Former"}, {"kind": "pupil", "person": pupil(school)}],
    )
    decided = services.cyberbullying_decide(actor=dsl_user, report=rep)
    assert decided.rules == [TriageRule.FORMER_PUPIL, TriageRule.DUTY_OF_CARE]
    assert kinds(rep) == sorted(
        [
            ActionKind.CONTACT_NEW_SCHOOL,
            ActionKind.INVESTIGATE,
            ActionKind.MEET_FAMILY,
            ActionKind.MEET_FAMILY,
        ]
    )


def test_override_needs_a_written_reason_and_is_audited(teacher_user, dsl_user, school):
    rep = report(teacher_user, school, victims=[pupil(school)], perpetrators=[{"kind": "unknown"}])
    with pytest.raises(ValidationError) as error:
        services.cyberbullying_decide(actor=dsl_user, report=rep, rules=[TriageRule.DUTY_OF_CARE])
    assert error.value.message_dict["override_reason"] == [
        "You decided differently from the policy's triage: write down why."
    ]
    decided = services.cyberbullying_decide(
        actor=dsl_user,
        report=rep,
        rules=[TriageRule.DUTY_OF_CARE],
        override_reason="The bully is known to us.",
    )
    assert decided.suggested_rules == [TriageRule.OUTSIDE_PUPILS] and decided.override_reason
    event = AuditEvent.objects.get(action="incidents.cyberbullying.decide")
    assert event.data["overridden"] is True
    with pytest.raises(InvalidTransition) as again:
        services.cyberbullying_decide(actor=dsl_user, report=rep)
    assert again.value.messages == ["This report is already ‘Decision recorded’: its decision is recorded."]


def test_deciding_otherwise_sets_the_actions_of_the_outcomes_chosen(teacher_user, dsl_user, school):
    victim, bully = pupil(school), pupil(school)
    rep = report(teacher_user, school, victims=[victim], perpetrators=[{"kind": "unknown"}])
    assert services.triage(rep).rules == [TriageRule.OUTSIDE_PUPILS]
    decided = services.cyberbullying_decide(
        actor=dsl_user,
        report=rep,
        rules=[TriageRule.IN_SCHOOL, TriageRule.POLICE],
        override_reason="It happens in the playground too.",
    )
    assert kinds(decided) == sorted([ActionKind.INVESTIGATE, ActionKind.MEET_FAMILY, ActionKind.REFER_POLICE])
    assert decided.actions.get(kind=ActionKind.MEET_FAMILY).pupil == victim

    other = report(
        teacher_user,
        school,
        victims=[pupil(school, YEAR_7)],
        perpetrators=[{"kind": "pupil", "person": bully}],
    )
    assert ActionKind.WARN_PARENTS in kinds_planned(other)
    declined = services.cyberbullying_decide(
        actor=dsl_user,
        report=other,
        rules=[TriageRule.DUTY_OF_CARE, TriageRule.DECLINE_SOCIAL],
        override_reason="The parents were warned by letter last term.",
    )
    # Declined on social networking out of school: nothing is investigated and no warning is sent.
    assert kinds(declined) == []
    assert declined.declined_social_networking is True


def kinds_planned(rep):
    return sorted(a.kind for a in services.triage(rep).actions)


def test_only_the_dsl_or_slt_decides(teacher_user, staff_user, school, other_school):
    rep = report(teacher_user, school, victims=[pupil(school)], perpetrators=[{"kind": "unknown"}])
    for user in (teacher_user, make_user(Role.DSL, school=other_school)):
        with pytest.raises(PermissionDenied):
            services.cyberbullying_decide(actor=user, report=rep)
    assert rep not in policies.cyberbullying_visible_to(teacher_user)


def test_a_reporting_pupil_is_sealed_from_all_but_the_dsl(teacher_user, dsl_user, slt_user, school):
    teller = pupil(school)
    rep = report(
        teacher_user,
        school,
        victims=[pupil(school)],
        perpetrators=[{"kind": "unknown"}],
        source="pupil",
        reporter=teller,
    )
    assert policies.cyberbullying_reporter_label(dsl_user, rep) == teller.full_name
    assert policies.cyberbullying_reporter_label(slt_user, rep) == "A pupil (kept confidential)"
    event = AuditEvent.objects.get(action="incidents.cyberbullying.record")
    assert str(teller.pk) not in str(event.data)


def test_report_needs_its_facts(teacher_user, school):
    with pytest.raises(ValidationError) as error:
        services.cyberbullying_report_record(
            actor=teacher_user,
            school=school,
            source="parent",
            victims=[],
            perpetrators=[],
            when=[],
            channels=["social_media"],
            what_happened="",
        )
    errors = error.value.message_dict
    assert errors["victims"] == ["Choose the pupil or pupils being bullied."]
    assert errors["platform"] == ["Name the social media platform: its minimum age matters to the decision."]
    assert errors["when"] == ["Say when it happens: school time, evenings or weekends."]
    assert Perpetrator.objects.count() == 0


def test_the_reporter_is_someone_of_the_school(teacher_user, school, other_school):
    from incidents.models import CyberbullyingReport

    stranger = PupilFactory(school=other_school)
    with pytest.raises(ValidationError) as refused:
        report(teacher_user, school, **_people(school), source="pupil", reporter=stranger)
    assert refused.value.message_dict["reporter"] == [
        "Choose someone of this school as the person who told the school."
    ]
    assert not CyberbullyingReport.objects.exists()
    made = report(teacher_user, school, **_people(school), source="pupil", reporter=pupil(school))
    assert made.reporter_id is not None


def _people(school) -> dict:
    return {"victims": [pupil(school)], "perpetrators": [{"kind": "pupil", "person": pupil(school)}]}
