"""Evidence files on a cyberbullying report (§10), as on a pupil incident (§8): added by those who work the
report, checked by content and size, audited on the report, listed on its page and in its chronology,
downloaded through the access check; 404 for anyone who cannot see the report; refused once it is closed."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import services
from incidents.models import CyberbullyingReport, EvidenceFile, EvidenceKind
from people.models import Role

from ..factories import make_user
from .cyberwork import report
from .pupilwork import record
from .test_evidence_files import TEXT, png

pytestmark = pytest.mark.django_db

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(300)


def _upload_url(rep) -> str:
    return reverse("incidents:cyberbullying_evidence_upload", args=[rep.pk])


def _upload(client, rep, name, data):
    form = {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream"), "confirm": "on"}
    return client.post(_upload_url(rep), form)


def _closed(teacher_user, dsl_user, school) -> CyberbullyingReport:
    """A decided report whose every action was waived, then closed."""
    rep = report(teacher_user, school)
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    for action in rep.actions.order_by("pk"):
        services.incident_action_waive(actor=dsl_user, action=action, reason="Not needed.")
    return services.cyberbullying_close(actor=dsl_user, report=rep)


def test_a_file_is_stored_audited_listed_and_downloaded_by_the_dsl(
    client, teacher_user, dsl_user, school, settings
):
    rep = report(teacher_user, school)
    client.force_login(dsl_user)
    page = client.get(rep.get_absolute_url()).content.decode()
    assert _upload_url(rep) in page and "No files." in page

    response = _upload(client, rep, "screenshot.png", png())
    assert response.status_code == 302 and response.url == rep.get_absolute_url()
    file = EvidenceFile.objects.get()
    assert file.report == rep and file.case == rep and file.kind == EvidenceKind.PNG
    assert file.allegation_id is None and file.incident_id is None and file.uploaded_by == dsl_user
    assert (Path(settings.MEDIA_ROOT) / "evidence" / file.stored_name.hex).read_bytes() == png()
    upload = AuditEvent.objects.get(action="incidents.evidence.upload")
    assert upload.target_type == "incidents.cyberbullyingreport" and upload.target_id == str(rep.pk)
    assert upload.actor == dsl_user and upload.school_id == school.pk
    assert upload.data == {"file_id": file.pk, "kind": "png", "size": file.size, "sha256": file.sha256}

    page = client.get(rep.get_absolute_url())
    html = page.content.decode()
    assert "screenshot.png was added to the case." in html
    assert reverse("incidents:evidence_download", args=[file.pk]) in html
    assert [e.detail for e in page.context["chronology"] if e.what == "Added a file"] == ["screenshot.png"]

    response = client.get(reverse("incidents:evidence_download", args=[file.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == png()
    assert response["Content-Disposition"].startswith("attachment;")
    download = AuditEvent.objects.get(action="incidents.evidence.download")
    assert download.target_type == "incidents.cyberbullyingreport" and download.target_id == str(rep.pk)
    assert download.actor == dsl_user and download.data == {"file_id": file.pk}
    chronology = client.get(rep.get_absolute_url()).context["chronology"]
    assert [e.detail for e in chronology if e.what == "Downloaded a file"] == ["screenshot.png"]


def test_a_file_with_the_wrong_content_is_refused_with_the_reason(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school)
    client.force_login(dsl_user)
    response = _upload(client, rep, "screenshot.png", PROGRAM)
    assert response.status_code == 200
    assert "This file is a program, not evidence, whatever its name says." in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert not AuditEvent.objects.filter(action="incidents.evidence.upload").exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    client, teacher_user, dsl_user, school, settings
):
    rep = report(teacher_user, school)
    settings.INCIDENTS_EVIDENCE_MAX_BYTES = 1000
    client.force_login(dsl_user)
    response = _upload(client, rep, "transcript.txt", b"a" * 2000)
    assert "the largest accepted is 0 MB" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_no_file_is_added_to_a_closed_report(client, teacher_user, dsl_user, school):
    rep = _closed(teacher_user, dsl_user, school)
    client.force_login(dsl_user)
    page = client.get(rep.get_absolute_url()).content.decode()
    assert _upload_url(rep) not in page
    response = _upload(client, rep, "screenshot.png", png())
    assert response.status_code == 200
    assert "This report is closed: no more files can be added to it." in response.content.decode()
    with pytest.raises(InvalidTransition) as refused:
        services.evidence_upload(actor=dsl_user, report=rep, name="a.png", data=png())
    assert refused.value.messages == ["This report is closed: no more files can be added to it."]
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize("fixture", ["dsl_user", "slt_user", "head_user", "exec_head_user"])
def test_the_case_team_and_the_executive_head_add_files(client, request, teacher_user, school, fixture):
    rep = report(teacher_user, school)
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    assert client.get(_upload_url(rep)).status_code == 200
    assert _upload(client, rep, "transcript.txt", TEXT).status_code == 302
    assert EvidenceFile.objects.get().uploaded_by == user


@pytest.mark.parametrize(
    "fixture", ["teacher_user", "staff_user", "office_user", "governor_user", "chair_user"]
)
def test_those_who_cannot_see_the_report_cannot_add_files(client, request, teacher_user, school, fixture):
    rep = report(teacher_user, school)
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    assert client.get(_upload_url(rep)).status_code == 404
    assert _upload(client, rep, "a.png", png()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.evidence_upload(actor=user, report=rep, name="a.png", data=png())
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize("role", [Role.DSL, Role.HEAD_OF_SCHOOL])
def test_another_schools_dsl_or_head_gets_404_on_upload_and_download(
    client, teacher_user, dsl_user, school, other_school, role
):
    rep = report(teacher_user, school)
    file = services.evidence_upload(actor=dsl_user, report=rep, name="screenshot.png", data=png())
    client.force_login(make_user(role, Role.STAFF, school=other_school))
    assert client.get(_upload_url(rep)).status_code == 404
    assert _upload(client, rep, "a.png", png()).status_code == 404
    assert client.get(reverse("incidents:evidence_download", args=[file.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.evidence_record_download(actor=make_user(role, school=other_school), file=file)
    assert list(EvidenceFile.objects.all()) == [file]
    assert not AuditEvent.objects.filter(action="incidents.evidence.download").exists()


@pytest.mark.parametrize(
    "fixture", ["teacher_user", "staff_user", "office_user", "governor_user", "chair_user"]
)
def test_download_is_404_for_anyone_who_cannot_see_the_report(
    client, request, teacher_user, dsl_user, school, fixture
):
    """Even the member of staff who recorded the report: they see only that it reached the DSL."""
    rep = report(teacher_user, school)
    file = services.evidence_upload(actor=dsl_user, report=rep, name="screenshot.png", data=png())
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("incidents:evidence_download", args=[file.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="incidents.evidence.download").exists()


@pytest.mark.parametrize("fixture", ["slt_user", "head_user", "exec_head_user"])
def test_those_who_see_the_report_download_its_files(
    client, request, teacher_user, dsl_user, school, fixture
):
    rep = report(teacher_user, school)
    file = services.evidence_upload(actor=dsl_user, report=rep, name="transcript.txt", data=TEXT)
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    response = client.get(reverse("incidents:evidence_download", args=[file.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == TEXT
    assert AuditEvent.objects.get(action="incidents.evidence.download").actor == user


def test_a_file_names_exactly_one_case(teacher_user, dsl_user, school):
    rep = report(teacher_user, school)
    incident = record(teacher_user, school)
    with pytest.raises(ValidationError) as refused:
        services.evidence_upload(actor=dsl_user, report=rep, incident=incident, name="a.png", data=png())
    assert refused.value.messages == ["A file belongs to exactly one case."]
    assert not EvidenceFile.objects.exists()
