"""CSV exports: formulas never run when a spreadsheet opens the file."""

import pytest

from policydocs.reports.output import csv_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+CMD|' /C calc'!A0", "'+CMD|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("+2", "+2"),
        ("-15%", "-15%"),
        ("Plain text", "Plain text"),
        (None, ""),
        (7, "7"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_quoted(value, written):
    assert csv_cell(value) == written
