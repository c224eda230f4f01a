"""The workflow tables of pupil incidents, cyberbullying reports and their follow-ups: the steps each
offers are the steps its services accept, and each step is audited as {"status": [old, new], ...}."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import services
from incidents.models import CyberbullyingReport, IncidentType, PupilIncident

from .cyberwork import report
from .pupilwork import record

pytestmark = pytest.mark.django_db


def _event(action):
    return AuditEvent.objects.get(action=action)


def test_closing_an_incident_is_audited_with_its_status_change(staff_user, dsl_user, school):
    incident = record(staff_user, school, IncidentType.PHONE_NOT_HANDED_IN)
    assert services.PUPIL_INCIDENT.allowed_names(dsl_user, incident) == {"close", "note", "add_file"}
    services.pupil_incident_close(actor=dsl_user, incident=incident)
    event = _event("incidents.pupil_incident.close")
    assert event.data == {"status": ["open", "closed"]}
    assert event.target_id == str(incident.pk) and event.actor == dsl_user
    incident.refresh_from_db()
    assert incident.status == PupilIncident.Status.CLOSED and incident.closed_by == dsl_user
    # Closed: only notes are still offered.
    assert services.PUPIL_INCIDENT.allowed_names(dsl_user, incident) == {"note"}


def test_staff_outside_the_case_team_are_offered_no_step(staff_user, school):
    incident = record(staff_user, school, IncidentType.PHONE_NOT_HANDED_IN)
    assert services.PUPIL_INCIDENT.allowed_names(staff_user, incident) == frozenset()
    with pytest.raises(PermissionDenied):
        services.pupil_incident_close(actor=staff_user, incident=incident)


def test_a_follow_up_done_is_audited_on_its_incident(staff_user, dsl_user, school):
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="Unknown")
    action = incident.actions.get()
    assert services.action_steps(dsl_user, action) == {"complete", "waive"}
    assert services.action_steps(staff_user, action) == frozenset()
    services.incident_action_complete(actor=dsl_user, action=action, note="Reviewed.")
    event = _event("incidents.pupil_incident.action_done")
    assert event.target_id == str(incident.pk)
    assert event.data == {"status": ["open", "done"], "action_id": action.pk, "kind": action.kind}
    action.refresh_from_db()
    assert services.action_steps(dsl_user, action) == frozenset()
    with pytest.raises(InvalidTransition) as again:
        services.incident_action_waive(actor=dsl_user, action=action, reason="Changed my mind.")
    assert again.value.messages == ["This action is already ‘Done’."]


def test_a_notice_action_offers_sending_not_ticking(staff_user, dsl_user, school):
    incident = record(staff_user, school, IncidentType.UNDER_AGE_ACCOUNT, platform="snapchat")
    assert services.action_steps(dsl_user, incident.actions.get()) == {"send_notice", "waive"}


def test_deciding_and_closing_a_report_are_audited_with_their_status_changes(teacher_user, dsl_user, school):
    rep = report(teacher_user, school, perpetrators=[{"kind": "unknown"}])
    assert services.awaiting_decision(rep)
    assert services.CYBERBULLYING.allowed_names(dsl_user, rep) == {"decide", "note", "add_file"}
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    decided = _event("incidents.cyberbullying.decide")
    assert decided.data["status"] == ["reported", "decided"] and decided.data["overridden"] is False
    rep.refresh_from_db()
    assert not services.awaiting_decision(rep)
    action = rep.actions.get()
    services.incident_action_waive(actor=dsl_user, action=action, reason="Handled by the other school.")
    waived = _event("incidents.cyberbullying.action_waived")
    assert waived.target_id == str(rep.pk)
    assert waived.data == {"status": ["open", "waived"], "action_id": action.pk, "kind": action.kind}
    services.cyberbullying_close(actor=dsl_user, report=rep)
    assert _event("incidents.cyberbullying.close").data == {"status": ["decided", "closed"]}
    rep.refresh_from_db()
    assert rep.status == CyberbullyingReport.Status.CLOSED
    assert services.CYBERBULLYING.allowed_names(dsl_user, rep) == {"note"}


def test_a_report_is_not_closed_before_its_decision(teacher_user, dsl_user, school):
    rep = report(teacher_user, school, perpetrators=[{"kind": "unknown"}])
    with pytest.raises(InvalidTransition) as refused:
        services.cyberbullying_close(actor=dsl_user, report=rep)
    assert refused.value.messages == [
        "Record the decision first: a report closes once its decision's actions are done or waived."
    ]
    assert not AuditEvent.objects.filter(action="incidents.cyberbullying.close").exists()
