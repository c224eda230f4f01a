"""Evidence files: PNG, JPEG, PDF and plain text only, judged by content; a size limit; stored under
generated names outside any served path; downloaded only through an access check, as an attachment."""

import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from incidents import evidence, services
from incidents.exceptions import EvidenceRejected
from incidents.models import Allegation, EvidenceFile, EvidenceKind

from .casework import case_in, record_case

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + _chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200) + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = "Transcript of the post, 3 March: “see you at the match” — copied by the DSL.\n".encode()

GOOD = [
    ("screenshot.png", png(), EvidenceKind.PNG),
    ("photo.jpg", JPEG, EvidenceKind.JPEG),
    ("letter.pdf", PDF, EvidenceKind.PDF),
    ("transcript.txt", TEXT, EvidenceKind.TEXT),
    # The name does not decide: a PDF called .txt is a PDF.
    ("notes.txt", PDF, EvidenceKind.PDF),
]

BAD = [
    (
        "renamed executable",
        "holiday.png",
        b"MZ\x90\x00\x03\x00\x00\x00" + bytes(300),
        "This file is a program",
    ),
    ("renamed Linux program", "photo.jpg", b"\x7fELF\x02\x01\x01" + bytes(300), "This file is a program"),
    ("script", "notes.txt", b"#!/bin/sh\nrm -rf /\n", "This file is a program"),
    (
        "SVG with a script",
        "chart.svg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "This file is a web page or an SVG image, which can carry scripts.",
    ),
    (
        "SVG renamed as PNG",
        "chart.png",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        "This file is a web page or an SVG image",
    ),
    ("web page", "page.txt", b"<!DOCTYPE html><html><body>hi</body></html>", "This file is a web page"),
    ("truncated PDF", "letter.pdf", PDF[:-7], "This PDF is incomplete (its end marker is missing)"),
    ("truncated PNG", "shot.png", png()[:-12], "This PNG image is incomplete"),
    ("truncated JPEG", "photo.jpg", JPEG[:-2], "This JPEG image is incomplete"),
    ("empty file", "empty.txt", b"", "The file is empty"),
    (
        "Word document",
        "report.docx",
        b"PK\x03\x04" + bytes(100),
        "This is a zip archive or an Office document",
    ),
    ("binary", "data.txt", b"abc\x00def", "This file's content is not one of the accepted kinds"),
    ("not UTF-8", "latin1.txt", "café".encode("latin-1"), "saved as UTF-8"),
]


@pytest.mark.parametrize("name, data, kind", GOOD, ids=[g[0] for g in GOOD])
def test_accepted_files_are_recognised_by_content(name, data, kind):
    assert evidence.check(data).kind == kind


