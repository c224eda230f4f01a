"""1. The LADO referrals log (§9, KCSIE part four): each allegation, when it was received, when it
was referred to the LADO and whether that was within the deadline, the advice, the outcome and the
status. Case-level: OFFICIAL-SENSITIVE. Cases come from `incidents.policies.allegations_visible_to`,
so the subject of a case never finds it here. Subjects and reporters are not named."""

from django.utils import timezone

from incidents import policies as incident_policies
from incidents.models import Allegation

from .base import Filters, Report, Table, day, local_bounds, moment
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

    def build(self, user, filters: Filters, target=None):
        start, end = local_bounds(filters)
        schools = list(self.scope(user, filters))
        cases = incident_policies.allegations_visible_to(user).filter(school__in=[s.pk for s in schools])
        if start is not None:
            cases = cases.filter(received_at__gte=start)
        if end is not None:
            cases = cases.filter(received_at__lt=end)
        cases = list(cases.select_related("school").order_by("received_at", "id"))
        now = timezone.now()
        rows, links = [], []
        within = late = overdue = 0
        for case in cases:
            status = deadline_status(case, now)
            within += status == "Yes"
            late += status == "No: referred late"
            overdue += status == "No: overdue"
            rows.append(
                [
                    case.reference,
                    case.school.name,
                    moment(case.received_at),
                    moment(case.referral_due_at),
                    moment(case.referred_at) if case.referred_at else "Not referred",
                    status,
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
                ("Cases", str(len(cases))),
                ("Referred within the deadline", str(within)),
                ("Referred late", str(late)),
                ("Overdue now", str(overdue)),
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
                    empty="No allegations were received in these dates.",
                )
            ],
        )
