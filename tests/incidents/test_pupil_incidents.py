"""Pupil incidents (§8): each kind's follow-ups, the ICT sanction, parent notices, closing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import notices, services
from incidents.models import ActionKind, ActionOwner, IctSanction, IncidentAction, IncidentType, Platform
from notifications.models import Channel, Notification
from people.models import ParentLink, Role

from ..factories import ParentLinkFactory, PersonFactory, PupilFactory, make_user
from .pupilwork import pupil_with_parent, record

pytestmark = pytest.mark.django_db


def _actions(incident):
    return list(incident.actions.order_by("id").values_list("kind", "owner", "pupil_id"))


@pytest.mark.parametrize(
    "kind",
    [IncidentType.SOCIAL_MEDIA_IN_DAY, IncidentType.PHONE_NOT_HANDED_IN, IncidentType.SCHOOL_COMPUTER_SOCIAL],
)
def test_recorded_only_kinds_create_no_actions_and_can_close_at_once(staff_user, dsl_user, school, kind):
    """These breaches are recorded for the pupil's history; nothing else is set in motion."""
    incident = record(staff_user, school, kind)
    assert _actions(incident) == []
    assert not Notification.objects.exists()
    assert AuditEvent.objects.filter(
        action="incidents.pupil_incident.record", target_id=str(incident.pk)
    ).exists()
    services.pupil_incident_close(actor=dsl_user, incident=incident)
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_by == dsl_user


def test_firewall_breach_sets_an_ict_sanction_with_dates(staff_user, school):
    pupil = pupil_with_parent(school)
    start, end = date.today(), date.today() + timedelta(days=14)
    incident = record(
        staff_user,
        school,
        IncidentType.FIREWALL_BREACH,
        pupils=[pupil],
        sanction_starts_on=start,
        sanction_ends_on=end,
    )
    sanction = IctSanction.objects.get(incident=incident)
    assert (sanction.pupil, sanction.starts_on, sanction.ends_on) == (pupil, start, end)
    assert sanction.is_current(start) and sanction.is_current(end)
    assert not sanction.is_current(start - timedelta(days=1)) and not sanction.is_current(
        end + timedelta(days=1)
    )
    assert _actions(incident) == [(ActionKind.SUPERVISE_ICT, ActionOwner.SLT, pupil.pk)]
    assert incident.actions.get().due_on == start


def test_firewall_breach_needs_dates_in_order(staff_user, school):
    with pytest.raises(ValidationError) as missing:
        record(staff_user, school, IncidentType.FIREWALL_BREACH)
    assert missing.value.message_dict["sanction_starts_on"] == ["Enter the first day of supervised ICT use."]
    with pytest.raises(ValidationError) as backwards:
        record(
            staff_user,
            school,
            IncidentType.FIREWALL_BREACH,
            sanction_starts_on=date(2026, 3, 10),
            sanction_ends_on=date(2026, 3, 9),
        )
    assert backwards.value.message_dict["sanction_ends_on"] == [
        "The last day cannot be before the first day."
    ]
    assert not IctSanction.objects.exists()


def test_joining_staff_social_media_tells_the_executive_head_and_sets_parents_to_be_told(
    staff_user, exec_head_user, school
):
    adult = PersonFactory(school=school)
    pupil = pupil_with_parent(school)
    incident = record(staff_user, school, IncidentType.JOINED_STAFF_SOCIAL, pupils=[pupil], adult=adult)
    assert _actions(incident) == [(ActionKind.INFORM_PARENTS, ActionOwner.DSL, pupil.pk)]
    rows = Notification.objects.filter(template=notices.PUPIL_INCIDENT_ALERT)
    assert {r.recipient_user_id for r in rows} == {exec_head_user.pk}
    assert incident.actions.get().due_on > timezone.localdate() - timedelta(days=1)


