"""7. The termly governors' report: anonymised counts and trends only.

This term against the term before (the same length of time just before it): concerns, allegations,
pupil incidents (§8) and cyberbullying reports (§10); the outcomes of allegations and the decisions on
cyberbullying reports; how far staff have confirmed the current policy, and the registers' sizes. Terms as the
portal counts them: autumn 1 September to 31 December, spring 1 January to 31 March, summer
1 April to 31 August."""

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count, F, Q

from approvals.models import OPEN_DECLARATION_STATUSES, Declaration, Proposal, ProposalStatus
from core.formats import day
from incidents.models import Allegation, CyberbullyingReport, Outcome, TriageRule
from people.policies import access_for

from .base import Filters, Report, Table, local_bounds
from .charts import bar_chart
from .compliance import _percent, compliance_by_school
from .counts import (
    ALLEGATION,
    CYBERBULLYING,
    LOW_LEVEL,
    PUPIL_INCIDENT_TYPES,
    TYPES,
    by,
    month_label,
    months_between,
    tallies,
)
from .registry import register


def term_of(today: date) -> tuple[date, date]:
    if today.month >= 9:
        return date(today.year, 9, 1), date(today.year, 12, 31)
    if today.month <= 3:
        return date(today.year, 1, 1), date(today.year, 3, 31)
    return date(today.year, 4, 1), date(today.year, 8, 31)


# The §10 decisions in a few words each, for the governors (the triage pages give them in full).
DECISIONS = {
    TriageRule.FORMER_PUPIL: "A former pupil: not the school's responsibility",
    TriageRule.DUTY_OF_CARE: "Out of school time: duty of care, anti-bullying policy",
    TriageRule.IN_SCHOOL: "In school time: anti-bullying policy",
    TriageRule.WARN_ALL_PARENTS: "Under the platform's minimum age: all parents warned",
    TriageRule.DECLINE_SOCIAL: "Reported again after the warning: social-networking part declined",
    TriageRule.POLICE: "Referred to the police as harassment",
    TriageRule.OUTSIDE_PUPILS: "No pupil of the school responsible: recorded for the DSL",
}


def trend(now: int, before: int) -> tuple[str, str]:
    """(change, trend) in words: ("+2", "Up"), ("−1", "Down") or ("0", "Same")."""
    change = now - before
    if change > 0:
        return f"+{change}", "Up"
    if change < 0:
        return f"−{-change}", "Down"
    return "0", "Same"


