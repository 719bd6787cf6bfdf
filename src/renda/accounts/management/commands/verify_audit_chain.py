"""Verify the audit log's hash chain (S17); exit status 1 and the first broken entry if broken."""

from django.core.management.base import BaseCommand, CommandError

from renda.accounts import audit


class Command(BaseCommand):
    help = (
        "Seal pending audit entries, check that none was changed, removed or inserted, and record "
        "the chain's head so that removing the newest entries shows next time."
    )

    def handle(self, *args, **options):
        audit.seal_pending(anchor=False)
        checked, broken = audit.verify_chain()
        if broken is not None:
            raise CommandError(f"Audit chain broken at {broken} ({checked} entries read).")
        audit.anchor_head()
        self.stdout.write(f"Audit chain intact: {checked} entries.")
