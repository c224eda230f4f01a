"""A filter row's select is Django's, with crispy's Bootstrap 5 classes."""


def test_a_filter_form_renders_it(client, exec_head_user, other_school):
    from django.urls import reverse

    client.force_login(exec_head_user)
    response = client.get(reverse("incidents:allegation_list"))
    assert response.status_code == 200
    assert '<select name="f-school" class="select form-select" id="id_f-school">' in response.text
