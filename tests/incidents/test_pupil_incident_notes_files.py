"""Notes and evidence files on a pupil incident (§8), as on an allegation: notes append-only with corrections,
files checked by content and size, both in the incident's chronology; downloads audited and 404 for anyone
who cannot see the incident."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import services
from incidents.models import Allegation, CaseNote, EvidenceFile, EvidenceKind, IncidentType, Outcome
from people.models import Role

from ..factories import make_user
from .casework import record_case
from .pupilwork import record
from .test_evidence_files import PDF, TEXT, png

pytestmark = pytest.mark.django_db


def _upload(client, incident, name, data, confirm=True):
    form = {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")}
    if confirm:
        form["confirm"] = "on"
    return client.post(reverse("incidents:pupil_incident_evidence_upload", args=[incident.pk]), form)


def test_the_case_team_adds_notes_and_corrections_seen_in_the_timeline(client, staff_user, dsl_user, school):
    incident = record(staff_user, school)
    client.force_login(dsl_user)
    url = reverse("incidents:pupil_incident_note", args=[incident.pk])
    assert client.post(url, {"text": "Spoke to the pupil at break."}).status_code == 302
    first = CaseNote.objects.get()
    assert first.incident == incident and first.allegation_id is None and first.case == incident
    client.post(url, {"text": "It was at lunch, not break.", "corrects": first.pk})
    correction = CaseNote.objects.exclude(pk=first.pk).get()
    assert correction.corrects == first
    page = client.get(incident.get_absolute_url())
    assert [e.what for e in page.context["chronology"]].count("Added a note") == 2
    html = page.content.decode()
    assert "Spoke to the pupil at break." in html and "(corrects an earlier note)" in html
    assert (
        AuditEvent.objects.filter(action="incidents.pupil_incident.note", target_id=str(incident.pk)).count()
        == 2
    )
    assert "lunch" not in str(
        AuditEvent.objects.filter(action="incidents.pupil_incident.note").values("data")
    )


def test_an_empty_note_and_another_cases_note_are_refused(client, staff_user, dsl_user, school, subject):
    incident = record(staff_user, school)
    client.force_login(dsl_user)
    response = client.post(reverse("incidents:pupil_incident_note", args=[incident.pk]), {"text": ""})
    assert "Write the note before adding it." in response.content.decode()
    case = record_case(dsl_user, school, subject)
    elsewhere = services.allegation_add_note(actor=dsl_user, allegation=case, text="On the allegation.")
    with pytest.raises(Exception) as refused:
        services.pupil_incident_add_note(actor=dsl_user, incident=incident, text="Fix", corrects=elsewhere)
    assert refused.value.message_dict == {"corrects": ["Choose a note of this case."]}


def test_notes_may_still_be_added_once_the_incident_is_closed(staff_user, dsl_user, school):
    incident = record(staff_user, school)
    services.pupil_incident_close(actor=dsl_user, incident=incident)
    note = services.pupil_incident_add_note(actor=dsl_user, incident=incident, text="Parents came in after.")
    assert note.incident == incident


def test_files_are_checked_stored_and_shown_in_the_timeline(client, staff_user, dsl_user, school, settings):
    incident = record(staff_user, school)
    client.force_login(dsl_user)
    assert _upload(client, incident, "screenshot.png", png()).status_code == 302
    file = EvidenceFile.objects.get()
    assert file.incident == incident and file.allegation_id is None and file.kind == EvidenceKind.PNG
    assert (Path(settings.MEDIA_ROOT) / "evidence" / file.stored_name.hex).read_bytes() == png()
    page = client.get(incident.get_absolute_url())
    assert reverse("incidents:evidence_download", args=[file.pk]) in page.content.decode()
    added = [e for e in page.context["chronology"] if e.what == "Added a file"]
    assert [e.detail for e in added] == ["screenshot.png"]


def test_a_file_is_refused_by_content_and_by_size(client, staff_user, dsl_user, school, settings):
    incident = record(staff_user, school)
    client.force_login(dsl_user)
    response = _upload(client, incident, "holiday.png", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(300))
    assert "This file is a program, not evidence, whatever its name says." in response.content.decode()
    settings.INCIDENTS_EVIDENCE_MAX_BYTES = 1000
    response = _upload(client, incident, "big.pdf", PDF + b"%" * 2000)
    assert "the largest accepted is 0 MB" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_no_files_are_added_to_a_closed_incident(staff_user, dsl_user, school):
    incident = record(staff_user, school)
    services.pupil_incident_close(actor=dsl_user, incident=incident)
    with pytest.raises(InvalidTransition) as refused:
        services.evidence_upload(actor=dsl_user, incident=incident, name="a.png", data=png())
    assert refused.value.messages == ["This incident is closed: no more files can be added to it."]


@pytest.mark.parametrize("fixture", ["staff_user", "teacher_user", "office_user"])
def test_staff_outside_the_case_team_cannot_add_notes_or_files(client, request, staff_user, school, fixture):
    incident = record(staff_user, school)
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    assert client.get(reverse("incidents:pupil_incident_note", args=[incident.pk])).status_code == 404
    assert _upload(client, incident, "a.png", png()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.pupil_incident_add_note(actor=user, incident=incident, text="x")
    with pytest.raises(PermissionDenied):
        services.evidence_upload(actor=user, incident=incident, name="a.png", data=png())


def test_download_is_audited_on_the_incident(client, staff_user, dsl_user, slt_user, school):
    incident = record(staff_user, school)
    file = services.evidence_upload(actor=dsl_user, incident=incident, name="transcript.txt", data=TEXT)
    client.force_login(slt_user)
    response = client.get(reverse("incidents:evidence_download", args=[file.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == TEXT
    assert response["Content-Disposition"].startswith("attachment;")
    event = AuditEvent.objects.get(action="incidents.evidence.download")
    assert event.target_type == "incidents.pupilincident" and event.target_id == str(incident.pk)
    assert event.actor == slt_user and event.data == {"file_id": file.pk}


@pytest.mark.parametrize("who", ["staff", "teacher", "other_dsl", "adult"])
def test_download_is_404_for_anyone_who_cannot_see_the_incident(
    client, staff_user, dsl_user, school, other_school, who
):
    adult = make_user(Role.SLT, Role.STAFF, school=school)
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult=adult.person)
    file = services.evidence_upload(actor=dsl_user, incident=incident, name="a.png", data=png())
    users = {
        "staff": staff_user,
        "teacher": make_user(Role.CLASS_TEACHER, Role.STAFF, school=school),
        "other_dsl": make_user(Role.DSL, Role.STAFF, school=other_school),
        "adult": adult,
    }
    client.force_login(users[who])
    assert client.get(reverse("incidents:evidence_download", args=[file.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="incidents.evidence.download").exists()


def test_an_allegation_file_stays_out_of_reach_through_an_incident(
    client, staff_user, dsl_user, school, subject_user
):
    """Seeing an incident gives no way to another case's file: the subject of an allegation who is on the case
    team of the incident still gets 404 for the allegation's file."""
    case = record_case(dsl_user, school, subject_user.person)
    file = services.evidence_upload(actor=dsl_user, allegation=case, name="a.png", data=png())
    record(staff_user, school)
    client.force_login(subject_user)
    assert client.get(reverse("incidents:pupil_incident_list")).status_code == 200
    assert client.get(reverse("incidents:evidence_download", args=[file.pk])).status_code == 404