@pytest.mark.parametrize("executive_head_is", ["the adult", "missing"])
def test_joining_the_executive_heads_social_media_goes_to_the_schools_head_and_dsl(
    staff_user, dsl_user, head_user, slt_user, school, executive_head_is
):
    """The alert never goes only to the person it is about, or to no one: without another Executive
    Head it goes to the school's Head of School and DSL (not its SLT, while those are there)."""
    if executive_head_is == "the adult":
        adult = make_user(Role.EXECUTIVE_HEAD, federation=school.federation).person
    else:
        adult = PersonFactory(school=school)
    incident = record(
        staff_user, school, IncidentType.JOINED_STAFF_SOCIAL, pupils=[pupil_with_parent(school)], adult=adult
    )
    rows = Notification.objects.filter(template=notices.PUPIL_INCIDENT_ALERT)
    assert {r.recipient_user_id for r in rows} == {head_user.pk, dsl_user.pk}
    assert incident.actions.get().kind == ActionKind.INFORM_PARENTS


def test_joining_social_media_goes_to_the_slt_when_the_school_has_no_head_or_dsl(
    staff_user, slt_user, school
):
    record(
        staff_user,
        school,
        IncidentType.JOINED_STAFF_SOCIAL,
        pupils=[pupil_with_parent(school)],
        adult=PersonFactory(school=school),
    )
    rows = Notification.objects.filter(template=notices.PUPIL_INCIDENT_ALERT)
    assert {r.recipient_user_id for r in rows} == {slt_user.pk}


def test_joining_staff_social_media_needs_the_member_of_staff(staff_user, school):
    with pytest.raises(ValidationError) as error:
        record(staff_user, school, IncidentType.JOINED_STAFF_SOCIAL)
    assert error.value.message_dict["adult"] == ["Choose the member of staff whose area it was."]


def test_under_age_account_warns_parents_with_the_platform_minimum_age(
    staff_user, dsl_user, school, settings
):
    settings.PORTAL_MIN_PLATFORM_AGE = 13
    pupil = pupil_with_parent(school)
    incident = record(
        staff_user, school, IncidentType.UNDER_AGE_ACCOUNT, pupils=[pupil], platform=Platform.TIKTOK
    )
    action = incident.actions.get()
    assert (action.kind, action.owner) == (ActionKind.WARN_PARENTS, ActionOwner.DSL)
    sent = services.incident_parent_notice_send(
        actor=dsl_user, action=action, template=notices.PARENT_UNDER_AGE
    )
    assert len(sent) == 1 and sent[0].recipient_person == pupil.parent_links.get().parent
    assert sent[0].context["platform_name"] == "TikTok" and sent[0].context["minimum_age"] == 13


def test_under_age_boundary_is_the_thirteenth_birthday(staff_user, school, settings):
    """Twelve the day before the birthday: warned. Thirteen on the birthday: not an under-age account."""
    settings.PORTAL_MIN_PLATFORM_AGE = 13
    pupil = pupil_with_parent(school)
    pupil.date_of_birth = date(2013, 6, 10)
    pupil.save()
    day_before = timezone.make_aware(timezone.datetime(2026, 6, 9, 12, 0))
    on_birthday = timezone.make_aware(timezone.datetime(2026, 6, 10, 12, 0))
    record(
        staff_user,
        school,
        IncidentType.UNDER_AGE_ACCOUNT,
        pupils=[pupil],
        platform="instagram",
        occurred_at=day_before,
    )
    with pytest.raises(ValidationError) as error:
        record(
            staff_user,
            school,
            IncidentType.UNDER_AGE_ACCOUNT,
            pupils=[pupil],
            platform="instagram",
            occurred_at=on_birthday,
        )
    assert "13 or over on that day" in error.value.message_dict["pupils"][0]


def test_under_age_account_needs_the_platform(staff_user, school):
    with pytest.raises(ValidationError) as error:
        record(staff_user, school, IncidentType.UNDER_AGE_ACCOUNT)
    assert error.value.message_dict["platform"] == [
        "Choose the platform the account is on: its minimum age goes in the warning."
    ]


