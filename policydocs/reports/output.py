"""A report's result as CSV and as an A4 PDF (WeasyPrint).

The PDF is laid out from `templates/reports/report_pdf.html` (which extends
`reports/print_base.html`) with the stylesheet `static/policydocs/pdf.css`, passed in directly:
WeasyPrint fetches nothing, neither over the network nor from disk, whatever a report's text holds.
"""

import csv
import gc
import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from .base import ReportResult

# WeasyPrint logs each layout step at INFO: useful when debugging, noise in a server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...except a plain signed number ("+2" in a trend), which is only ever a number.
_SIGNED_NUMBER = re.compile(r"^[+-]\d+(\.\d+)?%?$")


class _NoFetching:
    """WeasyPrint's URL fetcher: refuses every URL, so a PDF never reaches outside the portal."""

    def __call__(self, url, *args, **kwargs):
        raise ValueError(f"Report PDFs load no external resources ({url[:40]}).")

    fetch = __call__


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _SIGNED_NUMBER.match(text):
        return "'" + text
    return text


def to_csv(result: ReportResult) -> bytes:
    """One table: just its columns and rows (its summary figures can be worked out from them). Several:
    each part under its title, a blank line between. UTF-8 with a byte-order mark, so spreadsheet
    programs read accents and "§" right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if len(result.tables) == 1 and not result.blocks:
        table = result.tables[0]
        writer.writerow([csv_cell(c) for c in table.columns])
        writer.writerows([[csv_cell(c) for c in row] for row in table.rows])
    else:
        writer.writerow([csv_cell(result.title)])
        writer.writerow(["School", csv_cell(result.school_label)])
        if result.period_label:
            writer.writerow(["Period", csv_cell(result.period_label)])
        if result.classification:
            writer.writerow(["Marking", result.classification])
        for label, value in result.facts:
            writer.writerow([csv_cell(label), csv_cell(value)])
        for block in result.blocks:
            writer.writerow([])
            writer.writerow([csv_cell(block.title)])
            for paragraph in block.paragraphs:
                writer.writerow([csv_cell(paragraph)])
        for table in result.tables:
            writer.writerow([])
            writer.writerow([csv_cell(table.title)])
            writer.writerow([csv_cell(c) for c in table.columns])
            writer.writerows([[csv_cell(c) for c in row] for row in table.rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _stylesheet() -> str:
    path = finders.find("policydocs/pdf.css")
    if not path:
        raise FileNotFoundError("static/policydocs/pdf.css is missing.")
    return Path(path).read_text(encoding="utf-8")


def pdf_html(result: ReportResult) -> str:
    return render_to_string(
        "reports/report_pdf.html",
        {
            "result": result,
            "classification": result.classification,
            "school_label": result.school_label,
            "period_label": result.period_label,
            "printed": timezone.localtime(result.generated_at),
            "page_name": ("landscape" if result.landscape else "portrait")
            + ("-sensitive" if result.case_level else ""),
        },
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while WeasyPrint lays out and writes a PDF.

    Layout builds a tree of boxes and styles that grows with the rows and stays alive until the file is
    written. The collector's full passes scan every live object, and they come more often as the tree
    grows: at 1,000 rows of the LADO log they took a quarter of the time (ten full passes, against one
    or two at 100 rows), which made a long report cost more than its length. Nothing is freed by those
    passes, since the tree is still in use; reference counting still frees everything else, and the
    collector runs again as usual once the PDF is made."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def to_pdf(result: ReportResult, progress: Callable[[int, str], None] | None = None) -> bytes:
    """The result as an A4 PDF: page numbers, the school and the date at the top of every page, and
    OFFICIAL-SENSITIVE at the top and bottom of every page of a case-level report."""

    def step(percent: int, stage: str) -> None:
        if progress is not None:
            progress(percent, stage)

    step(30, "Writing out the rows")
    data = html_to_pdf(pdf_html(result), progress=step)
    step(95, "Saving the file")
    return data


def html_to_pdf(html: str, progress: Callable[[int, str], None] | None = None) -> bytes:
    """A print layout (extending `reports/print_base.html`) as an A4 PDF, with the reports' stylesheet,
    fetching nothing. The PDF's title, author and subject come from the layout's <title> and its
    "author" and "description" meta elements, and from nothing else."""
    from weasyprint import CSS, HTML

    fetcher = _NoFetching()
    with _collector_paused():
        document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).render(
            stylesheets=[CSS(string=_stylesheet(), url_fetcher=fetcher)]
        )
        if progress is not None:
            progress(80, f"Laying out {len(document.pages)} page{'s' if len(document.pages) != 1 else ''}")
        return document.write_pdf()
