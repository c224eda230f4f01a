"""The redaction review: the portal proposes, a person decides each one and adds their own.

Every decision is audited on the request as a "redact" step naming the redaction by id and kind: the
redacted text never goes into the audit trail or a log.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.workflow import transition

from .. import policies
from ..models import AccessRequest, Decision, Redaction, RedactionKind
from ..pack import output, redaction
from ..pack.assembly import assemble
from ..pack.records import Mention
from ..workflow import ACCESS_REQUEST

PHRASE_MAX = 200


def _key(row: Redaction):
    return Mention(kind=row.kind, found_in="", phrase=row.phrase, note_id=row.note_id).key


def propose(request: AccessRequest) -> int:
    """Add a proposed redaction for each mention in the pack not already on the request; how many."""
    known = {_key(row) for row in request.redactions.all()}
    new = [
        Redaction(
            request=request,
            kind=mention.kind,
            phrase=mention.phrase if not mention.note_id else "",
            note_id=mention.note_id,
            found_in=mention.found_in[:300],
        )
        for mention in assemble(request).mentions
        if mention.key not in known
    ]
    Redaction.objects.bulk_create(new)
    return len(new)


def _redact(*, actor, request: AccessRequest, apply):
    row, _ = transition(
        ACCESS_REQUEST,
        "redact",
        record=request,
        actor=actor,
        queryset=policies.requests_visible_to(actor),
        apply=apply,
    )
    return row


def redactions_refresh(*, actor, request: AccessRequest) -> int:
    """Look again for people and third-party notes added to the records since the review began."""
    found = {}

    def apply(row):
        found["count"] = propose(row)
        return {"proposed": found["count"]}

    _redact(actor=actor, request=request, apply=apply)
    return found["count"]


def redaction_decide(*, actor, redaction_id: int, request: AccessRequest, decision: str) -> Redaction:
    """Accept (redact) or reject (keep) one proposed redaction; a decision may be changed until release."""
    if decision not in (Decision.ACCEPTED, Decision.REJECTED):
        raise ValidationError({"decision": "Choose to redact it or to keep it."})
    found = {}

    def apply(row):
        item = Redaction.objects.select_for_update().filter(request=row, pk=redaction_id).first()
        if item is None:
            raise ValidationError("That redaction is not part of this request.", code="missing")
        before = item.decision
        item.decision, item.decided_by, item.decided_at = decision, actor, timezone.now()
        item.save(update_fields=["decision", "decided_by", "decided_at"])
        found["item"] = item
        return {"redaction": item.pk, "kind": item.kind, "decision": [before, decision]}

    _redact(actor=actor, request=request, apply=apply)
    return found["item"]


def redaction_add_phrase(*, actor, request: AccessRequest, phrase: str) -> Redaction:
    """Add the reviewer's own redaction: a phrase taken out wherever it appears in the pack."""
    phrase = " ".join((phrase or "").split())
    if not phrase:
        raise ValidationError({"phrase": "Enter the words to redact."}, code="required")
    if len(phrase) > PHRASE_MAX:
        raise ValidationError({"phrase": f"Keep a phrase to {PHRASE_MAX} characters."}, code="max_length")
    if len(phrase) < 2:
        raise ValidationError({"phrase": "Enter at least two characters."}, code="min_length")
    found = {}

    def apply(row):
        key = Mention(kind=RedactionKind.PHRASE, found_in="", phrase=phrase).key
        if any(_key(item) == key for item in row.redactions.all()):
            raise ValidationError({"phrase": "That phrase is already on the list: decide it there."})
        item = Redaction.objects.create(
            request=row,
            kind=RedactionKind.PHRASE,
            phrase=phrase,
            found_in="Added by the reviewer",
            decision=Decision.ACCEPTED,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        found["item"] = item
        return {"redaction": item.pk, "kind": item.kind, "decision": [None, item.decision]}

    _redact(actor=actor, request=request, apply=apply)
    return found["item"]


def release_files(request: AccessRequest) -> tuple[bytes, bytes, int]:
    """The released PDF and CSV, and how many redactions they apply. Refused while a proposal is
    undecided, or while the records name someone the review has not seen yet."""
    rows = list(request.redactions.all())
    undecided = sum(1 for row in rows if row.decision == Decision.PROPOSED)
    if undecided:
        raise ValidationError(
            f"Decide every proposed redaction first: {undecided} still to decide.", code="undecided"
        )
    pack = assemble(request)
    known = {_key(row) for row in rows}
    if any(mention.key not in known for mention in pack.mentions):
        raise ValidationError(
            "The records have changed since the review began: look for new redactions and decide them.",
            code="stale",
        )
    accepted = [row for row in rows if row.decision == Decision.ACCEPTED]
    redacted = redaction.apply(pack, accepted)
    return output.to_pdf(redacted), output.to_csv(redacted), len(accepted)
