"""Links resolved once per URL name: a record's page by key, and the pages that take no argument.

A list of 25 cases links each row to its case page. Resolving the URLconf for every row costs
about a tenth of a millisecond each time; the link differs between rows only in the key. So the
first call for a URL name resolves it once with a marker key, keeps the text either side of the
marker, and later calls put the key between them. The result is what `reverse` gives.

A page without an argument (a list, the dashboard) has one URL, so `page_url` remembers it whole:
the navigation and the dashboard's cards link a dozen of them on every page.

Only integer keys are handled: every model here has an integer key except report jobs (UUIDs),
which keep `reverse`. The remembered pieces are keyed on the script prefix and the URLconf, so a
deployment under a sub-path, or a test with its own URLconf, gets its own.
"""

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf, reverse

# A key no record reaches and whose digits appear nowhere else in a path.
_MARKER = 918273645


@lru_cache(maxsize=128)
def _pieces(viewname: str, prefix: str, urlconf: str) -> tuple[str, str]:
    url = reverse(viewname, args=[_MARKER])
    head, found, tail = url.partition(str(_MARKER))
    if not found or str(_MARKER) in tail:
        raise ImproperlyConfigured(f"{viewname} does not take a single integer key")
    return head, tail


def record_url(viewname: str, pk: int) -> str:
    """reverse(viewname, args=[pk]) for a URL whose only argument is an integer key."""
    if type(pk) is not int or pk < 0:
        raise TypeError(f"record_url takes a non-negative integer key, not {pk!r}")
    head, tail = _pieces(viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{head}{pk}{tail}"


@lru_cache(maxsize=256)
def _page(viewname: str, prefix: str, urlconf: str) -> str:
    return reverse(viewname)


def page_url(viewname: str) -> str:
    """reverse(viewname) for a URL that takes no argument."""
    return _page(viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
