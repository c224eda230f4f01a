"""A redacted pack as an A4 PDF (WeasyPrint, as the reports are) and as a CSV.

Both are made from a pack whose text has already been substituted (`redaction.apply`). The PDF's
metadata (title, author, subject) names only the request's reference and the school.
"""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone

from policydocs.reports.output import csv_cell, html_to_pdf

from .records import Pack


def to_csv(pack: Pack) -> bytes:
    """One row per value: section, record, label, value. UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Section", "Record", "Item", "Value"])
    for label, value in pack.facts:
        writer.writerow(["Request", "", csv_cell(label), csv_cell(value)])
    for section in pack.sections:
        for record in section.records:
            for entry in record.entries:
                writer.writerow(
                    [
                        csv_cell(section.title),
                        csv_cell(record.title),
                        csv_cell(entry.label),
                        csv_cell(entry.value),
                    ]
                )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_pdf(pack: Pack) -> bytes:
    html = render_to_string(
        "disclosures/pack_pdf.html",
        {
            "pack": pack,
            "classification": "OFFICIAL-SENSITIVE",
            "school_label": pack.school_label,
            "printed": timezone.localtime(),
            "page_name": "portrait-sensitive",
        },
    )
    return html_to_pdf(html)
