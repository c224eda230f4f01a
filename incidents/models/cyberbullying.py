"""Cyberbullying reports and who is said to be responsible (§10)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.vocabulary import INCIDENT_PLATFORM_CHOICES
from people.models import Person, School, TimeStampedModel

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
    platform = models.CharField(max_length=20, choices=INCIDENT_PLATFORM_CHOICES, blank=True)
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
        return reverse("incidents:cyberbullying_detail", args=[self.pk])

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
