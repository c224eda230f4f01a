"""A case's chronology rows, for every kind of entry (a view, a note, a correcting note, a detail, none),
with every value escaped and a note's line breaks kept; and the case page shows them."""

import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from incidents.models import CaseNote
from incidents.selectors import Entry

from ..factories import PersonFactory
from .casework import record_case

ROWS = Template('{% include "incidents/includes/chronology_rows.html" %}')

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


def test_no_entry_is_said_so():
    assert "Nothing recorded yet." in ROWS.render(Context({"chronology": []}))


def test_values_are_escaped_and_a_notes_line_breaks_kept():
    html = ROWS.render(Context({"chronology": ENTRIES}))
    assert "<b>bold</b>" not in html and "&quot;Quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "Sam &lt;Lead&gt;" in html
    assert "Line one<br>Line &lt;two&gt;<br><br>three" in html
    assert '<time datetime="2026-06-10T00:30:15+01:00">10 Jun 2026 00:30</time>' in html
    assert html.count('<tr class="text-body-secondary">') == 2
    assert html.count("(corrects an earlier note)") == 1


@pytest.mark.django_db
def test_the_case_page_shows_its_chronology(client, slt_user, school):
    case = record_case(slt_user, school, PersonFactory(school=school))
    client.force_login(slt_user)
    page = client.get(reverse("incidents:allegation_detail", args=[case.pk])).text
    [body] = re.findall(r'aria-label="Chronology of the case">.*?<tbody>(.*?)</tbody>', page, flags=re.S)
    assert "<td>Recorded the allegation</td>" in body and "Nothing recorded yet." not in body
