"""Helpers shared by the policydocs views: form errors, refusals, and a trial run before a confirmation."""

from people.viewtools import apply_form_errors as apply_form_errors  # noqa: F401  (re-exported)
from people.viewtools import require as require  # noqa: F401
from people.viewtools import trial as trial  # noqa: F401
