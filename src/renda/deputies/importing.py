"""Roster import from the .xlsx officials keep: upload → checked in the background → preview with
every row's errors → confirm → written in one transaction, all rows or none.

Errors name the Excel row number and the column, as officials look for them. The uploaded file
holds ID numbers and phones: it is kept encrypted on the job only until the import ends."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.core import crypto
from renda.core.pii import (
    blind_index_of,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    validate_id_number,
    validate_phone,
)
from renda.documents import excel
from renda.documents.dates import parse_chinese_date

from .models import (
    ETHNIC_GROUPS,
    TECHNICAL_OCCUPATIONS,
    WORKER_FARMER_OCCUPATIONS,
    BirthDatePrecision,
    ImportJob,
    ImportStatus,
    Mandate,
    MandateEvent,
    MandateEventKind,
    MandateStatus,
    Occupation,
    Person,
    mask_address,
)
from .models.choices import (
    EDUCATION_SPELLINGS,
    GENDER_SPELLINGS,
    OCCUPATION_SPELLINGS,
    PARTY_SPELLINGS,
)

# The template's columns, in order. Officials' own files may lack some or order them differently.
COLUMNS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "政治面貌",
    "文化程度",
    "工作单位及职务",
    "职业",
    "代表证号",
    "选区",
    "代表小组",
    "联络站",
    "手机",
    "通讯地址",
    "身份证号",
    "当选日期",
    "连任",
    "归侨",
    "备注",
]
REQUIRED = ("姓名", "性别")
YES = {"是", "√", "✓", "Y", "y", "yes", "1"}
NO = {"", "否", "×", "N", "n", "no", "0"}
PREVIEW_ROWS = 20
MAX_ERRORS = 1000
PROGRESS_EVERY = 500
BATCH = 1000


@dataclass
class RowError:
    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class CheckedRow:
    number: int
    person: Person
    mandate: Mandate
    elected_on: date
    existing_person_id: int | None = None


class RosterChecker:
    """Checks every row against the township's groups, stations and the term's deputy numbers."""

    def __init__(self, job: ImportJob):
        self.job = job
        township = job.township
        self.groups = {g.name: g for g in township.deputy_groups.filter(is_active=True)}
        self.stations = {s.name: s for s in township.stations.filter(is_active=True)}
        self.taken_numbers = set(
            Mandate.objects.unscoped()
            .filter(term=job.term)
            .exclude(deputy_number="")
            .values_list("deputy_number", flat=True)
        )
        self.errors: list[RowError] = []
        self.numbers_in_file: dict[str, int] = {}
        self.ids_in_file: dict[str, int] = {}

    def error(self, row: int, column: str, code: str, message: str) -> None:
        self.errors.append(RowError(row, column, code, message))

    def check(self, row: excel.RowData) -> CheckedRow | None:
        values = row.values
        n = row.number
        before = len(self.errors)

        def value(column: str) -> str:
            return (values.get(column) or "").strip()

        for column in REQUIRED:
            if not value(column):
                self.error(n, column, "required", _("%(column)s is required.") % {"column": column})
        name = "".join(value("姓名").split())
        if len(name) > 50:
            self.error(n, "姓名", "too_long", _("The name is longer than 50 characters."))
        gender = GENDER_SPELLINGS.get(value("性别"))
        if value("性别") and gender is None:
            self.error(n, "性别", "gender", _("Write 男 or 女."))
        ethnicity = value("民族") or "汉族"
        if not ethnicity.endswith("族") and ethnicity + "族" in ETHNIC_GROUPS:
            ethnicity += "族"
        if ethnicity not in ETHNIC_GROUPS:
            self.error(n, "民族", "ethnicity", _("Unknown ethnic group “%(value)s”.") % {"value": ethnicity[:20]})
        birth = None
        if value("出生年月"):
            birth = parse_chinese_date(value("出生年月"))
            if birth is None:
                self.error(
                    n,
                    "出生年月",
                    "date",
                    _("“%(value)s” is not a date; write it like 1975.03 or 1975年3月.")
                    % {"value": value("出生年月")[:20]},
                )
        party = self._closed(n, "政治面貌", value("政治面貌"), PARTY_SPELLINGS)
        education = self._closed(n, "文化程度", value("文化程度"), EDUCATION_SPELLINGS)
        occupation = self._closed(n, "职业", value("职业"), OCCUPATION_SPELLINGS)
        number = value("代表证号")
        if number:
            if number in self.taken_numbers:
                self.error(
                    n,
                    "代表证号",
                    "duplicate_number",
                    _("Deputy card number %(number)s is recorded already for this term.") % {"number": number},
                )
            elif number in self.numbers_in_file:
                self.error(
                    n,
                    "代表证号",
                    "duplicate_number",
                    _("Deputy card number %(number)s appears in row %(row)s too.")
                    % {"number": number, "row": self.numbers_in_file[number]},
                )
            else:
                self.numbers_in_file[number] = n
        group = None
        if value("代表小组"):
            group = self.groups.get(value("代表小组"))
            if group is None:
                self.error(
                    n,
                    "代表小组",
                    "unknown_group",
                    _("The township has no deputy group “%(value)s”.") % {"value": value("代表小组")[:40]},
                )
        station = None
        if value("联络站"):
            station = self.stations.get(value("联络站"))
            if station is None:
                self.error(
                    n,
                    "联络站",
                    "unknown_station",
                    _("The township has no station “%(value)s”.") % {"value": value("联络站")[:40]},
                )
        elif group is not None:
            station = group.station
        phone = value("手机")
        if phone:
            try:
                validate_phone(phone)
            except ValidationError as exc:
                self.error(n, "手机", "phone", exc.messages[0])
        id_number = normalise_id_number(value("身份证号"))
        if id_number:
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                self.error(n, "身份证号", exc.error_list[0].code or "id_invalid", exc.messages[0])
            else:
                if id_number in self.ids_in_file:
                    self.error(
                        n,
                        "身份证号",
                        "duplicate_id",
                        _("The same ID number appears in row %(row)s.") % {"row": self.ids_in_file[id_number]},
                    )
                self.ids_in_file.setdefault(id_number, n)
        elected = None
        if value("当选日期"):
            elected = parse_chinese_date(value("当选日期"))
            if elected is None:
                self.error(
                    n,
                    "当选日期",
                    "date",
                    _("“%(value)s” is not a date; write it like 2021.12.20 or 2021年12月20日.")
                    % {"value": value("当选日期")[:20]},
                )
        reelected = self._yes_no(n, "连任", value("连任"))
        returned = self._yes_no(n, "归侨", value("归侨"))
        if len(self.errors) > before:
            return None
        person = Person(
            township=self.job.township,
            full_name=name,
            gender=gender,
            ethnicity=ethnicity,
            birth_date=birth.date if birth else None,
            birth_date_precision=birth.precision if birth else BirthDatePrecision.DAY,
            party=party,
            education=education,
            workplace=value("工作单位及职务")[:120],
            occupation=occupation,
            phone=phone,
            address=value("通讯地址")[:200],
            id_number=id_number,
            note=value("备注")[:500],
        )
        mandate = Mandate(
            term=self.job.term,
            level=self.job.level,
            deputy_number=number[:30],
            constituency=value("选区")[:80],
            group=group,
            station=station,
            is_worker_farmer=occupation in WORKER_FARMER_OCCUPATIONS,
            is_technical=occupation in TECHNICAL_OCCUPATIONS,
            is_leading_cadre=occupation == Occupation.LEADING_CADRE,
            is_reelected=reelected,
            is_returned_overseas=returned,
        )
        return CheckedRow(
            number=n, person=person, mandate=mandate, elected_on=elected.date if elected else self.job.term.starts_on
        )

    def _closed(self, row: int, column: str, text: str, spellings: dict) -> str:
        if not text:
            return ""
        found = spellings.get("".join(text.split()))
        if found is None:
            self.error(
                row,
                column,
                "closed_list",
                _("“%(value)s” is not one of: %(choices)s.") % {"value": text[:20], "choices": "、".join(spellings)},
            )
            return ""
        return found

    def _yes_no(self, row: int, column: str, text: str) -> bool:
        if text in YES:
            return True
        if text not in NO:
            self.error(row, column, "yes_no", _("Write 是 or 否."))
        return False

    def check_existing_people(self, rows: list[CheckedRow]) -> None:
        """Reuse a person recorded already (another mandate of the same person); refuse a person of
        another township and a second mandate of the same person in this term."""
        by_index = {}
        for checked in rows:
            if checked.person.id_number:
                by_index[blind_index_of(Person, "id_number", checked.person.id_number)] = checked
        keys = list(by_index)
        for start in range(0, len(keys), BATCH):
            for pk, township_id, index in (
                Person.objects.unscoped()
                .filter(id_number_index__in=keys[start : start + BATCH])
                .values_list("pk", "township_id", "id_number_index")
            ):
                checked = by_index[index]
                if township_id != self.job.township_id:
                    self.error(
                        checked.number, "身份证号", "other_township", _("This person is recorded by another township.")
                    )
                elif Mandate.objects.unscoped().filter(person_id=pk, term=self.job.term).exists():
                    self.error(
                        checked.number,
                        "身份证号",
                        "has_mandate",
                        _("This person holds a mandate of this term already."),
                    )
                else:
                    checked.existing_person_id = pk


def store_file(data: bytes) -> str:
    return crypto.encrypt(base64.b64encode(data).decode())


def load_file(job: ImportJob) -> bytes:
    return base64.b64decode(crypto.decrypt(job.content))


def _progress(job: ImportJob, processed: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)


def check_job(job: ImportJob) -> list[CheckedRow]:
    """Read and check every row; record errors and a masked preview on the job."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            table = excel.read_table(load_file(job), header_names=COLUMNS)
        except excel.UnreadableFile as exc:
            job.status = ImportStatus.INVALID
            job.errors = [RowError(0, "", "unreadable", str(exc)).as_dict()]
            job.save(update_fields=["status", "errors", "updated_at"])
            return []
        missing = [column for column in REQUIRED if column not in table.headers]
        checker = RosterChecker(job)
        if missing:
            checker.error(
                0,
                "、".join(missing),
                "missing_column",
                _("The table has no column %(columns)s.") % {"columns": "、".join(missing)},
            )
        job.total_rows = len(table.rows)
        job.save(update_fields=["total_rows", "updated_at"])
        rows: list[CheckedRow] = []
        if not missing:
            for index, row in enumerate(table.rows, start=1):
                checked = checker.check(row)
                if checked is not None:
                    rows.append(checked)
                if index % PROGRESS_EVERY == 0:
                    _progress(job, index)
            checker.check_existing_people(rows)
        if not table.rows and not missing:
            checker.error(0, "", "empty", _("The table has no rows."))
        job.processed_rows = len(table.rows)
        job.errors = [
            error.as_dict()
            for error in sorted(
                checker.errors, key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99)
            )[:MAX_ERRORS]
        ]
        job.status = ImportStatus.INVALID if checker.errors else ImportStatus.VALID
        job.preview = [_preview(row) for row in rows[:PREVIEW_ROWS]]
        job.message = (
            _("%(count)s errors found; nothing has been imported.") % {"count": len(checker.errors)}
            if checker.errors
            else ""
        )
        job.save(update_fields=["processed_rows", "errors", "status", "preview", "message", "updated_at"])
        return rows


