"""7. The termly governors' report: anonymised counts and trends only."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Allegation, IncidentType, Outcome, TriageRule
from policydocs.reports.counts import PUPIL_INCIDENT_TYPES
from policydocs.reports.governors import DECISIONS, term_of, trend

from ..factories import PersonFactory
from ..incidents.casework import case_in
from .helpers import acknowledge, ratified_version
from .reportdata import csv_rows, make_cyberbullying, make_pupil_incident, make_service, pdf_text

pytestmark = pytest.mark.django_db
S = Allegation.Status


def test_terms_and_trends():
    assert term_of(date(2026, 10, 3)) == (date(2026, 9, 1), date(2026, 12, 31))
    assert term_of(date(2026, 2, 3)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert term_of(date(2026, 6, 3)) == (date(2026, 4, 1), date(2026, 8, 31))
    assert trend(3, 1) == ("+2", "Up") and trend(1, 3) == ("−2", "Down") and trend(2, 2) == ("0", "Same")


def test_every_incident_type_and_decision_has_a_short_name():
    """The reports name each §8 type and §10 decision in a few words; a new one must be given its own."""
    assert set(DECISIONS) == set(TriageRule.values)
    assert set(PUPIL_INCIDENT_TYPES) == set(IncidentType.values)
    names = list(PUPIL_INCIDENT_TYPES.values())
    assert len(set(names)) == len(names) and all(len(name) <= 48 for name in names)  # a chart shows 48


@pytest.fixture
def term(dsl_user, head_user, staff_user, school, federation):
    today = timezone.localdate()
    subject = PersonFactory(school=school, first_name="Sam", last_name="Subject")
    # This period: two allegations (one closed with an outcome), one low-level concern.
    case_in(dsl_user, school, subject, S.CLOSED, outcome=Outcome.UNFOUNDED)
    case_in(dsl_user, school, subject, S.RECORDED)
    case_in(dsl_user, school, subject, S.LOW_LEVEL_CONCERN)
    # The period before: one allegation.
    case_in(dsl_user, school, subject, S.RECORDED, received_at=timezone.now() - timedelta(days=40))
    version = ratified_version(federation)
    acknowledge(head_user, version)
    make_service(school, staff_user, head_user, title="Larch news", account="larch.news")
    return {"from": today - timedelta(days=29), "to": today}


def _report(client, term, **query):
    return client.get(
        reverse("policydocs:report", args=["governors_termly"]),
        {"date_from": term["from"].isoformat(), "date_to": term["to"].isoformat(), **query},
    )


def test_counts_this_term_against_the_last(client, governor_user, term):
    client.force_login(governor_user)

    result = _report(client, term).context["result"]

    trends = {row[0]: row[1:] for row in result.tables[0].rows}
    assert trends["Allegation about an adult (LADO path)"] == ["2", "1", "+1", "Up"]
    assert trends["Low-level concern about an adult"] == ["1", "0", "+1", "Up"]
    assert trends["Referrals made to the LADO"][0] == "1"
    outcomes = dict((r[0], r[1]) for r in result.tables[1].rows)
    assert outcomes["Unfounded"] == "1" and outcomes["Substantiated"] == "0"
    registers = result.tables[3].rows
    assert registers == [["Larch School", "1 of 3", "33%", "1", "0"]]


def test_the_governors_report_names_no_one(client, governor_user, term):
    client.force_login(governor_user)

    content = _report(client, term).content.decode()

    assert "Sam Subject" not in content and "ALG-" not in content
    assert "<svg" in content


def test_governors_report_csv_and_pdf(client, chair_user, term):
    client.force_login(chair_user)
    query = {"date_from": term["from"].isoformat(), "date_to": term["to"].isoformat()}

    rows = csv_rows(
        client.get(reverse("policydocs:report_export", args=["governors_termly", "csv"]), query).content
    )
    pdf = pdf_text(
        client.get(reverse("policydocs:report_export", args=["governors_termly", "pdf"]), query).content
    )

    assert ["Allegation about an adult (LADO path)", "2", "1", "+1", "Up"] in rows
    assert "Counts and trends" in pdf and "Unfounded" in pdf
    assert "Sam Subject" not in pdf


PHONE = "Pupil incident: phone not handed in"
FIREWALL = "Pupil incident: getting round the firewall"
DUTY_OF_CARE = "Out of school time: duty of care, anti-bullying policy"
POLICE = "Referred to the police as harassment"


@pytest.fixture
def incidents(term, staff_user, school):
    """This term: two phones kept, one cyberbullying report decided (two rules). The term before: a firewall
    attempt and two cyberbullying reports, one decided then (so not among this term's decisions)."""
    now, today = timezone.now(), timezone.localdate()
    for _ in range(2):
        make_pupil_incident(
            school, staff_user, kind="phone_not_handed_in", occurred_at=now - timedelta(days=1)
        )
    make_pupil_incident(school, staff_user, kind="firewall_breach", occurred_at=now - timedelta(days=40))
    make_cyberbullying(
        school, staff_user, reported_on=today - timedelta(days=2), rules=["duty_of_care", "warn_all_parents"]
    )
    make_cyberbullying(
        school,
        staff_user,
        reported_on=today - timedelta(days=35),
        rules=["police"],
        decided_at=now - timedelta(days=34),
    )
    make_cyberbullying(school, staff_user, reported_on=today - timedelta(days=35))
    return term


def test_pupil_incidents_and_cyberbullying_this_term_against_the_last(client, governor_user, incidents):
    client.force_login(governor_user)

    result = _report(client, incidents).context["result"]

    trends = {row[0]: row[1:] for row in result.tables[0].rows}
    assert trends[PHONE] == ["2", "0", "+2", "Up"]
    assert trends[FIREWALL] == ["0", "1", "−1", "Down"]
    assert trends["Cyberbullying report"] == ["1", "2", "−1", "Down"]
    assert trends["Allegation about an adult (LADO path)"] == ["2", "1", "+1", "Up"]  # unchanged by them
    facts = dict(result.facts)
    assert facts["Pupil incidents this term"] == "2" and facts["Cyberbullying reports this term"] == "1"
    decisions = dict((r[0], r[1]) for r in result.tables[2].rows)
    assert result.tables[2].title == "Decisions on cyberbullying reports this term"
    assert decisions[DUTY_OF_CARE] == "1" and decisions[POLICE] == "0" and len(decisions) == 7
    by_month = result.charts[0]
    assert by_month.title == "Concerns, allegations and incidents by month"
    assert sum(bar.value for bar in by_month.bars) == 3 + 2 + 1  # the cases, the phones, the report


def test_the_new_counts_in_the_governors_csv_and_pdf(client, governor_user, incidents):
    client.force_login(governor_user)
    query = {"date_from": incidents["from"].isoformat(), "date_to": incidents["to"].isoformat()}
    url = "policydocs:report_export"

    rows = csv_rows(client.get(reverse(url, args=["governors_termly", "csv"]), query).content)
    pdf = pdf_text(client.get(reverse(url, args=["governors_termly", "pdf"]), query).content, layout=True)

    assert [PHONE, "2", "0", "+2", "Up"] in rows and [
        "Cyberbullying report",
        "1",
        "2",
        "-1",
        "Down",
    ] not in rows
    assert ["Cyberbullying report", "1", "2", "−1", "Down"] in rows
    assert (
        ["Pupil incidents this term", "2"] in rows and [DUTY_OF_CARE, "1"] in rows and [POLICE, "0"] in rows
    )
    assert f"{PHONE} 2 0 +2 Up" in pdf and "Cyberbullying report 1 2 −1 Down" in pdf
    assert "Pupil incidents this term 2" in pdf and "Decisions on cyberbullying reports this term" in pdf
    assert "CANARY-" not in pdf


def test_the_default_period_is_the_current_term(client, governor_user, term):
    client.force_login(governor_user)

    form = client.get(reverse("policydocs:report", args=["governors_termly"])).context["form"]

    start, end = term_of(timezone.localdate())
    assert form.cleaned_data["date_from"] == start and form.cleaned_data["date_to"] == end
