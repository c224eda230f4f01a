"""Key pages at a phone's width (320 and 390 px) and a laptop's (1280 px): nothing scrolls sideways
(WCAG 1.4.10), axe finds nothing, and each thing the keyboard reaches shows an outline of at least 3:1
against what it is drawn on (WCAG 2.4.7, 2.4.13), the menu bar's links and menus included."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.models import IncidentType, Source
from people.models import Role

from ..factories import TEST_PASSWORD, SchoolFactory, make_user
from ..incidents import cyberwork
from .conftest import check_axe, check_focus_visible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 390, 1280)
TABS = 6  # skip link, the menu bar, then into the page


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Notices are sent in-process even when REDIS_URL is set, so no message is left in a shared Redis."""
    from socialpolicy.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def larch(settings):
    """A school with an overdue LADO referral, a pupil incident with an ICT sanction and a cyberbullying
    report, and a senior leader holding every role there: the longest menu bar."""
    settings.PORTAL_REQUIRE_2FA = False
    school = SchoolFactory(name="Larch School", code="larch")
    head = make_user(
        Role.EXECUTIVE_HEAD,
        Role.DSL,
        Role.SLT,
        Role.STAFF,
        school=school,
        first_name="Helen",
        last_name="Marsh-Featherstonehaugh",
    )
    subject = make_user(Role.STAFF, school=school, first_name="Amy", last_name="Collins").person
    witness = make_user(Role.STAFF, school=school, first_name="Rowan", last_name="Witness").person
    case = services.allegation_record(
        actor=head,
        school=school,
        received_at=timezone.now() - timedelta(days=5),
        received_by=head.person,
        source=Source.STAFF,
        reporter=witness,
        subject=subject,
        what_happened="Posts about a pupil on a public page.",
    )
    pupil = cyberwork.pupil(school)
    incident = services.pupil_incident_record(
        actor=head,
        school=school,
        kind=IncidentType.FIREWALL_BREACH,
        pupils=[pupil],
        occurred_at=timezone.now() - timedelta(hours=3),
        in_school_day=True,
        location="ICT suite",
        what_happened="Tried to get round the school's firewall with a proxy site.",
        sanction_starts_on=timezone.localdate(),
        sanction_ends_on=timezone.localdate() + timedelta(days=14),
    )
    report = cyberwork.report(head, school)
    return {"head": head, "case": case, "incident": incident, "report": report}


def _tab_through(page) -> list[dict]:
    """Tab from the top of the page, checking the focus outline at each stop."""
    page.evaluate("window.scrollTo(0, 0)")
    stops = []
    for _ in range(TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break  # past the end of a short page
        stops.append(check_focus_visible(page))
    assert len(stops) >= 3, f"{page.url}: the keyboard reached only {len(stops)} things"
    return stops


def _each_width(page, url: str) -> dict[int, list[dict]]:
    stops = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        check_axe(page)
        stops[width] = _tab_through(page)
    return stops


def test_the_sign_in_page_fits_every_width_and_shows_the_focus(page):
    _each_width(page, "/account/login/")
    # The username field has the focus on arrival; the menu bar's only link is just before it.
    page.get_by_label("Username").focus()
    page.keyboard.press("Shift+Tab")
    assert check_focus_visible(page)["inNavbar"], "the menu bar's link was not focused"


def test_the_senior_leaders_pages_fit_every_width_and_show_the_focus(page, larch):
    sign_in(page, larch["head"].username, TEST_PASSWORD)
    dashboard = _each_width(page, "/")
    for width in WIDTHS:
        assert any(stop["inNavbar"] for stop in dashboard[width]), f"no menu bar stop at {width} px"
    # At a laptop's width the menu bar is open: its links are reached, and so is its user menu.
    assert any("nav-link" in stop["html"] for stop in dashboard[1280]), "no menu bar link was focused"
    page.locator("#account-menu").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    item = check_focus_visible(page)
    assert "dropdown-item" in item["html"]

    for url in (
        "/incidents/allegations/",
        larch["case"].get_absolute_url(),
        "/incidents/pupils/list/",
        larch["report"].get_absolute_url(),
    ):
        _each_width(page, url)


def test_an_overdue_referral_is_shown_in_a_red_row(page, larch):
    """The list the overdue link's contrast is checked on really has a red row."""
    sign_in(page, larch["head"].username, TEST_PASSWORD)
    page.goto("/incidents/allegations/")
    assert page.locator("tr.table-danger a").count() == 1
