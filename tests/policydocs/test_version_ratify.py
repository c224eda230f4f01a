"""Ratifying a version: it becomes the current policy, the one before is superseded, and every member
of staff is asked (through the outbox) to read and confirm it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core import formats
from notifications.models import Channel, Notification
from people.models import Role

from ..factories import PersonFactory, make_user
from .helpers import import_version, policy_text, ratify

pytestmark = pytest.mark.django_db


def _ratify(version, actor, **changes):
    today = timezone.localdate()
    fields = {
        "ratified_by": "Resources Committee",
        "ratified_on": today,
        "review_due_on": today + timedelta(days=365),
    }
    fields.update(changes)
    from policydocs import services

    return services.policy_version_ratify(actor=actor, version=version, **fields)


def test_ratifying_makes_the_draft_current_and_audits_it(head_user, draft):
    version = _ratify(draft, head_user)

    assert version.status == "ratified"
    assert version.ratified_by == "Resources Committee"
    assert version.ratification_recorded_by == head_user
    event = AuditEvent.objects.get(action="policydocs.version.ratify")
    assert event.actor_id == head_user.pk
    assert event.data["status"] == ["draft", "ratified"]
    assert event.data["content_hash"] == version.content_hash


def test_ratifying_supersedes_the_current_version(head_user, current, federation):
    newer = import_version(federation, text=policy_text(" always"))

    _ratify(newer, head_user)

    current.refresh_from_db()
    assert current.status == "superseded"
    assert current.superseded_by_id == newer.pk
    assert current.superseded_at is not None
    supersede = AuditEvent.objects.get(action="policydocs.version.supersede")
    assert supersede.target_id == str(current.pk)
    assert supersede.data["superseded_by"] == newer.number
    assert supersede.data["status"] == ["ratified", "superseded"]


def test_every_member_of_staff_with_a_sign_in_is_asked_to_confirm(
    head_user, staff_user, office_user, governor_user, exec_head_user, school, other_school, draft
):
    """Staff of every school of the federation and the Executive Head, by email and in the portal;
    not governors, not staff who left, not people with no sign-in (they cannot confirm)."""
    elsewhere = make_user(Role.STAFF, school=other_school)
    left = make_user(Role.STAFF, school=school, left_on=timezone.localdate())
    no_sign_in = PersonFactory(school=school)
    from people.models import RoleAssignment

    RoleAssignment.objects.create(person=no_sign_in, role=Role.STAFF, school=school)

    version = _ratify(draft, head_user)

    rows = Notification.objects.filter(event=f"policydocs.version.{version.pk}.acknowledge")
    told = {row.recipient_user_id for row in rows}
    assert told == {head_user.pk, staff_user.pk, office_user.pk, exec_head_user.pk, elsewhere.pk}
    assert governor_user.pk not in told and left.pk not in told
    assert {row.channel for row in rows} == {Channel.EMAIL, Channel.IN_APP}
    assert rows.count() == 2 * len(told)
    assert {row.template for row in rows} == {"policydocs_acknowledgement_requested"}
    staff_row = rows.get(recipient_user=staff_user, channel=Channel.EMAIL)
    assert staff_row.school_id == school.pk
    assert staff_row.context["url"] == reverse("policydocs:read")
    assert staff_row.context["version_label"] == "Version 1"


def test_a_notice_carries_no_policy_text(head_user, staff_user, draft):
    from notifications.rendering import render_notification

    version = _ratify(draft, head_user)

    row = Notification.objects.get(recipient_user=staff_user, channel=Channel.EMAIL)
    subject, text, html = render_notification(row)
    assert "Version 1" in subject
    assert "Be kind online" not in text and "Be kind online" not in html
    assert "/policy/" in text
    assert version.pk


def test_a_ratified_version_cannot_be_ratified_again(head_user, current):
    with pytest.raises(ValidationError) as refused:
        _ratify(current, head_user)
    assert refused.value.messages == ["Version 1 is already ratified: it is the current policy."]


def test_a_superseded_version_cannot_be_ratified_again(head_user, current, federation):
    ratify(import_version(federation, text=policy_text(" v2")))
    current.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        _ratify(current, head_user)
    when = formats.day(current.superseded_at)
    assert refused.value.messages == [
        f"Version 1 was superseded on {when} and cannot change any more. To bring its text back, import it "
        "again as a new version."
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ratified_by": "  "}, "ratified_by", "Say who ratified it, for example 'Resources Committee'."),
        ({"ratified_on": None}, "ratified_on", "Enter the date it was ratified."),
        (
            {"ratified_on": timedelta(days=1)},
            "ratified_on",
            "The ratification date cannot be in the future: record it once it has happened.",
        ),
        ({"review_due_on": None}, "review_due_on", "Enter the date the policy is next due for review."),
        (
            {
                "ratified_on": -timedelta(days=10),
                "review_due_on": -timedelta(days=20),
            },
            "review_due_on",
            "The review date must come after the ratification date.",
        ),
        (
            {"ratified_on": -timedelta(days=10), "review_due_on": timedelta(0)},
            "review_due_on",
            "The review date must be in the future.",
        ),
    ],
)
def test_ratification_details_are_checked(head_user, draft, changes, field, message):
    # Dates are given as days from today, worked out when the test runs (not when it is collected, which
    # may be the day before).
    today = timezone.localdate()
    changes = {k: today + v if isinstance(v, timedelta) else v for k, v in changes.items()}
    with pytest.raises(ValidationError) as refused:
        _ratify(draft, head_user, **changes)
    assert refused.value.message_dict[field] == [message]
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "role_user", ["staff_user", "office_user", "dsl_user", "slt_user", "governor_user", "chair_user"]
)
def test_only_heads_ratify(request, role_user, draft):
    with pytest.raises(PermissionDenied):
        _ratify(draft, request.getfixturevalue(role_user))


def test_a_head_of_another_federation_may_not_ratify(draft):
    from ..factories import FederationFactory, SchoolFactory

    stranger = make_user(
        Role.HEAD_OF_SCHOOL, school=SchoolFactory(federation=FederationFactory(name="Other"))
    )
    with pytest.raises(PermissionDenied):
        _ratify(draft, stranger)


def test_the_executive_head_ratifies(exec_head_user, draft):
    assert _ratify(draft, exec_head_user).status == "ratified"


# --- The page, with its confirmation step -------------------------------------------------------------


def _form(**changes):
    today = timezone.localdate()
    data = {
        "ratified_by": "Resources Committee",
        "ratified_on": today.isoformat(),
        "review_due_on": (today + timedelta(days=700)).isoformat(),
    }
    data.update(changes)
    return data


def test_the_page_asks_for_confirmation_before_ratifying(client, head_user, current, federation):
    newer = import_version(federation, text=policy_text(" v2"))
    client.force_login(head_user)
    url = reverse("policydocs:version_ratify", args=[newer.pk])

    confirm = client.post(url, _form())

    assert confirm.status_code == 200
    assert b"This cannot be undone." in confirm.content
    assert b"Version 1 will be superseded" in confirm.content
    newer.refresh_from_db()
    assert newer.status == "draft"
    assert (
        not Notification.objects.filter(event__endswith=".acknowledge")
        .exclude(event=f"policydocs.version.{current.pk}.acknowledge")
        .exists()
    )

    done = client.post(url, {**_form(), "confirm": "yes"})

    newer.refresh_from_db()
    assert done.status_code == 302 and done["Location"] == newer.get_absolute_url()
    assert newer.status == "ratified"


def test_the_page_shows_what_is_wrong_and_keeps_the_input(client, head_user, draft):
    client.force_login(head_user)

    response = client.post(
        reverse("policydocs:version_ratify", args=[draft.pk]),
        _form(ratified_by="", review_due_on="2001-01-01"),
    )

    form = response.context["form"]
    assert form.errors["ratified_by"] == ["Say who ratified it, for example 'Resources Committee'."]
    assert form["review_due_on"].value() == "2001-01-01"
    # All three are marked as required on the page.
    assert response.text.count('class="asteriskField"') == 3
    response = client.post(
        reverse("policydocs:version_ratify", args=[draft.pk]), _form(review_due_on="2001-01-01")
    )
    form = response.context["form"]
    assert form.errors["review_due_on"] == ["The review date must come after the ratification date."]
    assert form["review_due_on"].value() == "2001-01-01"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_page_explains_an_illegal_move(client, head_user, current):
    client.force_login(head_user)

    response = client.post(
        reverse("policydocs:version_ratify", args=[current.pk]), {**_form(), "confirm": "yes"}
    )

    assert response.context["form"].non_field_errors() == [
        "Version 1 is already ratified: it is the current policy."
    ]


def test_staff_cannot_see_a_draft_and_cannot_open_the_ratification(client, staff_user, office_user, draft):
    """A draft is the heads' own: to everyone else it does not exist (404)."""
    for user in (staff_user, office_user):
        client.force_login(user)
        assert client.get(reverse("policydocs:version_detail", args=[draft.pk])).status_code == 404
        assert client.get(reverse("policydocs:version_ratify", args=[draft.pk])).status_code == 404


def test_staff_are_refused_the_ratification_of_a_version_they_can_see(client, staff_user, current):
    client.force_login(staff_user)

    assert client.get(reverse("policydocs:version_ratify", args=[current.pk])).status_code == 403
