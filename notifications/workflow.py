"""A notice's delivery steps that a person takes from the delivery log, in one table (`core.workflow`).

The worker's own moves (pending → sending → sent, failed, or pending again for a retry) are not in
this table: see `notifications.sending`, where each is one conditional UPDATE.
"""

from core.workflow import Step, Workflow

from . import policies
from .models import Channel, Notification, Status

S = Status

_REFUSALS = {
    "retry": "Only a notice that failed can be sent again.",
    "cancel": "Only a notice still waiting to be sent can be cancelled.",
    "mark_delivered": "Only a phone call or letter still to do can be marked as delivered.",
}


def may_act(actor, notification: Notification) -> bool:
    """Those who keep the delivery log act on its rows (which rows: `policies.delivery_log_visible_to`)."""
    return policies.can_view_delivery_log(actor)


def _is_manual(notification: Notification) -> bool:
    return notification.channel == Channel.MANUAL


DELIVERY = Workflow(
    model=Notification,
    audit="notifications.notification",
    noun="notice",
    wrong_state=lambda notification, step: _REFUSALS[step.name],
    steps=[
        # From the start: attempts reset, dispatched again.
        Step("retry", {S.FAILED}, S.PENDING, label="Send again", done="sent again", may=may_act),
        Step(
            "mark_delivered",
            {S.PENDING},
            S.SENT,
            label="Mark delivered",
            done="marked as delivered",
            may=may_act,
            audit="delivered",
            # The office phones or writes to a parent who prefers that; a worker sends the rest.
            when=_is_manual,
        ),
        Step("cancel", {S.PENDING}, S.CANCELLED, label="Cancel", done="cancelled", may=may_act),
    ],
)
