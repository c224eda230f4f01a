"""A case's chronology rows, written by their Jinja2 fragment: the same rows the Django template wrote
before, for every kind of entry (a view, a note, a correcting note, a detail, none), with every value
escaped and a note's line breaks kept; and the case page shows them."""

import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from incidents.models import CaseNote
from incidents.selectors import Entry

from ..factories import PersonFactory
from .casework import record_case

# The rows as templates/incidents/includes/chronology.html wrote them in the Django template language.
DJANGO_ROWS = Template(
    """{% for entry in chronology %}
      <tr{% if entry.is_view %} class="text-body-secondary"{% endif %}>
        <td class="text-nowrap"><time datetime="{{ entry.at|date:'c' }}">{{ entry.at|date:"j M Y H:i" }}</time></td>
        <td>{{ entry.who }}</td>
        <td>{{ entry.what }}</td>
        <td class="text-break">{% if entry.note %}{{ entry.note.text|linebreaksbr }}{% if entry.note.corrects_id %} <em>(corrects an earlier note)</em>{% endif %}{% else %}{{ entry.detail }}{% endif %}</td>
      </tr>
    {% empty %}
      <tr><td colspan="4">Nothing recorded yet.</td></tr>
    {% endfor %}"""
)
ROWS = Template("{% load incidents_tags %}{{ chronology|chronology_rows }}")

SUMMER = datetime(2026, 6, 9, 23, 30, 15, 123456, tzinfo=UTC)  # already 10 June in London
WINTER = datetime(2026, 12, 1, 9, 5, tzinfo=UTC)
ENTRIES = [
    Entry(at=WINTER, who="Sam <Lead>", what="Recorded the allegation", detail='"Quoted" & <b>bold</b>'),
    Entry(
        at=SUMMER, who="The portal", what="Added a note", note=CaseNote(text="Line one\nLine <two>\n\nthree")
    ),
    Entry(at=SUMMER, who="A", what="Added a note", note=CaseNote(text="Fixed", corrects_id=7)),
    Entry(at=WINTER, who="", what="Earlier views", detail="Not listed here.", is_view=True),
    Entry(at=WINTER, who="Jo", what="Viewed the case", is_view=True),
]


def _normal(html) -> str:
    """Whitespace aside, and quotes written as Django writes them (Jinja2 writes &#34; and &#39;)."""
    return " ".join(str(html).replace("&#34;", "&quot;").replace("&#39;", "&#x27;").split())


@pytest.mark.parametrize("entries", [ENTRIES, []], ids=["entries", "none"])
def test_the_fragment_writes_what_the_django_template_wrote(entries):
    context = Context({"chronology": entries})
    assert _normal(ROWS.render(context)) == _normal(DJANGO_ROWS.render(context))


def test_values_are_escaped_and_a_notes_line_breaks_kept():
    html = ROWS.render(Context({"chronology": ENTRIES}))
    assert "<b>bold</b>" not in html and "&#34;Quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "Sam &lt;Lead&gt;" in html
    assert "Line one<br>Line &lt;two&gt;<br><br>three" in html
    assert '<time datetime="2026-06-10T00:30:15.123456+01:00">10 Jun 2026 00:30</time>' in html
    assert html.count('<tr class="text-body-secondary">') == 2
    assert html.count("(corrects an earlier note)") == 1


@pytest.mark.django_db
def test_the_case_page_shows_its_chronology(client, slt_user, school):
    case = record_case(slt_user, school, PersonFactory(school=school))
    client.force_login(slt_user)
    page = client.get(reverse("incidents:allegation_detail", args=[case.pk])).text
    [body] = re.findall(r'aria-label="Chronology of the case">.*?<tbody>(.*?)</tbody>', page, flags=re.S)
    assert "<td>Recorded the allegation</td>" in body and "Nothing recorded yet." not in body
