"""Import a Common Transfer File from the command line: the same checks, plan and write as the page.

    manage.py import_ctf PATH --school NAME [--dry-run] [--leavers]

Prints the preview as counts and every refused row with its reason; without --dry-run, applies it in one
transaction. Exits non-zero, writing nothing, when the file is refused.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from people.importers.ctf import MAX_CTF_BYTES
from people.models import School
from people.services import imports

LABELS = {
    "added": "Pupils added",
    "updated": "Pupils updated",
    "unchanged": "Pupils unchanged",
    "left": "Pupils left",
    "contacts_added": "Contacts added",
    "contacts_updated": "Contacts updated",
    "links_added": "Parent links added",
    "links_updated": "Parent links updated",
    "classes_added": "Classes added",
    "class_places_added": "Pupils placed in a class",
    "refused": "Rows refused",
}


class Command(BaseCommand):
    help = "Import pupils, their contacts and classes from a Common Transfer File (CTF) exported by the MIS."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CTF (XML) file.")
        parser.add_argument("--school", required=True, help="The school's name (or its code).")
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; write nothing.")
        parser.add_argument(
            "--leavers",
            action="store_true",
            help="The file lists every pupil on roll: record pupils missing from it as having left.",
        )

    def handle(self, *args, path, school, dry_run, leavers, **options):
        found = School.objects.filter(name=school).first() or School.objects.filter(code=school).first()
        if found is None:
            raise CommandError(f"No school is called {school!r}.")
        file = Path(path)
        try:
            if file.stat().st_size > MAX_CTF_BYTES:
                raise CommandError(f"The file is larger than {MAX_CTF_BYTES // (1024 * 1024)} MB.")
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"The file cannot be read: {exc.strerror}.") from exc
        try:
            plan = imports.import_plan(school=found, source="ctf", data=data, mark_leavers=leavers)
        except imports.FileRefused as exc:
            raise CommandError(
                "The file was refused, nothing was written: " + " ".join(exc.messages)
            ) from exc
        self._print_plan(plan)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        if not plan.changes_anything:
            self.stdout.write("Nothing to import: the registry already holds everything in the file.")
            return
        try:
            # The command is run by whoever administers the server: the audit event names no user.
            imports.import_apply(actor=None, plan=plan, source="ctf")
        except ValidationError as exc:
            raise CommandError("Nothing was imported: " + " ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported into {found.name}."))

    def _print_plan(self, plan):
        for key, value in plan.counts().items():
            self.stdout.write(f"{LABELS[key]}: {value}")
        for row, reason in plan.refused:
            self.stdout.write(f"  refused {row}: {reason}")
        for person in plan.leavers:
            self.stdout.write(f"  leaving: {person.reference}")
        for update in plan.updated:
            for name, (old, new) in update.changes.items():
                self.stdout.write(f"  {update.record.reference} {name}: {old or '-'} -> {new or '-'}")
