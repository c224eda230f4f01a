"""Concerns reported by staff through "Report a concern" (§6, §7, §9)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from people.models import Person, School, TimeStampedModel

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
        return reverse("incidents:concern_detail", args=[self.pk])

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
