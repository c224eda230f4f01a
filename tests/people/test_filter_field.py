"""`filter_field` writes a filter row's field as crispy's Bootstrap 5 template does: the same elements,
attributes and text for every field of every filter form of the portal, unbound, bound and in error."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.template import engines

import people.fields
from approvals.filters import DeclarationRegisterFilter, PermissionRegisterFilter, RegisterFilter
from approvals.models import Proposal
from incidents.filters import AllegationFilter, CyberbullyingFilter
from incidents.models import Allegation, CyberbullyingReport
from notifications.filters import DeliveryLogFilter
from notifications.models import Notification
from people.fields import filter_field
from people.filters import PersonFilter
from people.models import ClassGroup, Person, School
from policydocs.forms import ReportFilterForm

from ..factories import ClassGroupFactory, SchoolFactory

pytestmark = pytest.mark.django_db


class _Tokens(HTMLParser):
    """Tags with their attributes (class as a set of names) and text, whitespace between them ignored."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        found = {
            name: (frozenset((value or "").split()) if name == "class" else value) for name, value in attrs
        }
        self.tokens.append(("start", tag, tuple(sorted(found.items(), key=lambda kv: kv[0]))))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.tokens.append(("text", " ".join(data.split())))


def _tokens(html: str) -> list:
    parser = _Tokens()
    parser.feed(str(html))
    parser.close()
    return parser.tokens


def _filter_forms(data):
    """Each filter form of the portal, built as its page builds it, fresh each call."""
    schools = School.objects.order_by("name")
    yield AllegationFilter(data, queryset=Allegation.objects.none(), schools=schools).form
    yield CyberbullyingFilter(data, queryset=CyberbullyingReport.objects.none(), schools=schools).form
    yield RegisterFilter(data, queryset=Proposal.objects.none(), schools=schools).form
    yield DeclarationRegisterFilter(
        data, schools=schools, pupils=Person.objects.all(), declarants=Person.objects.all()
    ).form
    yield PermissionRegisterFilter(data, schools=schools).form
    yield DeliveryLogFilter(data, queryset=Notification.objects.none()).form
    yield PersonFilter(
        data, queryset=Person.objects.none(), schools=schools, classes=ClassGroup.objects.all()
    ).form
    yield ReportFilterForm(data, schools=schools, date_label="Reported between")


@pytest.fixture
def schools():
    larch = SchoolFactory(name="Larch School")
    SchoolFactory(name="Oak & Elm School")  # its escaping is checked on the raw markup, below
    ClassGroupFactory(school=larch, name="Kestrels")
    return larch


DATA = {
    "unbound": None,
    "bound": {"f-q": "Smith <b>", "f-status": "recorded", "f-overdue": "on", "date_from": "2026-01-01"},
    "in error": {"f-school": "not a school", "school": "999999", "date_from": "soon", "f-status": "nope"},
}


@pytest.mark.parametrize("case", list(DATA))
def test_same_markup_as_crispy_for_every_filter_field(schools, case):
    data = DATA[case]
    for ours, theirs in zip(_filter_forms(data), _filter_forms(data), strict=True):
        for name in ours.fields:
            assert _tokens(filter_field(ours[name])) == _tokens(as_crispy_field(theirs[name])), (
                type(ours).__name__,
                name,
            )


def test_plain_fields_are_written_without_crispy_and_others_go_to_it(schools, monkeypatch):
    """A plain field never reaches crispy; a field in error, a required one or one with help text does."""
    handed = []

    def counted(bound, *args, **kwargs):
        handed.append(bound.name)
        return as_crispy_field(bound, *args, **kwargs)

    monkeypatch.setattr(people.fields, "as_crispy_field", counted)
    for form in _filter_forms(None):
        for name in form.fields:
            filter_field(form[name])
    assert handed == []

    bad = ReportFilterForm({"date_from": "soon"}, schools=School.objects.all())
    filter_field(bad["date_from"])
    filter_field(bad["date_to"])
    assert handed == ["date_from"]
    required = ReportFilterForm(None, schools=School.objects.all())
    required.fields["school"].required = True
    required.fields["date_to"].help_text = "The last day counted."
    filter_field(required["school"])
    filter_field(required["date_to"])
    assert handed == ["date_from", "school", "date_to"]


def test_the_template_filter_escapes_what_it_shows(schools):
    """A hostile value in a field written directly, a label with markup, a school name with "&"."""
    found = AllegationFilter(
        {"f-q": '"><script>alert(1)</script>'},
        queryset=Allegation.objects.none(),
        schools=School.objects.all(),
    ).form
    html = engines["django"].from_string("{% load portal %}{{ form.q|filter_field }}").render({"form": found})
    assert "<script>" not in html and '&gt;&lt;script&gt;alert(1)&lt;/script&gt;" class=' in html
    form = ReportFilterForm(None, schools=School.objects.all())
    form.fields["date_to"].label = "<i>To</i>"
    assert "<i>" not in filter_field(form["date_to"]) and "&lt;i&gt;To&lt;/i&gt;" in filter_field(
        form["date_to"]
    )
    assert "Oak &amp; Elm School" in filter_field(form["school"])
