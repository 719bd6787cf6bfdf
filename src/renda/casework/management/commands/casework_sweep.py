"""Nightly (cron or a scheduler): ratings not given in time become 未表态, overdue cases are
escalated, agencies are reminded of cases due soon or overdue (no more often than the setting)."""

from django.core.management.base import BaseCommand

from renda.casework import services


class Command(BaseCommand):
    help = "Lapse ratings, escalate overdue cases and remind agencies (run once a day)."

    def handle(self, *args, **options) -> None:
        counts = services.sweep()
        self.stdout.write(f"lapsed={counts['lapsed']} escalated={counts['escalated']} reminded={counts['reminded']}")
