"""Import a roster workbook for bulk onboarding and scripts, through the same service as the page.

    manage.py import_roster 名册.xlsx --township 330825101 [--term 12] [--level township|county]
        [--check] [--json] [--ignore-unknown-columns] [--actor USERNAME]

Exits 1 when it refuses (errors in the file, a column nobody recognised, no such township or term),
0 when the rows were written or, with --check, when they would be. Nothing is written on refusal.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.accounts.models import User
from renda.deputies import importing
from renda.deputies.models import ImportStatus, MandateLevel
from renda.deputies.roster_columns import BY_FIELD
from renda.organisations.models import Term, Township, in_office_on


class Command(BaseCommand):
    help = (
        "Import a roster workbook (.xlsx) for a township: the same checks as the import page, all rows or none. "
        "Exits non-zero when the file is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--township", required=True, help="the township's nine-digit division code")
        parser.add_argument(
            "--term", type=int, help="the term's number (届次); default: the term in office today for the level"
        )
        parser.add_argument("--level", choices=list(MandateLevel.values), default=MandateLevel.TOWNSHIP)
        parser.add_argument("--check", action="store_true", help="check the file and write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object with the outcome")
        parser.add_argument(
            "--ignore-unknown-columns",
            action="store_true",
            help="do not import columns whose names are not recognised (by default they refuse the import)",
        )
        parser.add_argument(
            "--actor",
            help="the username the import is recorded for; by default it is recorded as a system action",
        )

    def handle(self, *args, **options):
        file: Path = options["file"]
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}：{error.strerror}") from error
        township = self._township(options["township"])
        check = options["check"]
        job = importing.import_file(
            township=township,
            term=self._term(township, options["level"], options["term"]),
            level=options["level"],
            filename=file.name,
            data=data,
            actor=self._actor(options["actor"]),
            ignore_unknown_columns=options["ignore_unknown_columns"],
            check_only=check,
        )
        unmapped = job.unmapped_headers
        ok = not job.errors and not unmapped and (check or job.status == ImportStatus.DONE)
        if options["json"]:
            self.stdout.write(_dumps(job, ok=ok, unmapped=unmapped))
        else:
            self._report(job, unmapped)
        if not ok:
            raise CommandError("名册未通过检查。" if check else "名册未导入。")

    def _township(self, code: str) -> Township:
        try:
            return Township.objects.select_related("county").get(division_code=code)
        except Township.DoesNotExist:
            raise CommandError(f"没有区划代码为 {code} 的乡镇（街道）。") from None

    def _term(self, township: Township, level: str, number: int | None) -> Term:
        # County deputies belong to the county congress's term, township deputies to the township's.
        terms = Term.objects.filter(county=township.county, township=township if level == "township" else None)
        if number is not None:
            found = terms.filter(number=number).first()
        else:
            found = terms.filter(in_office_on(timezone.localdate())).order_by("-number").first()
        if found is None:
            known = "、".join(str(n) for n in terms.order_by("number").values_list("number", flat=True)) or "无"
            wanted = f"第 {number} 届" if number is not None else "本届（今天在任期内的届次）"
            raise CommandError(f"{township.name}没有{wanted}，已登记的届次：{known}。请用 --term 指定。")
        return found

    def _actor(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的账号 {username}。")
        return user

    def _report(self, job, unmapped: list[str]) -> None:
        for header, field in importing.column_mapping(job).items():
            meaning = BY_FIELD[field].header if field else "不导入"
            self.stdout.write(f"列 {header} → {meaning}")
        for header in unmapped:
            self.stdout.write(f"列 {header} → 未识别（用 --ignore-unknown-columns 不导入这些列）")
        for error in job.errors:
            where = f"第 {error['row']} 行" if error["row"] else "文件"
            if error.get("serial"):
                where += f"（序号 {error['serial']}）"
            if error.get("name"):
                where += f" {error['name']}"
            self.stdout.write(f"{where} {error['column']}：{error['message']}")
        if job.status == ImportStatus.DONE:
            self.stdout.write(f"已导入 {job.created_rows} 名代表。")
        elif not job.errors and not unmapped:
            self.stdout.write(f"检查通过：{job.total_rows} 行，未写入。")


def _dumps(job, *, ok: bool, unmapped: list[str]) -> str:
    return json.dumps(
        {
            "ok": ok,
            "rows": job.total_rows,
            "imported": job.created_rows,
            "mapping": importing.column_mapping(job),
            "unmapped": unmapped,
            "errors": [
                {
                    "row": error["row"],
                    "serial": error.get("serial", ""),
                    "name": error.get("name", ""),
                    "column": error["column"],
                    "message": error["message"],
                }
                for error in job.errors
            ],
        },
        ensure_ascii=False,
    )
