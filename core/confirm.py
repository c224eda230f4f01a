"""Ask first: the one confirmation before every irreversible step.

The protocol, the same on every page:
- the page's form is posted without `confirm`: the input is checked, then the step is tried and rolled
  back (`trial`), so a refusal shows on the form before anyone is asked; if it would succeed, the
  confirmation page says what will happen, in words, and shows what was entered;
- `confirm=yes` takes the step for real (the service checks everything again);
- `edit` goes back to the form with the input kept; Cancel is a link, so it changes nothing.

A step with nothing to fill in (close, switch off) passes no form: its first POST asks, its second acts.

    result, response = ask_first(
        request, question=Question(title="Close the report?", consequence="...", confirm_label="Close"),
        run=lambda: services.report_close(actor=request.user, report=report),
        form=form, template="incidents/cyberbullying_close.html", context={...},
    )
    if response is not None:
        return response
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render

from . import formats
from .viewtools import apply_form_errors, trial

CONFIRM_TEMPLATE = "core/confirm.html"


@dataclass(frozen=True)
class Question:
    """What the confirmation page says: its heading, the question, what follows (and that nothing has
    changed yet), the button, where Cancel leads, and values to post again with the answer."""

    title: str
    consequence: str = ""
    confirm_label: str = "Confirm"
    question: str = ""
    warning: str = ""
    cancel_url: str = ""
    hidden: dict = field(default_factory=dict)
    # Shown between the question and the buttons (a notice's preview, the record's summary).
    include: str = ""


def confirmed(request) -> bool:
    """The answer "yes" to the question: the person has seen what will happen."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def going_back(request) -> bool:
    """ "Change what I entered": back to the form with the input kept."""
    return request.method == "POST" and "edit" in request.POST


def display(form_field: forms.Field, value) -> str:
    """A cleaned value as a person reads it, for the summary of what was entered."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return "; ".join(form_field.label_from_instance(item) for item in value)
    if isinstance(form_field, forms.ModelChoiceField):
        return form_field.label_from_instance(value)
    if isinstance(form_field, forms.MultipleChoiceField):
        labels = dict(form_field.choices)
        return "; ".join(str(labels.get(v, v)) for v in value)
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))
    if isinstance(value, datetime):
        return formats.moment(value)
    if isinstance(value, date):
        return formats.day(value)
    return str(value)


def summary(form) -> list[tuple[str, str]]:
    """(label, value) for each visible field of a valid form."""
    return [
        (str(form_field.label), display(form_field, form.cleaned_data.get(name)))
        for name, form_field in form.fields.items()
        if not isinstance(form_field.widget, forms.HiddenInput)
    ]


def carried(form) -> list[tuple[str, str]]:
    """(name, value) pairs that carry what was entered through the question, one per value: plain hidden
    inputs (a field's own `as_hidden` would also carry its help text's `aria-describedby`, which a hidden
    input may not have)."""
    pairs = []
    for bound in form:
        value = bound.value()
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((bound.html_name, "" if item is None else str(item)))
    return pairs


def ask_first(
    request,
    *,
    question: Question,
    run,
    form=None,
    template: str = "",
    context: dict | None = None,
    confirm_template: str = CONFIRM_TEMPLATE,
    check=None,
    stale: bool = False,
):
    """Returns (result, response), exactly one of them not None: `run()`'s result once confirmed, or
    the page to show (the form, with its problems; or the question).

    `check()`, when given, is asked instead of the trial run before the question: a cheaper test that
    raises the same refusals (a workflow's `check`), for a step whose trial would cost the page more
    than it tells. `stale`: the answer was given to another question (what it showed has changed
    since), so the question is asked again."""
    context = dict(context or {})
    asking = request.method == "POST" and not going_back(request)
    if asking and (form is None or form.is_valid()):
        try:
            if confirmed(request) and not stale:
                return run(), None
            if check is not None:
                check()
            else:
                trial(run)
        except ValidationError as exc:
            if form is None or not template:
                raise
            apply_form_errors(form, exc)
        else:
            page = {
                **context,
                "question": question,
                "form": form,
                "summary": summary(form) if form else [],
                "carried": carried(form) if form else [],
            }
            return None, render(request, confirm_template, page)
    return None, render(request, template, {**context, "form": form})
