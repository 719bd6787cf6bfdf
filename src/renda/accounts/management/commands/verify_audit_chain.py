"""Verify the audit log's hash chain (S17); exit status 1 and the first broken entry if broken."""

from django.core.management.base import BaseCommand, CommandError

from renda.accounts import audit


class Command(BaseCommand):
    help = "Check that no audit entry was changed, removed or inserted; names the first broken entry."

    def handle(self, *args, **options):
        checked, broken = audit.verify_chain()
        if broken is not None:
            raise CommandError(f"Audit chain broken at {broken} ({checked} entries read).")
        self.stdout.write(f"Audit chain intact: {checked} entries.")
