"""What every app's views share: a service's refusal shown on the form, 403 for a refusal,
binding a form to a POST, a trial run of a service before a confirmation step, and pages and
choices fetched before the template renders (a template never runs a query)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.forms import ChoiceField, ModelChoiceField

PAGE_SIZE = 25


def apply_form_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one the form has."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def posted(request):
    """The form data of a POST (even an empty one, so its errors show), or None: a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None


def require(allowed: bool) -> None:
    """A record the user may see but not act on: 403."""
    if not allowed:
        raise PermissionDenied


class _DryRun(Exception):
    """Raised inside a trial run so that its transaction rolls back."""


def trial(run) -> None:
    """Run a service and roll everything back, so its refusals show on the form before the user
    confirms. Notices it queues vanish with the transaction: they are only sent after a commit."""
    try:
        with transaction.atomic():
            run()
            raise _DryRun
    except _DryRun:
        pass


# Primary keys are 64-bit: a larger number names no record (and SQLite cannot even compare it).
LARGEST_ID = 2**63 - 1


def record_id(value) -> int | None:
    """A record's id typed into an address or a box, or None when it cannot be one (not plain ASCII
    digits, or beyond what the database holds), so that it is never sent to the database."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and int(text) <= LARGEST_ID:
        return int(text)
    return None


def fetched_page(queryset, number, per_page: int = PAGE_SIZE) -> Page:
    """One page of `queryset` with its rows already fetched, so rendering it runs no query."""
    page = Paginator(queryset, per_page).get_page(number)
    page.object_list = list(page.object_list)
    return page


def fetch_choices(form) -> None:
    """Fetch the options of the form's model-backed fields now, in the view: rendering the form then
    runs no query. Validation still checks a submitted value against the field's queryset."""
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField):
            # iter(): list() of the choices themselves would ask their length first, a COUNT query.
            # The plain ChoiceField setter: django-filter's fields wrap what is set in a lazy iterator.
            ChoiceField.choices.fset(field, list(iter(field.choices)))
