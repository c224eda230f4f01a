"""Improper contact by an adult who works at the school (§8) opens the allegation intake (§9), prefilled;
the case and the incident point at each other, once, and the adult never sees either."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import notices, services
from incidents.models import Allegation, IncidentType, Source
from notifications.models import Notification
from people.models import Role

from ..factories import make_user
from .casework import staff_report
from .pupilwork import record

pytestmark = pytest.mark.django_db

INTAKE = "Open the allegation intake"


def contact(staff_user, school, adult, **fields):
    return record(
        staff_user,
        school,
        IncidentType.IMPROPER_CONTACT,
        adult=adult,
        platform="snapchat",
        what_happened="Messaged the pupil late at night asking to meet.",
        **fields,
    )


def intake_url(incident) -> str:
    return reverse("incidents:allegation_create") + f"?incident={incident.pk}"


def intake_data(incident, **overrides) -> dict:
    data = {
        "incident": incident.pk,
        "school": incident.school_id,
        "received_at": timezone.localtime(incident.created_at).strftime("%Y-%m-%dT%H:%M"),
        "received_by": incident.recorded_by.person.pk,
        "source": Source.STAFF,
        "reporter": incident.recorded_by.person.pk,
        "subject": incident.adult_id,
        "platforms": ["snapchat"],
        "what_happened": incident.what_happened,
        "clauses": ["7.pupil_contact"],
        "confirm": "yes",
    }
    data.update(overrides)
    return data


def test_the_improper_contact_record_tells_the_dsl_without_detail(staff_user, dsl_user, school, subject):
    contact(staff_user, school, subject)
    rows = list(Notification.objects.filter(template=notices.PUPIL_INCIDENT_ALERT))
    assert {r.recipient_user_id for r in rows} == {dsl_user.pk}
    assert "Messaged" not in str(rows[0].context) and subject.last_name not in str(rows[0].context)


def test_the_case_team_is_offered_the_intake_only_for_an_adult_of_the_school(
    client, staff_user, dsl_user, school, subject
):
    incident = contact(staff_user, school, subject)
    stranger = record(
        staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="A man at the gate"
    )
    client.force_login(dsl_user)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert INTAKE in page and intake_url(incident).replace("&", "&amp;") in page
    assert INTAKE not in client.get(stranger.get_absolute_url()).content.decode()
    assert client.get(intake_url(stranger)).status_code == 403


def test_the_intake_is_prefilled_from_the_incident(client, staff_user, dsl_user, school, subject):
    incident = contact(staff_user, school, subject)
    client.force_login(dsl_user)
    response = client.get(intake_url(incident))
    assert response.status_code == 200
    form = response.context["form"]
    initial = {name: form[name].value() for name in form.fields}
    assert initial["school"] == school.pk
    assert initial["subject"] == subject.pk
    assert initial["received_at"] == timezone.localtime(incident.created_at).replace(
        second=0, microsecond=0
    ).strftime("%Y-%m-%dT%H:%M")
    # The recorder is the sealed source, set when the case is recorded: the form neither asks nor shows who.
    assert not {"source", "reporter", "reporter_name"} & set(form.fields)
    # The person opening the case received it through the incident.
    assert initial["received_by"] == dsl_user.person.pk
    assert initial["what_happened"] == "Messaged the pupil late at night asking to meet."
    assert initial["platforms"] == ["snapchat"]
    assert initial["clauses"] == ["7.pupil_contact"]
    assert f"From incident {incident.reference}" in response.content.decode()


def test_the_intake_does_not_name_the_recorder_to_whom_it_is_sealed(
    client, staff_user, dsl_user, school, subject
):
    """§9: a senior leader who is not the DSL reads the incident's recorder as "a member of staff"; the
    intake they open from it must not name them either, nor let them pick another source."""
    staff_user.person.first_name, staff_user.person.last_name = "Rowena", "Quillfeather"
    staff_user.person.save()
    incident = contact(staff_user, school, subject)
    senior = make_user(Role.SLT, school=school)
    client.force_login(senior)
    page = client.get(intake_url(incident))
    # Their name is one among the school's staff to choose from, never the chosen one.
    assert page.status_code == 200 and "selected>Rowena Quillfeather" not in page.text
    assert 'name="reporter"' not in page.text and 'name="source"' not in page.text
    posted = intake_data(incident, source=Source.ANONYMOUS, reporter="", received_by=senior.person.pk)
    check = client.post(reverse("incidents:allegation_create"), {**posted, "confirm": ""})
    assert (
        b"Check the allegation before you record it" in check.content and b"Quillfeather" not in check.content
    )
    assert client.post(reverse("incidents:allegation_create"), posted).status_code == 302
    case = Allegation.objects.get()
    assert case.source == Source.STAFF and case.reporter == staff_user.person
    assert "Quillfeather" not in client.get(case.get_absolute_url()).text


def test_the_prefilled_intake_is_a_view_of_the_incident_and_audited(
    client, staff_user, dsl_user, school, subject
):
    incident = contact(staff_user, school, subject)
    client.force_login(dsl_user)
    assert client.get(intake_url(incident)).status_code == 200
    event = AuditEvent.objects.get(action="incidents.pupilincident.view")
    assert event.actor == dsl_user and event.target_id == str(incident.pk)


def test_the_intake_from_a_staff_report_is_a_view_of_the_report_and_audited(
    client, staff_user, dsl_user, school, subject
):
    concern = staff_report(staff_user, school, subject)
    client.force_login(dsl_user)
    page = client.get(reverse("incidents:allegation_create") + f"?concern={concern.pk}")
    assert page.status_code == 200 and "Saw a post." in page.text
    event = AuditEvent.objects.get(action="incidents.concern.view")
    assert event.actor == dsl_user and event.target_id == str(concern.pk)


def test_recording_links_the_case_and_the_incident(client, staff_user, dsl_user, school, subject):
    incident = contact(staff_user, school, subject)
    client.force_login(dsl_user)
    check = client.post(reverse("incidents:allegation_create"), intake_data(incident, confirm=""))
    assert b"Check the allegation before you record it" in check.content
    assert f'name="incident" value="{incident.pk}"' in check.content.decode()
    done = client.post(reverse("incidents:allegation_create"), intake_data(incident))
    case = Allegation.objects.get()
    assert done.status_code == 302 and done["Location"] == case.get_absolute_url()
    assert case.pupil_incident == incident and case.subject == subject
    assert case.source == Source.STAFF and case.reporter == staff_user.person
    assert AuditEvent.objects.filter(
        action="incidents.pupil_incident.allegation_opened", target_id=str(incident.pk)
    ).exists()
    page = client.get(incident.get_absolute_url()).content.decode()
    assert case.get_absolute_url() in page and INTAKE not in page
    back = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{incident.get_absolute_url()}">{incident.reference}</a>' in back


def test_a_second_intake_for_the_same_incident_is_refused(
    client, staff_user, dsl_user, slt_user, school, subject
):
    incident = contact(staff_user, school, subject)
    services.allegation_record(
        actor=dsl_user,
        school=school,
        received_at=incident.created_at,
        received_by=staff_user.person,
        source=Source.STAFF,
        reporter=staff_user.person,
        subject=subject,
        what_happened="From the incident.",
        pupil_incident=incident,
    )
    client.force_login(slt_user)
    response = client.get(intake_url(incident))
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    expected = (
        f"An allegation has already been opened from incident {incident.reference}: add to that case instead."
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    with pytest.raises(InvalidTransition) as refused:
        services.allegation_record(
            actor=slt_user,
            school=school,
            received_at=incident.created_at,
            received_by=staff_user.person,
            source=Source.STAFF,
            reporter=staff_user.person,
            subject=subject,
            what_happened="Again.",
            pupil_incident=incident,
        )
    assert refused.value.messages == [expected]
    assert Allegation.objects.count() == 1


def test_the_subject_must_be_the_adult_who_made_contact(client, staff_user, dsl_user, school, subject):
    incident = contact(staff_user, school, subject)
    other = make_user(Role.STAFF, school=school).person
    client.force_login(dsl_user)
    response = client.post(reverse("incidents:allegation_create"), intake_data(incident, subject=other.pk))
    assert (
        "An allegation opened from an incident is about the adult who made contact."
        in response.content.decode()
    )
    assert not Allegation.objects.exists()


@pytest.mark.parametrize("fixture", ["staff_user", "teacher_user", "office_user"])
def test_other_roles_are_refused(client, request, staff_user, school, subject, fixture):
    incident = contact(staff_user, school, subject)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(intake_url(incident)).status_code == 403
    assert client.post(reverse("incidents:allegation_create"), intake_data(incident)).status_code == 403
    assert not Allegation.objects.exists()


def test_another_schools_dsl_finds_nothing(client, staff_user, school, other_school, subject):
    incident = contact(staff_user, school, subject)
    client.force_login(make_user(Role.DSL, Role.STAFF, school=other_school))
    assert client.get(intake_url(incident)).status_code == 404


def test_the_adult_never_sees_the_incident_nor_the_case(client, staff_user, dsl_user, school, subject_user):
    incident = contact(staff_user, school, subject_user.person)
    client.force_login(dsl_user)
    client.post(reverse("incidents:allegation_create"), intake_data(incident))
    case = Allegation.objects.get()
    client.force_login(subject_user)
    assert client.get(incident.get_absolute_url()).status_code == 404
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(intake_url(incident)).status_code == 404
    assert case.reference not in client.get(reverse("incidents:allegation_list")).content.decode()
    assert not Notification.objects.filter(recipient_user=subject_user).exists()


def test_the_case_team_follows_the_link_from_the_incident(
    client, staff_user, dsl_user, head_user, school, subject
):
    incident = contact(staff_user, school, subject)
    client.force_login(dsl_user)
    client.post(reverse("incidents:allegation_create"), intake_data(incident))
    case = Allegation.objects.get()
    client.force_login(head_user)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert f'href="{case.get_absolute_url()}"' in page and INTAKE not in page


def _intake(actor, incident, **overrides):
    values = {
        "actor": actor,
        "school": incident.school,
        "received_at": incident.created_at,
        "received_by": incident.recorded_by.person,
        "source": Source.STAFF,
        "reporter": incident.recorded_by.person,
        "subject": incident.adult,
        "what_happened": "From the incident.",
        "pupil_incident": incident,
    }
    values.update(overrides)
    return services.allegation_record(**values)


def test_the_service_refuses_an_incident_that_is_not_improper_contact_by_an_adult_of_the_school(
    staff_user, dsl_user, school, subject
):
    phone = record(staff_user, school, IncidentType.PHONE_NOT_HANDED_IN)
    stranger = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="A stranger")
    for incident in (phone, stranger):
        with pytest.raises(InvalidTransition) as refused:
            _intake(dsl_user, incident, subject=subject)
        assert refused.value.messages == [
            "Only improper contact by an adult who works at the school opens an allegation."
        ]
    assert not Allegation.objects.exists()


def test_the_service_keeps_the_case_at_the_incidents_school_and_to_one_origin(
    staff_user, dsl_user, school, other_school, subject
):
    incident = contact(staff_user, school, subject)
    exec_head = make_user(Role.EXECUTIVE_HEAD, federation=school.federation)
    with pytest.raises(Exception) as refused:
        _intake(exec_head, incident, school=other_school)
    assert refused.value.message_dict["school"] == [
        "The allegation belongs to the school the incident was recorded at."
    ]
    concern = services.concern_submit(
        actor=staff_user, school=school, category="adult_conduct", subject=subject, what_happened="Posts."
    )
    with pytest.raises(Exception) as refused:
        _intake(dsl_user, incident, concern=concern)
    assert refused.value.messages == ["An allegation is opened from a report or from an incident, not both."]
    assert not Allegation.objects.exists()


def test_who_recorded_contact_by_a_colleague_is_sealed_on_the_incident(
    client, staff_user, dsl_user, slt_user, head_user, exec_head_user, school, subject
):
    """§9: they reported a colleague. The school's DSL and the Executive Head see who; SLT and the head read
    "a member of staff" on the page and in its chronology, as on the allegation opened from it."""
    incident = contact(staff_user, school, subject)
    name = staff_user.person.full_name
    for reader in (slt_user, head_user):
        client.force_login(reader)
        page = client.get(incident.get_absolute_url()).text
        assert name not in page and staff_user.username not in page
        assert 'Recorded by</dt><dd class="col-sm-9">A member of staff,' in page
        assert "confidential to the DSL and the Executive Head" in page
    for reader in (dsl_user, exec_head_user):
        client.force_login(reader)
        assert name in client.get(incident.get_absolute_url()).text


def test_who_recorded_contact_by_an_unknown_adult_is_named(client, staff_user, slt_user, school):
    incident = record(
        staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="A man at the gate"
    )
    client.force_login(slt_user)
    assert staff_user.person.full_name in client.get(incident.get_absolute_url()).text
