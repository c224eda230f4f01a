"""Follow-up actions of a pupil incident (§8) or a cyberbullying report (§10): open → done | waived.

One workflow for both kinds of case: the case's team takes the steps, and each step is recorded in the
case's history (the audit events are written on the case, under its own name). A notice to parents is
done by sending it; a referral to the police once the police's reference is recorded (§10).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.workflow import InvalidTransition, Step, Workflow, transition
from notifications.recipients import contactable_parents_of

from .. import notices, policies
from ..models import ActionKind, CyberbullyingReport, IncidentAction, PupilIncident

A = IncidentAction.Status


def _case_is_closed(action: IncidentAction) -> bool:
    if action.incident_id is not None:
        return action.incident.status == PupilIncident.Status.CLOSED
    return action.report.status == CyberbullyingReport.Status.CLOSED


def _works_case(actor, action: IncidentAction) -> bool:
    if action.incident_id is not None:
        return policies.can_work_pupil_incident(actor, action.incident)
    return policies.can_decide_cyberbullying(actor, action.report)


def _not_the_team(action: IncidentAction) -> str:
    case = "incident" if action.incident_id is not None else "report"
    return f"Only the school's safeguarding team works this {case}."


def _closed_case(action: IncidentAction) -> str:
    case = "incident" if action.incident_id is not None else "report"
    return f"This {case} is closed: its actions can no longer change."


def _wrong_state(action: IncidentAction, step: Step) -> str:
    if _case_is_closed(action):
        return _closed_case(action)
    return f"This action is already ‘{action.get_status_display()}’."


def _audit_prefix(action: IncidentAction) -> str:
    return f"incidents.{'pupil_incident' if action.incident_id is not None else 'cyberbullying'}"


INCIDENT_ACTION = Workflow(
    model=IncidentAction,
    audit=_audit_prefix,
    audit_target=lambda action: action.case,
    noun="action",
    steps=[
        Step(
            "complete",
            {A.OPEN},
            A.DONE,
            label="Mark as done",
            done="done",
            may=_works_case,
            refused=_not_the_team,
            audit="action_done",
        ),
        Step(
            "send_notice",
            {A.OPEN},
            A.DONE,
            label="Send notice",
            done="sent",
            may=_works_case,
            refused=_not_the_team,
            audit="action_done",
        ),
        Step(
            "waive",
            {A.OPEN},
            A.WAIVED,
            label="Waive with this reason",
            done="waived",
            may=_works_case,
            refused=_not_the_team,
            audit="action_waived",
        ),
    ],
    wrong_state=_wrong_state,
)

# The relations a step reads: the case (who works it, whether it is closed), the pupil (a notice's parents).
_RELATED = ("incident__school", "report__school", "pupil")


def is_open(action: IncidentAction) -> bool:
    """Still to do: neither done nor waived."""
    return action.status == A.OPEN


def sent_by_notice(action: IncidentAction) -> bool:
    """A notice to parents is done by sending it, never by ticking it off."""
    return action.kind in notices.PARENT_TEMPLATES


def action_steps(actor, action: IncidentAction) -> frozenset[str]:
    """The steps `actor` may take on the follow-up now: the workflow's, and of "done" the one that fits its
    kind (a notice is sent; anything else is marked done). None once its case is closed."""
    if _case_is_closed(action):
        return frozenset()
    names = set(INCIDENT_ACTION.allowed_names(actor, action))
    names.discard("complete" if sent_by_notice(action) else "send_notice")
    return frozenset(names)


def _finishing(actor, note: str, data: dict | None = None):
    """The step's own changes: who finished it and when, and what the audit keeps of it."""

    def apply(row: IncidentAction) -> dict:
        if _case_is_closed(row):
            raise InvalidTransition(_closed_case(row), code="invalid_transition")
        row.note, row.finished_at, row.finished_by = note, timezone.now(), actor
        return {"action_id": row.pk, "kind": row.kind, **(data or {})}

    return apply


@transaction.atomic
def incident_action_complete(
    *, actor, action: IncidentAction, note: str = "", reference: str = ""
) -> IncidentAction:
    """Mark a follow-up done. Parent notices are done by sending them (`incident_parent_notice_send`);
    a referral to the police is done once the police's reference is recorded (§10)."""
    reference = (reference or "").strip()
    finish = _finishing(actor, (note or "").strip(), {"reference": reference} if reference else None)

    def apply(row: IncidentAction) -> dict:
        if sent_by_notice(row):
            raise ValidationError(
                {"note": "Send the notice to the parents and carers, or waive it with a reason."},
                code="send_notice",
            )
        if row.kind == ActionKind.REFER_POLICE and not reference:
            raise ValidationError(
                {"reference": "Enter the reference the police gave for the referral (the crime number)."},
                code="required",
            )
        row.reference = reference
        return finish(row)

    row, _event = transition(
        INCIDENT_ACTION, "complete", record=action, actor=actor, related=_RELATED, apply=apply
    )
    return row


@transaction.atomic
def incident_action_waive(*, actor, action: IncidentAction, reason: str) -> IncidentAction:
    """Decide not to take a follow-up, with the reason written down (audited)."""
    reason = (reason or "").strip()
    finish = _finishing(actor, reason)

    def apply(row: IncidentAction) -> dict:
        if not reason:
            raise ValidationError({"reason": "Say why this action is not being taken."}, code="required")
        return finish(row)

    row, _event = transition(
        INCIDENT_ACTION, "waive", record=action, actor=actor, related=_RELATED, apply=apply
    )
    return row


@transaction.atomic
def incident_parent_notice_send(*, actor, action: IncidentAction, template: str) -> list:
    """Send the chosen parent notice to the pupil's contactable parents and carers, by the channel each prefers;
    the action is then done. Refused, with what to do, when no parent or carer may be contacted."""
    sent: list = []

    def apply(row: IncidentAction) -> dict:
        choices = notices.PARENT_TEMPLATES.get(row.kind)
        if choices is None:
            raise ValidationError("This action does not send a notice to parents.", code="not_a_notice")
        if template not in choices:
            raise ValidationError({"template": "Choose one of the notices offered."}, code="invalid_choice")
        if not contactable_parents_of(row.pupil_id):
            raise ValidationError(
                {
                    "template": "No parent or carer of this pupil may be contacted: waive this action and say how "
                    "they will be reached."
                },
                code="no_contactable_parent",
            )
        sent.extend(notices.parent_notice(action=row, template=template, actor=actor))
        return _finishing(actor, "", {"template": template, "recipients": len(sent)})(row)

    transition(INCIDENT_ACTION, "send_notice", record=action, actor=actor, related=_RELATED, apply=apply)
    return sent
