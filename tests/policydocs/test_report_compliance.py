"""5. Policy acknowledgement compliance: who has and has not confirmed the current version."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role, RoleAssignment

from ..factories import PersonFactory, make_user
from .helpers import acknowledge, import_version, policy_text, ratified_version, ratify
from .reportdata import csv_rows, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(school, other_school, office_user, head_user, staff_user, teacher_user):
    no_sign_in = PersonFactory(school=school, first_name="Nora", last_name="Nosignin")
    RoleAssignment.objects.create(person=no_sign_in, role=Role.STAFF, school=school)
    make_user(Role.STAFF, school=school, first_name="Lee", last_name="Left", left_on=timezone.localdate())
    make_user(Role.STAFF, school=other_school, first_name="Oona", last_name="Oak")
    return {
        "office": office_user,
        "head": head_user,
        "staff": staff_user,
        "teacher": teacher_user,
        "none": no_sign_in,
    }


def _report(client, **query):
    return client.get(reverse("policydocs:report", args=["ack_compliance"]), query).context["result"]


def test_compliance_counts_who_confirmed_the_current_version(client, office_user, staff, federation):
    version = ratified_version(federation)
    acknowledge(staff["head"], version)
    acknowledge(staff["staff"], version)
    client.force_login(office_user)

    result = _report(client)

    facts = dict(result.facts)
    assert facts["Staff"] == "5"  # office, head, staff, teacher, and the one with no sign-in; not the leaver
    assert facts["Confirmed"] == "2 (40%)"
    assert facts["Not confirmed"] == "3"
    assert result.tables[0].rows == [["Larch School", "5", "2", "3", "40%"]]
    statuses = {row[1]: row[4] for row in result.tables[1].rows}
    assert statuses[staff["head"].person.full_name] == "Confirmed"
    assert statuses[staff["teacher"].person.full_name] == "Not confirmed"
    assert statuses["Nora Nosignin"] == "Not confirmed (no sign-in)"
    assert "Lee Left" not in statuses and "Oona Oak" not in statuses
    head_row = next(row for row in result.tables[1].rows if row[1] == staff["head"].person.full_name)
    assert head_row[6] == version.content_hash[:12]


def test_a_new_version_resets_compliance_until_staff_confirm_again(client, office_user, staff, federation):
    first = ratified_version(federation)
    acknowledge(staff["staff"], first)
    second = ratify(import_version(federation, text=policy_text(" v2")))
    client.force_login(office_user)

    assert dict(_report(client).facts)["Confirmed"] == "0 (0%)"

    acknowledge(staff["staff"], second, posts_checked=False)
    result = _report(client)
    assert dict(result.facts)["Confirmed"] == "1 (20%)"
    assert "Version 2" in dict(result.facts)["Current version"]


def test_confirmations_outside_the_dates_are_shown_as_such(client, office_user, staff, federation):
    version = ratified_version(federation)
    acknowledge(staff["staff"], version)
    client.force_login(office_user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    result = _report(client, date_from=tomorrow)

    statuses = {row[1]: row[4] for row in result.tables[1].rows}
    assert statuses[staff["staff"].person.full_name] == "Confirmed outside these dates"


def test_the_executive_head_sees_every_school_and_themselves(client, exec_head_user, staff, federation):
    ratified_version(federation)
    client.force_login(exec_head_user)

    result = _report(client)

    schools = [row[0] for row in result.tables[0].rows]
    assert schools == ["Larch School", "Oak School", "Federation"]
    assert any(
        row[1] == exec_head_user.person.full_name and row[0] == "Federation" for row in result.tables[1].rows
    )


def test_before_any_ratification_the_report_says_so(client, office_user, staff):
    client.force_login(office_user)

    result = _report(client)

    assert result.notes == ["No version of the policy has been ratified yet, so there is nothing to confirm."]


def test_compliance_csv_and_pdf(client, office_user, staff, federation):
    version = ratified_version(federation)
    acknowledge(staff["head"], version)
    client.force_login(office_user)

    rows = csv_rows(client.get(reverse("policydocs:report_export", args=["ack_compliance", "csv"])).content)
    pdf = pdf_text(client.get(reverse("policydocs:report_export", args=["ack_compliance", "pdf"])).content)

    assert rows[0] == ["Policy acknowledgement compliance"]
    assert ["Staff", "5"] in rows and ["Confirmed", "1 (20%)"] in rows
    assert any(row[1:2] == ["Nora Nosignin"] and row[4] == "Not confirmed (no sign-in)" for row in rows)
    assert "Nora Nosignin" in pdf and "Not confirmed (no sign-in)" in pdf
    assert "1 (20%)" in pdf
