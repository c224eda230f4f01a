"""1. The LADO referrals log (§9, KCSIE part four): each allegation, when it was received, when it
was referred to the LADO and whether that was within the deadline, the advice, the outcome and the
status. Case-level: OFFICIAL-SENSITIVE. Cases come from `incidents.policies.allegations_visible_to`,
so the subject of a case never finds it here. Subjects and reporters are not named."""

from django.db.models import Count, F, Q
from django.utils import timezone

from core.formats import day, moment
from incidents import policies as incident_policies
from incidents.models import Allegation

from .base import Filters, Report, Table, local_bounds
from .registry import register

S = Allegation.Status


def deadline_status(case: Allegation, now) -> str:
    """Whether the referral was (or still can be) within the one-working-day deadline."""
    if case.referred_at is not None:
        return "Yes" if case.referred_at <= case.referral_due_at else "No: referred late"
    if case.is_low_level:
        return "Not needed: low-level concern"
    if case.status == S.RECORDED:
        if now > case.referral_due_at:
            return "No: overdue"
        return f"Not yet: due {moment(case.referral_due_at)}"
    return "Not referred"


# The deadline status of `deadline_status`, as conditions SQL can count by (in the same order).
WITHIN, LATE, LOW_LEVEL, OVERDUE, NOT_YET_DUE, NOT_REFERRED = (
    "within",
    "late",
    "low_level",
    "overdue",
    "not_yet_due",
    "not_referred",
)


def deadline_conditions(now) -> dict[str, Q]:
    """One condition per deadline status; every case meets exactly one."""
    referred = Q(referred_at__isnull=False)
    unreferred = Q(referred_at__isnull=True, is_low_level=False)
    waiting = unreferred & Q(status=S.RECORDED)
    return {
        WITHIN: referred & Q(referred_at__lte=F("referral_due_at")),
        LATE: referred & Q(referred_at__gt=F("referral_due_at")),
        LOW_LEVEL: Q(referred_at__isnull=True, is_low_level=True),
        OVERDUE: waiting & Q(referral_due_at__lt=now),
        NOT_YET_DUE: waiting & Q(referral_due_at__gte=now),
        NOT_REFERRED: unreferred & ~Q(status=S.RECORDED),
    }


def deadline_counts(cases, now, only=None) -> dict[str, int]:
    """The cases counted by deadline status (every status, or those `only` names), and all of them
    ("cases"), in one query."""
    conditions = deadline_conditions(now)
    wanted = conditions if only is None else {key: conditions[key] for key in only}
    return cases.aggregate(cases=Count("pk"), **{key: Count("pk", filter=q) for key, q in wanted.items()})


# The statuses the log's facts show.
FACTS = (WITHIN, LATE, OVERDUE)


def deadline_key(status: str) -> str:
    """The key of `deadline_conditions` a `deadline_status` text falls under."""
    if status == "Yes":
        return WITHIN
    if status == "No: referred late":
        return LATE
    if status == "Not needed: low-level concern":
        return LOW_LEVEL
    if status == "No: overdue":
        return OVERDUE
    if status.startswith("Not yet: due "):
        return NOT_YET_DUE
    return NOT_REFERRED


def advice_summary(case: Allegation) -> str:
    if case.advice_at is None:
        return "Awaited" if case.referred_at is not None else ""
    parts = [f"Given {day(case.advice_at)}"]
    if case.suspension_advised:
        parts.append("suspension advised")
    if case.police_involved:
        parts.append("police involved")
    if case.strategy_meeting:
        parts.append("strategy meeting")
    return "; ".join(parts)


@register
class LadoLogReport(Report):
    key = "lado_log"
    title = "LADO referrals log"
    summary = (
        "Every allegation about an adult: received, referred to the LADO, whether within the deadline, the "
        "advice, the outcome and the status."
    )
    case_level = True
    landscape = True
    date_label = "Received between"

    paged = True

    def build(self, user, filters: Filters, target=None, page=None):
        start, end = local_bounds(filters)
        schools = list(self.scope(user, filters))
        cases = incident_policies.allegations_visible_to(user).filter(
            school_id__in_ids=[s.pk for s in schools]
        )
        if start is not None:
            cases = cases.filter(received_at__gte=start)
        if end is not None:
            cases = cases.filter(received_at__lt=end)
        cases = cases.select_related("school").order_by("received_at", "id")
        now = timezone.now()
        shown, page_note = None, ""
        if page is None:  # every row (the PDF, the CSV): counted as they are written out
            cases = list(cases)
            counts = dict.fromkeys(deadline_conditions(now), 0)
            for case in cases:
                counts[deadline_key(deadline_status(case, now))] += 1
            counts["cases"] = len(cases)
        else:  # one page of rows, the facts (the statuses they show) counted over every row in SQL
            counts = deadline_counts(cases, now, only=FACTS)
            shown, page_note = self.page_of(cases, counts["cases"], page)
            cases = shown.object_list
        rows, links = [], []
        for case in cases:
            rows.append(
                [
                    case.reference,
                    case.school.name,
                    moment(case.received_at),
                    moment(case.referral_due_at),
                    moment(case.referred_at) if case.referred_at else "Not referred",
                    deadline_status(case, now),
                    advice_summary(case),
                    case.get_outcome_display() if case.outcome else "",
                    case.get_status_display(),
                ]
            )
            links.append(case.get_absolute_url())
        return self.result(
            filters,
            schools=schools,
            facts=[
                ("Cases", str(counts["cases"])),
                ("Referred within the deadline", str(counts[WITHIN])),
                ("Referred late", str(counts[LATE])),
                ("Overdue now", str(counts[OVERDUE])),
            ],
            tables=[
                Table(
                    title="Referrals",
                    columns=[
                        "Case",
                        "School",
                        "Received",
                        "Referral due",
                        "Referred",
                        "Within deadline",
                        "LADO advice",
                        "Outcome",
                        "Status",
                    ],
                    rows=rows,
                    links=links,
                    page=shown,
                    page_note=page_note,
                    empty="No allegations were received in these dates.",
                )
            ],
        )
