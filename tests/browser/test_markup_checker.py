"""The second checker beside axe really reads the page: markup axe accepts but the HTML standard does not
is refused."""

import pytest

from .conftest import check_markup


@pytest.mark.django_db(transaction=True)
def test_markup_that_breaks_the_standard_is_refused(page, nu_checker):
    if nu_checker is None:
        pytest.skip("the Nu HTML Checker is not installed")
    page.set_content(
        "<!doctype html><html lang='en'><head><title>Check</title></head><body><main>"
        "<form method='post'><input type='hidden' name='a' aria-describedby='x'>"
        "<time datetime='2026-12-08T10:00:00.123456+00:00'>today</time></form></main></body></html>"
    )
    with pytest.raises(AssertionError) as refused:
        check_markup(page)
    message = str(refused.value)
    assert "must not have any “aria-*” attributes" in message
    assert "A fraction of a second must be one, two, or three digits" in message


@pytest.mark.django_db(transaction=True)
def test_well_formed_markup_passes(page, nu_checker):
    if nu_checker is None:
        pytest.skip("the Nu HTML Checker is not installed")
    page.set_content(
        "<!doctype html><html lang='en'><head><title>Check</title></head><body><main>"
        "<time datetime='2026-12-08T10:00:00+00:00'>today</time></main></body></html>"
    )
    check_markup(page)
