"""Cancel and mark delivered cannot be undone: the first POST asks, only the confirmed one acts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import Channel, Notification, Status
from people.models import Role

from ..factories import ParentFactory, make_user
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LOG = reverse("notifications:log")
QUERY = "f-status=pending&page=2&next=https://evil.example/&f-channel=manual"
KEPT = LOG + "?f-status=pending&f-channel=manual&page=2"

CANCEL_TEXT = "Cancel this notice to Jo Brookfield? It will not be sent. This cannot be undone."
DELIVERED_TEXT = (
    "Mark this notice to Jo Brookfield as delivered? Use this only when you have confirmed it reached "
    "them another way, e.g. by phone. This cannot be undone."
)


def _row(school, **fields):
    fields.setdefault("recipient_user", None)
    fields.setdefault(
        "recipient_person", ParentFactory(first_name="Jo", last_name="Brookfield", email="jo@example.org")
    )
    fields.setdefault("status", Status.PENDING)
    fields.setdefault("channel", Channel.MANUAL)
    fields.setdefault("template", "parent_contact_request")
    fields.setdefault("context", {"school_name": "Larch School"})
    return NotificationFactory(school=school, **fields)


def _url(action, row):
    return reverse(f"notifications:{action}", args=[row.pk])


def _plain(response) -> str:
    """The page's text with its markup and line breaks folded, to read sentences across tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _nothing_done(row, status=Status.PENDING):
    assert Notification.objects.get(pk=row.pk).status == status
    assert not AuditEvent.objects.filter(action__startswith="notifications.notification.").exists()


@pytest.mark.parametrize(
    "action, text, button",
    [("cancel", CANCEL_TEXT, "Cancel the notice"), ("delivered", DELIVERED_TEXT, "Mark as delivered")],
)
def test_the_first_post_asks_for_confirmation_and_changes_nothing(
    client, school, office_user, action, text, button
):
    row = _row(school)
    client.force_login(office_user)

    response = client.post(_url(action, row), {"query": QUERY})

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "core/confirm.html"
    html = response.content.decode()
    assert text in _plain(response)
    assert "<h1" in html
    assert (
        f'<button type="submit" name="confirm" value="yes" class="btn btn-primary">{button}</button>' in html
    )
    assert 'name="csrfmiddlewaretoken"' in html
    # Back to the log as it was filtered; only the log's own parameters are carried.
    assert response.context["back_url"] == KEPT
    assert f'href="{KEPT.replace("&", "&amp;")}"' in html
    assert "evil.example" not in html
    _nothing_done(row)


@pytest.mark.parametrize(
    "action, status, done",
    [
        ("cancel", Status.CANCELLED, "The notice to Jo Brookfield was cancelled."),
        ("delivered", Status.SENT, "The notice to Jo Brookfield is recorded as delivered."),
    ],
)
def test_the_confirmed_post_acts_audits_and_goes_back_to_the_filtered_log(
    client, school, office_user, action, status, done
):
    row = _row(school)
    client.force_login(office_user)

    asked = client.post(_url(action, row), {"query": QUERY})
    # The confirmation page posts its own form back: the same query, now with confirm=yes.
    response = client.post(_url(action, row), {"query": asked.context["query"], "confirm": "yes"})

    assert response.status_code == 302
    assert response["Location"] == KEPT
    assert Notification.objects.get(pk=row.pk).status == status
    event = AuditEvent.objects.get(action__startswith="notifications.notification.")
    assert (event.actor, event.target_id, event.school_id) == (office_user, str(row.pk), school.pk)
    assert done in client.get(KEPT).content.decode()


def test_the_confirmation_shows_only_what_the_log_row_shows(client, school, office_user):
    """The portal never puts case detail in a notice; the confirmation adds nothing to the log's row."""
    row = _row(
        school,
        channel=Channel.EMAIL,
        template="safeguarding_alert",
        context={
            "category": "Allegation about an adult",
            "summary": "CASE-DETAIL-CANARY",
            "url": "/incidents/allegations/7/",
        },
    )
    client.force_login(office_user)

    response = client.post(_url("cancel", row))

    text = _plain(response)
    for shown in ("Jo Brookfield", school.name, "Email", row.get_status_display()):
        assert shown in text, shown
    for hidden in ("CASE-DETAIL-CANARY", "Allegation about an adult", "/incidents/allegations/7/"):
        assert hidden not in response.content.decode(), hidden


