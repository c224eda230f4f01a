"""The compliance report's bar in a browser: a meter a screen reader announces with its figure, drawn
without a style attribute (the CSP would block it), passing axe, and fitting 320 px."""

import pytest
from playwright.sync_api import expect

from ..factories import TEST_PASSWORD
from ..policydocs.helpers import acknowledge, ratified_version
from .conftest import check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_share_of_staff_who_confirmed_is_a_meter_with_its_figure(
    page, settings, school, office_user, staff_user
):
    settings.PORTAL_REQUIRE_2FA = False
    version = ratified_version(school.federation)
    acknowledge(staff_user, version)
    sign_in(page, office_user.username, TEST_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/policy/reports/ack_compliance/")
    meter = page.get_by_role("meter", name="Staff who have confirmed the current policy: 1 of 2 staff (50%)")
    expect(meter).to_have_attribute("aria-valuenow", "50")
    assert meter.locator(".share-fill").evaluate("e => e.getBoundingClientRect().width") == pytest.approx(
        meter.evaluate("e => e.clientWidth") / 2, abs=1
    )
    check_axe(page)
