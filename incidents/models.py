"""Concerns reported by staff, and allegations about adults with the LADO workflow (§6, §7, §9;
KCSIE part four).

Nothing here decides who may see what (that is `incidents.policies`) and nothing writes these
rows except `incidents.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from people.links import record_url
from people.models import Person, School, TimeStampedModel


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    X_TWITTER = "x_twitter", "X (Twitter)"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    SNAPCHAT = "snapchat", "Snapchat"
    WHATSAPP = "whatsapp", "WhatsApp or other messaging"
    YOUTUBE = "youtube", "YouTube"
    BLOG_OR_FORUM = "blog_or_forum", "A blog or discussion forum"
    TEXT_OR_PHONE = "text_or_phone", "Text messages or phone"
    OTHER = "other", "Somewhere else"


# --- Concerns: "Report a concern" ------------------------------------------------------------------


class ConcernCategory(models.TextChoices):
    """What a member of staff is reporting, in plain words, and the policy clause behind each."""

    ADULT_CONDUCT = (
        "adult_conduct",
        "An adult who works at the school is using social media in a way that worries me",
    )  # §6, §9
    STAFF_PUPIL_CONTACT = (
        "staff_pupil_contact",
        "A member of staff is in contact with a pupil or former pupil online",
    )  # §7
    WORKING_DAY_USE = (
        "working_day_use",
        "I have seen a pupil or an adult using social media during the working day",
    )  # §7: the named Child Protection person
    COMMUNICATION_DOUBT = (
        "communication_doubt",
        "I am not sure whether a message between a pupil or parent and a member of staff is appropriate",
    )  # §7: the senior leadership team


class Routing(models.TextChoices):
    SLT_AND_DSL = "slt_and_dsl", "The senior leadership team and the designated safeguarding lead"
    DSL = "dsl", "The designated safeguarding lead (the named Child Protection person)"
    SLT = "slt", "The senior leadership team"


# §9 disclosures about an adult go to SLT (and the DSL, who keeps every safeguarding record);
# §7 sends evidence of social media in the working day to the named Child Protection person and
# doubts about pupil/parent–staff communication to a member of SLT.
ROUTES = {
    ConcernCategory.ADULT_CONDUCT: Routing.SLT_AND_DSL,
    ConcernCategory.STAFF_PUPIL_CONTACT: Routing.SLT_AND_DSL,
    ConcernCategory.WORKING_DAY_USE: Routing.DSL,
    ConcernCategory.COMMUNICATION_DOUBT: Routing.SLT,
}
# Categories that are always about one adult: the report names them.
CATEGORIES_ABOUT_AN_ADULT = frozenset({ConcernCategory.ADULT_CONDUCT, ConcernCategory.STAFF_PUPIL_CONTACT})


class Concern(TimeStampedModel):
    """A report filed by a member of staff. Its author sees it and its broad status, never the case."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        TAKEN_FORWARD = "taken_forward", "Taken forward"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=30, choices=ConcernCategory.choices)
    routed_to = models.CharField(max_length=20, choices=Routing.choices)
    subject = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The adult the report is about, when it is about one.",
    )
    what_happened = models.TextField()
    platforms = models.JSONField(default=list, blank=True)
    happened_on = models.DateField(null=True, blank=True)

    class Reach(models.TextChoices):
        """Where the report went when it was filed, kept so that its author is later told what happened
        then, not what today's roles would do."""

        ROUTED = "routed", "As routed"
        WIDER_FOR_SUBJECT = "subject", "Wider: about someone who would usually receive it"
        WIDER_FOR_NO_ONE = "no_one", "Wider: the school lacks a role it goes to"
        NOBODY = "nobody", "No one could be told"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # Blank for a report filed before this was kept.
    reach = models.CharField(max_length=10, choices=Reach.choices, blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(blank=True, help_text="For the safeguarding team only.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "status", "-created_at"], name="concern_school_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(category__in=sorted(c.value for c in CATEGORIES_ABOUT_AN_ADULT))
                | Q(subject__isnull=False),
                name="concern_about_adult_names_them",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="concern_closed_has_time",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return record_url("incidents:concern_detail", self.pk)

    @property
    def reference(self) -> str:
        return f"CON-{self.pk:05d}" if self.pk else "CON-new"

    @property
    def broad_status(self) -> str:
        """What the author is told: that it arrived and whether it is still open; never what was decided."""
        return {
            self.Status.RECEIVED: "Received: waiting for the safeguarding team",
            self.Status.TAKEN_FORWARD: "Being dealt with by the safeguarding team",
            self.Status.CLOSED: "Closed",
        }[self.status]


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
    """The five outcomes KCSIE part four defines, and no others."""

    SUBSTANTIATED = "substantiated", "Substantiated"
    FALSE = "false", "False"
    MALICIOUS = "malicious", "Malicious"
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
        return record_url("incidents:allegation_detail", self.pk)

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


# A note or file belongs to exactly one case.
ONE_CASE = (
    Q(allegation__isnull=False, incident__isnull=True, report__isnull=True)
    | Q(allegation__isnull=True, incident__isnull=False, report__isnull=True)
    | Q(allegation__isnull=True, incident__isnull=True, report__isnull=False)
)


class CaseNote(models.Model):
    """An entry in a case file (an allegation, a pupil incident or a cyberbullying report). Append-only:
    a correction is a new note pointing at the old one."""

    allegation = models.ForeignKey(
        Allegation, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    incident = models.ForeignKey(
        "PupilIncident", null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    report = models.ForeignKey(
        "CyberbullyingReport", null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="corrections"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_CASE, name="casenote_one_case"),
        ]

    def __str__(self):
        return f"Note {self.pk}"

    @property
    def case(self):
        """The allegation, pupil incident or cyberbullying report the note belongs to."""
        if self.allegation_id:
            return self.allegation
        return self.incident if self.incident_id else self.report


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


class EvidenceFile(models.Model):
    """A file kept with a case (an allegation, a pupil incident or a cyberbullying report), stored under a
    generated name outside any served path."""

    allegation = models.ForeignKey(
        Allegation, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    incident = models.ForeignKey(
        "PupilIncident", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    report = models.ForeignKey(
        "CyberbullyingReport", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    stored_name = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_CASE, name="evidencefile_one_case"),
        ]

    def __str__(self):
        return f"File {self.pk}"

    @property
    def case(self):
        """The allegation, pupil incident or cyberbullying report the file belongs to."""
        if self.allegation_id:
            return self.allegation
        return self.incident if self.incident_id else self.report

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


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


# --- Pupil incidents (§8) ----------------------------------------------------------------------------


class IncidentType(models.TextChoices):
    """The breaches §8 names, each with what it sets in motion (see `incidents.services.pupil_incidents`)."""

    SOCIAL_MEDIA_IN_DAY = "social_media_in_day", "Social media accessed during the school day"
    PHONE_NOT_HANDED_IN = "phone_not_handed_in", "Phone not handed in at the start of the day"
    SCHOOL_COMPUTER_SOCIAL = (
        "school_computer_social",
        "A school computer used to reach social networking sites",
    )
    FIREWALL_BREACH = "firewall_breach", "An attempt to get round the school's firewall"
    JOINED_STAFF_SOCIAL = "joined_staff_social", "Tried to join a member of staff's social media area"
    UNDER_AGE_ACCOUNT = "under_age_account", "Holds a social media account below the platform's minimum age"
    IMPROPER_CONTACT = "improper_contact", "Improper contact: an adult contacting a pupil"


class PupilIncident(TimeStampedModel):
    """A §8 breach by one or more pupils, recorded by any member of staff."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=IncidentType.choices)
    pupils = models.ManyToManyField(Person, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    in_school_day = models.BooleanField(help_text="Inside the school day, or outside it.")
    location = models.CharField(max_length=200)
    what_happened = models.TextField()
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    adult = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member of staff whose area the pupil tried to join, or the adult who made contact.",
    )
    adult_description = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["school", "status", "-occurred_at"], name="pupilinc_school_status_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="pupilinc_closed_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(kind="under_age_account") | ~Q(platform=""), name="pupilinc_underage_platform"
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return record_url("incidents:pupil_incident_detail", self.pk)

    @property
    def reference(self) -> str:
        return f"PIN-{self.pk:05d}" if self.pk else "PIN-new"


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


class IncidentAction(models.Model):
    """A follow-up an incident sets in motion: owned, due, then done or waived with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        WAIVED = "waived", "Waived"

    incident = models.ForeignKey(
        PupilIncident, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    report = models.ForeignKey(
        "CyberbullyingReport", null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
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

    class Meta:
        ordering = ["due_on", "id"]
        # The dashboard's overdue count and nearest due date of open actions.
        indexes = [
            models.Index(fields=["status", "due_on"], name="incaction_status_due_idx"),
            models.Index(fields=["school", "status", "due_on"], name="incaction_school_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="waived") | ~Q(note=""), name="incaction_waived_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(finished_at__isnull=False), name="incaction_finished_has_time"
            ),
            models.CheckConstraint(
                condition=Q(incident__isnull=False, report__isnull=True)
                | Q(incident__isnull=True, report__isnull=False),
                name="incaction_one_case",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} (due {self.due_on})"

    @property
    def case(self):
        """The pupil incident or cyberbullying report the action follows up."""
        return self.incident if self.incident_id else self.report

    def is_overdue(self, today=None) -> bool:
        return self.status == self.Status.OPEN and self.due_on < (today or timezone.localdate())


class IctSanction(models.Model):
    """§8: after an attempt on the firewall, school ICT only under close supervision, between two dates."""

    incident = models.ForeignKey(PupilIncident, on_delete=models.CASCADE, related_name="sanctions")
    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["ends_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="ictsanction_ends_after_start"
            ),
            models.UniqueConstraint(fields=["incident", "pupil"], name="ictsanction_one_per_pupil"),
        ]

    def __str__(self):
        return f"ICT under supervision {self.starts_on} to {self.ends_on}"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on <= self.ends_on


# --- Cyberbullying (§10) ----------------------------------------------------------------------------------


class ReportSource(models.TextChoices):
    PUPIL = "pupil", "A pupil told a member of staff in confidence"
    PARENT = "parent", "A parent or carer told the school"


class WhenItHappens(models.TextChoices):
    SCHOOL_TIME = "school_time", "In school time"
    EVENINGS = "evenings", "In the evenings"
    WEEKENDS = "weekends", "At weekends"


class BullyingChannel(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "A social media platform"
    TEXT = "text", "Text messages"
    PHONE = "phone", "Phone calls"
    MESSAGING = "messaging", "Messaging apps"


class TriageRule(models.TextChoices):
    """The §10 outcomes, in plain words."""

    FORMER_PUPIL = (
        "former_pupil",
        "A former pupil: not the school's responsibility; it may help broker a resolution",
    )
    DUTY_OF_CARE = (
        "duty_of_care",
        (
            "Pupils of the school, out of school time: a duty of care; investigate and work with the families "
            "under the anti-bullying policy"
        ),
    )
    IN_SCHOOL = "in_school", "Pupils of the school, in school time: dealt with under the anti-bullying policy"
    WARN_ALL_PARENTS = (
        "warn_all_parents",
        (
            "Pupils younger than the platform's minimum age: warn all the parents, the victim's included, that the "
            "use breaks the platform's terms and must stop"
        ),
    )
    DECLINE_SOCIAL = (
        "decline_social",
        (
            "Reported again after the parents were warned: the school declines the social-networking part, while "
            "still dealing with any bullying in school"
        ),
    )
    POLICE = (
        "police",
        "Parents refuse to engage and the bullying continues: refer to the police as harassment",
    )
    OUTSIDE_PUPILS = (
        "outside_pupils",
        "No pupil of the school is said to be responsible: recorded for the DSL",
    )


class CyberbullyingReport(TimeStampedModel):
    """A report of cyberbullying (§10). Every one reaches the DSL's list (§8, zero tolerance)."""

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        DECIDED = "decided", "Decision recorded"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=ReportSource.choices)
    reporter = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who told the school. A reporting pupil is sealed: only the DSL sees who.",
    )
    victims = models.ManyToManyField(Person, related_name="+")
    reported_on = models.DateField(default=timezone.localdate)
    when = models.JSONField(default=list, help_text="Values of WhenItHappens.")
    channels = models.JSONField(default=list, help_text="Values of BullyingChannel.")
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    what_happened = models.TextField()
    parents_refuse_to_engage = models.BooleanField(default=False)
    bullying_continues = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REPORTED)
    # The recorded decision.
    rules = models.JSONField(default=list, blank=True, help_text="Values of TriageRule, as decided.")
    suggested_rules = models.JSONField(default=list, blank=True, help_text="What the triage found.")
    reasoning = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    declined_social_networking = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="decided") | Q(decided_at__isnull=False), name="cyber_decided_has_time"
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return record_url("incidents:cyberbullying_detail", self.pk)

    @property
    def reference(self) -> str:
        return f"CYB-{self.pk:05d}" if self.pk else "CYB-new"


class Perpetrator(models.Model):
    class Kind(models.TextChoices):
        PUPIL = "pupil", "A pupil of the school"
        FORMER_PUPIL = "former_pupil", "A former pupil"
        ELSEWHERE = "elsewhere", "A pupil at another school"
        ADULT = "adult", "An adult"
        UNKNOWN = "unknown", "Not known"

    report = models.ForeignKey(CyberbullyingReport, on_delete=models.CASCADE, related_name="perpetrators")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    left_on = models.DateField(null=True, blank=True, help_text="For a former pupil: when they left.")
    new_school = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="pupil") | Q(person__isnull=False), name="perpetrator_pupil_named"
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


# The foreign key by which a note, a file or an action names its case, by the kind of case.
CASE_FIELDS = {Allegation: "allegation", PupilIncident: "incident", CyberbullyingReport: "report"}
