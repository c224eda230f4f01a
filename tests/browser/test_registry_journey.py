"""Journeys through the registry in a real browser, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from people.models import ParentLink, Person, Role

from ..factories import TEST_PASSWORD, SchoolFactory, make_user
from .conftest import check_axe, nav_click, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_admin_adds_a_pupil_with_a_parent_and_finds_them(page):
    school = SchoolFactory(name="Larch School", code="larch")
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)

    sign_in(page, office.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible()
    check_axe(page, "registry-dashboard")

    nav_click(page, "People")
    check_axe(page)
    page.get_by_role("link", name="Add a person").click()
    check_axe(page, "registry-add-person")

    # A mistake first: a pupil without a date of birth is refused with a message.
    page.get_by_label("Kind").select_option("pupil")
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Brookfield")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A date of birth is needed for pupils and former pupils.")).to_be_visible()
    check_axe(page, "registry-add-person-error")

    page.get_by_label("Date of birth").fill("2014-03-02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Maya Brookfield")).to_be_visible()
    check_axe(page)

    page.get_by_role("link", name="Add a parent or carer").click()
    check_axe(page)
    page.get_by_label("First name").fill("Jo")
    page.get_by_label("Last name").fill("Brookfield")
    page.get_by_label("Email").fill("jo@example.org")
    page.get_by_label("Relationship").select_option("mother")
    page.get_by_role("button", name="Link parent or carer").click()
    expect(page.get_by_text("Jo Brookfield is now linked to Maya Brookfield.")).to_be_visible()
    check_axe(page, "registry-pupil-with-parent")

    nav_click(page, "People")
    page.get_by_label("Name or reference").fill("Brookfield")
    page.get_by_label("Kind").select_option("pupil")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Brookfield, Maya")).to_be_visible()
    expect(page.get_by_text("1 person found.")).to_be_visible()
    check_axe(page, "registry-search")

    pupil = Person.objects.get(last_name="Brookfield", kind="pupil")
    assert ParentLink.objects.get(pupil=pupil).parent.first_name == "Jo"


def test_a_dsl_is_sent_to_two_factor_set_up_when_it_is_required(page, settings):
    settings.PORTAL_REQUIRE_2FA = True
    school = SchoolFactory(name="Larch School", code="larch")
    dsl = make_user(Role.DSL, Role.STAFF, school=school)

    sign_in(page, dsl.username, TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/two_factor/setup/$"))
    check_axe(page, "two-factor-setup")
    # Every other page sends them back to set-up until it is done.
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/account/two_factor/setup/$"))


def test_a_head_grants_a_role_and_switches_a_sign_in_off_only_when_asked_twice(page, settings):
    """Roles decide who sees safeguarding records: each change is asked first, on a page that works
    with the keyboard, and nothing changes until it is confirmed."""
    from people.models import RoleAssignment

    settings.PORTAL_REQUIRE_2FA = False
    school = SchoolFactory(name="Larch School", code="larch")
    head = make_user(Role.HEAD_OF_SCHOOL, Role.STAFF, school=school)
    colleague = make_user(Role.STAFF, school=school, first_name="Jo", last_name="Bloggs")

    sign_in(page, head.username, TEST_PASSWORD)
    page.goto(f"/people/{colleague.person.pk}/access/")
    check_axe(page, "registry-access")
    page.get_by_role("combobox", name="Role").select_option(label="Designated safeguarding lead")
    page.get_by_role("combobox", name="School").select_option(label="Larch School")
    page.get_by_role("button", name="Grant the role").click()

    expect(page.get_by_role("heading", name="Grant a role?")).to_be_visible()
    expect(
        page.get_by_text("Grant Designated safeguarding lead at Larch School to Jo Bloggs?")
    ).to_be_visible()
    expect(page.get_by_text("They will see that school's safeguarding records.")).to_be_visible()
    check_axe(page, "registry-access-confirm-grant")
    assert not RoleAssignment.objects.filter(person=colleague.person, role=Role.DSL).exists()
    page.get_by_role("button", name="Grant the role").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Jo Bloggs now holds that role.")).to_be_visible()
    assert RoleAssignment.objects.filter(person=colleague.person, role=Role.DSL, school=school).exists()

    page.get_by_role("button", name="Switch the sign-in off").click()
    expect(page.get_by_role("heading", name="Switch the sign-in off?")).to_be_visible()
    check_axe(page, "registry-access-confirm-switch-off")
    page.get_by_role("link", name="Cancel").click()
    colleague.refresh_from_db()
    assert colleague.is_active
    page.get_by_role("button", name="Switch the sign-in off").click()
    page.get_by_role("button", name="Switch the sign-in off").click()
    expect(page.get_by_text("Jo Bloggs's sign-in is switched off: every session has ended.")).to_be_visible()
    colleague.refresh_from_db()
    assert not colleague.is_active
