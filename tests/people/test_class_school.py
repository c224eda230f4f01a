"""A new class is made at the school the form names, and only at a school whose registry the user keeps."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from people.models import ClassGroup

pytestmark = pytest.mark.django_db


def test_naming_another_school_is_refused_and_makes_no_class(client, office_user, school, other_school):
    client.force_login(office_user)
    response = client.post(
        reverse("people:class_create"), {"school": other_school.pk, "name": "Willow", "year_group": 3}
    )
    assert response.status_code == 404
    assert not ClassGroup.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="people.class").exists()


@pytest.mark.parametrize("value", ["abc", "99999"])
def test_a_school_that_is_not_there_is_missing(client, office_user, school, value):
    client.force_login(office_user)
    assert client.get(reverse("people:class_create"), {"school": value}).status_code == 404


def test_the_users_own_school_still_gets_its_class(client, office_user, school):
    client.force_login(office_user)
    response = client.post(
        reverse("people:class_create"), {"school": school.pk, "name": "Willow", "year_group": 3}
    )
    assert response.status_code == 302
    assert ClassGroup.objects.get().school == school
    assert client.get(reverse("people:class_create")).status_code == 200  # no school named: their own
