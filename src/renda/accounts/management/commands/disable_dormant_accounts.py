"""Disable accounts unused for RENDA_DORMANT_DAYS (S12). Idempotent: run it daily from cron."""

from django.core.management.base import BaseCommand

from renda.accounts import services


class Command(BaseCommand):
    help = "Disable active accounts that have not logged in for RENDA_DORMANT_DAYS days (audited)."

    def handle(self, *args, **options):
        count = services.disable_dormant_accounts()
        self.stdout.write(f"Disabled {count} dormant account(s).")
