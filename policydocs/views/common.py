"""Helpers shared by the policydocs views: form errors, refusals, and a trial run before a confirmation."""

from core.viewtools import apply_form_errors as apply_form_errors  # noqa: F401  (re-exported)
from core.viewtools import require as require  # noqa: F401
from core.viewtools import trial as trial  # noqa: F401
