"""§9: "If disclosure comes from a member of staff, confidentiality must be maintained": the reporter is
visible only to the case manager and the school's DSL, by an audited "Show the reporter"."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from incidents.models import Source
from people.models import Role

from ..factories import ParentFactory, make_user
from .casework import record_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_case(slt_user, reporter_user, school, subject):
    return record_case(slt_user, school, subject, source=Source.STAFF, reporter=reporter_user.person)


def _reveal(client, case):
    return client.post(reverse("incidents:allegation_reveal_reporter", args=[case.pk]))


@pytest.mark.parametrize("fixture", ["exec_head_user", "dsl_user"])
def test_the_case_manager_and_the_dsl_may_reveal_it_and_it_is_audited(client, request, fixture, staff_case):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    page = client.get(staff_case.get_absolute_url())
    assert "Rowan Reporter" not in page.text
    assert "A member of staff" in page.text and "Show the reporter" in page.text

    response = _reveal(client, staff_case)

    assert response.status_code == 200 and "Rowan Reporter" in response.text
    event = AuditEvent.objects.get(action="incidents.allegation.reveal_reporter")
    assert event.actor == user and event.target_id == str(staff_case.pk)
    assert "Rowan" not in str(event.data)
    # The case page itself still shows only "a member of staff".
    assert "Rowan Reporter" not in client.get(staff_case.get_absolute_url()).text


@pytest.mark.parametrize("fixture", ["slt_user", "head_user"])
def test_the_rest_of_the_case_team_sees_a_member_of_staff(client, request, fixture, staff_case):
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(staff_case.get_absolute_url())
    assert page.status_code == 200
    assert "A member of staff" in page.text
    assert "Rowan Reporter" not in page.text and "Reporter" not in page.text.split("Reported by")[1][:200]
    assert "Show the reporter" not in page.text
    assert _reveal(client, staff_case).status_code == 403
    assert not AuditEvent.objects.filter(action="incidents.allegation.reveal_reporter").exists()


@pytest.mark.parametrize(
    "fixture", ["staff_user", "teacher_user", "office_user", "governor_user", "chair_user"]
)
def test_everyone_else_finds_no_case(client, request, fixture, staff_case):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(staff_case.get_absolute_url()).status_code == 404
    assert _reveal(client, staff_case).status_code == 404


def test_the_dsl_of_another_school_finds_no_case(client, other_school, staff_case):
    client.force_login(make_user(Role.DSL, Role.STAFF, school=other_school))
    assert _reveal(client, staff_case).status_code == 404


def test_the_chair_reveals_when_managing_a_case_about_the_executive_head(
    client, chair_user, exec_head_user, slt_user, reporter_user, school
):
    case = record_case(
        slt_user, school, exec_head_user.person, source=Source.STAFF, reporter=reporter_user.person
    )
    client.force_login(chair_user)
    assert "Rowan Reporter" in _reveal(client, case).text
    client.force_login(exec_head_user)
    assert _reveal(client, case).status_code == 404


def test_the_print_page_keeps_the_reporter_sealed_even_for_the_dsl(client, dsl_user, staff_case):
    client.force_login(dsl_user)
    page = client.get(reverse("incidents:allegation_print", args=[staff_case.pk]))
    assert "A member of staff" in page.text and "Rowan Reporter" not in page.text


def test_revealing_needs_a_post(client, dsl_user, staff_case):
    client.force_login(dsl_user)
    assert (
        client.get(reverse("incidents:allegation_reveal_reporter", args=[staff_case.pk])).status_code == 405
    )


def test_other_sources_are_not_sealed(client, slt_user, school, subject):
    parent = ParentFactory(school=school, first_name="Pat", last_name="Parent")
    case = record_case(slt_user, school, subject, source=Source.PARENT, reporter=parent)
    client.force_login(slt_user)
    page = client.get(case.get_absolute_url())
    assert "Pat Parent (parent or carer)" in page.text and "Show the reporter" not in page.text


def test_a_report_from_staff_is_sealed_on_the_concern_too(
    client, slt_user, dsl_user, reporter_user, school, subject
):
    from incidents import services
    from incidents.models import ConcernCategory

    concern = services.concern_submit(
        actor=reporter_user,
        school=school,
        category=ConcernCategory.ADULT_CONDUCT,
        subject=subject,
        what_happened="x",
    )
    url = reverse("incidents:concern_reveal_reporter", args=[concern.pk])
    client.force_login(slt_user)
    assert "Rowan Reporter" not in client.get(concern.get_absolute_url()).text
    assert client.post(url).status_code == 403
    client.force_login(dsl_user)
    assert "Rowan Reporter" in client.post(url).text
    assert AuditEvent.objects.filter(action="incidents.concern.reveal_reporter", actor=dsl_user).exists()
    # Taken forward, the allegation's chronology shows the report as "a member of staff"'s.
    case = record_case(slt_user, school, subject, concern=concern)
    page = client.get(case.get_absolute_url())
    assert "Rowan Reporter" not in page.text and "Reported a concern" in page.text


@pytest.fixture
def self_received_case(slt_user, reporter_user, school, subject):
    """A staff report whose reporter also received it (as when they recorded the incident it came from)."""
    return record_case(
        slt_user,
        school,
        subject,
        source=Source.STAFF,
        reporter=reporter_user.person,
        received_by=reporter_user.person,
    )


@pytest.mark.parametrize("fixture", ["slt_user", "head_user", "dsl_user", "exec_head_user"])
def test_a_reporter_who_received_it_is_sealed_as_the_receiver_too(
    client, request, fixture, self_received_case
):
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(self_received_case.get_absolute_url()).text
    assert "Rowan Reporter" not in page
    [received] = [line for line in page.splitlines() if '<dt class="col-sm-4">Received</dt>' in line]
    assert received.endswith(", by A member of staff</dd>")
    print_page = client.get(reverse("incidents:allegation_print", args=[self_received_case.pk])).text
    assert "Rowan Reporter" not in print_page


def test_a_receiver_who_is_not_the_reporter_is_named(client, slt_user, staff_case):
    client.force_login(slt_user)
    page = client.get(staff_case.get_absolute_url()).text
    assert f", by {staff_case.received_by.full_name}</dd>" in page and "Rowan Reporter" not in page
