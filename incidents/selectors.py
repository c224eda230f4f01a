"""Reads: the case chronology, dashboard figures and the low-level review flags.

Every read starts from a `*_visible_to(user)` queryset of `incidents.policies`, so the subject of a
case never finds it here (KCSIE part four). Each function runs a fixed number of queries, whatever
the number of rows.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, DateTimeField, ExpressionWrapper, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import viewers_of
from audit.services import view_action_for
from core.dashboard import First
from core.vocabulary import display_name
from notifications.catalogue import label_for
from notifications.models import Notification
from people.models import Person

from . import policies
from .models import (
    CASE_FIELDS,
    ActionKind,
    Allegation,
    CaseNote,
    Concern,
    EvidenceFile,
    HeldAction,
    Outcome,
    PupilIncident,
)

# --- Dashboard figures --------------------------------------------------------------------------


def case_counts(user, now: datetime | None = None) -> tuple[QuerySet, QuerySet]:
    """The open cases and the overdue referrals the user may see, for the dashboard to count."""
    now = now or timezone.now()
    visible = policies.allegations_visible_to(user)
    overdue = visible.filter(status=Allegation.Status.RECORDED, referral_due_at__lt=now)
    return visible.exclude(status=Allegation.Status.CLOSED), overdue


def next_referral_due(user) -> First:
    """The nearest deadline of a case still to be referred, for the dashboard to read (from an index)."""
    awaiting = policies.allegations_visible_to(user).filter(status=Allegation.Status.RECORDED)
    return First(awaiting.order_by("referral_due_at").values_list("referral_due_at", flat=True))


def concerns_received(user) -> QuerySet:
    """Reports from staff the safeguarding team has not yet looked at."""
    return policies.concerns_visible_to(user).filter(status=Concern.Status.RECEIVED)


# --- Low-level concerns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LowLevelFlag:
    subject: Person
    school_id: int
    count: int
    latest: datetime
    reviewed_at: datetime | None

    @property
    def needs_review(self) -> bool:
        return _needs_review(self.latest, self.reviewed_at)


def _needs_review(latest: datetime, reviewed_at: datetime | None) -> bool:
    """Never reviewed, or a low-level concern came in after the last review."""
    return reviewed_at is None or reviewed_at < latest


def window_start(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now - timedelta(days=round(settings.INCIDENTS_LOW_LEVEL_WINDOW_MONTHS * 30.44))


def _flag_rows(user, now: datetime | None) -> list[dict]:
    """(subject, school, count, latest) of everyone at or over the threshold in the window."""
    return list(
        policies.low_level_cases_visible_to(user)
        .filter(received_at__gte=window_start(now))
        .values("subject_id", "school_id")
        .annotate(count=Count("id"), latest=Max("received_at"))
        .filter(count__gte=settings.INCIDENTS_LOW_LEVEL_THRESHOLD)
        .order_by("-latest")
    )


def _last_reviews(user, now: datetime | None) -> dict[tuple[int, int], datetime]:
    """The last review per (subject, school) of everyone with a low-level concern in the window. One query
    even when nobody is flagged, so that the review list's count of queries never depends on the data."""
    in_window = policies.low_level_cases_visible_to(user).filter(received_at__gte=window_start(now))
    return {
        (row["subject_id"], row["school_id"]): row["last"]
        for row in policies.low_level_reviews_visible_to(user)
        .filter(subject_id__in=in_window.values("subject_id"))
        .values("subject_id", "school_id")
        .annotate(last=Max("reviewed_at"))
    }


def low_level_flags(user, now: datetime | None = None) -> list[LowLevelFlag]:
    """People with at least the threshold of low-level concerns in the window, per school the user
    reviews (three queries: the counts, the reviews, the people; two when nobody is flagged)."""
    rows = _flag_rows(user, now)
    reviews = _last_reviews(user, now)
    people = Person.objects.in_bulk({row["subject_id"] for row in rows}) if rows else {}
    return [
        LowLevelFlag(
            subject=people[row["subject_id"]],
            school_id=row["school_id"],
            count=row["count"],
            latest=row["latest"],
            reviewed_at=reviews.get((row["subject_id"], row["school_id"])),
        )
        for row in rows
    ]


# Before any review: a flag nobody has reviewed is due whenever its latest concern came in.
_NEVER = datetime(1, 1, 1, tzinfo=UTC)


class _PerGroup(ExpressionWrapper):
    """An expression over the grouped columns only, compared in HAVING: the database works it out once per
    group. Django would otherwise add it to the GROUP BY, where it runs for every row before grouping."""

    def get_group_by_cols(self):
        return []


def low_level_due(user, now: datetime | None = None) -> QuerySet:
    """The flags waiting for a review, one row per (subject, school), for the dashboard to count: those of
    `low_level_flags` whose latest concern came in after their last review, or that were never reviewed."""
    last_review = (
        policies.low_level_reviews_visible_to(user)
        .filter(subject_id=OuterRef("subject_id"), school_id=OuterRef("school_id"))
        .order_by("-reviewed_at")
        .values("reviewed_at")[:1]
    )
    return (
        policies.low_level_cases_visible_to(user)
        .filter(received_at__gte=window_start(now))
        .values("subject_id", "school_id")
        .annotate(count=Count("id"), latest=Max("received_at"))
        .filter(
            count__gte=settings.INCIDENTS_LOW_LEVEL_THRESHOLD,
            latest__gt=_PerGroup(Coalesce(Subquery(last_review), _NEVER), output_field=DateTimeField()),
        )
    )


