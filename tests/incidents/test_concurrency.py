"""Ten people taking the same step on one record at the same moment, through the pages: exactly one
step is taken, and every other person sees the form again with the refusal that says why. PostgreSQL
only: the row lock (SELECT ... FOR UPDATE) is what is being tested."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from incidents.models import Allegation, IncidentAction, IncidentType, ReferralMethod
from incidents.services.allegations import ALLEGATION
from people.models import Role

from ..conftest import PortalClient
from ..factories import make_user
from .casework import assess, record_case
from .pupilwork import pupil_with_parent, record

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

THREADS = 10
S = Allegation.Status


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole transactions): set DATABASE_URL")


def _all_at_once(clients, url, data):
    """Every client posts `data` to `url` at the same moment; returns (status, html) per client."""
    start = threading.Barrier(len(clients))
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post(client):
        try:
            start.wait(timeout=30)
            response = client.post(url, data)
            result = (response.status_code, response.content.decode())
        except Exception as exc:  # anything else fails the test below, with its name
            result = (0, repr(exc))
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == len(clients)
    return outcomes


def _signed_in(users):
    clients = []
    for user in users:
        client = PortalClient()
        client.force_login(user)
        client.raise_request_exception = False
        clients.append(client)
    return clients


def test_ten_safeguarding_leads_recording_the_lado_referral_at_once_record_it_once(school, subject):
    leads = [make_user(Role.DSL, Role.STAFF, school=school) for _ in range(THREADS)]
    case = assess(leads[0], record_case(leads[0], school, subject))
    referred_at = timezone.localtime(timezone.now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    outcomes = _all_at_once(
        _signed_in(leads),
        reverse("incidents:allegation_step", kwargs={"pk": case.pk, "step": "refer"}),
        {
            "referred_at": referred_at,
            "referral_method": ReferralMethod.PHONE,
            "lado_name": "Jo Whitfield",
            "lado_contact": "lado@example.org",
            "confirm": "yes",
        },
    )

    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [200] * (THREADS - 1) + [302], outcomes
    conflict = escape(ALLEGATION.state_refusal(Allegation(status=S.REFERRED_TO_LADO), "refer"))
    assert conflict.startswith("This case is ‘Referred to the LADO’, so it cannot be")
    for status, html in outcomes:
        if status == 200:
            assert conflict in html
    case.refresh_from_db()
    assert case.status == S.REFERRED_TO_LADO
    assert case.referred_by in leads
    assert (
        AuditEvent.objects.filter(action="incidents.allegation.refer_to_lado", target_id=str(case.pk)).count()
        == 1
    )


def test_ten_safeguarding_leads_completing_one_incident_action_at_once_complete_it_once(school):
    leads = [make_user(Role.DSL, Role.STAFF, school=school) for _ in range(THREADS)]
    incident = record(
        leads[0],
        school,
        IncidentType.IMPROPER_CONTACT,
        pupils=[pupil_with_parent(school)],
        adult_description="An adult they met online",
    )
    action = incident.actions.exclude(kind__in=["inform_parents", "warn_parents"]).first()
    outcomes = _all_at_once(
        _signed_in(leads),
        reverse("incidents:incident_action_finish", kwargs={"pk": incident.pk, "action_pk": action.pk}),
        {"note": "Dealt with."},
    )

    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [200] * (THREADS - 1) + [302], outcomes
    for status, html in outcomes:
        if status == 200:
            assert escape("This action is already ‘Done’.") in html
    action.refresh_from_db()
    assert action.status == IncidentAction.Status.DONE
    assert action.finished_by in leads
    assert (
        AuditEvent.objects.filter(
            action="incidents.pupil_incident.action_done", target_id=str(incident.pk)
        ).count()
        == 1
    )
