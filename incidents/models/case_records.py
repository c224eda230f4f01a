"""What a case file holds, whichever kind of case it is: notes, evidence files and follow-up actions.

Each names exactly one case by one of its nullable keys (`case_keys`).
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from people.models import Person, School

from .allegations import Allegation
from .cyberbullying import CyberbullyingReport
from .pupil_incidents import PupilIncident

# The kinds of case a record may belong to, by the name of its key.
CASE_MODELS = {"allegation": Allegation, "incident": PupilIncident, "report": CyberbullyingReport}


class CaseRecord(models.Model):
    """A record kept with exactly one case: a note, an evidence file or a follow-up action."""

    # The names of the keys by which a record names its case (set by `case_keys`).
    key_names: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def case(self):
        """The case the record belongs to: the one whose key is set."""
        for name in self.key_names:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None


def case_keys(related_name: str, *, kinds=tuple(CASE_MODELS), constraint: str = "%(class)s_one_case"):
    """An abstract CaseRecord naming its case by one nullable key per kind (`related_name` on the case),
    with the database holding it to exactly one.

    The reverse names differ by record (notes, files, actions) and Django fills in only the class's and
    the app's names, so the keys are made here rather than declared once on CaseRecord.
    """
    keys = {
        name: models.ForeignKey(
            CASE_MODELS[name], null=True, blank=True, on_delete=models.CASCADE, related_name=related_name
        )
        for name in kinds
    }
    exactly_one = reduce(
        operator.or_, (Q(**{f"{other}__isnull": other != name for other in kinds}) for name in kinds)
    )

    class Meta:
        abstract = True
        constraints = [models.CheckConstraint(condition=exactly_one, name=constraint)]

    return type("CaseKeys", (CaseRecord,), {"__module__": __name__, "Meta": Meta, "key_names": kinds, **keys})


_NoteKeys = case_keys("notes")


class CaseNote(_NoteKeys):
    """An entry in a case file (an allegation, a pupil incident or a cyberbullying report). Append-only:
    a correction is a new note pointing at the old one."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    # Information about or from someone other than the case's people (a relative, an outside agency):
    # proposed for redaction when a subject access request copies the note (UK GDPR art. 15(4)).
    third_party = models.BooleanField(default=False)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="corrections"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(_NoteKeys.Meta):
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Note {self.pk}"


class EvidenceKind(models.TextChoices):
    PNG = "png", "PNG image"
    JPEG = "jpeg", "JPEG image"
    PDF = "pdf", "PDF document"
    TEXT = "text", "Plain text"


CONTENT_TYPES = {
    EvidenceKind.PNG: "image/png",
    EvidenceKind.JPEG: "image/jpeg",
    EvidenceKind.PDF: "application/pdf",
    EvidenceKind.TEXT: "text/plain; charset=utf-8",
}


_FileKeys = case_keys("files")


class EvidenceFile(_FileKeys):
    """A file kept with a case (an allegation, a pupil incident or a cyberbullying report), stored under a
    generated name outside any served path."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    stored_name = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(_FileKeys.Meta):
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"File {self.pk}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


class ActionKind(models.TextChoices):
    INFORM_PARENTS = "inform_parents", "Tell the pupil's parents or carers"
    WARN_PARENTS = "warn_parents", "Warn the pupil's parents or carers about the platform's minimum age"
    NO_CONTACTABLE_PARENT = (
        "no_contactable_parent",
        "No parent or carer may be contacted: decide how to reach them",
    )
    SAFEGUARDING_REVIEW = "safeguarding_review", "The DSL deals with it as a safeguarding matter"
    SUPERVISE_ICT = "supervise_ict", "Use of school ICT only under close supervision"
    CONTACT_NEW_SCHOOL = "contact_new_school", "Contact the former pupil's new school to broker a resolution"
    INVESTIGATE = "investigate", "Investigate under the anti-bullying policy"
    MEET_FAMILY = "meet_family", "Meet the family"
    REFER_POLICE = "refer_police", "Refer to the police as harassment (record their reference)"


class ActionOwner(models.TextChoices):
    DSL = "dsl", "The designated safeguarding lead"
    SLT = "slt", "The senior leadership team"


_ActionKeys = case_keys("actions", kinds=("incident", "report"), constraint="incaction_one_case")


class IncidentAction(_ActionKeys):
    """A follow-up an incident sets in motion: owned, due, then done or waived with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        WAIVED = "waived", "Waived"

    # The case's school, kept on the action itself: a school's open actions are then read from one index
    # instead of through both kinds of case.
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=ActionKind.choices)
    pupil = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.CharField(max_length=10, choices=ActionOwner.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    reference = models.CharField(
        max_length=100, blank=True, help_text="An outside reference, such as the police's crime number."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(_ActionKeys.Meta):
        ordering = ["due_on", "id"]
        # The dashboard's overdue count and nearest due date of open actions.
        indexes = [
            models.Index(fields=["status", "due_on"], name="incaction_status_due_idx"),
            models.Index(fields=["school", "status", "due_on"], name="incaction_school_due_idx"),
        ]
        constraints = [
            *_ActionKeys.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(status="waived") | ~Q(note=""), name="incaction_waived_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(finished_at__isnull=False), name="incaction_finished_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} (due {self.due_on})"

    def is_overdue(self, today=None) -> bool:
        return self.status == self.Status.OPEN and self.due_on < (today or timezone.localdate())


# The foreign key by which a note, a file or an action names its case, by the kind of case.
CASE_FIELDS = {Allegation: "allegation", PupilIncident: "incident", CyberbullyingReport: "report"}
