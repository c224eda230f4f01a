"""The Django admin cannot write registry records around the audited services."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent

from ..factories import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def test_registry_records_are_read_only_in_the_admin(superuser_client, school):
    pupil = PupilFactory(school=school)
    assert superuser_client.get(reverse("admin:people_person_add")).status_code == 403
    response = superuser_client.post(
        reverse("admin:people_person_change", args=[pupil.pk]), {"first_name": "Changed"}
    )
    assert response.status_code == 403
    pupil.refresh_from_db()
    assert pupil.first_name != "Changed"
    assert superuser_client.get(reverse("admin:people_person_delete", args=[pupil.pk])).status_code == 403


def test_account_changes_in_the_admin_are_audited(superuser_client):
    user = UserFactory(username="someone")
    response = superuser_client.post(
        reverse("admin:people_user_change", args=[user.pk]),
        {
            "username": "someone",
            "first_name": "Some",
            "last_name": "One",
            "email": "",
            "is_active": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="people.user.update")
    assert event.target_id == str(user.pk)
    assert "is_active" in event.data["fields"]


def test_accounts_cannot_be_deleted(superuser_client):
    user = UserFactory()
    assert superuser_client.get(reverse("admin:people_user_delete", args=[user.pk])).status_code == 403
