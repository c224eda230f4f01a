"""Recording an allegation (§9): by SLT or the DSL, with its deadline, case manager, audit and notices."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from incidents import services
from incidents.models import Allegation, CaseManager, Concern, Source
from notifications.models import HiddenFrom, Notification
from people.models import PersonKind, Role

from ..factories import ParentFactory, PersonFactory, PupilFactory, make_user
from .casework import record_case, staff_report

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_slt_records_an_allegation_with_its_deadline_audit_and_notices(
    slt_user, dsl_user, exec_head_user, school, subject, frozen_now
):
    """The referral is due one working day after receipt; the case manager, DSL and SLT are told."""
    received = datetime(2026, 12, 24, 10, 0, tzinfo=LONDON)
    frozen_now(received + timedelta(minutes=5))
    case = record_case(slt_user, school, subject, received_at=received)

    assert case.status == Allegation.Status.RECORDED
    assert case.referral_due_at == datetime(2026, 12, 29, 10, 0, tzinfo=LONDON)
    assert case.referral_half_at == received + (case.referral_due_at - received) / 2
    assert case.case_manager == CaseManager.EXECUTIVE_HEAD
    event = AuditEvent.objects.get(action="incidents.allegation.record")
    assert event.actor == slt_user and event.target_id == str(case.pk) and event.school_id == school.pk
    assert "Posted about" not in str(event.data)  # no narrative in the audit trail
    told = set(
        Notification.objects.filter(event=f"incidents.allegation.{case.pk}.recorded").values_list(
            "recipient_user", flat=True
        )
    )
    assert told == {slt_user.pk, dsl_user.pk, exec_head_user.pk}


def test_the_deadline_follows_the_working_days_setting(settings, slt_user, school, subject):
    settings.INCIDENTS_LADO_REFERRAL_WORKING_DAYS = 3
    case = record_case(slt_user, school, subject, received_at=datetime(2026, 11, 19, 9, 0, tzinfo=LONDON))
    assert case.referral_due_at == datetime(2026, 11, 24, 9, 0, tzinfo=LONDON)


def test_the_chair_of_governors_manages_a_case_about_the_executive_head(
    slt_user, chair_user, exec_head_user, school
):
    """KCSIE part four: when the Executive Head is the subject, the chair of governors is case manager."""
    case = record_case(slt_user, school, exec_head_user.person)

    assert case.case_manager == CaseManager.CHAIR_OF_GOVERNORS
    told = set(Notification.objects.filter(about_id=str(case.pk)).values_list("recipient_user", flat=True))
    assert chair_user.pk in told and exec_head_user.pk not in told
    assert HiddenFrom.objects.filter(person=exec_head_user.person).exists()


@pytest.mark.parametrize("role", [Role.SLT, Role.DSL, Role.HEAD_OF_SCHOOL])
def test_the_safeguarding_team_may_record(role, school, subject):
    user = make_user(role, Role.STAFF, school=school)
    assert record_case(user, school, subject).pk


def test_the_executive_head_may_record_anywhere_in_the_federation(exec_head_user, other_school):
    subject = PersonFactory(school=other_school)
    exec_head_user.person.memberships.create(school=other_school)
    case = record_case(exec_head_user, other_school, subject)
    assert case.school == other_school


@pytest.mark.parametrize(
    "fixture", ["staff_user", "teacher_user", "office_user", "governor_user", "chair_user"]
)
def test_other_roles_may_not_record(request, fixture, school, subject):
    user = request.getfixturevalue(fixture)
    with pytest.raises(PermissionDenied):
        record_case(user, school, subject)


def test_slt_of_another_school_may_not_record_here(other_school, school, subject):
    user = make_user(Role.SLT, Role.STAFF, school=other_school)
    with pytest.raises(PermissionDenied):
        record_case(user, school, subject)


def test_no_one_records_an_allegation_about_themselves(slt_user, school):
    with pytest.raises(ValidationError) as info:
        record_case(slt_user, school, slt_user.person)
    assert "cannot record an allegation about yourself" in info.value.message_dict["subject"][0]


def test_a_pupil_is_not_the_subject_of_an_allegation_about_an_adult(slt_user, school):
    with pytest.raises(ValidationError) as info:
        record_case(slt_user, school, PupilFactory(school=school))
    assert "adult" in info.value.message_dict["subject"][0]


def test_a_time_received_in_the_future_is_refused(slt_user, school, subject):
    with pytest.raises(ValidationError) as info:
        record_case(slt_user, school, subject, received_at=timezone.now() + timedelta(hours=2))
    assert info.value.message_dict["received_at"] == ["The time it was received cannot be in the future."]


@pytest.mark.parametrize(
    "source, reporter_kind, name, field, message",
    [
        (Source.STAFF, None, "", "reporter", "Choose the member of staff who made the disclosure."),
        (
            Source.STAFF,
            PersonKind.PARENT,
            "",
            "reporter",
            "Choose the member of staff who made the disclosure.",
        ),
        (Source.PUPIL, None, "", "reporter", "Choose the pupil who made the disclosure."),
        (Source.PARENT, None, "", "reporter_name", "Choose the parent or carer, or write their name."),
        (Source.ANONYMOUS, None, "Someone", "source", "An anonymous disclosure names no one"),
    ],
)
def test_each_source_needs_its_reporter(
    slt_user, school, subject, source, reporter_kind, name, field, message
):
    reporter = None
    if reporter_kind == PersonKind.PARENT:
        reporter = ParentFactory(school=school)
    with pytest.raises(ValidationError) as info:
        services.allegation_record(
            actor=slt_user,
            school=school,
            received_at=timezone.now(),
            received_by=slt_user.person,
            source=source,
            reporter=reporter,
            reporter_name=name,
            subject=subject,
            what_happened="Something.",
        )
    assert info.value.message_dict[field][0].startswith(message)
    assert not Allegation.objects.exists()


def test_recording_from_a_staff_report_seals_the_reporter_and_takes_the_report_forward(
    slt_user, reporter_user, school, subject
):
    concern = staff_report(reporter_user, school, subject)
    case = record_case(slt_user, school, subject, concern=concern, source=Source.OTHER)

    assert case.source == Source.STAFF and case.reporter == reporter_user.person
    concern.refresh_from_db()
    assert concern.status == Concern.Status.TAKEN_FORWARD
    assert AuditEvent.objects.filter(
        action="incidents.concern.take_forward", target_id=str(concern.pk)
    ).exists()
    with pytest.raises(ValidationError) as info:
        record_case(slt_user, school, subject, concern=concern)
    assert "already ‘Taken forward’" in info.value.messages[0]


def test_an_allegation_from_a_staff_report_is_about_the_person_it_names(
    client, slt_user, reporter_user, school, subject
):
    """Subject blindness: the report is hidden from the person it names, so an allegation about someone
    else would leave that person reading the report about themselves. Refused; nothing recorded."""
    from ..factories import PersonFactory

    other = PersonFactory(school=school)
    concern = staff_report(reporter_user, school, subject)
    with pytest.raises(ValidationError) as info:
        record_case(slt_user, school, other, concern=concern)
    assert info.value.message_dict["subject"] == [
        "An allegation taken forward from a staff report is about the person the report names. If the report "
        "names the wrong person, record the allegation directly and close the report with the reason."
    ]
    assert not Allegation.objects.exists()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RECEIVED and concern.subject == subject


# --- Through the page ------------------------------------------------------------------------


def _form(subject, received_by, **overrides):
    data = {
        "school": subject.memberships.get().school_id,
        "received_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "received_by": received_by.pk,
        "source": Source.OTHER,
        "reporter_name": "A visitor",
        "subject": subject.pk,
        "platforms": ["facebook"],
        "what_happened": "Posted a photo of a class trip.",
        "clauses": ["6.school_matters"],
    }
    data.update(overrides)
    return data


def test_the_page_asks_for_confirmation_before_recording(client, slt_user, school, subject):
    client.force_login(slt_user)
    url = reverse("incidents:allegation_create")
    response = client.post(url, _form(subject, slt_user.person))

    assert response.status_code == 200
    assert b"Check the allegation before you record it" in response.content
    assert not Allegation.objects.exists()

    data = _form(subject, slt_user.person)
    data["confirm"] = "yes"
    response = client.post(url, data)
    case = Allegation.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()


def test_bad_input_is_kept_with_field_errors(client, slt_user, school, subject):
    client.force_login(slt_user)
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("incidents:allegation_create"),
        _form(subject, slt_user.person, received_at=future, what_happened="Keep this text please"),
    )

    assert response.status_code == 200
    assert "The time it was received cannot be in the future." in response.text
    assert "Keep this text please" in response.text
    assert not Allegation.objects.exists()


@pytest.mark.parametrize("fixture", ["staff_user", "teacher_user", "office_user", "governor_user"])
def test_the_page_is_refused_to_other_roles(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("incidents:allegation_create")).status_code == 403
