"""A background PDF made for one record (the chronology pack of an allegation) is downloaded only while
its reader may still see that record, and goes with the record when a malicious allegation is removed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import tasks
from incidents.models import Allegation, Outcome
from people.models import Role, RoleAssignment
from policydocs.reports import files
from policydocs.reports.models import JobStatus, ReportJob

from ..factories import PersonFactory
from ..incidents.casework import advance, record_case

pytestmark = pytest.mark.django_db


def _pack_job(user, case) -> ReportJob:
    name = f"pack-{case.pk}.pdf"
    files.store(name, b"%PDF-1.7 test")
    return ReportJob.objects.create(
        user=user,
        report="chronology_pack",
        target_id=case.pk,
        status=JobStatus.DONE,
        progress=100,
        file_name=name,
        download_name="pack.pdf",
        finished_at=timezone.now(),
    )


def _download(job):
    return reverse("policydocs:report_job_download", args=[job.pk])


def test_the_pack_is_downloaded_only_while_the_case_is_visible(client, dsl_user, school, other_school):
    case = record_case(dsl_user, school, PersonFactory(school=school))
    job = _pack_job(dsl_user, case)
    client.force_login(dsl_user)
    assert client.get(_download(job)).status_code == 200
    # Still a DSL (the report is theirs to run), now at another school: this case is no longer theirs.
    RoleAssignment.objects.filter(person=dsl_user.person, role=Role.DSL).update(school=other_school)
    client.force_login(dsl_user)
    for name in ("report_job", "report_job_status", "report_job_download"):
        assert client.get(reverse(f"policydocs:{name}", args=[job.pk])).status_code == 404


def test_removing_a_malicious_case_removes_its_packs(
    slt_user, dsl_user, school, django_capture_on_commit_callbacks
):
    case = record_case(slt_user, school, PersonFactory(school=school))
    case = advance(slt_user, case, Allegation.Status.CLOSED, outcome=Outcome.MALICIOUS)
    job = _pack_job(dsl_user, case)
    other = _pack_job(dsl_user, record_case(slt_user, school, PersonFactory(school=school)))
    path = files.path_for(job.file_name)
    Allegation.objects.filter(pk=case.pk).update(removal_due_on=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        tasks.daily_retention()

    assert not Allegation.objects.filter(pk=case.pk).exists()
    job.refresh_from_db()
    assert job.status == JobStatus.EXPIRED and job.file_name == "" and not path.exists()
    other.refresh_from_db()
    assert other.status == JobStatus.DONE and files.path_for(other.file_name).exists()
