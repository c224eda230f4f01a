"""1. The LADO referrals log: rows for a known set of cases, in the page, the CSV and the PDF."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core import formats
from incidents.models import Allegation
from people.models import Role

from ..factories import PersonFactory, make_user
from ..incidents.casework import case_in
from .reportdata import csv_rows, pdf_text

pytestmark = pytest.mark.django_db
S = Allegation.Status


@pytest.fixture
def cases(dsl_user, school, other_school):
    subject = PersonFactory(school=school, first_name="Sam", last_name="Subject")
    on_time = case_in(dsl_user, school, subject, S.INVESTIGATING)
    waiting = case_in(
        dsl_user, school, subject, S.RECORDED, received_at=timezone.now() - timedelta(days=5)
    )  # past its one-working-day deadline
    low = case_in(dsl_user, school, subject, S.LOW_LEVEL_CONCERN)
    oak_dsl = make_user(Role.DSL, Role.STAFF, school=other_school)
    elsewhere = case_in(oak_dsl, other_school, PersonFactory(school=other_school), S.RECORDED)
    return {"on_time": on_time, "waiting": waiting, "low": low, "elsewhere": elsewhere}


def _rows(client, **query):
    return client.get(reverse("policydocs:report", args=["lado_log"]), query)


def test_the_page_lists_each_case_with_its_deadline_and_advice(client, dsl_user, cases):
    client.force_login(dsl_user)

    response = _rows(client)

    table = response.context["result"].tables[0]
    by_case = {row[0]: row for row in table.rows}
    assert set(by_case) == {cases["on_time"].reference, cases["waiting"].reference, cases["low"].reference}
    assert by_case[cases["on_time"].reference][5] == "Yes"
    assert by_case[cases["on_time"].reference][6].startswith("Given ")
    assert by_case[cases["on_time"].reference][8] == "Investigating"
    assert by_case[cases["waiting"].reference][4:6] == ["Not referred", "No: overdue"]
    assert by_case[cases["low"].reference][5] == "Not needed: low-level concern"
    content = response.content.decode()
    assert "OFFICIAL-SENSITIVE" in content
    assert f'href="{cases["on_time"].get_absolute_url()}"' in content
    assert "Sam Subject" not in content  # the log names no one


def test_the_csv_has_the_same_rows(client, dsl_user, cases):
    client.force_login(dsl_user)

    response = client.get(reverse("policydocs:report_export", args=["lado_log", "csv"]))

    assert response["Content-Disposition"].startswith('attachment; filename="official-sensitive-lado-log-')
    rows = csv_rows(response.content)
    assert rows[0][:3] == ["Case", "School", "Received"]
    assert {row[0] for row in rows[1:]} == {c.reference for k, c in cases.items() if k != "elsewhere"}


def test_the_pdf_carries_the_rows_the_marking_the_school_and_page_numbers(client, dsl_user, cases, school):
    client.force_login(dsl_user)

    response = client.get(
        reverse("policydocs:report_export", args=["lado_log", "pdf"]), {"school": school.pk}
    )

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for key in ("on_time", "waiting", "low"):
        assert cases[key].reference in text
    assert cases["elsewhere"].reference not in text
    assert text.count("OFFICIAL-SENSITIVE") >= 2  # top and bottom of the page
    assert "Page 1 of 1" in text
    assert "Larch School" in text
    assert f"Printed {formats.day(timezone.localdate())}" in text


def test_filters_narrow_the_log_and_are_audited(client, dsl_user, cases, school):
    client.force_login(dsl_user)
    today = timezone.localdate()

    response = _rows(
        client, school=school.pk, date_from=(today - timedelta(days=1)).isoformat(), date_to=today.isoformat()
    )

    refs = {row[0] for row in response.context["result"].tables[0].rows}
    assert cases["waiting"].reference not in refs  # received five days ago
    event = AuditEvent.objects.filter(action="policydocs.report.generate").latest("id")
    assert event.actor_id == dsl_user.pk
    assert event.data["report"] == "lado_log" and event.data["format"] == "html"
    assert event.data["filters"] == {
        "school": school.pk,
        "date_from": (today - timedelta(days=1)).isoformat(),
        "date_to": today.isoformat(),
    }
    assert event.school_id == school.pk


def test_the_executive_head_sees_every_school(client, exec_head_user, cases):
    client.force_login(exec_head_user)

    refs = {row[0] for row in _rows(client).context["result"].tables[0].rows}

    assert cases["elsewhere"].reference in refs and cases["on_time"].reference in refs


def test_the_subject_of_a_case_never_finds_it_in_the_log(client, school, dsl_user):
    """KCSIE part four: a DSL who is the subject of a case does not see it, in the page or the CSV."""
    subject_dsl = make_user(Role.DSL, Role.STAFF, school=school)
    about_them = case_in(dsl_user, school, subject_dsl.person, S.RECORDED)
    client.force_login(subject_dsl)

    page = _rows(client)
    csv = client.get(reverse("policydocs:report_export", args=["lado_log", "csv"]))

    assert about_them.reference not in page.content.decode()
    assert about_them.reference not in csv.content.decode()


def test_bad_dates_are_shown_on_the_filters_with_the_input_kept(client, dsl_user, cases):
    client.force_login(dsl_user)

    response = _rows(client, date_from="2026-05-01", date_to="2026-04-01")

    assert response.context["result"] is None
    assert response.context["form"].errors["date_to"] == ["The end date must be on or after the start date."]
    assert response.context["form"]["date_from"].value() == "2026-05-01"
    assert not AuditEvent.objects.filter(action="policydocs.report.generate").exists()
    export = client.get(
        reverse("policydocs:report_export", args=["lado_log", "csv"]),
        {"date_from": "2026-05-01", "date_to": "2026-04-01"},
    )
    assert export.status_code == 302 and "date_from=2026-05-01" in export["Location"]


def test_the_collector_is_paused_only_while_a_pdf_is_laid_out(client, dsl_user, cases, monkeypatch):
    """The cyclic collector is off during layout (its full passes over the growing box tree made a long log
    cost more than its length) and as it was afterwards, also when a render fails."""
    import gc

    from policydocs.reports import output

    seen = []
    real_html = output.__dict__.get("HTML")
    import weasyprint

    class Spy(weasyprint.HTML):
        def render(self, *args, **kwargs):
            seen.append(gc.isenabled())
            return super().render(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", Spy)
    client.force_login(dsl_user)

    response = client.get(reverse("policydocs:report_export", args=["lado_log", "pdf"]))

    assert response["Content-Type"] == "application/pdf" and seen == [False] and gc.isenabled()
    assert real_html is None  # imported inside to_pdf, so the spy is the one used

    class Broken(weasyprint.HTML):
        def render(self, *args, **kwargs):
            raise RuntimeError("layout failed")

    monkeypatch.setattr(weasyprint, "HTML", Broken)
    result = output.ReportResult("x", "X", False, False, False, "", "", timezone.now())
    with pytest.raises(RuntimeError):
        output.to_pdf(result)
    assert gc.isenabled()
    gc.disable()
    try:
        monkeypatch.setattr(weasyprint, "HTML", Spy)
        output.to_pdf(result)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
