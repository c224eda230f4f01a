"""The rows of a report's table as HTML, written in Python: a long table (every row of a PDF, a page of
the LADO log) renders several times faster than through a per-cell template loop. The markup is the
same as the template's would be: the first cell a row header, numeric cells right-aligned, a row's
link on its link column (never in the PDF), every value escaped."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def report_rows(table, pdf=False) -> SafeString:
    numeric = table.numeric
    link_column = table.link_column
    lines = []
    for link, row in table.lines:
        cells = []
        for index, cell in enumerate(row):
            text = conditional_escape(cell)
            if link and not pdf and index == link_column:
                text = format_html('<a href="{}">{}</a>', link, text)
            if index == 0:
                cells.append(f'<th scope="row">{text}</th>')
            elif index in numeric:
                cells.append(f'<td class="text-end">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    # Every cell and link is escaped above.
    return mark_safe("\n".join(lines))  # noqa: S308  # nosec B308 B703
