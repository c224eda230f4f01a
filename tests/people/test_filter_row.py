"""A filter row's fields escape what they show: a typed value, a label with markup, a school's name."""

import pytest
from django.template import engines

from incidents.filters import AllegationFilter
from incidents.models import Allegation
from people.models import School
from policydocs.forms import ReportFilterForm

from ..factories import SchoolFactory

pytestmark = pytest.mark.django_db

FIELD = engines["django"].from_string("{% load crispy_forms_filters %}{{ field|as_crispy_field }}")


def _html(bound) -> str:
    return FIELD.render({"field": bound})


def test_the_filter_row_escapes_what_it_shows():
    SchoolFactory(name="Oak & Elm School")
    found = AllegationFilter(
        {"f-q": '"><script>alert(1)</script>'},
        queryset=Allegation.objects.none(),
        schools=School.objects.all(),
    ).form
    html = _html(found["q"])
    assert "<script>" not in html and '&gt;&lt;script&gt;alert(1)&lt;/script&gt;" class=' in html
    form = ReportFilterForm(None, schools=School.objects.all())
    form.fields["date_to"].label = "<i>To</i>"
    assert "<i>" not in _html(form["date_to"]) and "&lt;i&gt;To&lt;/i&gt;" in _html(form["date_to"])
    assert "Oak &amp; Elm School" in _html(form["school"])
