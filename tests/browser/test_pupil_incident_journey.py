"""Improper contact by a member of staff in a real browser, axe-core on every page: the DSL opens the incident,
starts the allegation intake from it (prefilled), records the case, comes back to the incident, adds a note and
a file, then follows the "My open actions" card and looks at the pupil's page."""

import re

import pytest
from playwright.sync_api import expect

from incidents import services
from incidents.models import Allegation, IncidentType
from people.models import Role

from ..factories import TEST_PASSWORD, ParentLinkFactory, PupilFactory, SchoolFactory, make_user
from .conftest import check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Notices are sent in-process even when REDIS_URL is set, so no message is left in a shared Redis."""
    from socialpolicy.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_improper_contact_to_the_allegation_intake_notes_files_and_my_actions(page, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.PORTAL_REQUIRE_2FA = False
    school = SchoolFactory(name="Larch School", code="larch")
    dsl = make_user(Role.DSL, Role.STAFF, school=school, first_name="Grace", last_name="Adeyemi")
    teacher = make_user(Role.CLASS_TEACHER, Role.STAFF, school=school, first_name="Tom", last_name="Fletcher")
    adult = make_user(Role.STAFF, school=school, first_name="Sandra", last_name="Lewis").person
    pupil = PupilFactory(school=school, first_name="Kai", last_name="Osei")
    ParentLinkFactory(pupil=pupil)
    incident = services.pupil_incident_record(
        actor=teacher,
        school=school,
        kind=IncidentType.IMPROPER_CONTACT,
        pupils=[pupil],
        occurred_at=timezone.now() - timedelta(hours=3),
        in_school_day=False,
        location="At home",
        what_happened="Snapchat messages asking to meet after school.",
        platform="snapchat",
        adult=adult,
    )

    sign_in(page, dsl.username, TEST_PASSWORD)
    page.goto(incident.get_absolute_url())
    check_axe(page, "pupil-incident-improper-contact")
    page.get_by_role("link", name="Open the allegation intake").click()
    check_axe(page, "pupil-incident-allegation-intake")
    expect(page.get_by_label("What was seen or said")).to_have_value(
        "Snapchat messages asking to meet after school."
    )
    page.get_by_role("button", name="Check and record").click()
    check_axe(page, "pupil-incident-allegation-confirm")
    page.get_by_role("button", name="Record the allegation").click()
    case = Allegation.objects.get()
    expect(page.get_by_text(f"Allegation {case.reference} was recorded.")).to_be_visible()
    assert case.pupil_incident_id == incident.pk
    page.get_by_role("link", name=incident.reference).click()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()

    page.get_by_role("link", name="Add a note").click()
    check_axe(page, "pupil-incident-note")
    page.get_by_role("textbox", name="Note").fill("Spoke to the pupil with a parent present.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("The note was added.")).to_be_visible()
    page.get_by_role("link", name="Add a file").click()
    check_axe(page, "pupil-incident-file")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "messages.txt", "mimeType": "text/plain", "buffer": b"The messages, copied."}]
    )
    page.get_by_label(re.compile("I confirm this file belongs to this case")).check()
    page.get_by_role("button", name="Add the file").click()
    expect(page.get_by_role("link", name="messages.txt")).to_be_visible()
    expect(page.get_by_role("cell", name="Spoke to the pupil with a parent present.")).to_be_visible()
    check_axe(page, "pupil-incident-with-notes-and-files")

    page.goto("/")
    page.get_by_role("link", name="Open my actions").click()
    check_axe(page, "pupil-incident-my-actions")
    page.get_by_role("link", name=incident.reference).click()
    page.get_by_role("link", name="Kai Osei").click()
    expect(page.get_by_role("heading", name="Incidents (§8)")).to_be_visible()
    check_axe(page, "pupil-incident-pupil-page")