def test_removing_a_malicious_allegation_keeps_the_incident_and_its_files(
    staff_user, dsl_user, school, subject, frozen_now
):
    """The improper-contact incident that opened a malicious allegation is the pupil's record: the removal takes
    the case and its own files, and leaves the incident, its notes and its files."""
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult=subject)
    incident_file = services.evidence_upload(actor=dsl_user, incident=incident, name="a.png", data=png())
    services.pupil_incident_add_note(actor=dsl_user, incident=incident, text="Kept.")
    case = services.allegation_record(
        actor=dsl_user,
        school=school,
        received_at=incident.created_at,
        received_by=staff_user.person,
        source="staff",
        reporter=staff_user.person,
        subject=subject,
        what_happened="From the incident.",
        pupil_incident=incident,
    )
    services.evidence_upload(actor=dsl_user, allegation=case, name="b.png", data=png())
    Allegation.objects.filter(pk=case.pk).update(
        status=Allegation.Status.CLOSED,
        outcome=Outcome.MALICIOUS,
        closed_at=timezone.now(),
        removal_due_on=timezone.localdate() - timedelta(days=1),
        referred_at=timezone.now(),
        advice_at=timezone.now(),
    )
    assert services.retention_sweep() == [case.pk]
    assert not Allegation.objects.exists()
    assert list(EvidenceFile.objects.all()) == [incident_file]
    assert CaseNote.objects.get().incident == incident
    incident.refresh_from_db()
    assert incident.status == "open"