def _preview(row: CheckedRow) -> dict:
    person, mandate = row.person, row.mandate
    return {
        "row": row.number,
        "name": person.full_name,
        "gender": str(person.get_gender_display()),
        "birth": person.birth_display,
        "number": mandate.deputy_number,
        "group": mandate.group.name if mandate.group else "",
        "phone": mask_phone(person.phone),
        "id_number": mask_id_number(person.id_number),
        "address": mask_address(person.address),
        "existing": row.existing_person_id is not None,
    }


def apply_job(job: ImportJob) -> int:
    """Check again (the roster may have changed since the preview) and write all rows or none."""
    from .services import fill_name_columns

    rows = check_job(job)
    if job.status != ImportStatus.VALID:
        return 0
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    with transaction.atomic():
        new_people = [row.person for row in rows if row.existing_person_id is None]
        for person in new_people:
            fill_name_columns(person)
        Person.objects.bulk_create(new_people, batch_size=BATCH)
        mandates = []
        for row in rows:
            mandate = row.mandate
            mandate.person_id = row.existing_person_id or row.person.pk
            mandate.starts_on = row.elected_on
            mandate.status = MandateStatus.ACTIVE
            mandates.append(mandate)
        Mandate.objects.bulk_create(mandates, batch_size=BATCH)
        MandateEvent.objects.bulk_create(
            (
                MandateEvent(
                    mandate=m,
                    kind=MandateEventKind.ELECTED,
                    date=m.starts_on,
                    recorded_by=job.created_by,
                    note=job.filename[:200],
                )
                for m in mandates
            ),
            batch_size=BATCH,
        )
        job.status = ImportStatus.DONE
        job.created_rows = len(mandates)
        job.content = ""
        job.finished_at = timezone.now()
        job.message = _("%(count)s deputies imported.") % {"count": len(mandates)}
        job.save(update_fields=["status", "created_rows", "content", "finished_at", "message", "updated_at"])
        audit.record(
            "deputies.roster.import",
            actor=job.created_by,
            target=job,
            data={"rows": len(mandates), "new_people": len(new_people), "term": str(job.term.uuid), "level": job.level},
        )
    return len(mandates)


