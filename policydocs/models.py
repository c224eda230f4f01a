"""The policy as a living document: its versions, numbered sections and clauses, and staff
acknowledgements (read-and-sign).

Other apps may cite a clause by string foreign key ("policydocs.Clause"); nothing here imports
them. Report jobs live in `policydocs.reports.models` (imported at the bottom so that Django
registers them with this app). Statuses change only through `policydocs.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from people.models import Federation, Person, TimeStampedModel


class Policy(TimeStampedModel):
    """A policy of the federation, for example its Use of Social Media Policy."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="policies")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)

    class Meta:
        verbose_name_plural = "policies"
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "slug"], name="policy_slug_unique_in_federation")
        ]

    def __str__(self):
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RATIFIED = "ratified", "Ratified"
    SUPERSEDED = "superseded", "Superseded"


class PolicyVersion(TimeStampedModel):
    """One text of a policy. A draft is imported, ratified once, and superseded by the next ratified
    version; at most one version of a policy is ratified (current) at a time."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(help_text="1 for the first version imported, then 2, 3, ...")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="The whole text, as Markdown.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the body: what staff confirm.")
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    source_name = models.CharField(max_length=255, blank=True, help_text="The file it was imported from.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ratified_by = models.CharField(
        "ratified by",
        max_length=200,
        blank=True,
        help_text="Who ratified it, for example a governors' committee.",
    )
    ratified_on = models.DateField(null=True, blank=True)
    review_due_on = models.DateField("review due", null=True, blank=True)
    ratified_at = models.DateTimeField(null=True, blank=True, help_text="When the ratification was recorded.")
    ratification_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policy_version_number_unique"),
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status=VersionStatus.RATIFIED),
                name="policy_one_ratified_version",
                violation_error_message="The policy already has a ratified version.",
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT)
                | (
                    ~Q(ratified_by="")
                    & Q(ratified_on__isnull=False, review_due_on__isnull=False, ratified_at__isnull=False)
                ),
                name="policy_version_ratified_has_details",
            ),
            models.CheckConstraint(
                condition=Q(review_due_on__isnull=True)
                | Q(ratified_on__isnull=True)
                | Q(review_due_on__gt=F("ratified_on")),
                name="policy_version_review_after_ratification",
            ),
            models.CheckConstraint(
                condition=~Q(status=VersionStatus.SUPERSEDED) | Q(superseded_at__isnull=False),
                name="policy_version_superseded_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.policy.title}, version {self.number}" if self.policy_id else f"Version {self.number}"

    def get_absolute_url(self):
        return reverse("policydocs:version_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"Version {self.number}"

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_current(self) -> bool:
        """Ratified: the policy staff read and confirm."""
        return self.status == VersionStatus.RATIFIED

    @property
    def is_superseded(self) -> bool:
        return self.status == VersionStatus.SUPERSEDED


class Section(models.Model):
    """A numbered section of a version (cited as §N)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="The section's text, as Markdown.")

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="section_number_unique")]

    def __str__(self):
        return f"§{self.number} {self.title}"


class Clause(models.Model):
    """A bulleted rule of a section, numbered "<section>.<position>" (for example 6.3).

    Other records cite clauses (the §6 Terms of Use, the §7 and §8 rules) by this row.
    """

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="clauses")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=10, help_text='"6.3": section and position.')
    text = models.TextField()

    class Meta:
        ordering = ["section__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="clause_position_unique"),
            models.UniqueConstraint(fields=["version", "number"], name="clause_number_unique_in_version"),
        ]

    def __str__(self):
        return f"§{self.number}"


class Acknowledgement(TimeStampedModel):
    """A member of staff's confirmation that they read one version (read-and-sign).

    The version's hash at the time is kept with it, so the record shows exactly which text was
    confirmed. New staff also confirm that they checked their existing social media posts (§7).
    """

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="policy_acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    posts_checked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When they confirmed checking their existing social media posts (§7, new staff).",
    )

    class Meta:
        ordering = ["-acknowledged_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], name="acknowledgement_once_per_version")
        ]
        indexes = [models.Index(fields=["person", "version"], name="ack_person_version_idx")]

    def __str__(self):
        return f"Acknowledgement {self.pk}"


from .reports.models import ReportJob  # noqa: E402, F401  (registers the report jobs with this app)
