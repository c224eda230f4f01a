"""What the policy says needs the Executive Head's or Head of School's sign-off.

Social media service proposals and the approved-services register (§5, §6),
family-link declarations (§7) and publication permissions (§6). Statuses move only
through the services' guarded transitions (`approvals.services`); nothing here
changes a status.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from core import formats
from core.vocabulary import SERVICE_PLATFORM_CHOICES, Platform
from people.models import ClassGroup, Person, School, TimeStampedModel

# --- Social media service proposals (§5, §6) -------------------------------------------------


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


# A service that is running, or could be: at most one such proposal per account.
LIVE_STATUSES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.CHANGES_REQUESTED,
    ProposalStatus.APPROVED,
    ProposalStatus.SUSPENDED,
)
# What the approved-services register lists.
REGISTER_STATUSES = (ProposalStatus.APPROVED, ProposalStatus.SUSPENDED, ProposalStatus.EXPIRED)
# Statuses that carry a decision, and so a decider, a decision time and a review date.
DECIDED_STATUSES = (ProposalStatus.APPROVED, ProposalStatus.SUSPENDED, ProposalStatus.EXPIRED)
# Statuses that are only reached with a reason a person can read.
REASONED_STATUSES = (ProposalStatus.REJECTED, ProposalStatus.CHANGES_REQUESTED, ProposalStatus.SUSPENDED)


class Hosting(models.TextChoices):
    SCHOOL = "school", "Hosted by the school"
    THIRD_PARTY = "third_party", "Hosted by a third party"


class Proposal(TimeStampedModel):
    """A proposal to use a social networking application as part of a school service (§5)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="social_media_proposals")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="social_media_proposals"
    )
    title = models.CharField(max_length=200)
    platform = models.CharField(max_length=20, choices=SERVICE_PLATFORM_CHOICES)
    platform_name = models.CharField(
        max_length=100, blank=True, help_text="The platform's name when it is not in the list."
    )
    minimum_age = models.PositiveSmallIntegerField(
        help_text="The platform's minimum age; pupils younger than this cannot take part."
    )
    account = models.CharField("account name or address", max_length=300)
    purpose = models.TextField()
    hosting = models.CharField(max_length=20, choices=Hosting.choices)
    audience_pupils = models.BooleanField("pupils", default=False)
    audience_parents = models.BooleanField("parents and carers", default=False)
    audience_staff = models.BooleanField("staff", default=False)
    audience_public = models.BooleanField("the public", default=False)
    classes = models.ManyToManyField(ClassGroup, blank=True, related_name="social_media_proposals")
    pupils = models.ManyToManyField(Person, blank=True, related_name="social_media_proposals_joined")
    moderators = models.ManyToManyField(Person, blank=True, related_name="social_media_services_moderated")
    moderation_plan = models.TextField("moderation and content plan")
    safeguard_comment_moderation = models.BooleanField(
        "comments are moderated before they appear, or switched off", default=False
    )
    safeguard_privacy_settings = models.BooleanField("privacy settings are reviewed and set", default=False)
    safeguard_no_personal_details = models.BooleanField(
        "no pupil's personal details are published", default=False
    )
    safeguard_image_consent = models.BooleanField(
        "images of pupils only with recorded consent", default=False
    )
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    terms_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the proposer confirmed the Terms of Use (§6)."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conditions = models.TextField(blank=True, help_text="Conditions the approver attached.")
    review_date = models.DateField(
        null=True, blank=True, help_text="The approval lapses on this day unless it is renewed."
    )
    status_reason = models.TextField(
        blank=True, help_text="The reason given for the latest change of status, when one was needed."
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                F("school"),
                F("platform"),
                Lower("account"),
                condition=Q(status__in=LIVE_STATUSES),
                name="proposal_one_live_per_account",
                violation_error_message="This account already has a live proposal at the school.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED_STATUSES)
                | Q(review_date__isnull=False, decided_by__isnull=False, decided_at__isnull=False),
                name="proposal_decided_has_reviewer_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(platform=Platform.OTHER) | ~Q(platform_name=""),
                name="proposal_other_platform_named",
            ),
            models.CheckConstraint(
                # A draft withdrawn before submission never confirmed them.
                condition=Q(status__in=[ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN])
                | Q(terms_confirmed_at__isnull=False),
                name="proposal_submitted_confirmed_terms",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=REASONED_STATUSES) | ~Q(status_reason=""),
                name="proposal_refusal_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "review_date"], name="proposal_status_review_idx"),
            models.Index(fields=["school", "status"], name="proposal_school_status_idx"),
            # The queue of proposals awaiting a decision (§5), oldest first: its page and its count read
            # this index alone, whatever the number of decided proposals.
            models.Index(
                fields=["submitted_at", "id"],
                include=["school", "proposer"],
                condition=models.Q(status=ProposalStatus.SUBMITTED),
                name="proposal_queue_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("approvals:proposal_detail", args=[self.pk])

    @property
    def platform_label(self) -> str:
        if self.platform == Platform.OTHER:
            return self.platform_name or Platform.OTHER.label
        return self.get_platform_display()

    @property
    def audience_labels(self) -> list[str]:
        names = ["audience_pupils", "audience_parents", "audience_staff", "audience_public"]
        return [self._meta.get_field(n).verbose_name for n in names if getattr(self, n)]

    @property
    def safeguards(self) -> list[tuple[str, bool]]:
        """(safeguard, in place) for each of the four safeguards, in the form's order."""
        names = [
            "safeguard_comment_moderation",
            "safeguard_privacy_settings",
            "safeguard_no_personal_details",
            "safeguard_image_consent",
        ]
        return [(self._meta.get_field(n).verbose_name, getattr(self, n)) for n in names]

    @property
    def is_editable(self) -> bool:
        return self.status in (ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED)


# --- Family-link declarations (§7) ---------------------------------------------------------------


class DeclarationKind(models.TextChoices):
    FAMILY_LINK = "family_link", "Family or friendship link with pupils"
    PARENT_CONNECTION = "parent_connection", "Social media connection with parents or carers"


class Relationship(models.TextChoices):
    PARENT = "parent", "Parent"
    RELATIVE = "relative", "Relative"
    FAMILY_FRIEND = "family_friend", "Family friend"
    OTHER = "other", "Other"


class DeclarationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Declarations that still apply (and so fall due for yearly re-declaration).
OPEN_DECLARATION_STATUSES = (DeclarationStatus.SUBMITTED, DeclarationStatus.ACKNOWLEDGED)


class Declaration(TimeStampedModel):
    """A member of staff's written declaration to the Executive Head or Head of School (§7).

    Either a legitimate family or friendship link with pupils of the school, or a social
    media connection with parents or carers (discouraged by §7, declared for transparency).
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="declarations")
    declarant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(max_length=20, choices=DeclarationKind.choices)
    relationship = models.CharField(max_length=20, choices=Relationship.choices, blank=True)
    platform = models.CharField(max_length=20, choices=SERVICE_PLATFORM_CHOICES, blank=True)
    pupils = models.ManyToManyField(Person, blank=True, related_name="declared_family_links")
    parents = models.ManyToManyField(Person, blank=True, related_name="declared_parent_connections")
    statement = models.TextField()
    status = models.CharField(
        max_length=20, choices=DeclarationStatus.choices, default=DeclarationStatus.SUBMITTED
    )
    declared_on = models.DateField(help_text="The date of the written declaration, renewed each year.")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-declared_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=DeclarationKind.FAMILY_LINK, platform="") & ~Q(relationship="")
                    | Q(kind=DeclarationKind.PARENT_CONNECTION, relationship="") & ~Q(platform="")
                ),
                name="declaration_fields_match_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeclarationStatus.ACKNOWLEDGED)
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="declaration_acknowledged_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="declaration_school_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({formats.day(self.declared_on)})"

    def get_absolute_url(self):
        return reverse("approvals:declaration_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DECLARATION_STATUSES


# --- Publication permissions (§6) ---------------------------------------------------------------


class PermissionStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"


class PublicationPermission(TimeStampedModel):
    """Prior permission, agreed with the Executive Head, for a post that refers to a member of
    staff, a pupil, a parent or a school activity or event (§6)."""

    service = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="publication_permissions")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="publication_permissions")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="publication_permissions"
    )
    post_text = models.TextField("what the post says")
    staff = models.ManyToManyField(Person, blank=True, related_name="publication_permissions_as_staff")
    pupils = models.ManyToManyField(Person, blank=True, related_name="publication_permissions_as_pupil")
    parents = models.ManyToManyField(Person, blank=True, related_name="publication_permissions_as_parent")
    event = models.CharField("school activity or event", max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=PermissionStatus.choices, default=PermissionStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="The reason for declining, or a note on agreeing.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=PermissionStatus.REQUESTED)
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="permission_decided_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status=PermissionStatus.DECLINED) | ~Q(decision_note=""),
                name="permission_decline_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="permission_school_status_idx")]

    def __str__(self):
        return f"Publication permission #{self.pk}"

    def get_absolute_url(self):
        return reverse("approvals:permission_detail", args=[self.pk])
