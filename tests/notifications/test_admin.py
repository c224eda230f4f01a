"""The admin shows the outbox read-only: every change goes through the services and the audit trail."""

import pytest
from django.urls import reverse

from notifications.models import Channel

from ..factories import ParentFactory, UserFactory
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = UserFactory(is_superuser=True, is_staff=True)
    return user


def test_lists_and_shows_notifications_without_edit_or_delete(client, superuser):
    row = NotificationFactory(recipient_user=None, recipient_person=ParentFactory(), channel=Channel.EMAIL)
    client.force_login(superuser)

    listing = client.get(reverse("admin:notifications_notification_changelist"))
    detail = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))

    assert listing.status_code == 200 and detail.status_code == 200
    assert not detail.context["has_change_permission"]
    assert not detail.context["has_delete_permission"]
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
