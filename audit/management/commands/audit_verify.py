"""`manage.py audit_verify`: check the audit trail's hash chain end to end."""

import sys

from django.core.management.base import BaseCommand

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Check that no audit event was edited, inserted or removed. Exits 1 when the chain is broken."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            self.stderr.write(f"Audit chain broken at event #{report.first_broken_id}: {report.reason}")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events checked."))
