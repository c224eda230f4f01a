"""Shared by the incidents views: form errors, refusals, and the confirmation step."""

from datetime import date, datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone

PAGE_SIZE = 25


def apply_form_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def posted(request):
    """The form data of a POST (even an empty one), or None: a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class _DryRun(Exception):
    """Raised inside a trial run so that its transaction rolls back."""


def trial(run) -> None:
    """Run a service and roll everything back: its checks speak before the user confirms.

    Notices queued by the service are written in the same transaction, so they vanish with it
    (they are only sent after a commit that never comes).
    """
    try:
        with transaction.atomic():
            run()
            raise _DryRun
    except _DryRun:
        pass


def display(field: forms.Field, value) -> str:
    """A cleaned value as a person reads it, for the confirmation summary."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.TypedChoiceField) and isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return "; ".join(str(labels.get(v, v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%A %d %B %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value:%A %d %B %Y}"
    return str(value)


def summary(form) -> list[tuple[str, str]]:
    return [
        (str(field.label), display(field, form.cleaned_data.get(name)))
        for name, field in form.fields.items()
        if not isinstance(field.widget, forms.HiddenInput)
    ]


def confirmed_step(request, *, form, run, template: str, context: dict, confirm: dict):
    """A POST with a confirmation step before anything irreversible.

    GET, or input with errors: the form (with the user's input and field errors). Valid input:
    the service is tried and rolled back (so its refusals show on the form), then a summary to
    confirm. "Change" goes back to the form with the input kept. Confirmed: the service runs for
    real and `run`'s result is returned; None means "render" and the caller gets a response.

    Returns (result, response): exactly one is not None.
    """
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        try:
            if request.POST.get("confirm") == "yes":
                return run(), None
            trial(run)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            return None, render(
                request,
                "incidents/confirm.html",
                {**context, **confirm, "form": form, "summary": summary(form)},
            )
    return None, render(request, template, {**context, "form": form})
