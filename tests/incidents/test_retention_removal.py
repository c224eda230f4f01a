"""A malicious allegation is removed once its case is closed (KCSIE part four); a tombstone stays in
the audit trail. Other outcomes are kept until their retention date."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import verify_chain
from incidents import services, tasks
from incidents.models import Allegation, CaseNote, Concern, ConcernCategory, EvidenceFile, Outcome

from .casework import advance, case_in, record_case
from .test_evidence_files import PDF

pytestmark = pytest.mark.django_db
S = Allegation.Status


def _malicious_closed(slt_user, reporter_user, school, subject):
    concern = services.concern_submit(
        actor=reporter_user,
        school=school,
        category=ConcernCategory.ADULT_CONDUCT,
        subject=subject,
        what_happened="x",
    )
    case = record_case(slt_user, school, subject, concern=concern)
    services.allegation_add_note(actor=slt_user, allegation=case, text="Note.")
    file = services.evidence_upload(actor=slt_user, allegation=case, name="a.pdf", data=PDF)
    case = advance(slt_user, case, S.CLOSED, outcome=Outcome.MALICIOUS)
    return case, file


def test_the_daily_job_removes_a_closed_malicious_case_and_keeps_a_tombstone(
    slt_user, reporter_user, school, subject, settings, django_capture_on_commit_callbacks
):
    case, file = _malicious_closed(slt_user, reporter_user, school, subject)
    stored = Path(settings.MEDIA_ROOT) / "evidence" / file.stored_name.hex
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.daily_retention()

    assert not Allegation.objects.filter(pk=case.pk).exists()
    assert (
        not CaseNote.objects.exists() and not EvidenceFile.objects.exists() and not Concern.objects.exists()
    )
    assert not stored.exists()
    tombstone = AuditEvent.objects.get(action="incidents.allegation.purge")
    assert tombstone.target_id == str(case.pk) and tombstone.data["outcome"] == "malicious"
    assert verify_chain().ok


def test_an_open_malicious_case_is_not_removed_yet(slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.OUTCOME_RECORDED, outcome=Outcome.MALICIOUS)
    assert services.retention_sweep() == []
    with pytest.raises(ValidationError):
        services.allegation_purge(allegation=case)
    assert Allegation.objects.filter(pk=case.pk).exists()


@pytest.mark.parametrize(
    "outcome", [Outcome.SUBSTANTIATED, Outcome.FALSE, Outcome.UNSUBSTANTIATED, Outcome.UNFOUNDED]
)
def test_other_outcomes_are_kept(outcome, slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.CLOSED, outcome=outcome)
    assert services.retention_sweep() == []
    assert Allegation.objects.get(pk=case.pk).retain_until is not None


def test_the_case_page_says_a_malicious_case_will_be_removed(client, slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.CLOSED, outcome=Outcome.MALICIOUS)
    client.force_login(slt_user)
    page = client.get(case.get_absolute_url()).text
    assert "the case and its files are removed at the next nightly run" in page
    assert (
        "May be cited in a reference" in page and "No: only a substantiated allegation may be cited" in page
    )


def test_closing_a_malicious_case_says_first_that_it_will_be_removed(client, slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.OUTCOME_RECORDED, outcome=Outcome.MALICIOUS)
    client.force_login(slt_user)
    url = reverse("incidents:allegation_step", args=[case.pk, "close"])
    warning = "The outcome is malicious: once closed, the case is removed at the next nightly run"
    assert warning in client.get(url).text
    confirm = client.post(url, {"closing_note": "Found malicious after the LADO review."})
    assert warning in confirm.text and "Change what I entered" in confirm.text
    case.refresh_from_db()
    assert case.status == S.OUTCOME_RECORDED


def test_closing_another_outcome_does_not_speak_of_removal(client, slt_user, school, subject):
    case = case_in(slt_user, school, subject, S.OUTCOME_RECORDED, outcome=Outcome.UNFOUNDED)
    client.force_login(slt_user)
    url = reverse("incidents:allegation_step", args=[case.pk, "close"])
    assert "removed at the next nightly run" not in client.get(url).text
