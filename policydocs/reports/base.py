"""What every report is made of: its filters, its result (facts, charts, tables, text) and the Report
class each one subclasses. A result holds display-ready strings only, so the HTML page, the PDF and
the CSV show the same rows.

A report whose rows grow with the number of cases can be paged (`Report.paged`): its HTML page then
builds one page of rows (sliced in SQL) with its facts counted over every matching row, while the
PDF and the CSV still hold every row."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.utils import timezone

from core.formats import day
from core.viewtools import PAGE_SIZE
from people.models import School

from .. import policies


@dataclass(frozen=True)
class Filters:
    """The school (None: every school the reader may see) and the date range, both ends included."""

    school: School | None = None
    date_from: date | None = None
    date_to: date | None = None

    def for_audit(self) -> dict:
        return {
            "school": self.school.pk if self.school is not None else None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }

    @classmethod
    def from_stored(cls, data: dict, schools) -> "Filters":
        """Filters saved with a background job, checked again against the schools the reader may see."""
        school = None
        if data.get("school") is not None:
            school = schools.filter(pk=data["school"]).first()
            if school is None:
                raise LookupError("The school is no longer one the reader may report on.")
        return cls(
            school=school,
            date_from=date.fromisoformat(data["date_from"]) if data.get("date_from") else None,
            date_to=date.fromisoformat(data["date_to"]) if data.get("date_to") else None,
        )


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()
    links: list[str | None] | None = None  # a link for each row, on the HTML page only...
    link_column: int = 0  # ...on this cell
    empty: str = "Nothing to show for these filters."
    wide_labels: bool = False  # a table of counts: its first column, the labels, printed wide
    page: Page | None = None  # on a paged HTML page: which of the rows these are
    page_note: str = ""  # why the page shown is not the one asked for

    @property
    def lines(self) -> list[tuple[str | None, list[str]]]:
        """(link or None, row) pairs, for templates."""
        links = self.links or [None] * len(self.rows)
        return list(zip(links, self.rows, strict=True))

    @property
    def total(self) -> int:
        """Every row of the table, on every page."""
        return self.page.paginator.count if self.page is not None else len(self.rows)

    @property
    def showing(self) -> str:
        """Which rows a page shows, when the table has more than one page."""
        if self.page is None or not self.page.has_other_pages():
            return ""
        return (
            f"Showing rows {self.page.start_index():,}\u2013{self.page.end_index():,} of {self.total:,}. "
            "The PDF and the CSV hold every row."
        )


@dataclass(frozen=True)
class TextBlock:
    title: str
    paragraphs: list[str]


@dataclass
class ReportResult:
    key: str
    title: str
    case_level: bool
    anonymised: bool
    landscape: bool
    school_label: str
    period_label: str
    generated_at: datetime
    facts: list[tuple[str, str]] = field(default_factory=list)
    charts: list = field(default_factory=list)
    shares: list = field(default_factory=list)  # charts.Share: a part of a whole, as a bar and in words
    tables: list[Table] = field(default_factory=list)
    blocks: list[TextBlock] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Added to the audit event of the generation (for example whether a sealed reporter was shown).
    audit_extra: dict = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Every row of the report, on every page of a paged one (what its PDF will hold)."""
        return sum(table.total for table in self.tables) + sum(len(b.paragraphs) for b in self.blocks)

    @property
    def page_number(self) -> int | None:
        """The page shown, when a table is paged."""
        return next((table.page.number for table in self.tables if table.page is not None), None)

    @property
    def classification(self) -> str:
        return "OFFICIAL-SENSITIVE" if self.case_level else ""


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


