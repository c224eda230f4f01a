"""The outbox: one row per notice, per recipient, per channel.

Rows are written in the same transaction as the event they report, then sent by
Celery after commit; the sweeper re-sends any a lost message left behind. The
unique (event, recipient, channel) constraints make a repeated event a no-op.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from people.models import Person, School, TimeStampedModel


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In the portal"
    # Parents who prefer a phone call or a letter: the office delivers these by hand
    # and marks them delivered in the delivery log.
    MANUAL = "manual", "Phone or letter (by the office)"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


# Channels a worker delivers; manual rows wait for a person.
DISPATCHED_CHANNELS = (Channel.EMAIL, Channel.IN_APP)


class Notification(TimeStampedModel):
    """A notice to one recipient on one channel, and how its delivery went."""

    event = models.CharField(
        max_length=200,
        help_text='The caller\'s unique key for what happened, for example "incidents.concern.42".',
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # Who was told is evidence: a recipient's sign-in is deactivated, never deleted.
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    recipient_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    template = models.CharField(max_length=100, help_text="Key of the message templates to render.")
    context = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the templates need: ids, a category, the school's name. Never case detail.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    available_at = models.DateTimeField(
        null=True, blank=True, help_text="When a pending row may next be sent (after a retry's back-off)."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    handovers = models.PositiveSmallIntegerField(
        default=0,
        help_text=(
            "Attempts that handed the email to the mail server, or may have (a worker stopped mid-send): "
            "more than one means the recipient may have it twice."
        ),
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    about_type = models.CharField(max_length=100, blank=True, help_text='"app_label.model" of the record.')
    about_id = models.CharField(max_length=64, blank=True)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recipient_user__isnull=False, recipient_person__isnull=True)
                    | Q(recipient_user__isnull=True, recipient_person__isnull=False)
                ),
                name="notification_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["event", "recipient_user", "channel"],
                condition=Q(recipient_user__isnull=False),
                name="notification_unique_per_user",
            ),
            models.UniqueConstraint(
                fields=["event", "recipient_person", "channel"],
                condition=Q(recipient_person__isnull=False),
                name="notification_unique_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status_idx"),
            models.Index(fields=["recipient_user", "channel", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["school", "-created_at"], name="notification_school_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.template} to {self.recipient_label} by {self.get_channel_display()}"

    @property
    def recipient_label(self) -> str:
        """The recipient's name (uses the select_related recipient; no query when it was loaded)."""
        if self.recipient_user_id:
            return str(self.recipient_user)
        if self.recipient_person_id:
            return self.recipient_person.full_name
        return "nobody"

    @property
    def url(self) -> str:
        """The record's path inside the portal, or "" (only local paths are kept)."""
        return safe_path(self.context.get("url", ""))

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def is_pending(self) -> bool:
        return self.status == Status.PENDING

    @property
    def is_sent(self) -> bool:
        return self.status == Status.SENT

    @property
    def is_failed(self) -> bool:
        return self.status == Status.FAILED

    @property
    def possibly_sent_twice(self) -> bool:
        """More than one attempt reached, or may have reached, the mail server (see notifications.sending)."""
        return self.handovers > 1

    @property
    def awaits_office(self) -> bool:
        """A phone call or letter the office still has to make."""
        return self.channel == Channel.MANUAL and self.status == Status.PENDING


class HiddenFrom(models.Model):
    """A person a notification must stay invisible to: the subject of an allegation (KCSIE part four).

    The subject never receives the notice (`notify(exclude=...)`) and never sees its
    row in the delivery log, even when their role would otherwise show it.
    """

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="hidden_from")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "hidden from"
        verbose_name_plural = "hidden from"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "person"], name="notification_hidden_from_unique"
            ),
        ]

    def __str__(self):
        return f"#{self.notification_id} hidden from person #{self.person_id}"


def safe_path(value) -> str:
    """`value` when it is a path on this site ("/incidents/4/"), else "".

    Links in notices come from stored context: anything else (another host,
    "javascript:") is dropped rather than offered to be followed.
    """
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    return value