def test_improper_contact_goes_straight_to_the_dsl(staff_user, dsl_user, school):
    incident = record(
        staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="A man at the gate"
    )
    assert _actions(incident) == [(ActionKind.SAFEGUARDING_REVIEW, ActionOwner.DSL, None)]
    rows = Notification.objects.filter(template=notices.PUPIL_INCIDENT_ALERT)
    assert {r.recipient_user_id for r in rows} == {dsl_user.pk}
    assert "gate" not in str(rows.first().context)


def test_the_adult_involved_is_never_told_and_never_sees_it(staff_user, school):
    adult_user = make_user(Role.DSL, Role.STAFF, school=school)
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult=adult_user.person)
    assert not Notification.objects.filter(recipient_user=adult_user).exists()
    from incidents.policies import pupil_incidents_visible_to

    assert incident not in pupil_incidents_visible_to(adult_user)


def test_improper_contact_by_the_schools_only_dsl_goes_to_slt_and_the_head(
    staff_user, slt_user, head_user, school
):
    """The review never waits on its subject: SLT owns it and SLT and the head are told."""
    adult_user = make_user(Role.DSL, Role.STAFF, school=school)
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult=adult_user.person)
    assert _actions(incident) == [(ActionKind.SAFEGUARDING_REVIEW, ActionOwner.SLT, None)]
    rows = Notification.objects.filter(template=notices.PUPIL_INCIDENT_ALERT)
    assert {r.recipient_user_id for r in rows} == {slt_user.pk, head_user.pk}
    from incidents.selectors import my_open_incident_actions

    assert my_open_incident_actions(slt_user).filter(incident=incident).count() == 1
    assert not my_open_incident_actions(adult_user).exists()


def test_improper_contact_by_one_of_two_dsls_tells_the_other_slt_and_the_head(
    staff_user, dsl_user, slt_user, head_user, school
):
    adult_user = make_user(Role.DSL, Role.STAFF, school=school)
    record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult=adult_user.person)
    rows = Notification.objects.filter(template=notices.PUPIL_INCIDENT_ALERT)
    assert {r.recipient_user_id for r in rows} == {dsl_user.pk, slt_user.pk, head_user.pk}


def test_improper_contact_by_another_adult_goes_to_the_dsl_alone(staff_user, dsl_user, slt_user, school):
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult=PersonFactory(school=school))
    assert _actions(incident) == [(ActionKind.SAFEGUARDING_REVIEW, ActionOwner.DSL, None)]
    rows = Notification.objects.filter(template=notices.PUPIL_INCIDENT_ALERT)
    assert {r.recipient_user_id for r in rows} == {dsl_user.pk}


def test_pupil_with_no_contactable_parent_is_flagged_as_an_action(staff_user, dsl_user, school):
    unreachable = pupil_with_parent(school, may_contact=False)
    orphan = PupilFactory(school=school)
    incident = record(
        staff_user,
        school,
        IncidentType.JOINED_STAFF_SOCIAL,
        pupils=[unreachable, orphan],
        adult=PersonFactory(school=school),
    )
    assert sorted(k for k, _, _ in _actions(incident)) == [ActionKind.NO_CONTACTABLE_PARENT] * 2
    with pytest.raises(InvalidTransition) as error:
        services.pupil_incident_close(actor=dsl_user, incident=incident)
    assert error.value.messages == ["2 actions are still to do: complete or waive them first."]


def test_parent_notice_goes_only_to_contactable_parents_by_their_channel(staff_user, dsl_user, school):
    pupil = PupilFactory(school=school)
    emailed = ParentLinkFactory(pupil=pupil)
    by_letter = ParentLinkFactory(pupil=pupil, preferred_channel=ParentLink.Channel.LETTER)
    ParentLinkFactory(pupil=pupil, may_contact=False)
    incident = record(
        staff_user,
        school,
        IncidentType.JOINED_STAFF_SOCIAL,
        pupils=[pupil],
        adult=PersonFactory(school=school),
    )
    action = incident.actions.get()
    sent = services.incident_parent_notice_send(
        actor=dsl_user, action=action, template=notices.PARENT_STAFF_SOCIAL
    )
    assert {(n.recipient_person_id, n.channel) for n in sent} == {
        (emailed.parent_id, Channel.EMAIL),
        (by_letter.parent_id, Channel.MANUAL),
    }
    action.refresh_from_db()
    assert action.status == IncidentAction.Status.DONE
    event = AuditEvent.objects.get(action="incidents.pupil_incident.action_done")
    assert event.data["template"] == notices.PARENT_STAFF_SOCIAL and event.data["recipients"] == 2