def test_the_confirmation_of_a_manual_notice_does_not_repeat_what_to_say(client, school, office_user):
    row = _row(school)
    client.force_login(office_user)
    response = client.post(_url("delivered", row))
    assert "Please contact the school office" not in response.content.decode()
    _nothing_done(row)


@pytest.mark.parametrize("confirm", [{}, {"confirm": "yes"}], ids=["first", "confirmed"])
@pytest.mark.parametrize("action", ["cancel", "delivered"])
def test_a_user_without_the_log_is_refused_on_either_post(client, school, staff_user, action, confirm):
    row = _row(school)
    client.force_login(staff_user)
    assert client.post(_url(action, row), confirm).status_code == 403
    _nothing_done(row)


@pytest.mark.parametrize("confirm", [{}, {"confirm": "yes"}], ids=["first", "confirmed"])
@pytest.mark.parametrize("action", ["cancel", "delivered"])
def test_another_schools_notice_answers_404_on_either_post(
    client, school, other_school, office_user, action, confirm
):
    theirs = _row(other_school)
    client.force_login(office_user)
    response = client.post(_url(action, theirs), confirm)
    assert response.status_code == 404
    assert "Brookfield" not in response.content.decode()
    _nothing_done(theirs)


@pytest.mark.parametrize("confirm", [{}, {"confirm": "yes"}], ids=["first", "confirmed"])
def test_a_notice_hidden_from_the_user_answers_404_on_either_post(client, school, confirm):
    subject = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)
    row = _row(school)
    row.hidden_from.create(person=subject.person)
    client.force_login(subject)
    assert client.post(_url("cancel", row), confirm).status_code == 404
    _nothing_done(row)


@pytest.mark.parametrize(
    "action, status, channel",
    [
        ("cancel", Status.SENT, Channel.EMAIL),
        ("cancel", Status.FAILED, Channel.EMAIL),
        ("delivered", Status.PENDING, Channel.EMAIL),
        ("delivered", Status.CANCELLED, Channel.MANUAL),
    ],
)
def test_a_state_that_rules_the_action_out_is_refused_before_asking(
    client, school, office_user, action, status, channel
):
    row = _row(school, status=status, channel=channel)
    client.force_login(office_user)

    response = client.post(_url(action, row), {"query": "f-status=failed"})

    assert response.status_code == 302
    assert response["Location"] == LOG + "?f-status=failed"
    page = client.get(response["Location"])
    assert any(message.level_tag == "error" for message in page.context["messages"])
    _nothing_done(row, status)


@pytest.mark.parametrize("action", ["cancel", "delivered"])
def test_both_posts_need_the_csrf_token(school, office_user, action):
    row = _row(school)
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    assert client.post(_url(action, row)).status_code == 403
    assert client.post(_url(action, row), {"confirm": "yes"}).status_code == 403
    _nothing_done(row)


def test_a_get_is_still_not_allowed(client, school, office_user):
    row = _row(school)
    client.force_login(office_user)
    assert client.get(_url("cancel", row)).status_code == 405
    assert client.get(_url("delivered", row)).status_code == 405


@pytest.mark.parametrize("action", ["cancel", "delivered"])
def test_the_confirmation_page_has_a_fixed_query_budget(
    client, school, office_user, action, django_assert_num_queries
):
    for _ in range(5):
        _row(school)
    row = _row(school)
    client.force_login(office_user)
    client.post(_url(action, row))  # warm up
    # 1 session, 2 user, 3 the roles, 4 the row (recipient and school joined), 5 the unread count in
    # the navigation; the session is not written
    with django_assert_num_queries(5):
        assert client.post(_url(action, row), {"query": QUERY}).status_code == 200
    for _ in range(50):
        _row(school)
    with django_assert_num_queries(5):
        assert client.post(_url(action, row), {"query": QUERY}).status_code == 200
