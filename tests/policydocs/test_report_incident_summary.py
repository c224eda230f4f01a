"""2. The incident summary: anonymised counts by type, month and school, with SVG bar charts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Allegation, Concern
from people.models import Role

from ..factories import PersonFactory, make_user
from ..incidents.casework import case_in
from .reportdata import csv_rows, pdf_text

pytestmark = pytest.mark.django_db
S = Allegation.Status


def _concern(reporter, school, category, subject=None):
    return Concern.objects.create(
        school=school,
        reported_by=reporter,
        category=category,
        routed_to="dsl",
        subject=subject,
        what_happened="Seen in the corridor.",
    )


@pytest.fixture
def incidents(dsl_user, staff_user, school, other_school):
    subject = PersonFactory(school=school, first_name="Sam", last_name="Subject")
    case_in(dsl_user, school, subject, S.RECORDED)
    case_in(dsl_user, school, subject, S.LOW_LEVEL_CONCERN)
    _concern(staff_user, school, "working_day_use")
    _concern(staff_user, school, "working_day_use")
    oak_dsl = make_user(Role.DSL, Role.STAFF, school=other_school)
    case_in(oak_dsl, other_school, PersonFactory(school=other_school), S.RECORDED)
    return subject


def _result(client, **query):
    return client.get(reverse("policydocs:report", args=["incident_summary"]), query)


def test_counts_by_type_month_and_school(client, exec_head_user, incidents):
    client.force_login(exec_head_user)

    result = _result(client).context["result"]

    by_type, by_month, by_school = (dict((r[0], r[1]) for r in t.rows) for t in result.tables)
    assert by_type["Allegation about an adult (LADO path)"] == "2"
    assert by_type["Low-level concern about an adult"] == "1"
    assert by_type["Concern: social media in the working day"] == "2"
    assert by_type["Concern: doubt about a message"] == "0"
    assert by_month[f"{timezone.localdate():%b %Y}"] == "5"
    assert len(by_month) == 12  # a year of months, quiet ones included
    assert by_school == {"Larch School": "4", "Oak School": "1"}
    assert dict(result.facts)["Total"] == "5"


def test_each_chart_is_an_svg_with_one_rect_per_bar(client, exec_head_user, incidents):
    client.force_login(exec_head_user)

    response = _result(client)

    content = response.content.decode()
    svgs = re.findall(r"<svg.*?</svg>", content, flags=re.S)
    result = response.context["result"]
    assert len(svgs) == 3
    for svg, chart in zip(svgs, result.charts, strict=True):
        assert svg.count("<rect") == len(chart.bars)
    assert svgs[2].count("<rect") == 2  # two schools
    assert "<script" not in "".join(svgs)


def test_the_summary_is_anonymised(client, office_user, incidents):
    """Office admins read it: counts only, no name, no text."""
    client.force_login(office_user)

    response = _result(client)

    content = response.content.decode()
    assert "Sam Subject" not in content and "Seen in the corridor" not in content
    assert "ALG-" not in content
    assert dict((r[0], r[1]) for r in response.context["result"].tables[2].rows) == {"Larch School": "4"}


def test_a_case_about_the_reader_is_not_counted_for_them(client, school, dsl_user):
    """Subject blindness holds in the counts too (KCSIE part four)."""
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)
    case_in(dsl_user, school, office.person, S.RECORDED)
    case_in(dsl_user, school, PersonFactory(school=school), S.RECORDED)
    client.force_login(office)

    result = _result(client).context["result"]

    assert dict(result.facts)["Total"] == "1"


def test_the_dates_limit_the_counts(client, exec_head_user, incidents):
    client.force_login(exec_head_user)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()

    result = _result(client, date_from=future, date_to=future).context["result"]

    assert dict(result.facts)["Total"] == "0"


def test_summary_csv_and_pdf(client, exec_head_user, incidents):
    client.force_login(exec_head_user)

    rows = csv_rows(client.get(reverse("policydocs:report_export", args=["incident_summary", "csv"])).content)
    pdf = pdf_text(client.get(reverse("policydocs:report_export", args=["incident_summary", "pdf"])).content)

    assert ["Allegation about an adult (LADO path)", "2"] in rows
    assert ["Oak School", "1"] in rows
    assert "Allegation about an adult (LADO path) 2" in pdf
    assert "OFFICIAL-SENSITIVE" not in pdf
