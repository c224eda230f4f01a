"""The error summary at the top of a form: every problem once, each linked to the input it is about."""

import pytest
from django.urls import reverse

from incidents.models import Concern

pytestmark = pytest.mark.django_db


def test_a_refused_report_lists_each_problem_linked_to_its_field(client, staff_user, school):
    client.force_login(staff_user)
    response = client.post(reverse("incidents:report"), {"school": school.pk, "category": "adult_conduct"})
    page = response.text
    assert "data-error-summary" in page and "There is a problem: nothing has been saved yet" in page
    assert '<a class="alert-link" href="#id_subject">Choose the adult this is about.</a>' in page
    what = response.context["form"].errors["what_happened"][0]
    assert f'<a class="alert-link" href="#id_what_happened">{what}</a>' in page
    assert 'id="id_subject"' in page and 'id="id_what_happened"' in page
    assert not Concern.objects.exists()


def test_a_radio_group_links_to_its_first_option(client, staff_user, school):
    client.force_login(staff_user)
    page = client.post(reverse("incidents:report"), {"school": school.pk, "what_happened": "x"}).text
    assert 'href="#id_category_0"' in page and 'id="id_category_0"' in page


def test_a_form_without_problems_has_no_summary(client, staff_user):
    client.force_login(staff_user)
    assert "data-error-summary" not in client.get(reverse("incidents:report")).text
