"""The rows of a report's table as HTML: row headers, right-aligned numbers, links on the page only,
every value escaped."""

from django.template.loader import render_to_string

from policydocs.reports.base import Table

TABLE = Table(
    title="Cases",
    columns=["Case", "Note", "Count"],
    rows=[["ALG-1", "<script>x</script> & co", "3"], ["ALG-2", "plain", "0"]],
    numeric=frozenset({2}),
    links=['/cases/1/?a=1&b="2"', None],
)


def report_rows(table, pdf=False) -> str:
    """The table's rows as reports/includes/result.html writes them: one line a row."""
    html = render_to_string("reports/includes/table_rows.html", {"table": table, "pdf": pdf})
    return "\n".join(line for line in html.splitlines() if line.startswith("<tr>"))


def test_the_rows_carry_headers_numbers_and_escaped_links_and_values():
    html = report_rows(TABLE)

    assert html.splitlines() == [
        '<tr><th scope="row"><a href="/cases/1/?a=1&amp;b=&quot;2&quot;">ALG-1</a></th>'
        '<td>&lt;script&gt;x&lt;/script&gt; &amp; co</td><td class="text-end">3</td></tr>',
        '<tr><th scope="row">ALG-2</th><td>plain</td><td class="text-end">0</td></tr>',
    ]


def test_the_pdf_rows_have_no_links():
    assert "<a " not in report_rows(TABLE, pdf=True)
    assert report_rows(TABLE, pdf=True).startswith('<tr><th scope="row">ALG-1</th>')


def test_the_link_goes_on_the_tables_link_column():
    table = Table(title="T", columns=["A", "B"], rows=[["one", "two"]], links=["/x/"], link_column=1)

    assert report_rows(table) == '<tr><th scope="row">one</th><td><a href="/x/">two</a></td></tr>'
