"""The portal's select writes exactly what Django's select writes: options, the chosen one, groups,
attributes, escaping."""

import pytest
from django import forms

from people.widgets import Select

CHOICES = [
    ("", "Any school"),
    (1, "Larchwood <Primary> & Co"),
    (2, 'Oak "Academy"'),
    ("Group", [(3, "In a group"), (4, "Also")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "2", 3])
@pytest.mark.parametrize(
    "attrs", [None, {"class": "form-select", "aria-describedby": "x_help", "disabled": True}]
)
def test_the_same_html_as_djangos_select(value, attrs):
    ours = Select(choices=CHOICES).render("school", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("school", value, attrs=attrs)
    assert ours == django
    assert "&lt;Primary&gt; &amp; Co" in ours and "<Primary>" not in ours


def test_the_chosen_option_is_marked():
    html = Select(choices=CHOICES).render("school", 2)
    assert '<option value="2" selected>' in html
    assert html.count("selected") == 1


def test_a_filter_form_renders_it(client, exec_head_user, other_school):
    from django.urls import reverse

    client.force_login(exec_head_user)
    response = client.get(reverse("incidents:allegation_list"))
    assert response.status_code == 200
    assert '<select name="f-school" class="select form-select" id="id_f-school">' in response.text
