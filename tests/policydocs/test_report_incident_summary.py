"""2. The incident summary: anonymised counts by type, month and school, with SVG bar charts."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Allegation, Concern
from people.models import Role

from ..factories import PersonFactory, make_user
from ..incidents.casework import case_in
from .reportdata import aware, csv_rows, make_cyberbullying, make_pupil_incident, pdf_text

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


# --- Pupil incidents (§8) and cyberbullying reports (§10) ---------------------------------------------------

PHONE = "Pupil incident: phone not handed in"
FIREWALL = "Pupil incident: getting round the firewall"
CONTACT = "Pupil incident: improper contact by an adult"
IN_DAY = "Pupil incident: social media in the school day"
CYBER = "Cyberbullying report"
QUARTER = {"date_from": "2025-01-01", "date_to": "2025-03-31"}


@pytest.fixture
def quarter(dsl_user, staff_user, school, other_school):
    """A known first quarter of 2025 at Larch and Oak, with one record just outside it at each end."""
    concern = _concern(staff_user, school, "working_day_use")
    Concern.objects.filter(pk=concern.pk).update(created_at=aware(date(2025, 1, 10)))
    case_in(dsl_user, school, PersonFactory(school=school), S.RECORDED, received_at=aware(date(2025, 1, 15)))
    for _ in range(2):
        make_pupil_incident(
            school, staff_user, kind="phone_not_handed_in", occurred_at=aware(date(2025, 1, 20))
        )
    make_pupil_incident(school, staff_user, kind="firewall_breach", occurred_at=aware(date(2025, 2, 3)))
    make_cyberbullying(school, staff_user, reported_on=date(2025, 3, 4), rules=["duty_of_care"])
    oak_staff = make_user(Role.STAFF, school=other_school)
    make_pupil_incident(
        other_school,
        oak_staff,
        kind="improper_contact",
        occurred_at=aware(date(2025, 2, 14)),
        adult=PersonFactory(school=other_school, first_name="Ada", last_name="Adult"),
    )
    make_cyberbullying(other_school, oak_staff, reported_on=date(2025, 3, 31))
    # Outside the quarter: the last evening of 2024 (London time) and the first day of April.
    make_pupil_incident(
        school, staff_user, kind="social_media_in_day", occurred_at=aware(date(2024, 12, 31), 23)
    )
    make_cyberbullying(school, staff_user, reported_on=date(2025, 4, 1))


def test_pupil_incidents_and_cyberbullying_are_counted_by_type_month_and_school(
    client, exec_head_user, quarter
):
    client.force_login(exec_head_user)

    result = _result(client, **QUARTER).context["result"]

    by_type, by_month, by_school = (dict((r[0], r[1]) for r in t.rows) for t in result.tables)
    assert by_type[PHONE] == "2" and by_type[FIREWALL] == "1" and by_type[CONTACT] == "1"
    assert by_type[IN_DAY] == "0"  # 31 December 2024 is outside the quarter
    assert by_type[CYBER] == "2"  # 31 March is inside (both ends count); 1 April is not
    assert by_type["Concern: social media in the working day"] == "1"
    assert by_type["Allegation about an adult (LADO path)"] == "1"
    assert len(by_type) == 14  # four concern categories, two kinds of allegation, seven incident types, one
    assert by_month == {"Jan 2025": "4", "Feb 2025": "2", "Mar 2025": "2"}
    assert by_school == {"Larch School": "6", "Oak School": "2"}
    assert dict(result.facts)["Total"] == "8"
    assert [len(chart.bars) for chart in result.charts] == [14, 3, 2]


def test_the_new_counts_in_the_csv_and_the_pdf(client, exec_head_user, quarter):
    client.force_login(exec_head_user)
    url = "policydocs:report_export"

    rows = csv_rows(client.get(reverse(url, args=["incident_summary", "csv"]), QUARTER).content)
    pdf = pdf_text(client.get(reverse(url, args=["incident_summary", "pdf"]), QUARTER).content)

    for row in ([PHONE, "2"], [FIREWALL, "1"], [CONTACT, "1"], [IN_DAY, "0"], [CYBER, "2"]):
        assert row in rows
    assert ["Jan 2025", "4"] in rows and ["Larch School", "6"] in rows and ["Oak School", "2"] in rows
    assert ["Total", "8"] in rows
    for phrase in (f"{PHONE} 2", f"{FIREWALL} 1", f"{CONTACT} 1", f"{IN_DAY} 0", f"{CYBER} 2", "Jan 2025 4"):
        assert phrase in pdf
    assert "CANARY-" not in pdf and "Ada Adult" not in pdf


def test_office_admins_and_governors_read_the_incident_counts_but_nothing_else(
    client, office_user, governor_user, quarter
):
    """Anonymised reports are theirs (policydocs.policies.REPORT_ACCESS): counts for their own school only,
    no pupil, adult, place or account of what happened."""
    for reader in (office_user, governor_user):
        client.force_login(reader)

        response = _result(client, **QUARTER)

        content = response.content.decode()
        assert "CANARY-" not in content and "Ada Adult" not in content and "PIN-" not in content
        assert "CYB-" not in content
        by_type, _by_month, by_school = (
            dict((r[0], r[1]) for r in t.rows) for t in response.context["result"].tables
        )
        assert by_type[PHONE] == "2" and by_type[CONTACT] == "0" and by_type[CYBER] == "1"
        assert by_school == {"Larch School": "6"}


def test_an_incident_or_report_naming_the_reader_is_not_counted_for_them(
    client, exec_head_user, school, staff_user
):
    """The adult a pupil incident names, or an adult named as responsible for cyberbullying, never finds it
    in the counts (subject blindness); everyone else does."""
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)
    when = timezone.now() - timedelta(hours=2)
    make_pupil_incident(school, staff_user, kind="joined_staff_social", occurred_at=when, adult=office.person)
    make_pupil_incident(school, staff_user, kind="joined_staff_social", occurred_at=when)
    make_cyberbullying(school, staff_user, reported_on=timezone.localdate(), perpetrator=office.person)
    make_cyberbullying(
        school, staff_user, reported_on=timezone.localdate(), perpetrator=PersonFactory(school=school)
    )

    counts = {}
    for reader in (office, exec_head_user):
        client.force_login(reader)
        result = _result(client).context["result"]
        counts[reader] = dict((r[0], r[1]) for r in result.tables[0].rows), dict(result.facts)["Total"]

    joined = "Pupil incident: joining a staff member's area"
    assert counts[office][1] == "2" and counts[office][0][joined] == "1"
    assert counts[office][0][CYBER] == "1"
    assert counts[exec_head_user][0][joined] == "2" and counts[exec_head_user][0][CYBER] == "2"
    assert counts[exec_head_user][1] == "4"


def test_charts_scale_to_a_narrow_screen_without_inline_style(client, exec_head_user, incidents):
    """Each chart is drawn to its viewBox inside a .report-chart figure, which the stylesheet keeps within the
    column's width; no style attribute (the CSP forbids them)."""
    from django.contrib.staticfiles import finders

    client.force_login(exec_head_user)

    content = _result(client).content.decode()

    figures = re.findall(r'<figure class="report-chart">\s*<svg[^>]*>', content)
    assert len(figures) == 3
    assert all('viewBox="0 0 640 ' in figure and "style=" not in figure for figure in figures)
    css = open(finders.find("policydocs/policydocs.css"), encoding="utf-8").read()
    assert "max-width: min(40rem, 100%)" in css and re.search(
        r"\.report-chart svg \{[^}]*max-width: 100%", css
    )
