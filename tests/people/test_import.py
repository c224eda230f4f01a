"""CSV import: every bad row reported with its line number, nothing written unless all are valid."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from people.models import Person

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


def _upload(client, school, text):
    return client.post(
        reverse("people:person_import"),
        {"school": school.pk, "file": SimpleUploadedFile("people.csv", text.encode(), "text/csv")},
    )


def test_a_valid_file_is_previewed_then_imported(client, office_user, school):
    client.force_login(office_user)
    preview = _upload(client, school, GOOD)
    assert preview.status_code == 200
    assert "All 3 rows are valid" in preview.content.decode()
    assert Person.objects.count() == 1  # only the office admin; nothing written by the preview
    token = preview.context["token"]
    response = client.post(reverse("people:person_import"), {"confirm": "yes", "token": token})
    assert response.status_code == 302
    assert set(Person.objects.filter(memberships__school=school).values_list("first_name", flat=True)) >= {
        "Ada",
        "Ben",
        "Cy",
    }
    assert AuditEvent.objects.filter(action="people.person.import").get().data == {"count": 3}


def test_every_bad_row_is_listed_and_nothing_is_written(client, office_user, school):
    client.force_login(office_user)
    before = Person.objects.count()
    response = _upload(client, school, BAD)
    errors = dict(response.context["errors"])
    assert set(errors) == {3, 4, 5, 6}
    assert "date_of_birth" in errors[3]
    assert "kind" in errors[4]
    assert "A date of birth is needed for pupils and former pupils." in errors[5]
    assert "also used on line 2" in errors[6]
    assert "token" not in response.context
    assert Person.objects.count() == before
    assert "The file was not imported: 4 rows need correcting" in response.content.decode()


def test_a_missing_column_is_reported_on_the_header_line(client, office_user, school):
    client.force_login(office_user)
    response = _upload(client, school, "first_name,last_name\nA,B\n")
    assert response.context["errors"] == [(1, "The header row is missing the column(s): kind.")]


def test_a_tampered_confirmation_is_refused(client, office_user, school):
    client.force_login(office_user)
    token = _upload(client, school, GOOD).context["token"]
    response = client.post(
        reverse("people:person_import"), {"confirm": "yes", "token": token[:-2] + "xx"}, follow=True
    )
    assert "The preview has expired or was changed. Upload the file again." in response.content.decode()
    assert Person.objects.count() == 1


def test_a_file_that_is_not_utf8_is_refused(client, office_user, school):
    client.force_login(office_user)
    response = client.post(
        reverse("people:person_import"),
        {"school": school.pk, "file": SimpleUploadedFile("p.csv", "kind,first_name\n\xe9".encode("latin-1"))},
    )
    assert "save it from your spreadsheet as &#x27;CSV UTF-8&#x27;" in response.content.decode()


def test_import_is_all_or_nothing_when_a_write_fails(office_user, school, monkeypatch):
    """A failure part-way through the import leaves no partial rows behind."""
    from people import services

    real_create = services.person_create
    calls = {"n": 0}

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "person_create", failing_create)
    before = Person.objects.count()
    rows = [
        {
            "kind": "staff",
            "first_name": "A",
            "last_name": "One",
            "date_of_birth": None,
            "email": "",
            "phone": "",
            "reference": "",
        },
        {
            "kind": "staff",
            "first_name": "B",
            "last_name": "Two",
            "date_of_birth": None,
            "email": "",
            "phone": "",
            "reference": "",
        },
    ]
    with pytest.raises(RuntimeError):
        services.people_import(actor=office_user, school=school, rows=rows)
    assert Person.objects.count() == before
