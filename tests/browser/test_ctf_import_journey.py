"""Importing a Common Transfer File in a real browser: upload, preview, confirm, the job's page; axe-core on
every page, and nothing scrolls sideways at 320 px."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from people.models import Person, PersonKind, Role

from ..factories import TEST_PASSWORD, SchoolFactory, make_user
from .conftest import check_axe, check_no_sideways_scroll, nav_click, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FILES = Path(__file__).parent.parent / "people" / "ctf"


def test_office_admin_imports_a_ctf(page):
    school = SchoolFactory(name="Larch School", code="larch")
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)
    sign_in(page, office.username, TEST_PASSWORD)
    nav_click(page, "People")
    page.get_by_role("link", name="Import from the MIS (CTF)").click()
    expect(page.get_by_role("heading", name="Import a Common Transfer File")).to_be_visible()
    check_axe(page, "ctf-import")

    # A hostile file first: refused with a plain message.
    page.get_by_label("Common Transfer File (XML)").set_input_files(str(FILES / "billion_laughs.xml"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("declares a document type or entities")).to_be_visible()
    check_axe(page, "ctf-import-refused")

    page.get_by_label("Common Transfer File (XML)").set_input_files(str(FILES / "bad_rows.xml"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Rows refused: not imported")).to_be_visible()
    check_axe(page, "ctf-import-preview")
    page.set_viewport_size({"width": 320, "height": 800})
    check_no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Person.objects.filter(kind=PersonKind.PUPIL).exists()

    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Finished: the registry now holds the file's changes.")).to_be_visible()
    expect(page.get_by_label("Progress")).to_have_attribute("value", "100")
    check_axe(page, "ctf-import-finished")
    assert Person.objects.filter(kind=PersonKind.PUPIL).count() == 1
