"""Time the roster import of N rows (default 10,000) inside a transaction that is rolled back.

.venv/bin/python manage.py benchmark_roster_import --rows 10000
"""

import io
import time
from datetime import date, timedelta

import xlsxwriter
from django.core.management.base import BaseCommand
from django.db import transaction
from stdnum.cn import ric

from renda.deputies import importing
from renda.deputies.models import ImportJob, ImportStatus
from renda.organisations.models import County, DeputyGroup, Term, Township


def _id_number(n: int) -> str:
    born = date(1950, 1, 1) + timedelta(days=n // 1000)
    body = f"330825{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _workbook(rows: int, group: str) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, len(importing.COLUMNS) - 1, "代表名册")
    for col, name in enumerate(importing.COLUMNS):
        sheet.write_string(1, col, name)
    for n in range(rows):
        id_number = _id_number(n)
        values = [
            n + 1,
            f"王{'伟芳敏'[n % 3]}{n}",
            "男" if int(id_number[16]) % 2 else "女",  # as the ID number says (GB 11643)
            "汉族",
            f"{id_number[6:10]}.{id_number[10:12]}",
            "中共党员",
            "大学本科",
            "东村书记",
            "农民",
            f"B{n:06d}",
            "第一选区",
            group,
            "",
            str(13800000000 + n),
            "浙江省龙游县湖镇镇东村1号",
            id_number,
            "",
            "否",
            "否",
            "",
        ]
        for col, value in enumerate(values):
            sheet.write(2 + n, col, value)
    book.close()
    return output.getvalue()


class Command(BaseCommand):
    help = "Measure the roster import (check + write) of a generated workbook; changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)

    def handle(self, *args, rows: int, **options):
        with transaction.atomic():
            county = County.objects.create(name="基准县", division_code="999998")
            township = Township.objects.create(county=county, name="基准镇", kind="town")
            group = DeputyGroup.objects.create(township=township, name="第一代表小组")
            term = Term.objects.create(
                county=county, township=township, number=1, starts_on=date(2021, 12, 20), ends_on=date(2026, 12, 19)
            )
            started = time.perf_counter()
            content = _workbook(rows, group.name)
            built = time.perf_counter()
            job = ImportJob.objects.create(
                township=township,
                term=term,
                level="township",
                filename="bench.xlsx",
                content=importing.store_file(content),
            )
            importing.check_job(job)
            checked = time.perf_counter()
            assert job.status == ImportStatus.VALID, job.errors[:3]
            job.status = ImportStatus.IMPORTING
            created = importing.apply_job(job)
            done = time.perf_counter()
            transaction.set_rollback(True)
        self.stdout.write(
            f"rows={created} build_file={built - started:.2f}s check={checked - built:.2f}s "
            f"check+write={done - checked:.2f}s total_import={done - built:.2f}s"
        )
