"""A known data set for the report tests, and readers for what the reports return (CSV rows, PDF text)."""

import csv
import io
import os
import shutil
import subprocess
import tempfile
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from approvals.models import Declaration, DeclarationKind, Proposal, Relationship

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The text of a PDF in reading order (pdftotext from poppler-utils), with runs of white space made one
    space, so that a table cell wrapped over two lines still reads as one phrase. With `layout`, line by line
    as printed instead, so that each row of a table whose cells fit one line reads as one phrase (reading
    order may split a column of a table off into a block of its own)."""
    assert content.startswith(b"%PDF"), content[:200]
    if not PDFTOTEXT:
        reason = "pdftotext is not installed (apt-get install poppler-utils): PDF text not checked"
        if os.environ.get("CI") == "true":
            pytest.fail(reason.replace("not checked", "required under CI"))
        pytest.skip(reason)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        options = ["-layout"] if layout else []
        result = subprocess.run(
            [PDFTOTEXT, *options, handle.name, "-"], capture_output=True, check=True, timeout=60
        )
    return " ".join(result.stdout.decode("utf-8").split())


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs need the mark to read UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def make_service(
    school, proposer, decider, *, title, account, status="approved", decided_on=None, moderators=()
):
    decided_on = decided_on or timezone.localdate() - timedelta(days=10)
    service = Proposal.objects.create(
        school=school,
        proposer=proposer,
        title=title,
        platform="facebook",
        minimum_age=13,
        account=account,
        purpose="Sharing news of school events.",
        hosting="third_party",
        audience_parents=True,
        moderation_plan="Two staff check every post.",
        status=status,
        terms_confirmed_at=aware(decided_on) if status != "draft" else None,
        submitted_at=aware(decided_on) if status != "draft" else None,
        decided_at=aware(decided_on, 14) if status in ("approved", "suspended", "expired") else None,
        decided_by=decider if status in ("approved", "suspended", "expired") else None,
        review_date=decided_on + timedelta(days=365)
        if status in ("approved", "suspended", "expired")
        else None,
        conditions="Comments switched off." if status == "approved" else "",
        status_reason="Paused for the holidays." if status == "suspended" else "",
    )
    service.moderators.set(moderators)
    return service


def make_declaration(school, declarant, *, pupils=(), parents=(), declared_on=None, acknowledged_by=None):
    family = bool(pupils)
    declaration = Declaration.objects.create(
        school=school,
        declarant=declarant,
        kind=DeclarationKind.FAMILY_LINK if family else DeclarationKind.PARENT_CONNECTION,
        relationship=Relationship.RELATIVE if family else "",
        platform="" if family else "facebook",
        statement="A private statement that the register never prints.",
        declared_on=declared_on or timezone.localdate() - timedelta(days=5),
        status="acknowledged" if acknowledged_by else "submitted",
        acknowledged_by=acknowledged_by,
        acknowledged_at=timezone.now() if acknowledged_by else None,
    )
    declaration.pupils.set(pupils)
    declaration.parents.set(parents)
    return declaration


def make_pupil_incident(school, recorder, *, kind, occurred_at, adult=None):
    """A §8 incident as stored (the report counts records; how they are recorded is tested elsewhere)."""
    from incidents.models import PupilIncident

    return PupilIncident.objects.create(
        school=school,
        kind=kind,
        recorded_by=recorder,
        occurred_at=occurred_at,
        in_school_day=True,
        location="CANARY-location of the incident",
        what_happened="CANARY-what the pupil did",
        platform="tiktok" if kind == "under_age_account" else "",
        adult=adult,
    )


def make_cyberbullying(school, recorder, *, reported_on, rules=(), decided_at=None, perpetrator=None):
    """A §10 report as stored; with `rules`, its decision too; `perpetrator` names an adult responsible."""
    from incidents.models import CyberbullyingReport, Perpetrator

    report = CyberbullyingReport.objects.create(
        school=school,
        recorded_by=recorder,
        source="parent",
        reported_on=reported_on,
        what_happened="CANARY-what the messages said",
        status="decided" if rules else "reported",
        rules=list(rules),
        decided_at=(decided_at or timezone.now()) if rules else None,
    )
    if perpetrator is not None:
        Perpetrator.objects.create(report=report, kind="adult", person=perpetrator)
    return report
