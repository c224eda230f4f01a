"""Refusals a person can act on, beyond a wrong state (`core.workflow.InvalidTransition`)."""

from django.core.exceptions import ValidationError


class HeldUntilAdvice(ValidationError):
    """§9: the step waits until the LADO's advice is recorded."""


class EvidenceRejected(ValidationError):
    """An uploaded file is not one the case file accepts."""
