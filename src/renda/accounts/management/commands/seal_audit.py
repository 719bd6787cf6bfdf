"""Seal audit entries whose sealing after commit did not happen (S17). Run it every few minutes
from cron; it is cheap when there is nothing to seal, and idempotent."""

from django.core.management.base import BaseCommand

from renda.accounts import audit


class Command(BaseCommand):
    help = "Seal audit entries left unsealed (a process that died between commit and seal)."

    def handle(self, *args, **options):
        self.stdout.write(f"Sealed {len(audit.seal_pending())} audit entries.")
