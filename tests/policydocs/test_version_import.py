"""Importing a version: the service, the management command and the upload page with its preview."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEvent
from policydocs import services
from policydocs.models import Clause, PolicyVersion, Section, VersionStatus

from .helpers import SEED_POLICY, import_version, policy_text

pytestmark = pytest.mark.django_db


def test_import_saves_a_draft_with_sections_clauses_hash_and_an_audit_event(head_user, federation):
    version = import_version(federation, actor=head_user)

    assert version.status == VersionStatus.DRAFT
    assert version.number == 1
    assert version.title == "Test Policy"
    assert len(version.content_hash) == 64
    assert list(Section.objects.filter(version=version).values_list("number", "title")) == [
        (1, "Introduction"),
        (2, "Rules"),
    ]
    assert list(Clause.objects.filter(version=version).values_list("number", flat=True)) == [
        "2.1",
        "2.2",
        "2.3",
    ]
    event = AuditEvent.objects.get(action="policydocs.version.import")
    assert event.actor_id == head_user.pk
    assert event.data["sections"] == 2 and event.data["clauses"] == 3
    assert event.data["content_hash"] == version.content_hash


def test_versions_are_numbered_in_turn(federation):
    first = import_version(federation)
    second = import_version(federation, text=policy_text(" today"))

    assert (first.number, second.number) == (1, 2)
    assert first.policy_id == second.policy_id


def test_the_same_text_twice_is_refused(federation):
    import_version(federation)

    with pytest.raises(ValidationError) as refused:
        import_version(federation)
    assert refused.value.messages == [
        "This text is exactly the same as Version 1 (draft): there is nothing new to import."
    ]


@pytest.mark.parametrize("role_user", ["staff_user", "office_user", "dsl_user", "slt_user", "governor_user"])
def test_only_heads_import(request, role_user, federation):
    with pytest.raises(PermissionDenied):
        import_version(federation, actor=request.getfixturevalue(role_user))
    assert not PolicyVersion.objects.exists()


def test_the_executive_head_imports(exec_head_user, federation):
    assert import_version(federation, actor=exec_head_user).number == 1


# --- The management command ---------------------------------------------------------------------


def test_the_command_imports_the_seed_policy(federation):
    if not SEED_POLICY.exists():
        pytest.skip(f"The federation's policy is not beside the repository ({SEED_POLICY}).")
    out = StringIO()

    call_command("import_policy", str(SEED_POLICY), stdout=out)

    version = PolicyVersion.objects.get()
    assert version.status == VersionStatus.DRAFT
    assert version.sections.count() == 10
    assert list(version.clauses.filter(section__number=6).values_list("number", flat=True)) == [
        f"6.{n}" for n in range(1, 11)
    ]
    assert "10 sections" in out.getvalue()
    assert "Saved Version 1 (draft)." in out.getvalue()


def test_the_command_can_record_the_ratification_and_a_dry_run_saves_nothing(tmp_path, federation):
    path = tmp_path / "policy.md"
    path.write_text(policy_text(), encoding="utf-8")

    call_command("import_policy", str(path), "--dry-run", stdout=StringIO())
    assert not PolicyVersion.objects.exists()

    call_command(
        "import_policy",
        str(path),
        "--ratified-by=Resources Committee",
        "--ratified-on=2026-01-05",
        "--review-due=2099-01-05",
        stdout=StringIO(),
    )
    assert PolicyVersion.objects.get().status == VersionStatus.RATIFIED


def test_the_command_explains_a_file_it_cannot_read(tmp_path, federation):
    path = tmp_path / "notes.txt"
    path.write_text("No headings here.", encoding="utf-8")

    with pytest.raises(CommandError, match="No numbered sections were found"):
        call_command("import_policy", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="No file at"):
        call_command("import_policy", str(tmp_path / "missing.md"), stdout=StringIO())


# --- The upload page -------------------------------------------------------------------------------


def _upload(text: str, name: str = "policy.md"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/markdown")


def test_the_upload_page_previews_then_saves_on_confirmation(client, head_user, federation):
    client.force_login(head_user)
    url = reverse("policydocs:version_import")

    preview = client.post(url, {"file": _upload(policy_text())})

    assert preview.status_code == 200
    assert b"2 sections and 3 clauses" in preview.content
    assert b"Ask before posting about the school" in preview.content
    assert not PolicyVersion.objects.exists()  # nothing saved before the confirmation

    saved = client.post(url, {"token": preview.context["token"]})

    version = PolicyVersion.objects.get()
    assert saved.status_code == 302 and saved["Location"] == version.get_absolute_url()
    assert version.source_name == "policy.md"
    assert version.imported_by == head_user


def test_a_changed_preview_saves_nothing(client, head_user, federation):
    client.force_login(head_user)

    response = client.post(reverse("policydocs:version_import"), {"token": "forged"}, follow=True)

    assert b"The preview has expired or was changed. Upload the file again." in response.content
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.pdf", "1. Intro", "Upload a .txt or .md file."),
        ("policy.txt", "Nothing numbered here.", "No numbered sections were found."),
    ],
)
def test_a_bad_file_is_explained_on_the_form(client, head_user, federation, name, content, message):
    client.force_login(head_user)

    response = client.post(
        reverse("policydocs:version_import"), {"file": _upload(content, name), "title": "Kept"}
    )

    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert response.context["form"]["title"].value() == "Kept"  # the user's input is kept


def test_a_duplicate_is_explained_before_any_confirmation(client, head_user, federation):
    import_version(federation)
    client.force_login(head_user)

    response = client.post(reverse("policydocs:version_import"), {"file": _upload(policy_text())})

    assert "exactly the same as Version 1" in response.context["form"].non_field_errors()[0]
    assert "token" not in response.context


def test_a_file_over_the_size_limit_is_refused(client, head_user, federation, settings):
    settings.POLICYDOCS_IMPORT_MAX_BYTES = 1024
    client.force_login(head_user)

    response = client.post(
        reverse("policydocs:version_import"), {"file": _upload(policy_text() + "x" * 2048)}
    )

    assert "at most 1 KB is accepted" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize("role_user", ["staff_user", "office_user", "dsl_user", "governor_user"])
def test_the_upload_page_is_refused_to_everyone_but_the_heads(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))

    assert client.get(reverse("policydocs:version_import")).status_code == 403


def test_services_import_directly_needs_no_page(federation):
    """The demo data and the command import as the system (actor None)."""
    version = services.policy_version_import(actor=None, federation=federation, text=policy_text())
    assert version.imported_by is None
