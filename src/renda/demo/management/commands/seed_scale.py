"""Load data at scale for measurements: ``seed_scale --size county|city|province`` or
``seed_scale --townships N [--counties C] [--seed S]``. Operator output in Chinese, like seed_demo."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renda.organisations.models import County

from ...scale import SIZES, build, default_counties, county_plan


class Command(BaseCommand):
    help = "Generate counties of realistic data at scale (county, city or province size) for measurements."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), help="county = 15 townships, city = 150, province = 1500")
        parser.add_argument("--townships", type=int, help="number of townships")
        parser.add_argument("--counties", type=int, help="number of counties (default: one per 15 townships)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true", help="run even in the production profile")

    def handle(self, *args, size, townships, counties, seed, force, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("测试数据不能在生产环境中创建（确需如此请加 --force）。")
        if (size is None) == (townships is None):
            raise CommandError("请给出 --size 或 --townships 之一。")
        townships = SIZES[size] if size else townships
        counties = counties or default_counties(townships)
        try:
            county_plan(townships, counties)
        except ValueError as exc:
            raise CommandError(f"无法按 {townships} 个乡镇、{counties} 个县生成：{exc}") from exc
        if County.objects.unscoped().exists():
            raise CommandError("数据库中已有县（区），测试数据只能建在空库中。")
        self.stdout.write(f"生成 {counties} 个县、{townships} 个乡镇（种子 {seed}）……")
        world = build(townships, counties, seed, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{sum(world.rows.values()):,} 行，{world.seconds:.1f} 秒。"
                f"账号 county_admin、leader、staff、deputy、handler 属于{world.county.name}{world.township.name}。"
            )
        )
