"""record_url gives what reverse gives, for every one-key record URL, under any script prefix."""

import pytest
from django.template import Context, Template
from django.urls import get_resolver, reverse, set_script_prefix

from people.links import record_url


def _one_key_urls() -> list[str]:
    """Every namespaced URL of the project that takes exactly one argument, named pk."""
    names = []
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        for key in resolver.reverse_dict:
            if not isinstance(key, str):
                continue
            possibilities = resolver.reverse_dict.getlist(key)
            if all(params == ["pk"] for entry in possibilities for _format, params in entry[0]):
                names.append(f"{namespace}:{key}")
    return sorted(names)


ONE_KEY_URLS = _one_key_urls()


def test_the_table_of_one_key_urls_is_not_empty():
    assert "incidents:allegation_detail" in ONE_KEY_URLS
    assert "approvals:proposal_decide" in ONE_KEY_URLS


@pytest.mark.parametrize("viewname", ONE_KEY_URLS)
@pytest.mark.parametrize("pk", [0, 7, 918273645, 10**12])
def test_record_url_is_reverse(viewname, pk):
    assert record_url(viewname, pk) == reverse(viewname, args=[pk])


def test_a_script_prefix_is_kept_apart():
    try:
        set_script_prefix("/portal/")
        under = record_url("incidents:allegation_detail", 12)
        assert under == reverse("incidents:allegation_detail", args=[12])
        assert under.startswith("/portal/")
    finally:
        set_script_prefix("/")
    assert record_url("incidents:allegation_detail", 12) == reverse("incidents:allegation_detail", args=[12])
    assert not record_url("incidents:allegation_detail", 12).startswith("/portal/")


@pytest.mark.parametrize("bad", [None, "12", "12/../x", 1.5, -1, True])
def test_only_a_whole_number_key_is_taken(bad):
    with pytest.raises(TypeError):
        record_url("incidents:allegation_detail", bad)


def test_a_url_without_a_single_key_is_refused():
    from django.core.exceptions import ImproperlyConfigured
    from django.urls import NoReverseMatch

    with pytest.raises((ImproperlyConfigured, NoReverseMatch)):
        record_url("dashboard", 3)


def test_the_template_tag_matches_the_url_tag():
    text = Template(
        "{% load portal %}{% record_url 'approvals:proposal_decide' pk %}|{% url 'approvals:proposal_decide' pk %}"
    )
    linked, expected = text.render(Context({"pk": 41})).split("|")
    assert linked == expected == reverse("approvals:proposal_decide", args=[41])


@pytest.mark.parametrize(
    "viewname", ["dashboard", "incidents:allegation_list", "approvals:proposal_awaiting"]
)
def test_page_url_is_reverse_under_any_prefix(viewname):
    from people.links import page_url

    assert page_url(viewname) == reverse(viewname)
    try:
        set_script_prefix("/portal/")
        assert page_url(viewname) == reverse(viewname)
        assert page_url(viewname).startswith("/portal/")
    finally:
        set_script_prefix("/")
    assert page_url(viewname) == reverse(viewname)