@register
class GovernorsTermlyReport(Report):
    key = "governors_termly"
    title = "Termly governors' report"
    summary = "Anonymised counts and trends for the governors: this term against the one before."
    anonymised = True
    date_label = "Term"

    def default_dates(self, today):
        return term_of(today)

    def build(self, user, filters: Filters, target=None):
        schools = list(self.scope(user, filters))
        school_ids = [school.pk for school in schools]
        start, end = local_bounds(filters)
        previous = Filters(school=filters.school)
        if filters.date_from and filters.date_to:
            length = (filters.date_to - filters.date_from).days + 1
            previous = Filters(
                school=filters.school,
                date_from=filters.date_from - timedelta(days=length),
                date_to=filters.date_from - timedelta(days=1),
            )
        prev_start, prev_end = local_bounds(previous)
        this_term = tallies(user, school_ids, start, end)
        last_term = (
            tallies(user, school_ids, prev_start, prev_end) if filters.date_from and filters.date_to else []
        )
        this_types, last_types = by(this_term, "kind"), by(last_term, "kind")

        person_id = access_for(user).person_id
        allegations = Allegation.objects.filter(school_id__in=school_ids)
        if person_id is not None:
            allegations = allegations.exclude(subject_id=person_id)
        referrals = _window(allegations, "referred_at", start, end).aggregate(
            referred=Count("id"), on_time=Count("id", filter=Q(referred_at__lte=F("referral_due_at")))
        )
        previous_referrals = (
            _window(allegations, "referred_at", prev_start, prev_end).aggregate(referred=Count("id"))
            if filters.date_from and filters.date_to
            else {"referred": 0}
        )
        outcomes = dict(
            _window(allegations.exclude(outcome=""), "outcome_at", start, end)
            .values_list("outcome")
            .annotate(n=Count("id"))
            .order_by()
        )
        decisions = _decisions(school_ids, person_id, start, end)
        compliance = compliance_by_school(schools)
        services = dict(
            Proposal.objects.filter(school_id__in=school_ids, status=ProposalStatus.APPROVED)
            .values_list("school_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        declarations = dict(
            Declaration.objects.filter(school_id__in=school_ids, status__in=OPEN_DECLARATION_STATUSES)
            .values_list("school_id")
            .annotate(n=Count("id"))
            .order_by()
        )

        measures = [(kind, this_types.get(kind, 0), last_types.get(kind, 0)) for kind in TYPES]
        measures.append(("Referrals made to the LADO", referrals["referred"], previous_referrals["referred"]))
        trend_rows = [[name, str(now), str(before), *trend(now, before)] for name, now, before in measures]
        by_month = by(this_term, "month")
        months = (
            months_between(filters.date_from, filters.date_to)
            if filters.date_from and filters.date_to
            else []
        )
        total_staff = sum(total for total, _ in compliance.values())
        total_confirmed = sum(done for _, done in compliance.values())
        facts = [
            ("Compared with", previous_label(previous)),
            ("Allegations about adults this term", str(this_types.get(ALLEGATION, 0))),
            ("Low-level concerns this term", str(this_types.get(LOW_LEVEL, 0))),
            (
                "Pupil incidents this term",
                str(sum(this_types.get(kind, 0) for kind in PUPIL_INCIDENT_TYPES.values())),
            ),
            ("Cyberbullying reports this term", str(this_types.get(CYBERBULLYING, 0))),
            (
                "LADO referrals within one working day",
                f"{referrals['on_time']} of {referrals['referred']}",
            ),
            ("Staff who confirmed the current policy", f"{total_confirmed} of {total_staff}"),
        ]
        return self.result(
            filters,
            schools=schools,
            facts=facts,
            charts=[
                bar_chart(
                    "Concerns, allegations and incidents by month",
                    [(month_label(m), by_month.get(m, 0)) for m in months],
                ),
                bar_chart("This term by type", [(name, now) for name, now, _ in measures]),
            ],
            tables=[
                Table(
                    "Counts and trends",
                    ["Measure", "This term", "Previous term", "Change", "Trend"],
                    trend_rows,
                    numeric=frozenset({1, 2, 3}),
                    wide_labels=True,
                ),
                Table(
                    "Outcomes of allegations decided this term",
                    ["Outcome", "Number"],
                    [[label, str(outcomes.get(value, 0))] for value, label in Outcome.choices],
                    numeric=frozenset({1}),
                    wide_labels=True,
                ),
                Table(
                    "Decisions on cyberbullying reports this term",
                    ["Decision", "Number"],
                    [
                        [DECISIONS.get(value, label), str(decisions.get(value, 0))]
                        for value, label in TriageRule.choices
                    ],
                    numeric=frozenset({1}),
                    wide_labels=True,
                ),
                Table(
                    "The policy and the registers, by school",
                    [
                        "School",
                        "Staff confirmed the policy",
                        "Confirmed (%)",
                        "Approved services",
                        "Open declarations",
                    ],
                    [
                        [
                            school.name,
                            f"{compliance.get(school.pk, (0, 0))[1]} of {compliance.get(school.pk, (0, 0))[0]}",
                            _percent(
                                compliance.get(school.pk, (0, 0))[1], compliance.get(school.pk, (0, 0))[0]
                            ),
                            str(services.get(school.pk, 0)),
                            str(declarations.get(school.pk, 0)),
                        ]
                        for school in schools
                    ],
                    numeric=frozenset({2, 3, 4}),
                ),
            ],
            notes=[
                "Counts only: no one is named. The policy and register figures are as they stand today.",
                "Incidents are pupil incidents (§8) and cyberbullying reports (§10). One decision on a "
                "cyberbullying report may apply more than one rule, so those rows can add up to more than the "
                "reports decided.",
            ],
        )


def _decisions(school_ids, person_id, start, end) -> Counter:
    """How often each §10 rule was applied in the decisions recorded in the window (one query). The rules
    are a list on each report, so they are counted here rather than by the database."""
    reports = CyberbullyingReport.objects.filter(school_id__in=school_ids)
    if person_id is not None:
        reports = reports.exclude(perpetrators__person_id=person_id)
    counter: Counter = Counter()
    for rules in _window(reports, "decided_at", start, end).values_list("rules", flat=True):
        counter.update(set(rules or []))
    return counter


def previous_label(previous: Filters) -> str:
    if previous.date_from and previous.date_to:
        return f"{day(previous.date_from)} to {day(previous.date_to)}"
    return "Nothing (choose both dates to compare)"


def _window(queryset, field: str, start, end):
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset.filter(**{f"{field}__isnull": False})
