"""CSV import as a sync: every bad row reported with its line number and nothing written; a valid file
previewed (added, updated field by field, refused), then applied once confirmed, all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from people.models import ImportJob, ParentLink, Person
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "kind,first_name,last_name,date_of_birth,email,reference\n"
    "pupil,Ada,Stone,2014-02-03,,P-1\n"
    "Parent or carer,Ben,Stone,,ben@example.org,\n"
    "pupil,Cy,Lane,05/06/2012,,P-2\n"
)
BAD = (
    "kind,first_name,last_name,date_of_birth,email,reference\n"
    "pupil,Ada,Stone,2014-02-03,,P-1\n"
    "pupil,Bad,Date,31/31/2014,,P-2\n"
    "wizard,Cy,Lane,,,\n"
    "pupil,No,Birthday,,,\n"
    "staff,Dup,Ref,,,P-1\n"
)
PARENTS = (
    "kind,first_name,last_name,email,phone,reference,parent_of,relationship,parental_responsibility\n"
    "parent,Jane,Stone,jane@example.org,,,P-1;P-2,mother,yes\n"
    "parent,Mark,Stone,,0770,,P-1,Father,no\n"
)


def _upload(client, school, text, name="people.csv"):
    return client.post(
        reverse("people:person_import"),
        {"school": school.pk, "file": SimpleUploadedFile(name, text.encode(), "text/csv")},
    )


def _confirm(client, preview, **kwargs):
    job = preview.context["job"]
    return client.post(reverse("people:person_import"), {"confirm": "yes", "job": job.pk}, **kwargs)


def test_a_valid_file_is_previewed_then_imported(
    client, office_user, school, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    preview = _upload(client, school, GOOD)
    assert preview.status_code == 200
    assert preview.context["counts"]["added"] == 3
    assert Person.objects.count() == 1  # only the office admin; nothing written by the preview
    with django_capture_on_commit_callbacks(execute=True):
        response = _confirm(client, preview)
    assert response.status_code == 302
    assert set(Person.objects.filter(memberships__school=school).values_list("first_name", flat=True)) >= {
        "Ada",
        "Ben",
        "Cy",
    }
    assert AuditEvent.objects.get(action="people.person.import").data["counts"]["added"] == 3


def test_reimporting_updates_people_matched_by_reference(
    client, office_user, school, django_capture_on_commit_callbacks
):
    """The sync: a reference already in the registry is updated field by field, not refused."""
    ada = PupilFactory(reference="P-1", first_name="Ada", last_name="Old", school=school)
    client.force_login(office_user)
    preview = _upload(client, school, GOOD)
    assert "plan" in preview.context, preview.content.decode()[-2500:]
    plan = preview.context["plan"]
    assert plan.counts()["added"] == 2 and plan.counts()["updated"] == 1
    assert plan.updated[0].changes["last_name"] == ("Old", "Stone")
    assert "Old" in preview.content.decode() and "After the import" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(client, preview)
    ada.refresh_from_db()
    assert (ada.last_name, ada.date_of_birth.isoformat()) == ("Stone", "2014-02-03")
    assert Person.objects.filter(reference="P-1").count() == 1


def test_parents_and_their_links_are_imported(office_user, school):
    from people.services import imports

    PupilFactory(reference="P-1", school=school)
    PupilFactory(reference="P-2", school=school)
    plan = imports.import_plan(school=school, source="csv", data=PARENTS.encode())
    assert plan.counts()["contacts_added"] == 2 and plan.counts()["links_added"] == 3
    imports.import_apply(actor=office_user, plan=plan, source="csv")
    jane = Person.objects.get(email="jane@example.org")
    assert set(ParentLink.objects.filter(parent=jane).values_list("pupil__reference", flat=True)) == {
        "P-1",
        "P-2",
    }
    link = ParentLink.objects.get(parent__first_name="Mark")
    assert (link.relationship, link.parental_responsibility) == ("father", False)
    again = imports.import_plan(school=school, source="csv", data=PARENTS.encode())
    assert not again.changes_anything


def test_a_parent_of_an_unknown_pupil_is_refused_with_its_line(school):
    from people.services import imports

    plan = imports.import_plan(school=school, source="csv", data=PARENTS.encode())
    assert plan.refused[0] == ("line 2", "no pupil of this school has the reference P-1, P-2.")


def test_every_bad_row_is_listed_and_nothing_is_written(client, office_user, school):
    client.force_login(office_user)
    before = Person.objects.count()
    response = _upload(client, school, BAD)
    refusal = response.context["refusal"]
    assert [reason.split(":")[0] for reason in refusal] == ["Line 3", "Line 4", "Line 5", "Line 6"]
    assert "date_of_birth" in refusal[0]
    assert "kind" in refusal[1]
    assert "A date of birth is needed for pupils and former pupils." in refusal[2]
    assert "also used on line 2" in refusal[3]
    assert "job" not in response.context
    assert Person.objects.count() == before
    assert not ImportJob.objects.exists()
    assert "The file was not imported: 4 problems to correct" in response.content.decode()


def test_a_missing_column_is_reported_on_the_header_line(client, office_user, school):
    client.force_login(office_user)
    response = _upload(client, school, "first_name,last_name\nA,B\n")
    assert response.context["refusal"] == ["Line 1: The header row is missing the column(s): kind."]


def test_a_confirmation_of_someone_elses_job_is_404(client, office_user, head_user, school):
    client.force_login(office_user)
    preview = _upload(client, school, GOOD)
    client.force_login(head_user)
    assert _confirm(client, preview).status_code == 404
    assert Person.objects.filter(first_name="Ada").count() == 0


def test_a_job_is_confirmed_once(client, office_user, school, django_capture_on_commit_callbacks):
    client.force_login(office_user)
    preview = _upload(client, school, GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(client, preview)
    response = _confirm(client, preview, follow=True)
    assert "already been imported or refused" in response.content.decode()
    assert Person.objects.filter(first_name="Ada").count() == 1


def test_a_file_that_is_not_utf8_is_refused(client, office_user, school):
    client.force_login(office_user)
    response = client.post(
        reverse("people:person_import"),
        {"school": school.pk, "file": SimpleUploadedFile("p.csv", "kind,first_name\n\xe9".encode("latin-1"))},
    )
    assert "save it from your spreadsheet as &#x27;CSV UTF-8&#x27;" in response.content.decode()
