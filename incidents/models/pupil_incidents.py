"""Pupil incidents: the breaches §8 names, and the ICT supervision one sets."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.vocabulary import INCIDENT_PLATFORM_CHOICES
from people.models import Person, School, TimeStampedModel

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
    platform = models.CharField(max_length=20, choices=INCIDENT_PLATFORM_CHOICES, blank=True)
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
        return reverse("incidents:pupil_incident_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"PIN-{self.pk:05d}" if self.pk else "PIN-new"


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
