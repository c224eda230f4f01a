"""Names with hidden formatting characters (a right-to-left override shows "Ali\u202eevil" as "Alilive")
are refused wherever a name comes in: the person form, the service behind it, the CSV import and classes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.text import HIDDEN_FORMATTING, has_hidden_formatting
from people import services
from people.models import ClassGroup, Person, PersonKind

pytestmark = pytest.mark.django_db

OVERRIDE = "Ali\u202eevil"


@pytest.mark.parametrize(
    "name, hidden",
    [
        ("Ali\u202eevil", True),  # right-to-left override
        ("Ali\u2066ce", True),  # left-to-right isolate
        ("Ali\u200fce", True),  # right-to-left mark
        ("Ali\x07ce", True),  # a control character
        ("\u0645\u06cc\u200c\u0631\u0648\u06cc", False),  # a Persian name with its zero-width non-joiner
        ("Zoë O'Neill-Smith", False),
    ],
)
def test_what_counts_as_hidden_formatting(name, hidden):
    assert has_hidden_formatting(name) is hidden


def test_the_person_form_refuses_a_name_with_an_override(client, office_user, school):
    client.force_login(office_user)
    response = client.post(
        reverse("people:person_create"),
        {"school": school.pk, "kind": PersonKind.STAFF, "first_name": OVERRIDE, "last_name": "Stone"},
    )
    assert response.status_code == 200
    assert HIDDEN_FORMATTING in response.content.decode()
    assert not Person.objects.filter(last_name="Stone").exists()


def test_the_service_refuses_it_too(office_user, school):
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=office_user, school=school, kind=PersonKind.STAFF, first_name="Ada", last_name=OVERRIDE
        )
    assert refused.value.message_dict == {"last_name": [HIDDEN_FORMATTING]}


def test_the_csv_import_lists_the_row(client, office_user, school):
    client.force_login(office_user)
    text = f"kind,first_name,last_name,date_of_birth,email,reference\nstaff,{OVERRIDE},Stone,,,\n"
    response = client.post(
        reverse("people:person_import"),
        {"school": school.pk, "file": SimpleUploadedFile("people.csv", text.encode(), "text/csv")},
    )
    (reason,) = response.context["refusal"]
    assert reason.startswith("Line 2: ") and HIDDEN_FORMATTING in reason
    assert not Person.objects.filter(last_name="Stone").exists()


def test_a_class_name_is_refused_by_the_service(office_user, school):
    with pytest.raises(ValidationError):
        services.class_group_save(
            actor=office_user, school=school, name=f"Class {OVERRIDE}", year_group=3, teachers=[], pupils=[]
        )
    assert not ClassGroup.objects.exists()
