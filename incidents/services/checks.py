"""The input checks every incidents service makes the same way: each problem kept against its field, then
raised together, so a form shows all of them at once."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def required(errors: dict, field: str, value, message: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[field] = message


def not_future(errors: dict, field: str, value: datetime | None, what: str) -> None:
    if value is not None and value > timezone.now():
        errors[field] = f"{what} cannot be in the future."


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
