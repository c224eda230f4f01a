"""The error summary at the top of a form: each problem once, linked to the field it is about, so a
keyboard or screen-reader user can go straight to it (the field still shows its own message in place)."""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class Problem:
    message: str
    anchor: str = ""


def _anchor(field: forms.BoundField) -> str:
    """The id of the input to jump to: a radio or tick-box group's first option."""
    if field.is_hidden:
        return ""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")


def _problems(form: forms.BaseForm) -> list[Problem]:
    found = [Problem(str(message)) for message in form.non_field_errors()]
    for name in form.errors:
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        field = form[name]
        found += [Problem(str(message), _anchor(field)) for message in field.errors]
    return found


@register.simple_tag
def error_summary(*forms_or_formsets, messages=(), anchor="") -> list[Problem]:
    """{% error_summary form formset messages=more anchor="id" as problems %}: the problems of the forms,
    and of each form of a formset, in page order; then `messages` the page shows itself, linked to
    `anchor`."""
    problems: list[Problem] = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            problems += [Problem(str(message)) for message in item.non_form_errors()]
            for form in item.forms:
                problems += _problems(form)
        else:
            problems += _problems(item)
    return problems + [Problem(str(message), anchor) for message in messages]
