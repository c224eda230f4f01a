"""A form that comes back with problems, in a real browser: the focus is on the summary, its first link is
the next Tab stop, and following a link puts the focus in the field it names."""

import pytest
from playwright.sync_api import expect

from people.models import Role

from ..factories import TEST_PASSWORD, SchoolFactory, make_user
from .conftest import check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_summary_takes_the_focus_and_leads_to_each_field(page):
    staff = make_user(Role.STAFF, school=SchoolFactory(name="Larch School"))
    sign_in(page, staff.username, TEST_PASSWORD)
    page.goto("/incidents/report/")
    page.get_by_role("button", name="Check my report").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem: nothing has been saved yet")
    expect(summary).to_be_focused()
    check_axe(page, "error-summary")
    page.keyboard.press("Tab")
    first = summary.get_by_role("link").first
    expect(first).to_be_focused()
    target = first.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page.locator(target)).to_be_focused()
