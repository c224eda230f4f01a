"""Text as people type it: the hidden formatting characters a name must not carry.

Bidirectional controls (right-to-left and left-to-right overrides, embeddings and isolates, and the
direction marks) make a name display differently from how it is stored: "Ali\u202eevil" shows as
"Alilive". Control characters have no place in a name either. Zero-width joiners and non-joiners stay:
names in Persian, Malayalam and other scripts need them. File names are cleaned apart, more strictly
(incidents.evidence).
"""

import unicodedata

from django.core.exceptions import ValidationError

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
HIDDEN_FORMATTING = (
    "Remove the hidden formatting characters (such as a right-to-left override) from this name: "
    "they make it show differently from how it is stored."
)


def has_hidden_formatting(value: str) -> bool:
    """True when `value` holds a bidirectional control or a control character."""
    return any(ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc" for ch in value or "")


def no_hidden_formatting(value: str) -> None:
    """A field validator: refuses a name with hidden formatting characters, saying what to do."""
    if has_hidden_formatting(value):
        raise ValidationError(HIDDEN_FORMATTING, code="hidden_formatting")
