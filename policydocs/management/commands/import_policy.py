"""Import a policy from a plain-text or Markdown file as a draft version: manage.py import_policy PATH.

Shows what was found (sections and clauses) and, with --dry-run, saves nothing. Ratification is
recorded in the portal by a head (or with --ratify-by/--ratified-on/--review-due here)."""

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from people.models import Federation
from policydocs import services
from policydocs.importer import PolicyImportError, decode, parse_policy


class Command(BaseCommand):
    help = "Import a policy from a plain-text or Markdown file as a new draft version."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .txt or .md file to import.")
        parser.add_argument("--federation", help="The federation's name (needed when there are several).")
        parser.add_argument("--title", help="The policy's title (default: found in the file).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; save nothing."
        )
        parser.add_argument("--ratified-by", help="Record the ratification too: who ratified it.")
        parser.add_argument("--ratified-on", type=date.fromisoformat, help="Ratification date, YYYY-MM-DD.")
        parser.add_argument("--review-due", type=date.fromisoformat, help="Review date, YYYY-MM-DD.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            text = decode(path.read_bytes())
            parsed = parse_policy(text)
        except PolicyImportError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        title = options.get("title") or parsed.title
        self.stdout.write(f"{title}: {len(parsed.sections)} sections, {parsed.clause_count} clauses.")
        for section in parsed.sections:
            self.stdout.write(f"  §{section.number} {section.title} ({len(section.clauses)} clauses)")
        if parsed.ratified_by:
            self.stdout.write(f"  Found: ratified by {parsed.ratified_by} on {parsed.ratified_on}.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing saved.")
            return
        federation = self._federation(options.get("federation"))
        try:
            with transaction.atomic():
                version = services.policy_version_import(
                    actor=None,
                    federation=federation,
                    text=text,
                    parsed=parsed,
                    title=title,
                    source_name=path.name,
                )
                if options.get("ratified_by"):
                    version = services.policy_version_ratify(
                        actor=None,
                        version=version,
                        ratified_by=options["ratified_by"],
                        ratified_on=options.get("ratified_on"),
                        review_due_on=options.get("review_due"),
                    )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Saved {version.label} ({version.get_status_display().lower()}).")
        )

    def _federation(self, name):
        federations = Federation.objects.all()
        if name:
            federations = federations.filter(name=name)
        found = list(federations[:2])
        if len(found) != 1:
            raise CommandError(
                "Name the federation with --federation." if found else "No such federation: add it first."
            )
        return found[0]
