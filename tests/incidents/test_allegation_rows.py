"""The LADO referrals list's rows: what each kind of case shows, with every value escaped."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Allegation

from ..factories import PersonFactory
from .casework import assess, case_in, record_case, refer

pytestmark = pytest.mark.django_db


def _row(html: str, case: Allegation) -> str:
    """The <tr> of `case` in the list."""
    [row] = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S) if f">{case.reference}</a>" in r]
    return " ".join(row.split())


@pytest.fixture
def page(client, slt_user, school):
    now = timezone.now()

    def subject(name):
        return PersonFactory(school=school, first_name="Pat", last_name=name)

    cases = {
        "overdue": record_case(slt_user, school, subject("Overdue"), received_at=now - timedelta(days=7)),
        "due": record_case(slt_user, school, subject("<b>Due</b>"), received_at=now - timedelta(hours=1)),
        "late": refer(
            slt_user,
            assess(
                slt_user, record_case(slt_user, school, subject("Late"), received_at=now - timedelta(days=9))
            ),
        ),
        "in time": refer(slt_user, assess(slt_user, record_case(slt_user, school, subject("InTime")))),
        "low": case_in(slt_user, school, subject("Low"), "low_level_concern"),
        "closed": case_in(slt_user, school, subject("Closed"), "closed", outcome="false"),
    }
    client.force_login(slt_user)
    return client.get(reverse("incidents:allegation_list")).text, cases


def test_each_kind_of_case_shows_its_referral_and_outcome(page, school):
    html, cases = page
    overdue = _row(html, cases["overdue"])
    assert overdue.startswith('<tr class="table-danger">')
    assert '<span class="badge text-bg-danger">Overdue</span>' in overdue and "(overdue by " in overdue
    assert f'href="{cases["overdue"].get_absolute_url()}"' in overdue
    assert f"<td>{school.name}</td>" in overdue and "<td>Recorded</td>" in overdue
    due = _row(html, cases["due"])
    assert due.startswith("<tr>") and "Overdue" not in due and "(due in " in due
    late = _row(html, cases["late"])
    assert "Referred " in late and '<span class="badge text-bg-warning">late</span>' in late
    in_time = _row(html, cases["in time"])
    assert "Referred " in in_time and "late" not in in_time and in_time.endswith("<td>—</td> </tr>")
    assert "Not needed: low-level concern" in _row(html, cases["low"])
    assert _row(html, cases["closed"]).endswith("<td>False allegation</td> </tr>")


def test_values_are_escaped(page):
    html, cases = page
    row = _row(html, cases["due"])
    assert "<b>Due</b>" not in row and "Pat &lt;b&gt;Due&lt;/b&gt;" in row
