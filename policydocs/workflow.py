"""The policy version's workflow: draft → ratified → superseded, in one table (`core.workflow`).

A head records the governors' ratification of a draft, which makes it the current policy; the version
it replaces is superseded in the same step, by the portal. A draft that will not be ratified is
discarded (deleted): a ratified or superseded version is the record and stays.
"""

from core import formats
from core.workflow import Step, Workflow

from . import policies
from .models import PolicyVersion, VersionStatus

S = VersionStatus


def may_keep(actor, version: PolicyVersion) -> bool:
    """The heads of the version's federation keep its versions; None is the portal itself (the demo data)."""
    return actor is None or policies.can_manage_policy_of(actor, version.policy.federation_id)


def _wrong_state(version: PolicyVersion, step: Step) -> str:
    """Why the version's state rules the step out, in words a head can act on."""
    if step.name == "discard":
        return (
            f"{version.label} has been ratified: a ratified version is part of the record and cannot be "
            "discarded."
        )
    if version.status == S.SUPERSEDED:
        when = formats.day(version.superseded_at)
        return (
            f"{version.label} was superseded on {when} and cannot change any more. To bring its text back, "
            "import it again as a new version."
        )
    if version.status == S.RATIFIED and step.target == S.RATIFIED:
        return f"{version.label} is already ratified: it is the current policy."
    if version.status == S.DRAFT and step.target == S.SUPERSEDED:
        return f"{version.label} is a draft: only a ratified version is superseded."
    return f"{version.label} cannot move from {version.get_status_display().lower()} to {S(step.target).label.lower()}."


VERSION = Workflow(
    model=PolicyVersion,
    audit="policydocs.version",
    noun="version",
    wrong_state=_wrong_state,
    steps=[
        Step(
            "ratify",
            {S.DRAFT},
            S.RATIFIED,
            label="Record its ratification",
            done="ratified",
            may=may_keep,
        ),
        # Taken by the portal within a ratification: a policy has one ratified version at a time.
        Step("supersede", {S.RATIFIED}, S.SUPERSEDED, done="superseded"),
        # Not a move: the draft is deleted (its audit event is the tombstone).
        Step("discard", {S.DRAFT}, None, label="Discard the draft", done="discarded", may=may_keep),
    ],
)
