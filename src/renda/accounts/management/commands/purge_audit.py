"""Remove old audit entries (S18). Entries younger than RENDA_AUDIT_RETENTION_DAYS (at least 180)
are kept whatever date is given; the remaining chain still verifies from its anchor."""

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.accounts import audit


class Command(BaseCommand):
    help = "Purge audit entries older than --before (never younger than the retention period)."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="YYYY-MM-DD")

    def handle(self, *args, before, **options):
        try:
            day = date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError("--before must be a date, YYYY-MM-DD") from exc
        requested = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
        cutoff = audit.retention_cutoff(requested)
        removed = audit.purge_before(requested)
        self.stdout.write(f"Removed {removed} audit entries older than {cutoff:%Y-%m-%d %H:%M}.")
