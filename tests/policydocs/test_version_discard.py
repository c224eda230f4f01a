"""Discarding a draft: only drafts, only by a head, after a confirmation page; the audit keeps a tombstone."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from policydocs import services
from policydocs.models import Clause, PolicyVersion

pytestmark = pytest.mark.django_db


def test_a_head_discards_a_draft_after_confirming(client, head_user, draft):
    client.force_login(head_user)
    url = reverse("policydocs:version_discard", args=[draft.pk])

    confirm = client.get(url)
    assert b"This cannot be undone." in confirm.content
    assert PolicyVersion.objects.filter(pk=draft.pk).exists()

    done = client.post(url)

    assert done.status_code == 302
    assert not PolicyVersion.objects.filter(pk=draft.pk).exists()
    assert not Clause.objects.exists()
    event = AuditEvent.objects.get(action="policydocs.version.discard")
    assert event.target_id == str(draft.pk) and event.data["content_hash"] == draft.content_hash


def test_a_ratified_version_cannot_be_discarded(head_user, current):
    with pytest.raises(ValidationError) as refused:
        services.policy_version_discard(actor=head_user, version=current)
    assert refused.value.messages == [
        "Version 1 has been ratified: a ratified version is part of the record and cannot be discarded."
    ]


def test_the_page_shows_the_refusal(client, head_user, current):
    client.force_login(head_user)

    response = client.post(reverse("policydocs:version_discard", args=[current.pk]))

    assert response.status_code == 200
    assert b"cannot be discarded" in response.content
    assert PolicyVersion.objects.filter(pk=current.pk).exists()


@pytest.mark.parametrize("role_user", ["staff_user", "dsl_user", "office_user"])
def test_others_cannot_discard(client, request, role_user, current):
    client.force_login(request.getfixturevalue(role_user))

    assert client.post(reverse("policydocs:version_discard", args=[current.pk])).status_code == 403
