"""Choosing several people: a group of checkboxes (touch, keyboard and screen readers can use it, unlike a
multiple select), each person told apart from anyone of the same name, and a long list narrowed by typing,
with the count read out."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from approvals.models import Declaration
from people.models import Role

from ..factories import TEST_PASSWORD, PupilFactory, SchoolFactory, make_user
from .conftest import check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_long_list_of_pupils_is_narrowed_by_typing_and_namesakes_are_told_apart(page, settings):
    settings.PORTAL_REQUIRE_2FA = False
    school = SchoolFactory(name="Larch School", code="larch")
    older = PupilFactory(
        school=school, first_name="Reuben", last_name="Patel", date_of_birth=date(2013, 5, 4)
    )
    younger = PupilFactory(
        school=school, first_name="Reuben", last_name="Patel", date_of_birth=date(2016, 1, 9)
    )
    for number in range(10):
        PupilFactory(
            school=school, first_name=f"Pupil{number}", last_name="Other", date_of_birth=date(2014, 3, 1)
        )
    teacher = make_user(Role.CLASS_TEACHER, Role.STAFF, school=school)

    sign_in(page, teacher.username, TEST_PASSWORD)
    page.goto("/approvals/declarations/new/")
    page.get_by_label("Family or friendship link with pupils").check()
    group = page.get_by_role("group", name=re.compile(r"^Pupils you are linked with"))
    expect(group.get_by_role("checkbox")).to_have_count(12)
    expect(group.get_by_label("Patel, Reuben (born 4 May 2013)", exact=True)).to_be_visible()
    expect(group.get_by_label("Patel, Reuben (born 9 Jan 2016)", exact=True)).to_be_visible()

    finder = group.get_by_role("searchbox", name=re.compile(r"^Find in"))
    finder.fill("reuben 2016")
    expect(group.get_by_role("status")).to_have_text("1 of 12 shown")
    expect(group.get_by_role("checkbox")).to_have_count(1)
    group.get_by_label("Patel, Reuben (born 9 Jan 2016)").check()
    finder.fill("pupil3")
    # A ticked pupil stays in sight while the list is narrowed to another.
    expect(group.get_by_role("status")).to_have_text("2 of 12 shown")
    finder.fill("")
    expect(group.get_by_role("checkbox")).to_have_count(12)
    check_axe(page, "choice-list-filtered")

    page.get_by_label("How you are linked").select_option(label="Relative")
    page.get_by_label("Your statement").fill("My nephew is in Year 5.")
    page.get_by_role("button", name="Make the declaration").click()
    expect(page.get_by_text("Your declaration was recorded.")).to_be_visible()
    assert list(Declaration.objects.get().pupils.all()) == [younger]
    assert older not in Declaration.objects.get().pupils.all()
