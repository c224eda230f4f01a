"""3. The approved social media services register and 4. the family-link declarations register."""

import pytest
from django.urls import reverse

from people.models import Role

from ..factories import ParentFactory, PersonFactory, PupilFactory, make_user
from .reportdata import csv_rows, make_declaration, make_service, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(school, other_school, head_user, staff_user, exec_head_user):
    moderator = PersonFactory(school=school, first_name="Mo", last_name="Derator")
    oak_staff = make_user(Role.STAFF, school=other_school)
    return {
        "news": make_service(
            school,
            staff_user,
            head_user,
            title="Larch news page",
            account="larch.news",
            moderators=[moderator],
        ),
        "paused": make_service(
            school, staff_user, head_user, title="Larch sports", account="larch.sport", status="suspended"
        ),
        "draft": make_service(
            school, staff_user, head_user, title="Draft idea", account="larch.idea", status="draft"
        ),
        "submitted": make_service(
            school, staff_user, head_user, title="Waiting idea", account="larch.wait", status="submitted"
        ),
        "oak": make_service(
            other_school, oak_staff, exec_head_user, title="Oak news page", account="oak.news"
        ),
    }


def test_the_register_lists_approved_suspended_and_expired_services_only(client, office_user, services):
    client.force_login(office_user)

    response = client.get(reverse("policydocs:report", args=["approved_services"]))

    rows = response.context["result"].tables[0].rows
    assert [row[1] for row in rows] == ["Larch news page", "Larch sports"]
    news = rows[0]
    assert news[0] == "Larch School" and news[2] == "Facebook" and news[3] == "larch.news"
    assert news[5] == "Mo Derator" and news[9] == "Approved" and news[10] == "Comments switched off."
    assert rows[1][9] == "Suspended"
    assert "OFFICIAL-SENSITIVE" not in response.content.decode()
    assert f'<a href="{services["news"].get_absolute_url()}">Larch news page</a>' in response.content.decode()


def test_the_register_csv_and_pdf_have_the_same_rows(client, office_user, services):
    client.force_login(office_user)

    csv = csv_rows(client.get(reverse("policydocs:report_export", args=["approved_services", "csv"])).content)
    pdf = pdf_text(client.get(reverse("policydocs:report_export", args=["approved_services", "pdf"])).content)

    assert csv[0][:4] == ["School", "Service", "Platform", "Account"]
    assert [row[1] for row in csv[1:]] == ["Larch news page", "Larch sports"]
    assert "Larch news page" in pdf and "Larch sports" in pdf and "larch.news" in pdf
    assert "Draft idea" not in pdf and "Oak news page" not in pdf
    assert "OFFICIAL-SENSITIVE" not in pdf
    assert "Page 1 of 1" in pdf


def test_the_executive_head_filters_the_register_by_school(client, exec_head_user, services, other_school):
    client.force_login(exec_head_user)

    everything = client.get(reverse("policydocs:report", args=["approved_services"]))
    oak = client.get(reverse("policydocs:report", args=["approved_services"]), {"school": other_school.pk})

    assert len(everything.context["result"].tables[0].rows) == 3
    assert [row[1] for row in oak.context["result"].tables[0].rows] == ["Oak news page"]


def test_a_school_outside_the_readers_is_refused_on_the_filter(client, office_user, services, other_school):
    client.force_login(office_user)

    response = client.get(
        reverse("policydocs:report", args=["approved_services"]), {"school": other_school.pk}
    )

    assert response.context["result"] is None
    assert "school" in response.context["form"].errors


def test_governors_read_the_register_without_links_into_the_approvals_pages(client, governor_user, services):
    client.force_login(governor_user)

    response = client.get(reverse("policydocs:report", args=["approved_services"]))

    assert len(response.context["result"].tables[0].rows) == 2
    assert services["news"].get_absolute_url() not in response.content.decode()


@pytest.fixture
def declarations(school, other_school, head_user):
    teacher = make_user(Role.STAFF, school=school, first_name="Tess", last_name="Teacher")
    cook = make_user(Role.STAFF, school=school, first_name="Cal", last_name="Cook")
    nephew = PupilFactory(school=school, first_name="Ned", last_name="Nephew")
    parent = ParentFactory(school=school, first_name="Pat", last_name="Parent")
    oak_staff = make_user(Role.STAFF, school=other_school, first_name="Olly", last_name="Oak")
    return {
        "family": make_declaration(school, teacher, pupils=[nephew], acknowledged_by=head_user),
        "friend": make_declaration(school, cook, parents=[parent]),
        "oak": make_declaration(other_school, oak_staff, pupils=[PupilFactory(school=other_school)]),
    }


def test_the_declarations_register_rows(client, office_user, declarations):
    client.force_login(office_user)

    response = client.get(reverse("policydocs:report", args=["declarations"]))

    rows = {row[1]: row for row in response.context["result"].tables[0].rows}
    assert set(rows) == {"Tess Teacher", "Cal Cook"}
    assert rows["Tess Teacher"][2] == "Family or friendship link with pupils"
    assert rows["Tess Teacher"][3] == "Relative" and rows["Tess Teacher"][4] == "Ned Nephew"
    assert rows["Tess Teacher"][7] == "Acknowledged"
    assert (
        rows["Cal Cook"][3] == "Facebook"
        and rows["Cal Cook"][5] == "Pat Parent"
        and rows["Cal Cook"][7] == "Submitted"
    )
    assert "A private statement" not in response.content.decode()


def test_the_declarations_csv_and_pdf(client, office_user, declarations):
    client.force_login(office_user)

    csv = csv_rows(client.get(reverse("policydocs:report_export", args=["declarations", "csv"])).content)
    pdf = pdf_text(client.get(reverse("policydocs:report_export", args=["declarations", "pdf"])).content)

    assert {row[1] for row in csv[1:]} == {"Tess Teacher", "Cal Cook"}
    assert "Tess Teacher" in pdf and "Ned Nephew" in pdf and "Pat Parent" in pdf
    assert "Olly Oak" not in pdf and "A private statement" not in pdf


def test_declarations_dated_outside_the_range_are_left_out(client, office_user, declarations):
    from datetime import timedelta

    from django.utils import timezone

    declarations["friend"].declared_on = timezone.localdate() - timedelta(days=400)
    declarations["friend"].save(update_fields=["declared_on"])
    client.force_login(office_user)

    response = client.get(
        reverse("policydocs:report", args=["declarations"]),
        {"date_from": (timezone.localdate() - timedelta(days=30)).isoformat()},
    )

    assert [row[1] for row in response.context["result"].tables[0].rows] == ["Tess Teacher"]
