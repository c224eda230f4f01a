"""Allegations about adults, with the LADO workflow (§9, KCSIE part four), the steps §9 holds until
the LADO has advised, and the DSL's review of repeated low-level concerns."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from people.models import Person, School, TimeStampedModel

from .concerns import Concern

# --- Allegations about adults (§9, KCSIE part four) -------------------------------------------------


class Source(models.TextChoices):
    PARENT = "parent", "A parent or carer"
    STAFF = "staff", "A member of staff"
    PUPIL = "pupil", "A pupil"
    OTHER = "other", "Someone else"
    ANONYMOUS = "anonymous", "Anonymous"


class CaseManager(models.TextChoices):
    """KCSIE part four: the Executive Head manages the case, unless they are its subject."""

    EXECUTIVE_HEAD = "executive_head", "Executive Head"
    CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"


class Outcome(models.TextChoices):
    """The five outcomes KCSIE part four defines, and no others. Labels say "allegation" where the bare word
    would mislead a reader ("Outcome: False" reads as a yes/no answer)."""

    SUBSTANTIATED = "substantiated", "Substantiated"
    FALSE = "false", "False allegation"
    MALICIOUS = "malicious", "Malicious allegation"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    UNFOUNDED = "unfounded", "Unfounded"


class ReferralMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    FORM = "form", "The LADO's referral form"


# The LADO referrals list's first sort key: cases still awaiting referral come first. The list and
# its index share this one expression, so that PostgreSQL reads the first page from the index.
AWAITING_REFERRAL_FIRST = Case(
    When(status="recorded", then=Value(0)), default=Value(1), output_field=IntegerField()
)


class Allegation(TimeStampedModel):
    """A disclosure that an adult working at a school used social media inappropriately (§9)."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        REFERRED_TO_LADO = "referred_to_lado", "Referred to the LADO"
        LADO_ADVICE_RECORDED = "lado_advice_recorded", "LADO advice recorded"
        INVESTIGATING = "investigating", "Investigating"
        OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
        LOW_LEVEL_CONCERN = "low_level_concern", "Low-level concern"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    concern = models.OneToOneField(
        Concern, null=True, blank=True, on_delete=models.SET_NULL, related_name="allegation"
    )
    pupil_incident = models.OneToOneField(
        "PupilIncident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allegation",
        help_text="The improper-contact incident (§8) that opened this case, when one did.",
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.RECORDED)
    received_at = models.DateTimeField(help_text="When the disclosure reached the school.")
    received_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    reporter = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reporter_name = models.CharField(
        max_length=200, blank=True, help_text="Who disclosed it, when they are not in the registry."
    )
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    case_manager = models.CharField(max_length=30, choices=CaseManager.choices)
    platforms = models.JSONField(default=list, blank=True)
    platform_other = models.CharField(max_length=200, blank=True)
    what_happened = models.TextField(help_text="What was seen or said.")
    clauses = models.JSONField(default=list, blank=True, help_text="Codes from incidents.clauses.")

    # The LADO referral deadline: one working day from receipt (a setting), and its half-way point.
    referral_due_at = models.DateTimeField()
    referral_half_at = models.DateTimeField()

    # The harm threshold: the four tests of KCSIE part four, as assessed.
    harm_to_child = models.BooleanField(null=True)
    criminal_offence = models.BooleanField(null=True)
    risk_to_children = models.BooleanField(null=True)
    unsuitable_to_work = models.BooleanField(null=True)
    harm_rationale = models.TextField(blank=True)
    harm_assessed_at = models.DateTimeField(null=True, blank=True)
    harm_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_low_level = models.BooleanField(
        default=False, help_text="Below the harm threshold: handled internally, counted for DSL review."
    )

    # LADO referral.
    referred_at = models.DateTimeField(null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lado_name = models.CharField(max_length=200, blank=True)
    lado_contact = models.CharField(max_length=200, blank=True)
    lado_reference = models.CharField(max_length=100, blank=True)
    referral_method = models.CharField(max_length=10, choices=ReferralMethod.choices, blank=True)

    # LADO advice.
    advice_at = models.DateTimeField(null=True, blank=True)
    advice_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    advice = models.TextField(blank=True)
    police_involved = models.BooleanField(null=True)
    strategy_meeting = models.BooleanField(null=True)
    suspension_advised = models.BooleanField(null=True)
    actions_advised = models.TextField(blank=True)

    investigation_started_at = models.DateTimeField(null=True, blank=True)
    investigation_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Outcome and retention.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_notes = models.TextField(blank=True)
    retain_until = models.DateField(null=True, blank=True)
    removal_due_on = models.DateField(
        null=True, blank=True, help_text="Malicious allegations are removed after the outcome."
    )

    # Source checklist: a parent's disclosure is met with the process explained (§9).
    parent_process_explained_at = models.DateTimeField(null=True, blank=True)
    parent_process_explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["referral_due_at", "id"]
        indexes = [
            models.Index(fields=["status", "referral_due_at"], name="allegation_status_due_idx"),
            models.Index(
                AWAITING_REFERRAL_FIRST, "referral_due_at", "id", name="allegation_awaiting_due_idx"
            ),
            # A school's cases by status; for those awaiting referral, the nearest deadline first.
            models.Index(fields=["school", "status", "referral_due_at"], name="allegation_school_due_idx"),
            models.Index(
                fields=["subject", "is_low_level", "received_at"], name="allegation_subject_low_idx"
            ),
            # The case manager's list counts their cases from the index alone.
            models.Index(fields=["case_manager", "school", "subject"], name="allegation_manager_idx"),
            # The LADO referrals log reads a page of the period's cases in the order received, and
            # counts the period's cases by deadline status from this index alone (PostgreSQL).
            models.Index(
                fields=["received_at", "id"],
                include=[
                    "school",
                    "case_manager",
                    "subject",
                    "status",
                    "is_low_level",
                    "referred_at",
                    "referral_due_at",
                ],
                name="allegation_log_idx",
            ),
            # The low-level review flags count the window's low-level concerns per person and school,
            # reading this index alone.
            models.Index(
                fields=["received_at"],
                include=["id", "subject", "school"],
                condition=Q(is_low_level=True),
                name="allegation_low_window_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject=F("reporter")), name="allegation_subject_not_reporter"
            ),
            models.CheckConstraint(
                condition=~Q(source="staff") | Q(reporter__isnull=False),
                name="allegation_staff_reporter_named",
            ),
            models.CheckConstraint(
                condition=~Q(source="anonymous") | Q(reporter__isnull=True, reporter_name=""),
                name="allegation_anonymous_has_no_reporter",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["referred_to_lado", "lado_advice_recorded", "investigating"])
                | Q(referred_at__isnull=False),
                name="allegation_referred_has_referral",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["lado_advice_recorded", "investigating", "outcome_recorded"])
                | Q(advice_at__isnull=False),
                name="allegation_advised_has_advice",
            ),
            models.CheckConstraint(
                condition=~Q(status="outcome_recorded") | ~Q(outcome=""),
                name="allegation_outcome_recorded_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="low_level_concern") | Q(is_low_level=True),
                name="allegation_low_level_flagged",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="malicious")
                | Q(removal_due_on__isnull=False, retain_until__isnull=True),
                name="allegation_malicious_scheduled_for_removal",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="allegation_closed_has_time",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("incidents:allegation_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"ALG-{self.pk:05d}" if self.pk else "ALG-new"

    @property
    def harm_assessed(self) -> bool:
        return self.harm_assessed_at is not None

    @property
    def harm_threshold_met(self) -> bool:
        """KCSIE part four: any one of the four tests met puts the case on the LADO path."""
        return any(
            (self.harm_to_child, self.criminal_offence, self.risk_to_children, self.unsuitable_to_work)
        )

    @property
    def advice_recorded(self) -> bool:
        return self.advice_at is not None

    @property
    def awaiting_referral(self) -> bool:
        return self.status == self.Status.RECORDED

    def is_overdue(self, now=None) -> bool:
        """Still to be referred to the LADO after its deadline."""
        return self.awaiting_referral and (now or timezone.now()) > self.referral_due_at

    @property
    def referred_late(self) -> bool:
        return self.referred_at is not None and self.referred_at > self.referral_due_at

    @property
    def may_be_cited_in_reference(self) -> bool | None:
        """KCSIE part four: only a substantiated allegation may appear in an employer reference.

        None until an outcome is recorded.
        """
        if not self.outcome:
            return None
        return self.outcome == Outcome.SUBSTANTIATED


class HeldAction(models.TextChoices):
    """Steps §9 holds back until the LADO has advised ("not recommended ... until advice has been given")."""

    SUSPENSION = "suspension", "Suspension of the member of staff"
    DISCIPLINARY_REFERRAL = "disciplinary_referral", "Referral to the disciplinary procedure"
    SUBJECT_INFORMED = "subject_informed", "The subject was told about the allegation"
    PARENTS_NOTIFIED = "parents_notified", "Parents were told"


class CaseAction(models.Model):
    """A step taken on the case that §9 holds until advice: who recorded it, when it was taken."""

    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=30, choices=HeldAction.choices)
    taken_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["taken_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.taken_on}"


class LowLevelReview(models.Model):
    """The DSL's review of a person with repeated low-level concerns. Clears the flag until the next one."""

    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self):
        return f"Review of person {self.subject_id} on {self.reviewed_at:%Y-%m-%d}"