@pytest.mark.parametrize("why, name, data, message", BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused_with_a_reason(why, name, data, message):
    with pytest.raises(EvidenceRejected) as info:
        evidence.check(data)
    assert message in info.value.messages[0], why


def test_the_size_limit_is_ten_megabytes_by_default():
    evidence.check_size(10 * 1024 * 1024)
    with pytest.raises(EvidenceRejected) as info:
        evidence.check_size(10 * 1024 * 1024 + 1)
    assert info.value.messages[0].startswith("The file is 10 MB and the largest accepted is 10 MB")


def test_the_size_limit_is_a_setting(settings):
    settings.INCIDENTS_EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(EvidenceRejected) as info:
        evidence.check(b"a" * (3 * 1024 * 1024 // 2))
    assert "The file is 1.5 MB and the largest accepted is 1 MB" in info.value.messages[0]


def test_an_upload_is_stored_under_a_generated_name_and_audited(slt_user, school, subject, settings):
    case = record_case(slt_user, school, subject)
    file = services.evidence_upload(actor=slt_user, allegation=case, name="../../etc/passwd.png", data=png())

    stored = Path(settings.MEDIA_ROOT) / "evidence" / file.stored_name.hex
    assert stored.read_bytes() == png()
    assert stored.stat().st_mode & 0o777 == 0o600
    assert file.original_name == "passwd.png" and "passwd" not in str(stored)
    assert not any(part in str(settings.STATIC_ROOT) for part in stored.parts[-2:])
    event = AuditEvent.objects.get(action="incidents.evidence.upload")
    assert event.target_id == str(case.pk) and event.data["file_id"] == file.pk
    assert "passwd" not in str(event.data)


def test_files_are_not_added_to_a_closed_case(slt_user, school, subject, settings):
    case = case_in(slt_user, school, subject, Allegation.Status.CLOSED)
    with pytest.raises(Exception) as info:
        services.evidence_upload(actor=slt_user, allegation=case, name="a.png", data=png())
    assert "closed" in info.value.messages[0]
    assert not (Path(settings.MEDIA_ROOT) / "evidence").exists() or not any(
        (Path(settings.MEDIA_ROOT) / "evidence").iterdir()
    )


# --- Through the pages ------------------------------------------------------------------------------


def _upload(client, case, name, data, confirm=True):
    form = {"file": SimpleUploadedFile(name, data, content_type="image/png")}
    if confirm:
        form["confirm"] = "on"
    return client.post(reverse("incidents:evidence_upload", args=[case.pk]), form)


@pytest.mark.parametrize("why, name, data, message", BAD, ids=[b[0] for b in BAD])
def test_the_upload_page_says_why_a_file_is_refused(
    client, slt_user, school, subject, why, name, data, message
):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    response = _upload(client, case, name, data)
    assert response.status_code == 200
    if data:
        assert message.replace("'", "&#x27;") in response.text, why
    else:
        assert "The file is empty: choose the file again." in response.text
    assert not EvidenceFile.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(client, slt_user, school, subject, settings):
    settings.INCIDENTS_EVIDENCE_MAX_BYTES = 1000
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    response = _upload(client, case, "big.pdf", PDF + b"%" * 2000)
    assert "The file is 0" in response.text and "the largest accepted is 0 MB" in response.text
    assert not EvidenceFile.objects.exists()


def test_the_upload_needs_the_confirmation(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    refused = _upload(client, case, "a.png", png(), confirm=False)
    assert refused.status_code == 200 and not EvidenceFile.objects.exists()
    assert 'href="#id_confirm">Tick the box to confirm the file belongs to this case.</a>' in refused.text
    assert "<strong>a.png</strong> was not added." in refused.text and "choose it again" in refused.text
    missing = client.post(reverse("incidents:evidence_upload", args=[case.pk]), {"confirm": "on"})
    assert "Choose the file to add." in missing.text and "was not added" not in missing.text
    assert _upload(client, case, "a.png", png()).status_code == 302
    assert EvidenceFile.objects.get().kind == EvidenceKind.PNG


def test_download_checks_access_sends_an_attachment_and_is_audited(
    client, slt_user, dsl_user, school, subject
):
    case = record_case(slt_user, school, subject)
    file = services.evidence_upload(actor=slt_user, allegation=case, name="letter one.pdf", data=PDF)
    client.force_login(dsl_user)

    response = client.get(reverse("incidents:evidence_download", args=[file.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "letter one.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="incidents.evidence.download")
    assert event.actor == dsl_user and event.target_id == str(case.pk) and event.data == {"file_id": file.pk}


@pytest.mark.parametrize(
    "fixture", ["staff_user", "teacher_user", "office_user", "governor_user", "chair_user"]
)
def test_download_is_404_for_those_who_cannot_see_the_case(
    client, request, fixture, slt_user, school, subject
):
    case = record_case(slt_user, school, subject)
    file = services.evidence_upload(actor=slt_user, allegation=case, name="a.png", data=png())
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("incidents:evidence_download", args=[file.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="incidents.evidence.download").exists()


def test_there_is_no_public_path_to_the_files(client, slt_user, school, subject, settings):
    case = record_case(slt_user, school, subject)
    file = services.evidence_upload(actor=slt_user, allegation=case, name="a.png", data=png())
    client.force_login(slt_user)
    for path in [
        f"/media/evidence/{file.stored_name.hex}",
        f"/evidence/{file.stored_name.hex}",
        f"/static/evidence/{file.stored_name.hex}",
    ]:
        assert client.get(path).status_code == 404
    # MEDIA_ROOT is outside the static and template folders served by the portal.
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not any(media.is_relative_to(Path(d).resolve()) for d in settings.STATICFILES_DIRS)


def test_the_case_page_lists_files_with_their_download_link(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    file = services.evidence_upload(actor=slt_user, allegation=case, name="transcript.txt", data=TEXT)
    client.force_login(slt_user)
    page = client.get(case.get_absolute_url()).text
    assert reverse("incidents:evidence_download", args=[file.pk]) in page and "transcript.txt" in page
