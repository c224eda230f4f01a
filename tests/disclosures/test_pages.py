"""The register, a request's page, its steps and the redaction review, as the handler uses them; their
query budgets, exact and the same with ten times the rows; and the dashboard card."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.dashboard import cards_for
from disclosures.models import AccessRequest, Decision

from ..factories import PersonFactory, PupilFactory
from ..incidents.pupilwork import record
from .helpers import in_review, own_request

pytestmark = pytest.mark.django_db

# Session, user, second-factor device, roles, the navigation's unread count.
OVERHEAD = 5
# Recording a view appends to the audit chain (PostgreSQL adds its advisory lock).
VIEW_EVENT = 3 if connection.vendor == "postgresql" else 2


def requests(actor, school, count):
    return [own_request(actor, school, PersonFactory(school=school)) for _ in range(count)]


@pytest.mark.parametrize("rows", [2, 20])
def test_the_register_costs_the_same_whatever_its_length(
    client, django_assert_num_queries, exec_head_user, school, rows
):
    requests(exec_head_user, school, rows)
    client.force_login(exec_head_user)
    url = reverse("disclosures:register")
    client.get(url)
    # The count of the page, and its rows with their school and people.
    with django_assert_num_queries(OVERHEAD + 2):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["page"].object_list) == min(rows, 25)


def test_the_register_lists_the_request_due_soonest_first_and_flags_overdue(client, exec_head_user, school):
    late = own_request(exec_head_user, school, PersonFactory(school=school), received_on=date(2026, 1, 5))
    later = own_request(
        exec_head_user, school, PersonFactory(school=school), received_on=timezone.localdate()
    )
    client.force_login(exec_head_user)
    response = client.get(reverse("disclosures:register"))
    assert [r.pk for r in response.context["page"].object_list] == [late.pk, later.pk]
    assert response.content.decode().count("Overdue") == 1


@pytest.mark.parametrize("rows", [2, 20])
def test_a_request_page_costs_the_same_whatever_its_redactions(
    client, django_assert_num_queries, exec_head_user, dsl_user, school, rows
):
    pupil = PupilFactory(school=school)
    record(dsl_user, school, pupils=[pupil, *[PupilFactory(school=school) for _ in range(rows)]])
    found = in_review(exec_head_user, own_request(exec_head_user, school, pupil))
    assert found.redactions.count() >= rows
    client.force_login(exec_head_user)
    for name in ("disclosures:detail", "disclosures:review"):
        url = reverse(name, args=[found.pk])
        client.get(url)
        # The request with its school and people, its redactions, and the view recorded.
        with django_assert_num_queries(OVERHEAD + 2 + VIEW_EVENT):
            response = client.get(url)
        assert response.status_code == 200


def test_viewing_a_request_is_audited(client, exec_head_user, school):
    found = own_request(exec_head_user, school, PersonFactory(school=school))
    client.force_login(exec_head_user)
    client.get(reverse("disclosures:detail", args=[found.pk]))
    assert (
        AuditEvent.objects.filter(action="disclosures.accessrequest.view", target_id=str(found.pk)).count()
        == 1
    )


def test_a_request_is_entered_through_the_form(client, exec_head_user, school):
    person = PersonFactory(school=school)
    client.force_login(exec_head_user)
    response = client.post(
        reverse("disclosures:record"),
        {"school": school.pk, "kind": "own", "requester": person.pk, "received_on": "2026-01-31"},
    )
    created = AccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert (created.subject, created.due_on) == (person, date(2026, 2, 28))


def test_the_form_says_what_is_missing(client, exec_head_user, school):
    client.force_login(exec_head_user)
    response = client.post(reverse("disclosures:record"), {"school": school.pk, "kind": "allegation_copy"})
    page = response.content.decode()
    for message in ("Choose who made the request.", "Enter the day the request was received."):
        assert message in page
    response = client.post(
        reverse("disclosures:record"),
        {
            "school": school.pk,
            "kind": "allegation_copy",
            "requester": PersonFactory(school=school).pk,
            "allegation": 999999,
            "received_on": "2026-01-31",
        },
    )
    assert "The school holds no allegation of that number." in response.content.decode()


def test_a_step_is_asked_first_and_a_reason_is_required(client, exec_head_user, school):
    found = own_request(exec_head_user, school, PersonFactory(school=school))
    client.force_login(exec_head_user)
    url = reverse("disclosures:step", args=[found.pk, "refuse"])
    empty = client.post(url, {"reason": ""})
    assert "Give the reason." in empty.content.decode()
    asked = client.post(url, {"reason": "Manifestly excessive: the fourth this month."})
    assert (
        "Refuse the request?" in asked.content.decode()
        and "Nothing has changed yet." in asked.content.decode()
    )
    found.refresh_from_db()
    assert found.status == AccessRequest.Status.RECEIVED
    done = client.post(url, {"reason": "Manifestly excessive: the fourth this month.", "confirm": "yes"})
    found.refresh_from_db()
    assert done.status_code == 302 and found.status == AccessRequest.Status.REFUSED


def test_a_release_with_undecided_redactions_says_so_on_its_page(client, exec_head_user, dsl_user, school):
    pupil = PupilFactory(school=school)
    record(dsl_user, school, pupils=[pupil, PupilFactory(school=school)])
    found = in_review(exec_head_user, own_request(exec_head_user, school, pupil))
    client.force_login(exec_head_user)
    response = client.post(reverse("disclosures:step", args=[found.pk, "release"]))
    assert "Decide every proposed redaction first:" in response.content.decode()


def test_the_review_page_decides_adds_and_releases(client, exec_head_user, dsl_user, school):
    pupil = PupilFactory(school=school)
    record(dsl_user, school, pupils=[pupil, PupilFactory(school=school, last_name="Farrowdale")])
    found = in_review(exec_head_user, own_request(exec_head_user, school, pupil))
    client.force_login(exec_head_user)
    for item in found.redactions.all():
        client.post(reverse("disclosures:decide", args=[found.pk, item.pk]), {"decision": Decision.ACCEPTED})
    added = client.post(reverse("disclosures:review", args=[found.pk]), {"phrase": "Classroom 4"})
    assert added.status_code == 302
    bad = client.post(reverse("disclosures:review", args=[found.pk]), {"phrase": ""})
    assert "Enter the words to redact." in bad.content.decode()
    url = reverse("disclosures:step", args=[found.pk, "release"])
    client.post(url)
    client.post(url, {"confirm": "yes"})
    found.refresh_from_db()
    assert found.status == AccessRequest.Status.RELEASED
    pdf = client.get(reverse("disclosures:pack", args=[found.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and f"{found.reference}.pdf" in pdf["Content-Disposition"]
    csv = client.get(reverse("disclosures:pack", args=[found.pk, "csv"])).content.decode("utf-8-sig")
    assert "Farrowdale" not in csv and "Classroom 4" not in csv and "[redacted: other pupil]" in csv


def test_the_dashboard_card_counts_open_requests_and_names_the_overdue(exec_head_user, dsl_user, school):
    assert not [c for c in cards_for(exec_head_user) if c.title == "Subject access requests"]
    own_request(exec_head_user, school, PersonFactory(school=school), received_on=date(2026, 1, 5))
    own_request(exec_head_user, school, PersonFactory(school=school), received_on=timezone.localdate())
    card = next(c for c in cards_for(exec_head_user) if c.title == "Subject access requests")
    assert card.count == 2 and card.tone == "danger"
    assert card.body == "1 overdue. The earliest was due on 5 Feb 2026."
    assert not [c for c in cards_for(dsl_user) if c.title == "Subject access requests"]


def test_the_card_without_an_overdue_request_names_the_next_due_date(exec_head_user, school):
    today = timezone.localdate()
    found = own_request(
        exec_head_user, school, PersonFactory(school=school), received_on=today - timedelta(days=1)
    )
    card = next(c for c in cards_for(exec_head_user) if c.title == "Subject access requests")
    assert card.tone == "warning" and card.body.endswith(f"{found.due_on.day} {found.due_on:%b %Y}.")
