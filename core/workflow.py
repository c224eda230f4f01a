"""Workflows: each record type declares its steps in one table; every step is taken through `transition`.

A workflow is a table of steps (`Step`): the statuses a step may be taken from, the status it leads to,
who may take it and how it reads on a button and in a refusal. `transition` is the one guarded write:

1. lock the row (re-read through the caller's queryset, so a record the actor may no longer see is 404);
2. check who (`Step.may`, PermissionDenied) and when (`Step.sources`, InvalidTransition);
3. let the step make its own changes (`apply`, which may raise ValidationError: nothing is saved);
4. set the status, save, and write one audit event `{"status": [old, new], ...}`;
5. queue the step's notices in the same transaction (the outbox sends them after commit).

Pages ask `Workflow.allowed_steps(actor, record)` for the buttons to show and `Workflow.refusal` for
why a step is not on offer: the step a page offers is the step the service accepts, and no template
compares a status.

    PROPOSAL = Workflow(
        model=Proposal, audit="approvals.proposal", noun="proposal",
        steps=[Step("approve", {S.SUBMITTED}, S.APPROVED, label="Approve", done="approved",
                    may=policies.can_decide_proposal, refused="Only ... can approve.")],
    )
    proposal, event = transition(PROPOSAL, "approve", record=proposal, actor=user, apply=...)
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from audit.services import audit_record


class InvalidTransition(ValidationError):
    """The record is not in a state that allows this step: a wrong "when", never a wrong "who"."""


@dataclass(frozen=True)
class Step:
    """One row of a workflow's table.

    `sources` are the statuses the step may be taken from; `target` the status it leads to (None: the
    status stays, as for a renewal or a note). `may(actor, record)` says who may take it (None: the
    caller has checked, or the portal itself acts); `refused` is the message when they may not, or a
    function of the record giving it. `label` is the step on a button ("Approve"), `done` the step in a
    sentence ("approved": "it can be approved only while ..."). `audit` names the audit action when it
    differs from `name`. `when(record)` is a further condition of the record's own, beyond its status
    (a notice's channel, say): where it fails, the step is refused as a wrong state and not on offer.
    """

    name: str
    sources: frozenset[str]
    target: str | None
    label: str = ""
    done: str = ""
    may: Callable | None = None
    refused: str | Callable = "You cannot take this step."
    audit: str = ""
    when: Callable | None = None

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))

    def fits(self, status: str, record) -> bool:
        """May the step be taken from `status`, on this record (the "when", never the "who")?"""
        return status in self.sources and (self.when is None or bool(self.when(record)))

    def refusal_for(self, record) -> str:
        return self.refused(record) if callable(self.refused) else self.refused


def _join(words: list[str], conjunction: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


@dataclass
class Workflow:
    """A record type's steps, and the facts `transition` needs to take them.

    `phrases` says each status after "it is" ("a draft", "approved"); missing ones read as the status's
    label in lower case. `wrong_state(record, step)` may replace the standard refusal (returning None
    keeps it). `stamp` names a field set to the time of every status change. `audit` is the prefix of
    the audit actions, or a function of the record giving it; `audit_target(record)` is the record the
    events are written on when it is not the record itself (a follow-up's events belong to its case's
    history).
    """

    model: type[Model]
    audit: str | Callable
    noun: str
    steps: Iterable[Step]
    phrases: dict[str, str] = field(default_factory=dict)
    status_field: str = "status"
    stamp: str = ""
    wrong_state: Callable | None = None
    audit_target: Callable | None = None

    def __post_init__(self):
        self.steps = {step.name: step for step in self.steps}

    def __getitem__(self, name: str) -> Step:
        return self.steps[name]

    def status_of(self, record) -> str:
        return getattr(record, self.status_field)

    def phrase(self, status: str) -> str:
        if status in self.phrases:
            return self.phrases[status]
        choices = dict(self.model._meta.get_field(self.status_field).flatchoices)
        return str(choices.get(status, status)).lower()

    def state_refusal(self, record, name: str) -> str | None:
        """Why the record's state rules the step out, or None when it does not."""
        step = self.steps[name]
        if step.fits(self.status_of(record), record):
            return None
        special = self.wrong_state(record, step) if self.wrong_state is not None else None
        if special:
            return special
        allowed = _join(sorted(self.phrase(status) for status in step.sources), "or")
        return (
            f"This {self.noun} is {self.phrase(self.status_of(record))}: "
            f"it can be {step.done or step.name} only while it is {allowed}."
        )

    def may(self, actor, record, name: str) -> bool:
        step = self.steps[name]
        return step.may is None or bool(step.may(actor, record))

    def refusal(self, actor, record, name: str) -> str | None:
        """Why `actor` cannot take the step on `record` now (who first, then when), or None when they can."""
        if not self.may(actor, record, name):
            return self.steps[name].refusal_for(record)
        return self.state_refusal(record, name)

    def allowed_steps(self, actor, record) -> list[Step]:
        """The steps `actor` may take on `record` in its present state, in the table's order."""
        return [
            step
            for step in self.steps.values()
            if step.fits(self.status_of(record), record) and self.may(actor, record, step.name)
        ]

    def allowed_names(self, actor, record) -> frozenset[str]:
        return frozenset(step.name for step in self.allowed_steps(actor, record))

    def check(self, actor, record, name: str) -> Step:
        """Raise PermissionDenied (who) or InvalidTransition (when) unless the step may be taken."""
        step = self.steps[name]
        if not self.may(actor, record, name):
            raise PermissionDenied(step.refusal_for(record))
        refusal = self.state_refusal(record, name)
        if refusal is not None:
            raise InvalidTransition(refusal, code="invalid_transition")
        return step


def lock(queryset: QuerySet, *, related: Iterable[str] = (), **lookup):
    """The row matching `lookup` in `queryset`, locked for update until the transaction ends; Http404
    when the queryset (the actor's view of the records) does not hold it.

    Only relations that never change should be joined: after waiting for the lock, PostgreSQL re-reads
    the locked row but not the rows joined to it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() holds its lock until the transaction ends: call it inside one.")
    locked = queryset.select_for_update(of=("self",))
    if related:  # select_related() with no names would join every relation
        locked = locked.select_related(*related)
    row = locked.filter(**lookup).first()
    if row is None:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches.")
    return row


@transaction.atomic
def transition(
    workflow: Workflow,
    name: str,
    *,
    record,
    actor,
    queryset: QuerySet | None = None,
    related: Iterable[str] = (),
    apply: Callable | None = None,
    data: dict | None = None,
    notify: Callable | None = None,
):
    """Take step `name` on `record` for `actor`; returns (the locked and saved row, its audit event).

    `queryset` is where the row is looked up (the actor's visible records; all rows by default).
    `apply(row)` makes the step's own changes and checks, and may raise ValidationError (then nothing is
    saved); a dict it returns joins the audit data. `notify(row, event)` queues the step's notices in
    the same transaction. The caller's `record` shows the new state too.
    """
    source = queryset if queryset is not None else workflow.model._default_manager.all()
    row = lock(source, related=related, pk=record.pk)
    step = workflow.check(actor, row, name)
    before = workflow.status_of(row)
    data = dict(data or {})
    if apply is not None:
        data.update(apply(row) or {})
    after = step.target if step.target is not None else before
    setattr(row, workflow.status_field, after)
    if workflow.stamp and after != before:
        setattr(row, workflow.stamp, timezone.now())
    # A savepoint: a constraint the save breaks leaves the caller's transaction usable.
    with transaction.atomic():
        row.save()
    prefix = workflow.audit(row) if callable(workflow.audit) else workflow.audit
    event = audit_record(
        actor=actor,
        action=f"{prefix}.{step.audit or step.name}",
        target=workflow.audit_target(row) if workflow.audit_target is not None else row,
        school=getattr(row, "school_id", None),
        data={"status": [before, after], **data},
    )
    if notify is not None:
        notify(row, event)
    if record is not row:
        for concrete in type(row)._meta.concrete_fields:
            setattr(record, concrete.attname, getattr(row, concrete.attname))
    return row, event
