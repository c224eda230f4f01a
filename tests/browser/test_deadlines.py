"""The dashboard's "Urgent" list and the week's deadline strip in a browser: the overdue referral is the first
thing read after the page's heading, in words, a link to its case; each day of the strip is a heading a
screen reader lists; at 320 px the days stack and nothing scrolls sideways; axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import TEST_PASSWORD
from .conftest import check_axe, sign_in
from .test_reflow_and_focus import larch  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_overdue_referral_leads_the_dashboard_and_the_week_is_read_by_day(page, larch):  # noqa: F811
    case = larch["case"]
    sign_in(page, larch["head"].username, TEST_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    urgent = page.get_by_role("region", name="Urgent")
    first = urgent.get_by_role("listitem").first
    expect(first).to_have_text(
        re.compile(rf"{case.reference}: referral overdue by \d+ days?( \d+ h)? — refer now")
    )
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=f"Allegation {case.reference}")).to_be_visible()
    page.go_back()
    week = page.get_by_role("region", name="Due this week")
    expect(week.get_by_role("heading", level=3)).to_have_count(5)
    check_axe(page)
    # Two-factor set-up, were it asked, and every other card come after the deadlines.
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[:2] == ["Urgent", "Due this week"], headings

    page.goto("/incidents/allegations/")
    strip = page.get_by_role("region", name="Referrals due this week")
    expect(strip.get_by_role("heading", level=3)).to_have_count(5)
    check_axe(page)
