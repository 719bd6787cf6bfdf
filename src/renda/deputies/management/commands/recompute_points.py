"""Bring every county's points ledger in line with its records, rules and contests. Idempotent and
safe to run nightly from cron: it writes only what differs, so a second run changes nothing. It
repairs what a lost ``points_refresh`` task (enqueued when a record is saved) left undone."""

from django.core.management.base import BaseCommand, CommandError

from renda.deputies import services
from renda.organisations.models import County


class Command(BaseCommand):
    help = "Recompute deputies' points from the records (all counties, or one with --county); report what changed."

    def add_arguments(self, parser):
        parser.add_argument("--county", metavar="CODE", help="the county's six-digit division code")
        parser.add_argument("--year", type=int, help="only this year's entries")

    def handle(self, *args, county: str | None, year: int | None, **options):
        counties = County.objects.filter(is_active=True).order_by("division_code")
        if county:
            counties = County.objects.filter(division_code=county)
            if not counties.exists():
                raise CommandError(f"没有区划代码为 {county} 的县（市、区）。")
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError("年份应在 2000 至 2100 之间。")
        changed = 0
        for each in counties:
            change = services.points_recompute(county=each, actor=None, year=year)
            changed += change.changed
            self.stdout.write(
                f"{each.name}（{each.division_code}）：新增 {change.created} 条，更新 {change.updated} 条，"
                f"删除 {change.deleted} 条，现有 {change.entries} 条。"
            )
        self.stdout.write(f"共 {len(counties)} 个县，{changed} 个有变化。")
