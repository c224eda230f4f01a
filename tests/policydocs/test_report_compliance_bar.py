"""The share of staff who have confirmed the current policy, as a bar on the compliance report: the figure
in words, the bar's meter values for screen readers, its width a class in steps of 5% (no style attribute
under the CSP), in the page and in the PDF."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from policydocs.reports.charts import Share
from policydocs.reports.output import pdf_html

from .helpers import acknowledge, ratified_version
from .reportdata import pdf_text
from .test_report_compliance import staff  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

LABEL = "Staff who have confirmed the current policy"
METER = (
    '<div class="share-track" role="meter" aria-labelledby="share-1" aria-valuemin="0" aria-valuemax="100" '
    'aria-valuenow="40" aria-valuetext="2 of 5 staff (40%)">\n      <div class="share-fill share-w-40"></div>'
)


@pytest.fixture
def two_of_five(client, office_user, staff, federation):  # noqa: F811
    version = ratified_version(federation)
    acknowledge(staff["head"], version)
    acknowledge(staff["staff"], version)
    client.force_login(office_user)
    return client


def test_the_page_shows_the_share_in_words_and_as_a_meter(two_of_five):
    response = two_of_five.get(reverse("policydocs:report", args=["ack_compliance"]))
    html = response.content.decode()
    assert f'<p class="mb-1" id="share-1">{LABEL}: <strong>2 of 5 staff (40%)</strong></p>' in html
    assert METER in html
    assert 'style="' not in html


def test_the_pdf_shows_the_same_bar_and_figure(two_of_five):
    result = two_of_five.get(reverse("policydocs:report", args=["ack_compliance"])).context["result"]
    assert METER in pdf_html(result)
    pdf = pdf_text(
        two_of_five.get(reverse("policydocs:report_export", args=["ack_compliance", "pdf"])).content
    )
    assert f"{LABEL}: 2 of 5 staff (40%)" in pdf


def test_each_stylesheet_has_a_width_for_every_step():
    for sheet in ("policydocs.css", "pdf.css"):
        css = (Path(settings.BASE_DIR) / "static" / "policydocs" / sheet).read_text()
        for step in range(0, 101, 5):
            assert f".share-w-{step} {{ width: {step}%; }}" in css, (sheet, step)


@pytest.mark.parametrize(
    ("part", "whole", "percent", "step", "text"),
    [
        (0, 7, 0, 0, "0 of 7 staff (0%)"),
        (1, 300, 0, 5, "1 of 300 staff (0%)"),  # someone confirmed: the bar is never empty
        (2, 5, 40, 40, "2 of 5 staff (40%)"),
        (1, 3, 33, 35, "1 of 3 staff (33%)"),
        (299, 300, 100, 95, "299 of 300 staff (100%)"),  # someone has not: the bar is never full
        (1200, 1200, 100, 100, "1,200 of 1,200 staff (100%)"),
    ],
)
def test_the_bar_steps_by_five_and_never_hides_a_single_person(part, whole, percent, step, text):
    share = Share(LABEL, part, whole, "staff")
    assert (share.percent, share.step, share.text) == (percent, step, text)
