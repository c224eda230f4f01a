"""Helpers shared by the policydocs views: form errors, refusals, and a trial run before a confirmation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction


def apply_form_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class _DryRun(Exception):
    """Raised inside a trial run so that its transaction rolls back."""


def trial(run) -> None:
    """Run a service and roll everything back (notices included: they are sent only after a commit),
    so its refusals show on the form before the user confirms."""
    try:
        with transaction.atomic():
            run()
            raise _DryRun
    except _DryRun:
        pass
