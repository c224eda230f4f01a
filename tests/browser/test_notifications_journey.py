"""The in-portal notification centre in a real browser, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from people.models import Role

from ..factories import TEST_PASSWORD, SchoolFactory, make_user
from ..notifications.factories import NotificationFactory
from .conftest import check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unread_notice_is_counted_opened_and_marked_read(page):
    school = SchoolFactory(name="Larch School", code="larch")
    user = make_user(Role.STAFF, school=school)
    notice = NotificationFactory(
        recipient_user=user, context={"url": "/people/", "school_name": "Larch School"}
    )

    sign_in(page, user.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible()
    expect(page.locator("[data-unread-count]")).to_have_text("1 unread")
    check_axe(page, "notifications-badge")

    page.get_by_role("link", name=re.compile(r"^Notifications 1 unread$")).click()
    expect(page.get_by_role("heading", name="My notifications")).to_be_visible()
    expect(page.get_by_text("Test notice from the Social Media Policy portal", exact=True)).to_be_visible()
    expect(page.get_by_text("New", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Open"))).to_have_attribute("href", "/people/")
    check_axe(page, "notifications-unread")

    page.get_by_role("button", name=re.compile("^Mark as read")).click()
    expect(page.get_by_text("Marked as read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.locator("[data-unread-count]")).to_have_count(0)
    expect(page.get_by_text("Nothing unread.")).to_be_visible()
    check_axe(page, "notifications-read")

    notice.refresh_from_db()
    assert notice.read_at is not None
    assert Notification.objects.filter(recipient_user=user, read_at__isnull=True).count() == 0


def test_the_office_checks_the_delivery_log_and_records_a_phone_call(page):
    from ..factories import ParentFactory

    school = SchoolFactory(name="Larch School", code="larch")
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school, email="office@larch.example.org")
    parent = ParentFactory(school=school, first_name="Jo", last_name="Brookfield")
    call = NotificationFactory(
        recipient_user=None,
        recipient_person=parent,
        channel="manual",
        status="pending",
        school=school,
        template="parent_contact_request",
        context={"school_name": "Larch School"},
    )

    sign_in(page, office.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Failed notifications")).to_be_visible()
    page.goto("/notifications/log/")
    expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
    expect(page.get_by_text("Call or write to the parent")).to_be_visible()
    page.get_by_text("What to say or write").click()
    expect(page.get_by_text("Please contact the school office when you can.")).to_be_visible()
    check_axe(page, "notifications-log")

    page.get_by_role("button", name=re.compile("^Mark delivered")).click()
    # Nothing is recorded until the office confirms; the page says it cannot be undone.
    expect(page.get_by_role("heading", name="Mark this notice as delivered?")).to_be_visible()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    call.refresh_from_db()
    assert call.status == "pending"
    check_axe(page, "notifications-confirm-delivered")
    page.get_by_role("button", name="Mark as delivered").click()
    expect(page.get_by_text("The notice to Jo Brookfield is recorded as delivered.")).to_be_visible()
    call.refresh_from_db()
    assert call.status == "sent"

    page.get_by_role("button", name="Send a test notice to myself").click()
    expect(page.get_by_text("A test notice is on its way to you")).to_be_visible()
    page.get_by_label("Channel").select_option("in_app")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 notice found.")).to_be_visible()
    check_axe(page, "notifications-log-filtered")
    expect(page.locator("[data-unread-count]")).to_have_text("1 unread")
