"""My notifications: newest first, unread highlighted, marked read one by one or all at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.context_processors import unread
from notifications.models import Channel, Status
from notifications.selectors import unread_count

from ..factories import ParentFactory
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def test_lists_my_in_portal_notices_newest_first(client, staff_user):
    older = NotificationFactory(recipient_user=staff_user, context={"url": "/people/1/"})
    older.created_at = timezone.now() - timedelta(hours=2)
    older.save()
    newer = NotificationFactory(recipient_user=staff_user)
    NotificationFactory(recipient_user=staff_user, channel=Channel.EMAIL)  # email rows are not listed
    NotificationFactory(recipient_user=staff_user, status=Status.CANCELLED)  # withdrawn
    NotificationFactory()  # someone else's
    client.force_login(staff_user)

    response = client.get(INBOX)

    assert [n.pk for n, _ in response.context["items"]] == [newer.pk, older.pk]
    text = response.content.decode()
    assert "Test notice from the Social Media Policy portal" in text
    assert 'href="/people/1/"' in text
    assert "list-group-item-primary" in text  # unread is highlighted
    assert 'style="' not in text


def test_an_unsafe_stored_link_is_not_offered(client, staff_user):
    NotificationFactory(recipient_user=staff_user, context={"url": "https://evil.example/"})
    client.force_login(staff_user)
    assert "evil.example" not in client.get(INBOX).content.decode()


def test_paginated_by_25(client, staff_user):
    NotificationFactory.create_batch(26, recipient_user=staff_user)
    client.force_login(staff_user)
    assert len(client.get(INBOX).context["items"]) == 25
    assert len(client.get(INBOX, {"page": 2}).context["items"]) == 1


def test_mark_one_as_read(client, staff_user):
    first, second = NotificationFactory.create_batch(2, recipient_user=staff_user)
    client.force_login(staff_user)

    response = client.post(reverse("notifications:mark_read", args=[first.pk]))

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert unread_count(staff_user) == 1


def test_mark_all_as_read(client, staff_user):
    NotificationFactory.create_batch(3, recipient_user=staff_user)
    theirs = NotificationFactory()
    client.force_login(staff_user)

    client.post(reverse("notifications:mark_all_read"))

    assert unread_count(staff_user) == 0
    assert unread_count(theirs.recipient_user) == 1


def test_someone_elses_notice_is_missing(client, staff_user):
    theirs = NotificationFactory()
    client.force_login(staff_user)
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, staff_user):
    mine = NotificationFactory(recipient_user=staff_user)
    client.force_login(staff_user)
    assert client.get(reverse("notifications:mark_read", args=[mine.pk])).status_code == 405


def test_the_navigation_shows_the_unread_count(client, staff_user):
    NotificationFactory.create_batch(2, recipient_user=staff_user)
    client.force_login(staff_user)

    text = client.get(reverse("dashboard")).content.decode()

    assert 'href="/notifications/"' in text
    assert '2<span class="visually-hidden"> unread</span>' in text


def test_no_badge_when_nothing_is_unread(client, staff_user):
    NotificationFactory(recipient_user=staff_user, read_at=timezone.now())
    client.force_login(staff_user)
    assert 'visually-hidden"> unread' not in client.get(reverse("dashboard")).content.decode()


def test_the_count_is_one_query_and_only_for_signed_in_users(rf, staff_user, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    NotificationFactory.create_batch(3, recipient_user=staff_user)
    request = rf.get("/")
    request.user = staff_user
    with django_assert_num_queries(1):
        context = unread(request)
        assert int(str(context["notifications_unread"])) == 3
        assert context["notifications_unread"] == 3  # computed once, then kept

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {"notifications_unread": 0}


def _inbox_queries(client, django_assert_num_queries, count):
    # 1 session, 2 user, 3 the roles (navigation), 4 the page's count, 5 the page's rows,
    # 6 the unread count (navigation and page share it); the session is not written
    with django_assert_num_queries(count):
        assert client.get(INBOX).status_code == 200


def test_query_count_is_constant_with_ten_times_the_rows(client, staff_user, django_assert_num_queries):
    NotificationFactory.create_batch(2, recipient_user=staff_user)
    client.force_login(staff_user)
    client.get(INBOX)  # warm up
    _inbox_queries(client, django_assert_num_queries, 6)
    NotificationFactory.create_batch(18, recipient_user=staff_user, recipient_person=None)
    _inbox_queries(client, django_assert_num_queries, 6)


def test_parents_rows_never_show_to_staff(client, staff_user):
    NotificationFactory(recipient_user=None, recipient_person=ParentFactory(), channel=Channel.EMAIL)
    client.force_login(staff_user)
    assert client.get(INBOX).context["items"] == []


def test_those_who_keep_the_log_find_it_from_here(client, staff_user, office_user):
    client.force_login(office_user)
    assert reverse("notifications:log") in client.get(INBOX).content.decode()
    client.force_login(staff_user)
    assert reverse("notifications:log") not in client.get(INBOX).content.decode()
