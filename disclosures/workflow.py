"""The steps of a subject access request, as one core.workflow table.

received → assembling → redaction review → released; withdrawn or refused (with the reason) from any
open state; the deadline may be extended once (with the reason) while the request is open.
"""

from core.workflow import Step, Workflow

from . import policies
from .models import AccessRequest

S = AccessRequest.Status
OPEN = {S.RECEIVED, S.ASSEMBLING, S.REDACTION_REVIEW}
# The steps a request's page offers as buttons (redactions are changed on the review page).
PAGE_STEPS = ("assemble", "review", "release", "extend", "withdraw", "refuse")
ONLY_HANDLER = "Only the person who handles subject access requests for the school can do this."

ACCESS_REQUEST = Workflow(
    model=AccessRequest,
    audit="disclosures.request",
    noun="request",
    phrases={
        S.RECEIVED: "received",
        S.ASSEMBLING: "being assembled",
        S.REDACTION_REVIEW: "in redaction review",
        S.RELEASED: "released",
        S.WITHDRAWN: "withdrawn",
        S.REFUSED: "refused",
    },
    steps=[
        Step(
            "assemble",
            {S.RECEIVED},
            S.ASSEMBLING,
            label="Start assembling",
            done="assembled",
            may=policies.can_work_request,
            refused=ONLY_HANDLER,
        ),
        Step(
            "review",
            {S.ASSEMBLING},
            S.REDACTION_REVIEW,
            label="Propose redactions and review them",
            done="sent to redaction review",
            may=policies.can_work_request,
            refused=ONLY_HANDLER,
        ),
        # Deciding a proposed redaction, adding one, or looking again for new ones: the status stays.
        Step(
            "redact",
            {S.REDACTION_REVIEW},
            None,
            label="Change the redactions",
            done="redacted",
            may=policies.can_work_request,
            refused=ONLY_HANDLER,
        ),
        Step(
            "release",
            {S.REDACTION_REVIEW},
            S.RELEASED,
            label="Release the pack",
            done="released",
            may=policies.can_work_request,
            refused=ONLY_HANDLER,
        ),
        Step(
            "extend",
            OPEN,
            None,
            label="Extend the deadline",
            done="extended",
            may=policies.can_work_request,
            refused=ONLY_HANDLER,
            when=lambda request: not request.is_extended,
        ),
        Step(
            "withdraw",
            OPEN,
            S.WITHDRAWN,
            label="Record that it was withdrawn",
            done="withdrawn",
            may=policies.can_work_request,
            refused=ONLY_HANDLER,
        ),
        Step(
            "refuse",
            OPEN,
            S.REFUSED,
            label="Refuse the request",
            done="refused",
            may=policies.can_work_request,
            refused=ONLY_HANDLER,
        ),
    ],
    wrong_state=lambda request, step: (
        "The deadline of this request has already been extended: it can be extended once."
        if step.name == "extend" and request.is_extended and request.status in OPEN
        else None
    ),
)
