"""Refusals a person can act on. `InvalidTransition` is about the case's state (when), never about who."""

from django.core.exceptions import ValidationError


class InvalidTransition(ValidationError):
    """The record is not in a state that allows this step."""


class HeldUntilAdvice(ValidationError):
    """§9: the step waits until the LADO's advice is recorded."""


class EvidenceRejected(ValidationError):
    """An uploaded file is not one the case file accepts."""
