"""The audit event: one append-only, hash-chained row per recorded action."""

import hashlib
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

# The prev_hash of the first event in the chain.
GENESIS_HASH = "0" * 64


def normalise_data(data: dict[str, Any]) -> dict[str, Any]:
    """`data` as the database will give it back: dates, decimals and UUIDs become strings,
    tuples become lists, keys become strings.

    Hashing the normalised value (and storing exactly that) is what lets `verify_chain`
    recompute the same hash from the row later. NaN and infinities are refused, as
    PostgreSQL's jsonb would refuse them.
    """
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, allow_nan=False))


def normalise_client_address(address: str | None) -> str | None:
    """The canonical text of an IP address (as PostgreSQL's inet prints it), or None when
    `address` is empty or not an IP address."""
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def compute_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    school_id: int | None,
    data: dict[str, Any],
    client_address: str | None,
) -> str:
    """SHA-256 (hex) of a canonical JSON array of the event's fields, in this fixed order:
    prev_hash, at (ISO-8601, UTC, with microseconds), actor_id, action, target_type,
    target_id, school_id, data, client_address.

    Object keys are sorted and separators fixed, so the same values always give the same text.
    """
    payload = [
        prev_hash,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        actor_id,
        action,
        target_type,
        target_id,
        school_id,
        data,
        normalise_client_address(client_address),
    ]
    canonical = json.dumps(
        payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Rows are only ever added.

    Each row carries the hash of the row before it, so an edited, inserted or deleted
    row breaks the chain (see `audit.services.verify_chain`). Write rows through
    `audit.services.audit_record` / `audit_view`, which compute the hashes and serialise
    writers. On PostgreSQL a trigger refuses UPDATE and DELETE.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who acted; empty for the system.",
    )
    action = models.CharField(max_length=100, help_text='Namespaced, for example "people.person.create".')
    target_type = models.CharField(max_length=100, blank=True, help_text='"app_label.model" of the record.')
    target_id = models.CharField(max_length=64, blank=True)
    school = models.ForeignKey(
        "people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(
        default=dict, blank=True, help_text="What changed, for example {field: [old, new]}."
    )
    client_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "audit event"
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_at_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self):
        target = f"{self.target_type}:{self.target_id}" if self.target_type else "-"
        return f"#{self.pk} {self.action} {target}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never rewritten, and a row without its hash was
        # not made by the services (so it would not be on the chain).
        if not self._state.adding:
            raise ValueError("Audit events are append-only.")
        if not self.hash or not self.prev_hash:
            raise ValueError("Record audit events through audit.services.audit_record().")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")

    def compute_hash(self) -> str:
        """The hash this row should carry, recomputed from its stored fields."""
        return compute_hash(
            prev_hash=self.prev_hash,
            at=self.at,
            actor_id=self.actor_id,
            action=self.action,
            target_type=self.target_type,
            target_id=self.target_id,
            school_id=self.school_id,
            data=self.data,
            client_address=self.client_address,
        )

    @property
    def is_view(self) -> bool:
        return self.action.endswith(".view")

    @property
    def label(self) -> str:
        """A readable action from its last two parts: "people.person.create" → "Person create"."""
        words = " ".join(self.action.split(".")[-2:]).replace("_", " ").strip()
        return words[:1].upper() + words[1:]

    @property
    def changed_fields(self) -> list[str]:
        """Names of the fields the event touched, readable ("date of birth"); values are left out.

        Services record {"changed": {field: [old, new]}} or {"fields": {field: value}};
        other shapes list their own top-level keys.
        """
        data = self.data if isinstance(self.data, dict) else {}
        for key in ("changed", "fields"):
            if isinstance(data.get(key), dict):
                data = data[key]
                break
        return [str(name).replace("_", " ") for name in data]
