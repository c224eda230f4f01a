"""Subject access requests (UK GDPR art. 15): the register, and the redactions each answer goes through.

A request is made by a person in the registry about themselves, or by a parent or carer about their
child, or it is the copy of an allegation record owed to its subject. The answer is a pack of every
record the portal holds about the person; before it is released, a person reviews each redaction the
portal proposes (other pupils, other adults, a sealed reporter, third-party notes) and adds their own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from incidents.models import Allegation, CaseNote
from people.models import Person, School, TimeStampedModel


class RequestKind(models.TextChoices):
    OWN = "own", "About themselves"
    CHILD = "child", "A parent or carer about their child"
    ALLEGATION_COPY = "allegation_copy", "Copy of an allegation record for its subject"


class AccessRequest(TimeStampedModel):
    """One subject access request, from receipt to its answer."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ASSEMBLING = "assembling", "Assembling"
        REDACTION_REVIEW = "redaction_review", "Redaction review"
        RELEASED = "released", "Released"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REFUSED = "refused", "Refused"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    requester = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    allegation = models.ForeignKey(
        Allegation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The allegation whose record is copied, for a copy for its subject.",
    )
    received_on = models.DateField()
    due_on = models.DateField()
    extension_reason = models.TextField(blank=True, max_length=1000)
    answered_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # Why it was withdrawn or refused.
    closing_reason = models.TextField(blank=True, max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What was released, exactly as sent: made once, at release, from the accepted redactions.
    released_pdf = models.BinaryField(null=True, blank=True, editable=False)
    released_csv = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["school", "status", "due_on"], name="sar_school_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="own") | Q(requester=models.F("subject")),
                name="sar_own_is_about_requester",
            ),
            models.CheckConstraint(
                condition=Q(kind="allegation_copy", allegation__isnull=False)
                | (~Q(kind="allegation_copy") & Q(allegation__isnull=True)),
                name="sar_copy_names_allegation",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("received_on")), name="sar_due_after_receipt"
            ),
        ]

    def __str__(self):
        return f"Subject access request {self.pk}"

    def get_absolute_url(self):
        return reverse("disclosures:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"SAR-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.ASSEMBLING, self.Status.REDACTION_REVIEW)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def is_extended(self) -> bool:
        return bool(self.extension_reason)


class RedactionKind(models.TextChoices):
    OTHER_PUPIL = "other_pupil", "Other pupil"
    OTHER_ADULT = "other_adult", "Other adult"
    SEALED_REPORTER = "sealed_reporter", "Confidential reporter"
    THIRD_PARTY_NOTE = "third_party_note", "Third-party information"
    PHRASE = "phrase", "Added by the reviewer"


class Decision(models.TextChoices):
    PROPOSED = "proposed", "To decide"
    ACCEPTED = "accepted", "Redact"
    REJECTED = "rejected", "Keep"


class Redaction(models.Model):
    """One thing to take out of a request's pack: a phrase wherever it appears, or a whole note.

    The portal proposes; a person accepts or rejects each. A phrase added by the reviewer is accepted
    as it is added."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="redactions")
    kind = models.CharField(max_length=20, choices=RedactionKind.choices)
    phrase = models.CharField(max_length=200, blank=True)
    note = models.ForeignKey(CaseNote, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Where the portal found it, as the reviewer reads it ("Pupil incident 12: pupils").
    found_in = models.CharField(max_length=300, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(note__isnull=True) & ~Q(phrase="")) | (Q(note__isnull=False) & Q(phrase="")),
                name="redaction_phrase_or_note",
            ),
        ]

    def __str__(self):
        return f"Redaction {self.pk}"

    @property
    def label(self) -> str:
        return RedactionKind(self.kind).label.lower()

    @property
    def replacement(self) -> str:
        """What the pack shows instead of the redacted text."""
        return f"[redacted: {self.label}]"
