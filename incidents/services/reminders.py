"""LADO referral reminders: half the time gone, and the deadline missed (SLT and the case manager)."""

import logging

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification

from .. import notices
from ..models import Allegation

log = logging.getLogger(__name__)


def lado_deadlines_sweep(now=None) -> list[tuple[int, str]]:
    """Queue the reminders that are due; returns [(case id, "due_soon" | "overdue"), ...] queued this run.

    Idempotent: each reminder has one event key per case, and a key already in the outbox is skipped
    (so a run every 15 minutes adds nothing and writes no audit noise). A case found after its
    deadline gets only the "missed" reminder.
    """
    now = now or timezone.now()
    awaiting = (
        Allegation.objects.filter(status=Allegation.Status.RECORDED, referral_half_at__lte=now)
        .select_related("school", "subject")
        .order_by("referral_due_at", "id")
    )
    queued = []
    for allegation in awaiting:
        missed = now >= allegation.referral_due_at
        kind = "overdue" if missed else "due_soon"
        if Notification.objects.filter(
            event=notices.lado_deadline_event(allegation.pk, missed=missed)
        ).exists():
            continue
        try:
            with transaction.atomic():
                notices.lado_deadline(allegation=allegation, missed=missed)
        except Exception as exc:  # one case's failure must not stop the reminders of the others
            log.error("LADO reminder for case %s failed (%s)", allegation.pk, type(exc).__name__)
            continue
        queued.append((allegation.pk, kind))
    return queued
