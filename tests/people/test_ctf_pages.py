"""The CTF import page: upload, preview (nothing written), confirm, background job with its progress page."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import ImportJob, ImportStatus, Person, PersonKind
from people.services import imports

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "ctf"


def upload(client, school, name, leavers=False, data=None):
    payload = {"school": school.pk, "file": SimpleUploadedFile(name, data or (FILES / name).read_bytes())}
    if leavers:
        payload["leavers"] = "on"
    return client.post(reverse("people:ctf_import"), payload)


def confirm(client, job, capture):
    with capture(execute=True):
        return client.post(reverse("people:ctf_import"), {"confirm": "yes", "job": job.pk})


def test_the_preview_writes_nothing_to_the_registry(client, office_user, school, settings):
    client.force_login(office_user)
    before = Person.objects.count()
    response = upload(client, school, "full_export.xml")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Apply these changes to the registry of Larch School?" in page
    assert "Nothing has changed yet." in page
    assert response.context["counts"]["added"] == 3
    assert Person.objects.count() == before
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED
    # The file waits in private storage, not in the session.
    assert (Path(settings.MEDIA_ROOT) / "imports" / job.file_name).exists()
    assert "full_export" not in str(dict(client.session))


def test_confirming_runs_the_import_and_the_page_says_it_finished(
    client, head_user, school, settings, django_capture_on_commit_callbacks
):
    client.force_login(head_user)
    upload(client, school, "full_export.xml")
    job = ImportJob.objects.get()
    response = confirm(client, job, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.progress) == (ImportStatus.DONE, 100)
    assert Person.objects.filter(kind=PersonKind.PUPIL).count() == 3
    assert not (Path(settings.MEDIA_ROOT) / "imports" / job.file_name).exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Finished: the registry now holds the file's changes." in page
    assert '<progress id="import-job-progress"' in page
    assert "import-job.js" not in page  # nothing left to poll
    status = client.get(reverse("people:import_job_status", args=[job.pk])).json()
    assert status == {"finished": True, "status_label": "Imported", "progress": 100, "stage": "Finished"}


def test_a_queued_job_page_polls_with_the_vendored_script(client, office_user, school):
    client.force_login(office_user)
    upload(client, school, "full_export.xml")
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, stage="Waiting to start")
    page = client.get(job.get_absolute_url()).content.decode()
    assert "people/import-job.js" in page
    assert "Waiting to start" in page
    assert 'href="' + job.get_absolute_url() + '"' in page  # "Check again" without JavaScript


def test_leavers_are_listed_before_anything_is_recorded(client, office_user, school):
    imports.import_apply(
        actor=None,
        plan=imports.import_plan(school=school, source="ctf", data=(FILES / "full_export.xml").read_bytes()),
        source="ctf",
    )
    client.force_login(office_user)
    response = upload(client, school, "later_export.xml", leavers=True)
    page = response.content.decode()
    assert "1 pupil will be recorded as having left." in page
    assert "Cy Lane (P801700114003)" in page
    assert "Stone-Hill" in page
    assert Person.objects.get(reference="P801700114003").left_on is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_xml.xml", "not well-formed XML"),
        ("billion_laughs.xml", "declares a document type or entities"),
        ("external_entity.xml", "declares a document type or entities"),
        ("wrong_root.xml", "not a Common Transfer File"),
    ],
)
def test_a_refused_file_says_why_and_writes_nothing(client, office_user, school, name, message):
    client.force_login(office_user)
    before = Person.objects.count()
    response = upload(client, school, name)
    assert message in response.content.decode()
    assert "The file was not imported" in response.content.decode()
    assert Person.objects.count() == before
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, office_user, school, monkeypatch):
    from people.forms import CTFImportForm

    monkeypatch.setattr(CTFImportForm, "max_bytes", 100)
    client.force_login(office_user)
    response = upload(client, school, "full_export.xml")
    assert "The file is larger than 0 MB" in response.content.decode() or response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_bad_rows_are_listed_on_the_preview(client, office_user, school):
    client.force_login(office_user)
    page = upload(client, school, "bad_rows.xml").content.decode()
    assert "Rows refused: not imported" in page
    assert "no UPN: pupils are matched by UPN" in page
    assert "wrong check letter" in page


def test_a_registry_changed_since_the_preview_fails_the_job(
    client, office_user, school, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    upload(client, school, "full_export.xml")
    job = ImportJob.objects.get()
    imports.import_apply(
        actor=None,
        plan=imports.import_plan(school=school, source="ctf", data=(FILES / "full_export.xml").read_bytes()),
        source="ctf",
    )
    confirm(client, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "changed since the preview" in job.error
    assert "changed since the preview" in client.get(job.get_absolute_url()).content.decode()


def test_the_job_page_costs_a_fixed_number_of_queries(client, office_user, school, django_assert_num_queries):
    client.force_login(office_user)
    upload(client, school, "full_export.xml")
    job = ImportJob.objects.get()
    url = job.get_absolute_url()
    client.get(url)
    # session, user, the user's roles, the job with its school (among the schools they keep), and the
    # unread notices counted for the page's header
    with django_assert_num_queries(JOB_PAGE_QUERIES):
        client.get(url)


JOB_PAGE_QUERIES = 5


def test_a_preview_never_confirmed_is_deleted_after_a_day(
    client, office_user, school, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(office_user)
    upload(client, school, "full_export.xml")
    old = ImportJob.objects.get()
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, school, "full_export.xml")
    old.refresh_from_db()
    assert old.status == ImportStatus.FAILED
    assert not (Path(settings.MEDIA_ROOT) / "imports" / old.file_name).exists()
    assert "Not confirmed within a day" in old.error
