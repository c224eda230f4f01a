"""A paged report (the LADO referrals log): its page shows one page of rows with its facts counted over
every row, links to the other pages that keep the filters; its CSV and PDF still hold every row."""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from incidents.models import Allegation
from people.models import Role
from policydocs.reports import registry
from policydocs.reports.lado import FACTS, deadline_counts, deadline_key, deadline_status

from ..factories import PersonFactory, PupilFactory, make_user
from ..incidents.casework import assess, case_in, record_case, refer
from .reportdata import csv_rows, make_declaration, make_service, pdf_text

pytestmark = pytest.mark.django_db
S = Allegation.Status
URL = reverse("policydocs:report", args=["lado_log"])


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(registry.get("lado_log"), "page_size", 2)


@pytest.fixture
def five(dsl_user, school):
    """Five waiting cases, received a day apart: the oldest first in the log."""
    subject = PersonFactory(school=school)
    return [
        case_in(dsl_user, school, subject, S.RECORDED, received_at=timezone.now() - timedelta(days=10 - n))
        for n in range(5)
    ]


def _refs(response) -> list[str]:
    return [row[0] for row in response.context["result"].tables[0].rows]


def _facts(response) -> dict:
    return dict(response.context["result"].facts)


def test_the_first_page_shows_the_first_rows_and_the_facts_of_every_row(client, dsl_user, five, two_a_page):
    client.force_login(dsl_user)

    response = client.get(URL)

    assert _refs(response) == [c.reference for c in five[:2]]
    assert _facts(response)["Cases"] == "5"
    assert _facts(response)["Overdue now"] == "5"
    content = response.content.decode()
    assert "Showing rows 1\u20132 of 5. The PDF and the CSV hold every row." in content
    assert 'aria-label="Pages of referrals"' in content
    assert "Page 1 of 3" in content
    assert five[2].reference not in content


def test_page_two_shows_the_next_rows_with_the_same_facts(client, dsl_user, five, two_a_page):
    client.force_login(dsl_user)

    response = client.get(URL, {"page": "2"})

    assert _refs(response) == [c.reference for c in five[2:4]]
    assert _facts(response)["Cases"] == "5"
    assert "Showing rows 3\u20134 of 5." in response.content.decode()
    event = AuditEvent.objects.filter(action="policydocs.report.generate").latest("id")
    assert event.data["page"] == 2 and event.data["rows"] == 5  # every row the filters match


def test_the_page_links_keep_the_filters_and_the_downloads_hold_no_page(
    client, dsl_user, school, five, two_a_page
):
    client.force_login(dsl_user)
    date_from = (timezone.localdate() - timedelta(days=30)).isoformat()
    date_to = timezone.localdate().isoformat()

    response = client.get(URL, {"school": school.pk, "date_from": date_from, "date_to": date_to, "page": "2"})

    content = response.content.decode()
    query = f"school={school.pk}&amp;date_from={date_from}&amp;date_to={date_to}"
    for number in (1, 3):
        assert f'href="?{query}&amp;page={number}"' in content
    assert 'rel="prev"' in content and 'rel="next"' in content
    assert f'lado_log/csv/?{query}"' in content and f'lado_log/pdf/?{query}"' in content


def test_a_page_past_the_end_shows_the_last_page_and_says_so(client, dsl_user, five, two_a_page):
    client.force_login(dsl_user)

    response = client.get(URL, {"page": "99"})

    assert _refs(response) == [five[4].reference]
    assert "There is no page 99: this is the last page, page 3." in response.content.decode()
    assert 'rel="next"' not in response.content.decode()


@pytest.mark.parametrize("page", ["0", "two", "-1"])
def test_a_page_that_is_not_a_number_shows_the_first_page_and_says_so(
    client, dsl_user, five, two_a_page, page
):
    client.force_login(dsl_user)

    response = client.get(URL, {"page": page})

    assert _refs(response) == [c.reference for c in five[:2]]
    assert "That is not a page number: this is the first page." in response.content.decode()


def test_a_log_of_one_page_has_no_paging(client, dsl_user, five):
    client.force_login(dsl_user)

    response = client.get(URL)

    assert _refs(response) == [c.reference for c in five]
    content = response.content.decode()
    assert "Showing rows" not in content and "Pages of referrals" not in content


