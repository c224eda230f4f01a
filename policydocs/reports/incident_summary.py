"""2. The incident summary: anonymised counts by type, month and school, each with a bar chart drawn
as SVG on the server (no script). See `counts` for what is counted and who is never counted."""

from django.utils import timezone

from .base import Filters, Report, Table, local_bounds
from .charts import bar_chart
from .counts import TYPES, by, month_label, months_between, tallies
from .registry import register


@register
class IncidentSummaryReport(Report):
    key = "incident_summary"
    title = "Incident summary"
    summary = (
        "Anonymised counts of concerns, allegations, pupil incidents and cyberbullying reports by type, month "
        "and school, with charts."
    )
    anonymised = True
    date_label = "Reported between"

    def build(self, user, filters: Filters, target=None):
        schools = list(self.scope(user, filters))
        start, end = local_bounds(filters)
        found = tallies(user, [school.pk for school in schools], start, end)
        by_type, by_school, by_month = by(found, "kind"), by(found, "school_id"), by(found, "month")
        first = filters.date_from or min(by_month, default=timezone.localdate())
        last = filters.date_to or max(by_month, default=timezone.localdate())
        months = months_between(first, last) if first <= last else []
        type_data = [(kind, by_type.get(kind, 0)) for kind in TYPES]
        month_data = [(month_label(month), by_month.get(month, 0)) for month in months]
        school_data = [(school.name, by_school.get(school.pk, 0)) for school in schools]
        total = sum(by_type.values())
        return self.result(
            filters,
            schools=schools,
            facts=[("Total", str(total))],
            charts=[
                bar_chart("By type", type_data),
                bar_chart("By month", month_data),
                bar_chart("By school", school_data),
            ],
            tables=[
                Table(
                    "By type",
                    ["Type", "Number"],
                    [[k, str(v)] for k, v in type_data],
                    numeric=frozenset({1}),
                    wide_labels=True,
                ),
                Table(
                    "By month",
                    ["Month", "Number"],
                    [[k, str(v)] for k, v in month_data],
                    numeric=frozenset({1}),
                    wide_labels=True,
                ),
                Table(
                    "By school",
                    ["School", "Number"],
                    [[k, str(v)] for k, v in school_data],
                    numeric=frozenset({1}),
                    wide_labels=True,
                ),
            ],
            notes=[
                "Counts only: no one is named. A report from staff that was recorded as an allegation is counted "
                "once as each, and so is a pupil incident that led to an allegation.",
                "Pupil incidents (§8) are counted by when they happened, cyberbullying reports (§10) by the day "
                "they were reported, concerns by when they were raised and allegations by when they were "
                "received.",
            ],
        )