def test_parent_notice_holds_no_case_detail(staff_user, dsl_user, school):
    from notifications.rendering import preview

    pupil = pupil_with_parent(school)
    incident = record(
        staff_user,
        school,
        IncidentType.UNDER_AGE_ACCOUNT,
        pupils=[pupil],
        platform="snapchat",
        what_happened="CANARY-DETAIL",
        location="CANARY-PLACE",
    )
    action = incident.actions.get()
    subject, text, html = preview(notices.PARENT_UNDER_AGE, notices.parent_context(action))
    assert "Snapchat" in text and "13" in text
    for part in (subject, text, html):
        assert "CANARY" not in part and pupil.first_name not in part


def test_parent_notice_refuses_a_template_not_offered(staff_user, dsl_user, school):
    incident = record(staff_user, school, IncidentType.UNDER_AGE_ACCOUNT, platform="snapchat")
    with pytest.raises(ValidationError) as error:
        services.incident_parent_notice_send(
            actor=dsl_user, action=incident.actions.get(), template=notices.PARENT_STAFF_SOCIAL
        )
    assert error.value.message_dict["template"] == ["Choose one of the notices offered."]


def test_waive_needs_a_reason_and_close_follows(staff_user, dsl_user, school):
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="Unknown adult")
    action = incident.actions.get()
    with pytest.raises(ValidationError) as error:
        services.incident_action_waive(actor=dsl_user, action=action, reason="  ")
    assert error.value.message_dict["reason"] == ["Say why this action is not being taken."]
    services.incident_action_waive(actor=dsl_user, action=action, reason="Police already involved.")
    with pytest.raises(InvalidTransition) as twice:
        services.incident_action_complete(actor=dsl_user, action=action)
    assert twice.value.messages == ["This action is already ‘Waived’."]
    services.pupil_incident_close(actor=dsl_user, incident=incident)
    with pytest.raises(InvalidTransition) as again:
        services.pupil_incident_close(actor=dsl_user, incident=incident)
    assert again.value.messages == ["This incident is ‘Closed’: it cannot be closed."]
    assert AuditEvent.objects.filter(action="incidents.pupil_incident.action_waived").exists()
    assert AuditEvent.objects.filter(action="incidents.pupil_incident.close").exists()


def test_parent_actions_are_done_by_sending_not_ticking(staff_user, dsl_user, school):
    incident = record(staff_user, school, IncidentType.UNDER_AGE_ACCOUNT, platform="snapchat")
    with pytest.raises(ValidationError) as error:
        services.incident_action_complete(actor=dsl_user, action=incident.actions.get())
    assert error.value.message_dict["note"] == [
        "Send the notice to the parents and carers, or waive it with a reason."
    ]


def test_staff_record_but_do_not_work_the_incident(staff_user, teacher_user, school, other_school):
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="Unknown")
    with pytest.raises(PermissionDenied):
        services.incident_action_complete(actor=teacher_user, action=incident.actions.get())
    with pytest.raises(PermissionDenied):
        services.pupil_incident_close(actor=staff_user, incident=incident)
    other_dsl = make_user(Role.DSL, school=other_school)
    with pytest.raises(PermissionDenied):
        services.pupil_incident_close(actor=other_dsl, incident=incident)


def test_pupils_must_be_on_roll_at_the_school(staff_user, school, other_school):
    with pytest.raises(ValidationError) as error:
        record(staff_user, school, pupils=[PupilFactory(school=other_school)])
    assert error.value.message_dict["pupils"] == ["Choose pupils on roll at this school."]
    with pytest.raises(PermissionDenied):
        record(staff_user, other_school)