def test_no_cases_shows_the_empty_message(client, dsl_user, two_a_page):
    client.force_login(dsl_user)

    response = client.get(URL, {"page": "3"})

    content = response.content.decode()
    assert "No allegations were received in these dates." in content
    assert _facts(response)["Cases"] == "0"
    assert "There is no page" not in content


def test_the_csv_and_the_pdf_hold_every_row_whatever_the_page(client, dsl_user, five, two_a_page):
    client.force_login(dsl_user)

    csv = client.get(reverse("policydocs:report_export", args=["lado_log", "csv"]), {"page": "2"})
    pdf = client.get(reverse("policydocs:report_export", args=["lado_log", "pdf"]), {"page": "2"})

    assert [row[0] for row in csv_rows(csv.content)[1:]] == [c.reference for c in five]
    text = pdf_text(pdf.content)
    assert all(c.reference in text for c in five)
    assert "Showing rows" not in text


def test_a_long_log_sends_its_pdf_to_the_background_counting_every_row(
    client, dsl_user, five, two_a_page, settings
):
    settings.POLICYDOCS_PDF_BACKGROUND_ROWS = 4
    client.force_login(dsl_user)

    response = client.get(reverse("policydocs:report_export", args=["lado_log", "pdf"]))

    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="policydocs.report.generate").latest("id")
    assert event.data["background"] is True and event.data["rows"] == 5
    page = client.get(URL)
    assert "its PDF is made in the background" in page.content.decode()


def test_the_counts_in_sql_match_each_rows_deadline_status(dsl_user, school):
    """Every deadline status, counted by SQL for the page, equals the status worked out row by row."""
    subject = PersonFactory(school=school)
    case_in(dsl_user, school, subject, S.INVESTIGATING)  # referred within the deadline
    late = record_case(dsl_user, school, subject, received_at=timezone.now() - timedelta(days=10))
    refer(dsl_user, assess(dsl_user, late))  # referred days after its deadline
    case_in(dsl_user, school, subject, S.RECORDED, received_at=timezone.now() - timedelta(days=5))  # overdue
    case_in(dsl_user, school, subject, S.RECORDED)  # received an hour ago: not yet due
    case_in(dsl_user, school, subject, S.LOW_LEVEL_CONCERN)
    case_in(dsl_user, school, subject, S.CLOSED, low_level=True)
    unreferred = case_in(dsl_user, school, subject, S.RECORDED)
    # Closed without a referral (a case recorded before referrals were logged here).
    Allegation.objects.filter(pk=unreferred.pk).update(status=S.CLOSED, closed_at=timezone.now())
    now = timezone.now()
    cases = Allegation.objects.filter(school=school)

    by_row = Counter(deadline_key(deadline_status(case, now)) for case in cases)
    in_sql = deadline_counts(cases, now)

    assert set(by_row) == {"within", "late", "overdue", "not_yet_due", "low_level", "not_referred"}
    assert in_sql == {**dict.fromkeys(by_row, 0), **by_row, "cases": 7}
    # The page counts only the statuses its facts show: the same figures.
    assert deadline_counts(cases, now, only=FACTS) == {key: in_sql[key] for key in ("cases", *FACTS)}


@pytest.mark.parametrize("key", ["approved_services", "declarations"])
def test_the_registers_are_paged_with_their_facts_over_every_row(
    client, monkeypatch, office_user, head_user, school, key
):
    monkeypatch.setattr(registry.get(key), "page_size", 2)
    for n in range(3):
        member = make_user(Role.STAFF, school=school)
        make_service(school, member, head_user, title=f"Service {n}", account=f"acc.{n}", status="approved")
        make_declaration(school, member, pupils=[PupilFactory(school=school)])
    client.force_login(office_user)
    url = reverse("policydocs:report", args=[key])

    first, second = client.get(url), client.get(url, {"page": "2"})
    csv = client.get(reverse("policydocs:report_export", args=[key, "csv"]), {"page": "2"})

    assert len(first.context["result"].tables[0].rows) == 2
    assert len(second.context["result"].tables[0].rows) == 1
    shown = first.context["result"].tables[0].rows + second.context["result"].tables[0].rows
    assert shown == csv_rows(csv.content)[1:]  # the pages together are the CSV's rows, in its order
    facts = dict(second.context["result"].facts)
    assert facts.get("Services", facts.get("Declarations")) == "3"
    assert facts.get("Approved", facts.get("Waiting for acknowledgement")) == "3"
    assert "Showing rows 3\u20133 of 3. The PDF and the CSV hold every row." in second.content.decode()
