"""A filter form's field, written as crispy-forms' Bootstrap 5 field template writes it.

List and report pages show a row of filters on every request. Through `as_crispy_field` each field
goes through crispy's nested field templates (about 0.8 ms a field here, before its widget), so a
five-filter list spent nearly as long on its filter row (6 ms) as on its 25 rows (7.7 ms). `filter_field` writes the same
markup directly for the plain cases a filter row has: an optional text, date or number input, a
select or a checkbox, with no help text and no error. Anything else (a required field, an error to
show, help text, another widget) goes to crispy itself, so what a reader sees never differs.
tests/people/test_filter_field.py compares the two for every filter form of the portal.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.conf import settings
from django.utils.html import format_html

# Widgets written here, each with the class crispy's Bootstrap 5 template gives it.
_INPUTS = (forms.TextInput, forms.DateInput, forms.NumberInput, forms.EmailInput, forms.URLInput)
_NOT_HERE = (forms.FileInput, forms.PasswordInput, forms.SelectMultiple, forms.MultiWidget, forms.HiddenInput)


def _bootstrap_class(widget) -> str | None:
    if isinstance(widget, _NOT_HERE):
        return None
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    if isinstance(widget, _INPUTS):
        return "form-control"
    return None


def _css_class(widget, bootstrap: str) -> str:
    """The class attribute crispy's `crispy_field` tag gives the widget (see CrispyFieldNode)."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif css.find(name) == -1:
        css += f" {name}"
    for token in bootstrap.split():
        if token not in css.split():
            css += f" {token}"
    return css


def filter_field(bound) -> str:
    """One field of a filter row, with its label, in crispy's Bootstrap 5 markup."""
    field = bound.field
    bootstrap = _bootstrap_class(field.widget)
    if (
        bootstrap is None
        or field.required
        or bound.errors
        or bound.help_text
        or not (bound.label and bound.auto_id)
    ):
        return as_crispy_field(bound)
    widget = bound.as_widget(attrs={"class": _css_class(field.widget, bootstrap)})
    extra = bound.css_classes()
    extra = f" {extra}" if extra else ""
    if bootstrap == "form-check-input":
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label">{}</label></div></div>',
            bound.auto_id,
            extra,
            widget,
            bound.id_for_label,
            bound.label,
        )
    return format_html(
        '<div id="div_{}" class="mb-3{}"><label for="{}" class="form-label">{}</label>{}</div>',
        bound.auto_id,
        extra,
        bound.id_for_label,
        bound.label,
        widget,
    )