class Report:
    """A report: subclasses set the class attributes and write `build`."""

    key = ""
    title = ""
    summary = ""
    case_level = False  # case detail: marked OFFICIAL-SENSITIVE
    anonymised = False  # counts only, no names
    landscape = False
    uses_dates = True
    date_label = "Dates"
    per_record = False  # made for one record (an allegation), not filtered by school and dates
    paged = False  # `build` takes `page`: the HTML page shows one page of rows, with facts over all of them
    page_size = PAGE_SIZE  # rows on one HTML page, as on every list (the PDF and the CSV hold every row)

    def allowed(self, user) -> bool:
        return policies.can_run_report(user, self.key)

    def schools(self, user):
        return policies.report_schools(user, self.key).order_by("name", "id")

    def default_dates(self, today: date) -> tuple[date | None, date | None]:
        """Twelve calendar months to today: from the first of the month eleven months back."""
        months = today.year * 12 + today.month - 1 - 11
        return date(months // 12, months % 12 + 1, 1), today

    def target(self, user, pk: int):
        """The record a per-record report is about, if the reader may see it (else None)."""
        return None

    def build(self, user, filters: Filters, target=None) -> ReportResult:
        """Every row. A paged report's `build` also takes `page` (None: every row)."""
        raise NotImplementedError

    def page_of(self, queryset, total: int, number) -> tuple[Page, str]:
        """One page of `queryset`, whose `total` rows were already counted (with the facts, in SQL), and a
        note when the page asked for does not exist: a number past the end shows the last page, anything
        that is not a page number the first."""
        try:
            asked = int(number) if number not in (None, "") else None
        except (TypeError, ValueError):
            asked = 0
        paginator = Paginator(queryset, self.page_size)
        paginator.count = total  # counted already: no COUNT query of its own
        page = paginator.page(min(max(asked or 1, 1), paginator.num_pages))
        page.object_list = list(page.object_list)
        note = ""
        if asked is not None and asked < 1:
            note = "That is not a page number: this is the first page."
        elif asked is not None and asked > page.number:
            note = f"There is no page {asked:,}: this is the last page, page {page.number:,}."
        return page, note

    # --- helpers for subclasses --------------------------------------------------------------

    def scope(self, user, filters: Filters):
        """The schools the rows come from: the chosen one, or all the reader may report on."""
        schools = self.schools(user)
        if filters.school is not None:
            return schools.filter(pk=filters.school.pk)
        return schools

    def result(
        self, filters: Filters, *, schools=None, school_label: str | None = None, title: str = "", **parts
    ) -> ReportResult:
        """The result, headed with the school(s) it covers: the chosen school, or the schools in scope."""
        if school_label is None:
            school_label = school_label_for(filters, schools)
        return ReportResult(
            key=self.key,
            title=title or self.title,
            case_level=self.case_level,
            anonymised=self.anonymised,
            landscape=self.landscape,
            school_label=school_label,
            period_label=period_label(filters) if self.uses_dates else "",
            generated_at=timezone.now(),
            **parts,
        )

    def file_stem(self, filters: Filters, target=None) -> str:
        """The download's name; a case-level report's is marked, since a CSV carries no marking inside."""
        parts = ["official-sensitive"] if self.case_level else []
        parts.append(self.key.replace("_", "-"))
        if target is not None:
            parts.append(str(getattr(target, "reference", target.pk)))
        if filters.school is not None:
            parts.append(filters.school.code)
        parts.append(timezone.localdate().isoformat())
        return "-".join(parts)


def school_label_for(filters: Filters, schools=None) -> str:
    if filters.school is not None:
        return filters.school.name
    names = [school.name for school in schools or []]
    if not names:
        return "All your schools"
    if len(names) <= 3:
        return ", ".join(names)
    return f"{len(names)} schools"


def period_label(filters: Filters) -> str:
    if filters.date_from and filters.date_to:
        return f"{day(filters.date_from)} to {day(filters.date_to)}"
    if filters.date_from:
        return f"From {day(filters.date_from)}"
    if filters.date_to:
        return f"Up to {day(filters.date_to)}"
    return "All dates"


def local_bounds(filters: Filters) -> tuple[datetime | None, datetime | None]:
    """The date range as aware datetimes: from the start of the first day to the end of the last."""
    start = end = None
    if filters.date_from:
        start = timezone.make_aware(datetime.combine(filters.date_from, datetime.min.time()))
    if filters.date_to:
        end = timezone.make_aware(datetime.combine(filters.date_to + timedelta(days=1), datetime.min.time()))
    return start, end