@transaction.atomic
def import_start(*, township, term, level: str, filename: str, data: bytes, actor: User) -> ImportJob:
    """Create the job and have the file checked in the background (after commit)."""
    from .tasks import import_check

    job = ImportJob.objects.create(
        township=township, term=term, level=level, filename=filename[:200], content=store_file(data), created_by=actor
    )
    audit.record("deputies.roster.import_upload", actor=actor, target=job, data={"file": job.filename})
    transaction.on_commit(lambda: import_check.enqueue(job.pk))
    return job


@transaction.atomic
def import_confirm(*, job: ImportJob, actor: User) -> ImportJob:
    from .tasks import import_apply

    if job.status != ImportStatus.VALID:
        raise ValueError("only a checked job without errors can be imported")
    job.status = ImportStatus.IMPORTING
    job.processed_rows = 0
    job.save(update_fields=["status", "processed_rows", "updated_at"])
    audit.record("deputies.roster.import_confirm", actor=actor, target=job)
    transaction.on_commit(lambda: import_apply.enqueue(job.pk))
    return job


@transaction.atomic
def import_cancel(*, job: ImportJob, actor: User) -> ImportJob:
    if job.status not in {ImportStatus.DONE, ImportStatus.CANCELLED}:
        job.status = ImportStatus.CANCELLED
        job.content = ""
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "content", "finished_at", "updated_at"])
        audit.record("deputies.roster.import_cancel", actor=actor, target=job)
    return job


def template_workbook() -> bytes:
    """The downloadable template: a caption, the header and one example row."""
    example = [
        1,
        "张伟",
        "男",
        "汉族",
        "1975.03",
        "中共党员",
        "大学本科",
        "某某村党支部书记",
        "农民",
        "12001",
        "第一选区",
        "第一代表小组",
        "",
        "13800000000",
        "浙江省衢州市龙游县某某镇某某村1号",
        "",
        "2021.12.20",
        "否",
        "否",
        "",
    ]
    return excel.workbook(
        sheets=[
            excel.Sheet(
                title="代表名册",
                headers=COLUMNS,
                rows=[example],
                caption="××镇第×届人民代表大会代表名册",
                footer_note="姓名、性别必填；出生年月可写 1975.03 或 1975年3月；连任、归侨填“是”或“否”；示例行请删除。",
            )
        ]
    )
