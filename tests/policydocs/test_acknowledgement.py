"""Read-and-sign: staff confirm the current version (time and hash kept); new staff also confirm they
checked their existing posts (§7); a new version asks everyone again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from core import formats
from policydocs import selectors
from policydocs.acknowledgements import acknowledgement_record
from policydocs.models import Acknowledgement

from .helpers import acknowledge, import_version, policy_text, ratified_version, ratify

pytestmark = pytest.mark.django_db


def test_a_first_confirmation_records_the_time_the_hash_and_the_posts_check(staff_user, current):
    ack = acknowledge(staff_user, current)

    assert ack.person == staff_user.person and ack.user == staff_user
    assert ack.content_hash == current.content_hash
    assert ack.acknowledged_at is not None and ack.posts_checked_at == ack.acknowledged_at
    event = AuditEvent.objects.get(action="policydocs.acknowledgement.create")
    assert event.actor_id == staff_user.pk
    assert event.data == {"version": 1, "content_hash": current.content_hash, "posts_checked": True}


def test_new_staff_must_confirm_they_checked_their_posts(staff_user, current):
    """§7: before joining, new employees check what they have posted."""
    with pytest.raises(ValidationError) as refused:
        acknowledge(staff_user, current, posts_checked=False)
    assert refused.value.message_dict["posts_checked"] == [
        "As this is your first confirmation, tick the box to confirm that you have checked your existing "
        "social media posts and removed anything that could cause embarrassment or offence (§7)."
    ]
    assert not Acknowledgement.objects.exists()


def test_reading_must_be_confirmed(staff_user, current):
    with pytest.raises(ValidationError) as refused:
        acknowledgement_record(actor=staff_user, version=current, read_confirmed=False, posts_checked=True)
    assert refused.value.message_dict["read_confirmed"] == [
        "Tick the box to confirm that you have read and understood the policy."
    ]


def test_a_new_version_asks_again_without_the_posts_check(staff_user, current, federation):
    """Supersession: the confirmation of version 1 does not count for version 2; the §7 check is once."""
    acknowledge(staff_user, current)
    newer = ratified_version(federation, text=policy_text(" v2"))

    assert list(selectors.unacknowledged_current_versions(staff_user)) == [newer]
    second = acknowledge(staff_user, newer, posts_checked=False)

    assert second.posts_checked_at is None
    assert second.content_hash == newer.content_hash != current.content_hash
    assert not selectors.unacknowledged_current_versions(staff_user).exists()


def test_confirming_twice_is_refused_with_the_date(staff_user, current):
    first = acknowledge(staff_user, current)

    with pytest.raises(ValidationError) as refused:
        acknowledge(staff_user, current)
    when = formats.day(first.acknowledged_at)
    assert refused.value.messages == [f"You confirmed Version 1 on {when}: there is nothing more to do."]


def test_a_superseded_version_cannot_be_confirmed(staff_user, current, federation):
    ratified_version(federation, text=policy_text(" v2"))

    with pytest.raises(ValidationError) as refused:
        acknowledge(staff_user, current)
    assert refused.value.messages == [
        "Version 1 is not the current policy any more: read the current version and confirm that."
    ]


def test_a_draft_cannot_be_confirmed(staff_user, draft):
    with pytest.raises(ValidationError, match="not the current policy"):
        acknowledge(staff_user, draft)


def test_a_text_changed_while_reading_is_not_confirmed(staff_user, current):
    with pytest.raises(ValidationError) as refused:
        acknowledgement_record(
            actor=staff_user, version=current, read_confirmed=True, posts_checked=True, content_hash="0" * 64
        )
    assert refused.value.messages == [
        "The policy's text changed while you were reading it: read the version shown now and confirm that."
    ]


@pytest.mark.parametrize("role_user", ["governor_user", "chair_user"])
def test_governors_do_not_sign(request, role_user, current):
    with pytest.raises(PermissionDenied):
        acknowledge(request.getfixturevalue(role_user), current)


def test_the_executive_head_signs_too(exec_head_user, current):
    assert acknowledge(exec_head_user, current).person == exec_head_user.person


def test_staff_of_another_federation_cannot_sign(current):
    from people.models import Role

    from ..factories import FederationFactory, SchoolFactory, make_user

    stranger = make_user(Role.STAFF, school=SchoolFactory(federation=FederationFactory(name="Elsewhere")))
    with pytest.raises(PermissionDenied):
        acknowledge(stranger, current)


# --- The page -------------------------------------------------------------------------------------------


def test_the_page_shows_the_version_and_confirms_it(client, staff_user, current):
    client.force_login(staff_user)
    url = reverse("policydocs:read")

    page = client.get(url)
    assert b"Be kind online" in page.content
    assert b"checked what I have posted" in page.content  # a first confirmation asks about posts

    done = client.post(
        url, {"content_hash": current.content_hash, "read_confirmed": "on", "posts_checked": "on"}
    )

    assert done.status_code == 302
    assert Acknowledgement.objects.filter(person=staff_user.person, version=current).exists()
    again = client.get(url)
    assert b"You confirmed this version on" in again.content
    assert b'name="read_confirmed"' not in again.content


def test_the_page_shows_what_is_missing_and_keeps_the_ticks(client, staff_user, current):
    client.force_login(staff_user)

    response = client.post(
        reverse("policydocs:read"), {"content_hash": current.content_hash, "read_confirmed": "on"}
    )

    form = response.context["form"]
    assert "checked your existing social media posts" in form.errors["posts_checked"][0]
    assert form["read_confirmed"].value() is True
    assert not Acknowledgement.objects.exists()


def test_governors_read_the_policy_without_a_form(client, governor_user, current):
    client.force_login(governor_user)

    page = client.get(reverse("policydocs:read"))

    assert page.status_code == 200 and b"Be kind online" in page.content
    assert page.context["form"] is None
    assert client.post(reverse("policydocs:read"), {"read_confirmed": "on"}).status_code == 403


def test_someone_with_no_role_is_refused(client, db):
    from ..factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("policydocs:read")).status_code == 403


# --- The dashboard card ---------------------------------------------------------------------------------


def test_the_dashboard_asks_staff_until_they_confirm_and_again_for_a_new_version(
    client, staff_user, current, federation
):
    client.force_login(staff_user)
    assert b"Read and confirm the policy" in client.get(reverse("dashboard")).content

    acknowledge(staff_user, current)
    assert b"Read and confirm the policy" not in client.get(reverse("dashboard")).content

    ratify(import_version(federation, text=policy_text(" v2")))
    assert b"Read and confirm the policy" in client.get(reverse("dashboard")).content


def test_governors_get_no_card(client, governor_user, current):
    client.force_login(governor_user)
    assert b"Read and confirm the policy" not in client.get(reverse("dashboard")).content
