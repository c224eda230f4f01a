"""`manage.py import_ctf`: the preview as counts, then the import in one transaction; a refused file
exits non-zero and writes nothing; --dry-run writes nothing; --leavers records the missing pupils."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from people.models import ParentLink, Person, PersonKind

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "ctf"


def run(*args):
    out = StringIO()
    call_command("import_ctf", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_counts_and_writes_nothing(school):
    before = (Person.objects.count(), AuditEvent.objects.count())
    out = run(str(FILES / "full_export.xml"), "--school", "Larch School", "--dry-run")
    assert "Pupils added: 3" in out
    assert "Contacts added: 3" in out
    assert "Parent links added: 5" in out
    assert "Rows refused: 0" in out
    assert "Dry run: nothing was written." in out
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_the_import_is_applied_and_audited(school):
    out = run(str(FILES / "full_export.xml"), "--school", "larch")
    assert "Imported into Larch School." in out
    assert Person.objects.filter(kind=PersonKind.PUPIL).count() == 3
    assert ParentLink.objects.count() == 5
    assert AuditEvent.objects.get(action="people.person.import").data["counts"]["added"] == 3


def test_a_later_export_with_leavers(school):
    run(str(FILES / "full_export.xml"), "--school", "Larch School")
    out = run(str(FILES / "later_export.xml"), "--school", "Larch School", "--leavers")
    assert "Pupils added: 1" in out and "Pupils updated: 1" in out and "Pupils left: 1" in out
    assert "Contacts updated: 1" in out
    assert "last_name: Stone -> Stone-Hill" in out
    assert Person.objects.get(reference="P801700114003").kind == PersonKind.FORMER_PUPIL


def test_refused_rows_are_printed_with_their_reasons(school):
    out = run(str(FILES / "bad_rows.xml"), "--school", "Larch School", "--dry-run")
    assert "Rows refused: 3" in out
    assert "refused pupil 1: no UPN" in out
    assert "is not a real date" in out


@pytest.mark.parametrize(
    "name", ["not_xml.xml", "billion_laughs.xml", "external_entity.xml", "wrong_root.xml"]
)
def test_a_refused_file_exits_non_zero_and_writes_nothing(school, name):
    before = (Person.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match="The file was refused, nothing was written") as refused:
        run(str(FILES / name), "--school", "Larch School")
    assert refused.value.returncode == 1
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_an_unknown_school_and_a_missing_file_are_refused(school):
    with pytest.raises(CommandError, match="No school is called"):
        run(str(FILES / "full_export.xml"), "--school", "Nowhere")
    with pytest.raises(CommandError, match="cannot be read"):
        run(str(FILES / "absent.xml"), "--school", "Larch School")


def test_the_exit_code_from_the_shell(school, tmp_path):
    """Run as a process, a refused file exits 1 (checked through the command's own entry point)."""
    from django.core.management import ManagementUtility

    utility = ManagementUtility(
        ["manage.py", "import_ctf", str(FILES / "wrong_root.xml"), "--school", "larch"]
    )
    with pytest.raises(SystemExit) as exited:
        utility.execute()
    assert exited.value.code == 1