def low_level_count_for(user, allegation: Allegation, now: datetime | None = None) -> int:
    """Low-level concerns about this case's subject in the window, among those the user may count."""
    return (
        policies.low_level_cases_visible_to(user)
        .filter(subject_id=allegation.subject_id, received_at__gte=window_start(now))
        .count()
    )


# --- The chronology ---------------------------------------------------------------------------------

ACTION_LABELS = {
    "incidents.allegation.record": "Recorded the allegation",
    "incidents.allegation.assess_harm": "Assessed the harm threshold",
    "incidents.allegation.refer_to_lado": "Referred the case to the LADO",
    "incidents.allegation.record_advice": "Recorded the LADO's advice",
    "incidents.allegation.start_investigation": "Started the investigation",
    "incidents.allegation.record_outcome": "Recorded the outcome",
    "incidents.allegation.close": "Closed the case",
    "incidents.allegation.note": "Added a note",
    "incidents.allegation.action": "Recorded a step",
    "incidents.allegation.checklist": "Explained the process to the parent or carer",
    "incidents.allegation.reveal_reporter": "Looked at who reported it",
    "incidents.allegation.view": "Viewed the case",
    "incidents.pupil_incident.record": "Recorded the incident",
    "incidents.pupil_incident.note": "Added a note",
    "incidents.pupil_incident.action_done": "Completed an action",
    "incidents.pupil_incident.action_waived": "Waived an action",
    "incidents.pupil_incident.allegation_opened": "Opened an allegation about the adult (§9)",
    "incidents.pupil_incident.close": "Closed the incident",
    "incidents.pupilincident.view": "Viewed the incident",
    "incidents.cyberbullying.record": "Recorded the report",
    "incidents.cyberbullying.decide": "Recorded the decision",
    "incidents.cyberbullying.note": "Added a note",
    "incidents.cyberbullying.action_done": "Completed an action",
    "incidents.cyberbullying.action_waived": "Waived an action",
    "incidents.cyberbullying.close": "Closed the report",
    "incidents.cyberbullyingreport.view": "Viewed the report",
    "incidents.evidence.upload": "Added a file",
    "incidents.evidence.download": "Downloaded a file",
    "notifications.notification.queue": "Notice queued",
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str
    what: str
    detail: str = ""
    note: CaseNote | None = None
    is_view: bool = False


def _who(event: AuditEvent) -> str:
    return display_name(event.actor if event.actor_id else None, nobody="The portal", registry=False)


# A follow-up action completed or waived, on a pupil incident or a cyberbullying report.
ACTION_STEPS = frozenset(
    f"incidents.{case}.action_{step}"
    for case in ("pupil_incident", "cyberbullying")
    for step in ("done", "waived")
)


def _detail(event: AuditEvent, *, files: dict, delivery: dict) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    action = event.action
    if action == "incidents.allegation.assess_harm":
        return (
            "Threshold met: the LADO path"
            if data.get("threshold_met")
            else "Threshold not met: a low-level concern"
        )
    if action == "incidents.allegation.record_outcome":
        outcome = data.get("outcome")
        return f"Outcome: {Outcome(outcome).label.lower()}" if outcome in Outcome.values else ""
    if action == "incidents.allegation.action":
        kind = data.get("kind")
        return HeldAction(kind).label if kind in HeldAction.values else ""
    if action == "incidents.cyberbullying.decide":
        if data.get("overridden"):
            return "Decided differently from the triage, with a written reason"
        return "As the policy's triage suggested"
    if action in ACTION_STEPS:
        kind = data.get("kind")
        detail = ActionKind(kind).label if kind in ActionKind.values else ""
        if data.get("reference"):
            detail += f" (reference {data['reference']})"
        return detail
    if action in ("incidents.evidence.upload", "incidents.evidence.download"):
        file = files.get(data.get("file_id"))
        return file.original_name if file is not None else "A file no longer on the case"
    if action == "notifications.notification.queue":
        label = label_for(data.get("template", ""))
        status = delivery.get(data.get("event"), {})
        sent = status.get("sent", 0)
        count = data.get("count", 0)
        return f"{label}: {count} notice(s), {sent} sent"
    return ""


# A case page lists every step on the case but only its latest views: each visit adds one, and a case
# opened a thousand times would otherwise carry a thousand rows. The audit trail keeps them all.
VIEWS_SHOWN = 20


def case_events(case) -> tuple[list[AuditEvent], bool]:
    """Every event on a case other than views, and its latest `VIEWS_SHOWN` views, oldest first, with their
    actors; and whether older views were left out. Two queries, whatever the number of views."""
    views = viewers_of(case, limit=VIEWS_SHOWN + 1)
    steps = list(
        AuditEvent.objects.filter(
            target_type=case._meta.concrete_model._meta.label_lower, target_id=str(case.pk)
        )
        .exclude(action=view_action_for(case))
        .select_related("actor")
        .order_by("at", "id")
    )
    events = sorted([*steps, *views[:VIEWS_SHOWN]], key=lambda event: (event.at, event.pk))
    return events, len(views) > VIEWS_SHOWN


def _with_earlier_views_line(entries: list[Entry]) -> list[Entry]:
    """The entries with a line standing for the views left out, just before the oldest view shown."""
    first = next(n for n, entry in enumerate(entries) if entry.is_view)
    line = Entry(
        at=entries[first].at,
        who="",
        what="Earlier views",
        detail=f"Not listed here: the chronology shows the latest {VIEWS_SHOWN} views.",
        is_view=True,
    )
    return [*entries[:first], line, *entries[first:]]


def chronology(
    case: Allegation | PupilIncident,
    *,
    files: list[EvidenceFile] | None = None,
    notes: list[CaseNote] | None = None,
    sealed_user_id: int | None = None,
) -> list[Entry]:
    """One timeline of everything on the case (an allegation, a pupil incident or a cyberbullying report): its events (moves, notes,
    steps, actions, files, notices, views, looks at the reporter) from the audit trail, with each note's text.
    Three queries: the events, its latest views and the delivery of its notices (plus the notes and files when
    not given). The steps of `sealed_user_id` (a sealed reporter) are "a member of staff"'s."""
    field = CASE_FIELDS[type(case)]
    target_type = case._meta.concrete_model._meta.label_lower
    events, earlier_views = case_events(case)
    if notes is None:
        notes = list(CaseNote.objects.filter(**{field: case}).select_related("author"))
    notes_by_id = {note.pk: note for note in notes}
    if files is None:
        files = list(EvidenceFile.objects.filter(**{field: case}))
    files_by_id = {file.pk: file for file in files}
    delivery: dict[str, dict[str, int]] = {}
    for row in (
        Notification.objects.filter(about_type=target_type, about_id=str(case.pk))
        .values("event", "status")
        .annotate(n=Count("id"))
    ):
        delivery.setdefault(row["event"], {})[row["status"]] = row["n"]

    entries = []
    if field == "allegation" and case.concern_id:
        # Whoever filed it stays sealed: the report is "a member of staff"'s (§9).
        entries.append(Entry(at=case.concern.created_at, who="A member of staff", what="Reported a concern"))
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        note = notes_by_id.get(data.get("note_id")) if event.action.endswith(".note") else None
        entries.append(
            Entry(
                at=event.at,
                who="A member of staff"
                if sealed_user_id is not None and event.actor_id == sealed_user_id
                else _who(event),
                what=ACTION_LABELS.get(event.action, event.label),
                detail=_detail(event, files=files_by_id, delivery=delivery),
                note=note,
                is_view=event.is_view,
            )
        )
    entries.sort(key=lambda entry: entry.at)
    return _with_earlier_views_line(entries) if earlier_views else entries


def my_open_incident_actions(user):
    """Open follow-ups owned by a role the user holds at the case's school, on pupil incidents (§8) and
    cyberbullying reports (§10): the DSL's actions for the DSL, the senior leadership team's for SLT and the
    Head of School; the Executive Head: every open one in the federation.

    The conditions are those of `pupil_incidents_visible_to` and `cyberbullying_visible_to` written on the
    action, which keeps its case's school (every school named here is one whose cases the user sees, and an
    incident naming the user as the adult involved is left out): the database reads a school's open actions
    from their index instead of first listing every case the user may see."""
    from people.models import Role

    from .models import ActionOwner, IncidentAction

    access = policies.access_for(user)
    if not policies.can_see_pupil_incidents(user):
        return IncidentAction.objects.none()
    condition = Q(school_id__in_ids=access.schools_with({Role.DSL}), owner=ActionOwner.DSL) | Q(
        school_id__in_ids=access.schools_with({Role.SLT, Role.HEAD_OF_SCHOOL}), owner=ActionOwner.SLT
    )
    if access.is_executive_head:
        condition |= Q(school_id__in_ids=access.federation_school_ids)
    actions = IncidentAction.objects.filter(condition, status=IncidentAction.Status.OPEN)
    if access.person_id is not None:
        # The few incidents naming the user, looked up first: no join from every open action to its incident.
        actions = actions.exclude(
            incident_id__in=PupilIncident.objects.filter(adult_id=access.person_id).values("pk")
        )
    return actions


def my_action_counts(user, today: date | None = None) -> tuple[QuerySet, QuerySet]:
    """The user's open actions and those of them overdue, for the dashboard to count."""
    today = today or timezone.localdate()
    mine = my_open_incident_actions(user)
    return mine, mine.filter(due_on__lt=today)


def next_action_due(user) -> First:
    """The nearest due date of the user's open actions, for the dashboard to read (from an index)."""
    return First(my_open_incident_actions(user).order_by("due_on").values_list("due_on", flat=True))
