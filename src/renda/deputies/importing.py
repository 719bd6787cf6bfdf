"""Roster import from the .xlsx officials keep: upload → checked in the background → the column
mapping and every row's errors → (mapping corrected → checked again) → confirm → written in one
transaction, all rows or none. ``manage.py import_roster`` runs the same steps in one process.

A column is recognised by any of its names in ``roster_columns``; a column nobody declared waits for
the user's choice and is never dropped silently. Errors name the Excel row, the row's 序号 and name,
and the column as the file calls it, as officials look for them. The uploaded file
holds ID numbers and phones: it is kept encrypted on the job only until the import ends."""

from __future__ import annotations

import base64
import unicodedata
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
    explain_phone,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    validate_id_number,
)
from renda.documents import excel
from renda.documents.dates import ParsedDate, format_chinese_date, parse_chinese_date

from . import services
from .models import (
    ETHNIC_GROUPS,
    TECHNICAL_OCCUPATIONS,
    WORKER_FARMER_OCCUPATIONS,
    BirthDatePrecision,
    Gender,
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
    GENDER_WORDS,
    OCCUPATION_SPELLINGS,
    PARTY_SPELLINGS,
)
from .roster_columns import ALL_NAMES, BY_FIELD, IMPORTED_FIELDS, TEMPLATE_HEADERS, field_for_header

# The template's columns, in order. Officials' own files may lack some, order them differently or
# name them otherwise (roster_columns lists the names recognised).
COLUMNS = TEMPLATE_HEADERS
REQUIRED = ("name", "gender")
IGNORE = "ignore"  # a column the user chose not to import (不导入)
YES = {"是", "√", "✓", "Y", "y", "yes", "1"}
NO = {"", "否", "×", "N", "n", "no", "0"}
PREVIEW_ROWS = 20
MAX_ERRORS = 1000
PROGRESS_EVERY = 500
BATCH = 1000


class MappingError(ValueError):
    """A column mapping the import cannot take. The message is for the user."""


@dataclass(frozen=True)
class RowContext:
    """How officials find a row: the Excel row number, the file's 序号 and the name."""

    number: int
    serial: str = ""
    name: str = ""


@dataclass
class RowError:
    row: RowContext
    column: str  # as the file calls it
    code: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row.number,
            "serial": self.row.serial,
            "name": self.row.name,
            "column": self.column,
            "code": self.code,
            "message": self.message,
        }


@dataclass
class CheckedRow:
    row: RowContext
    person: Person
    mandate: Mandate
    elected_on: date
    existing_person_id: int | None = None


def guess_columns(headers: list[str]) -> list[dict]:
    """What each header of the file is taken to mean: the column it names, 不导入 for the columns
    the import takes from the upload form (乡镇, 代表级别), undecided ("") for a name nobody
    declared and for a second column naming a field taken already (two phone columns)."""
    taken: set[str] = set()
    columns = []
    for header in headers:
        field = field_for_header(header) or ""
        if field and not BY_FIELD[field].imported:
            field = IGNORE
        elif field in taken:
            field = ""
        elif field:
            taken.add(field)
        columns.append({"header": header, "field": field, "by": "auto"})
    return columns


def column_mapping(job: ImportJob) -> dict[str, str | None]:
    """{header: field} for the decided columns of the file; None for a column not imported."""
    return {
        column["header"]: (None if column["field"] == IGNORE else column["field"])
        for column in job.columns
        if column["field"]
    }


def field_choices() -> list[tuple[str, str]]:
    """The meanings a file's column can be given: each imported roster column, or 不导入."""
    return [(field, BY_FIELD[field].header) for field in IMPORTED_FIELDS] + [(IGNORE, _("Do not import"))]


class RosterChecker:
    """Checks every row against the township's groups, stations and the term's deputy numbers.
    Values are looked up by field through the job's column mapping; errors name the file's header."""

    def __init__(self, job: ImportJob, headers: dict[str, str]):
        self.job = job
        self.headers = headers  # field → the file's header
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
        self.numbers_in_file: dict[str, RowContext] = {}
        self.ids_in_file: dict[str, RowContext] = {}

    def column(self, field: str) -> str:
        return self.headers.get(field) or BY_FIELD[field].header

    def error(self, row: RowContext, field: str, code: str, message: str) -> None:
        self.errors.append(RowError(row, self.column(field) if field else "", code, message))

    def check(self, data: excel.RowData) -> CheckedRow | None:
        def value(field: str) -> str:
            header = self.headers.get(field)
            return (data.values.get(header) or "").strip() if header else ""

        name = "".join(value("name").split())
        row = RowContext(data.number, value("serial")[:20], name[:50])
        before = len(self.errors)
        for field in REQUIRED:
            if not value(field):
                self.error(row, field, "required", _("%(column)s is required.") % {"column": self.column(field)})
        if len(name) > 50:
            self.error(row, "name", "too_long", _("The name is longer than 50 characters."))
        gender = GENDER_SPELLINGS.get(value("gender"))
        if value("gender") and gender is None:
            self.error(row, "gender", "gender", _("Write 男 or 女."))
        ethnicity = value("ethnicity") or "汉族"
        if not ethnicity.endswith("族") and ethnicity + "族" in ETHNIC_GROUPS:
            ethnicity += "族"
        if ethnicity not in ETHNIC_GROUPS:
            self.error(
                row, "ethnicity", "ethnicity", _("Unknown ethnic group “%(value)s”.") % {"value": ethnicity[:20]}
            )
        birth = None
        if value("birth"):
            birth = parse_chinese_date(value("birth"))
            if birth is None:
                self.error(
                    row,
                    "birth",
                    "date",
                    _("“%(value)s” is not a date; write it like 1975.03 or 1975年3月.")
                    % {"value": value("birth")[:20]},
                )
        party = self._closed(row, "party", value("party"), PARTY_SPELLINGS)
        education = self._closed(row, "education", value("education"), EDUCATION_SPELLINGS)
        occupation = self._closed(row, "occupation", value("occupation"), OCCUPATION_SPELLINGS)
        number = value("deputy_number")
        if number:
            if number in self.taken_numbers:
                self.error(
                    row,
                    "deputy_number",
                    "duplicate_number",
                    _("Deputy card number %(number)s is recorded already for this term.") % {"number": number},
                )
            elif number in self.numbers_in_file:
                self.error(
                    row,
                    "deputy_number",
                    "duplicate_number",
                    _("Deputy card number %(number)s appears in %(row)s too.")
                    % {"number": number, "row": _describe(self.numbers_in_file[number])},
                )
            else:
                self.numbers_in_file[number] = row
        group = None
        if value("group"):
            group = self.groups.get(value("group"))
            if group is None:
                self.error(
                    row,
                    "group",
                    "unknown_group",
                    _("The township has no deputy group “%(value)s”.") % {"value": value("group")[:40]},
                )
        station = None
        if value("station"):
            station = self.stations.get(value("station"))
            if station is None:
                self.error(
                    row,
                    "station",
                    "unknown_station",
                    _("The township has no station “%(value)s”.") % {"value": value("station")[:40]},
                )
        elif group is not None:
            station = group.station
        # Full-width digits come from Chinese input methods; the phone field keeps ASCII digits.
        phone = unicodedata.normalize("NFKC", value("phone"))
        if phone:
            problem = explain_phone(phone)
            if problem:
                self.error(row, "phone", "phone", problem)
        id_number = normalise_id_number(value("id_number"))
        if id_number:
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                self.error(row, "id_number", exc.error_list[0].code or "id_invalid", exc.messages[0])
            else:
                self._check_id_agrees(row, id_number, gender, birth)
                if id_number in self.ids_in_file:
                    self.error(
                        row,
                        "id_number",
                        "duplicate_id",
                        _("The same ID number appears in %(row)s.") % {"row": _describe(self.ids_in_file[id_number])},
                    )
                self.ids_in_file.setdefault(id_number, row)
        elected = None
        if value("elected_on"):
            elected = parse_chinese_date(value("elected_on"))
            if elected is None:
                self.error(
                    row,
                    "elected_on",
                    "date",
                    _("“%(value)s” is not a date; write it like 2021.12.20 or 2021年12月20日.")
                    % {"value": value("elected_on")[:20]},
                )
        reelected = self._yes_no(row, "reelected", value("reelected"))
        returned = self._yes_no(row, "returned_overseas", value("returned_overseas"))
        if len(self.errors) > before or gender is None:  # gender is required: None has been reported
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
            workplace=value("workplace")[:120],
            occupation=occupation,
            phone=phone,
            address=value("address")[:200],
            id_number=id_number,
            note=value("note")[:500],
        )
        mandate = Mandate(
            term=self.job.term,
            level=self.job.level,
            deputy_number=number[:30],
            constituency=value("constituency")[:80],
            group=group,
            station=station,
            is_worker_farmer=occupation in WORKER_FARMER_OCCUPATIONS,
            is_technical=occupation in TECHNICAL_OCCUPATIONS,
            is_leading_cadre=occupation == Occupation.LEADING_CADRE,
            is_reelected=reelected,
            is_returned_overseas=returned,
        )
        return CheckedRow(
            row=row, person=person, mandate=mandate, elected_on=elected.date if elected else self.job.term.starts_on
        )

    def _check_id_agrees(
        self, row: RowContext, id_number: str, gender: Gender | None, birth: ParsedDate | None
    ) -> None:
        """GB 11643: digits 7–14 are the birth date, the 17th is odd for a man and even for a woman."""
        digit = int(id_number[16])
        id_gender = Gender.MALE if digit % 2 else Gender.FEMALE
        if gender is not None and gender != id_gender:
            self.error(
                row,
                "id_number",
                "id_gender",
                _("The 17th digit of the ID number, %(digit)s, means %(id_gender)s, but %(column)s says %(gender)s.")
                % {
                    "digit": digit,
                    "id_gender": GENDER_WORDS[id_gender],
                    "column": self.column("gender"),
                    "gender": GENDER_WORDS[gender],
                },
            )
        if birth is None:
            return
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        same = (
            born == birth.date
            if birth.precision == BirthDatePrecision.DAY
            else (born.year, born.month) == (birth.date.year, birth.date.month)
        )
        if not same:
            self.error(
                row,
                "id_number",
                "id_birth",
                _("The ID number gives the birth date %(born)s, but %(column)s says %(birth)s.")
                % {
                    "born": format_chinese_date(born),
                    "column": self.column("birth"),
                    "birth": format_chinese_date(birth.date, birth.precision),
                },
            )

    def _closed(self, row: RowContext, field: str, text: str, spellings: dict) -> str:
        if not text:
            return ""
        found = spellings.get("".join(text.split()))
        if found is None:
            self.error(
                row,
                field,
                "closed_list",
                _("“%(value)s” is not one of: %(choices)s.") % {"value": text[:20], "choices": "、".join(spellings)},
            )
            return ""
        return found

    def _yes_no(self, row: RowContext, field: str, text: str) -> bool:
        if text in YES:
            return True
        if text not in NO:
            self.error(row, field, "yes_no", _("Write 是 or 否."))
        return False

    def check_existing_people(self, rows: list[CheckedRow]) -> None:
        """Reuse a person recorded already (another mandate of the same person); refuse a person of
        another township and a second mandate of the same person in this term."""
        actor = self.job.created_by
        if services.id_checks_paused(actor):
            for checked in rows:
                if checked.person.id_number:
                    self.error(checked.row, "id_number", "id_checks_paused", services.id_checks_paused_message())
            return
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
                    message = services.id_recorded_elsewhere(person_pk=pk, actor=actor, via="import")
                    self.error(checked.row, "id_number", "other_township", message)
                elif Mandate.objects.unscoped().filter(person_id=pk, term=self.job.term).exists():
                    self.error(
                        checked.row,
                        "id_number",
                        "has_mandate",
                        _("This person holds a mandate of this term already."),
                    )
                else:
                    checked.existing_person_id = pk


def _describe(row: RowContext) -> str:
    """Another row, named as officials find it: by its Excel row and its 序号."""
    if not row.serial:
        return _("row %(number)s") % {"number": row.number}
    return _("row %(number)s (serial number %(serial)s)") % {"number": row.number, "serial": row.serial}


def store_file(data: bytes) -> str:
    return crypto.encrypt(base64.b64encode(data).decode())


def load_file(job: ImportJob) -> bytes:
    return base64.b64decode(crypto.decrypt(job.content))


def _progress(job: ImportJob, processed: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)


def _columns_for(job: ImportJob, headers: list[str]) -> list[dict]:
    """The job's mapping for the file's headers: what the user chose where they chose, else the guess."""
    chosen = {column["header"]: column for column in job.columns}
    return [chosen.get(guess["header"], guess) for guess in guess_columns(headers)]


def _fail(job: ImportJob, message: str) -> None:
    job.status = ImportStatus.INVALID
    job.message = (_("The file cannot be read: %(reason)s") % {"reason": message})[:300]
    job.errors = [RowError(RowContext(0), "", "unreadable", message).as_dict()]
    job.save(update_fields=["status", "message", "errors", "updated_at"])


def check_failed(job: ImportJob) -> None:
    """The check stopped on an error nobody foresaw: end the job, so that its page stops waiting."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "The check stopped on an unexpected error. Upload the file again; if it recurs, tell the administrator."
        )
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATING).update(
        status=ImportStatus.FAILED, message=message
    )


def check_job(job: ImportJob) -> list[CheckedRow]:
    """Read the file, map its columns (the user's choices, else the guess), check every row, and
    record the mapping, the errors and a masked preview on the job. Columns still undecided leave the
    job waiting for the mapping (MAPPING) even when every row is valid."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            table = excel.read_table(load_file(job), header_names=ALL_NAMES)
        except excel.UnreadableFile as exc:
            _fail(job, str(exc))
            return []
        job.columns = _columns_for(job, table.headers)
        headers = {column["field"]: column["header"] for column in job.columns if column["field"] not in ("", IGNORE)}
        checker = RosterChecker(job, headers)
        missing = [BY_FIELD[field].header for field in REQUIRED if field not in headers]
        if missing:
            checker.errors.append(
                RowError(
                    RowContext(0),
                    "、".join(missing),
                    "missing_column",
                    _("No column of the table is taken for %(columns)s.") % {"columns": "、".join(missing)},
                )
            )
        job.total_rows = len(table.rows)
        job.save(update_fields=["columns", "total_rows", "updated_at"])
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
            checker.errors.append(RowError(RowContext(0), "", "empty", _("The table has no rows.")))
        job.processed_rows = len(table.rows)
        order = {header: index for index, header in enumerate(table.headers)}
        job.errors = [
            error.as_dict()
            for error in sorted(checker.errors, key=lambda e: (e.row.number, order.get(e.column, len(order))))[
                :MAX_ERRORS
            ]
        ]
        unmapped = job.unmapped_headers
        if unmapped:
            job.status = ImportStatus.MAPPING
        else:
            job.status = ImportStatus.INVALID if checker.errors else ImportStatus.VALID
        job.preview = [_preview(row) for row in rows[:PREVIEW_ROWS]]
        messages = []
        if unmapped:
            messages.append(
                _("Say what the columns %(columns)s hold, or choose not to import them.")
                % {"columns": "、".join(unmapped)}
            )
        if checker.errors:
            messages.append(_("%(count)s errors found; nothing has been imported.") % {"count": len(checker.errors)})
        job.message = " ".join(messages)[:300]
        job.save(update_fields=["processed_rows", "errors", "status", "preview", "message", "updated_at"])
        return rows


def _preview(row: CheckedRow) -> dict:
    person, mandate = row.person, row.mandate
    return {
        "row": row.row.number,
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
                    mandate=row.mandate,
                    kind=MandateEventKind.ELECTED,
                    date=row.elected_on,
                    recorded_by=job.created_by,
                    note=job.filename[:200],
                )
                for row in rows
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
            data={
                "rows": len(mandates),
                "new_people": len(new_people),
                "term": str(job.term.uuid),
                "level": job.level,
                "columns": column_mapping(job),
            },
        )
    return len(mandates)


def apply_job_or_fail(job: ImportJob) -> int:
    """``apply_job``, the job marked failed if it raises (the error still propagates, to be logged)."""
    try:
        return apply_job(job)
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
        raise


def _create_job(*, township, term, level: str, filename: str, data: bytes, actor: User | None) -> ImportJob:
    job = ImportJob.objects.create(
        township=township, term=term, level=level, filename=filename[:200], content=store_file(data), created_by=actor
    )
    audit.record("deputies.roster.import_upload", actor=actor, target=job, data={"file": job.filename})
    return job


@transaction.atomic
def import_start(*, township, term, level: str, filename: str, data: bytes, actor: User) -> ImportJob:
    """Create the job and have the file checked in the background (after commit)."""
    from .tasks import import_check

    job = _create_job(township=township, term=term, level=level, filename=filename, data=data, actor=actor)
    transaction.on_commit(lambda: import_check.enqueue(job.pk))
    return job


def _set_columns(*, job: ImportJob, fields: dict[str, str], actor: User | None) -> dict[str, list[str]]:
    """Give columns of the file a meaning ({header: field or IGNORE}) and audit what changed."""
    if not job.can_remap:
        raise MappingError(_("This import can no longer be changed."))
    allowed = {field for field, _label in field_choices()}
    headers = [column["header"] for column in job.columns]
    for header, field in fields.items():
        if header not in headers:
            raise MappingError(_("The file has no column “%(header)s”.") % {"header": header[:40]})
        if field not in allowed:
            raise MappingError(_("Choose what the column “%(header)s” holds.") % {"header": header[:40]})
    changes: dict[str, list[str]] = {}
    columns = []
    for column in job.columns:
        field = fields.get(column["header"], column["field"])
        if field != column["field"]:
            changes[column["header"]] = [column["field"], field]
            column = {"header": column["header"], "field": field, "by": "user"}
        columns.append(column)
    taken: dict[str, str] = {}
    for column in columns:
        if column["field"] in ("", IGNORE):
            continue
        if column["field"] in taken:
            raise MappingError(
                _("The columns “%(first)s” and “%(second)s” cannot both be %(field)s.")
                % {
                    "first": taken[column["field"]],
                    "second": column["header"],
                    "field": BY_FIELD[column["field"]].header,
                }
            )
        taken[column["field"]] = column["header"]
    if changes:
        job.columns = columns
        job.status = ImportStatus.VALIDATING
        job.processed_rows = 0
        job.save(update_fields=["columns", "status", "processed_rows", "updated_at"])
        audit.record("deputies.roster.import_mapping", actor=actor, target=job, data={"changes": changes})
    return changes


@transaction.atomic
def import_map(*, job: ImportJob, fields: dict[str, str], actor: User) -> ImportJob:
    """Correct what columns of the file mean ({header: field or IGNORE}) and have the file checked
    again with the new mapping in the background (after commit). Each change is audited. Raises
    MappingError when the job is past the mapping step, a header is not the file's, a field is
    unknown, or two columns would fill the same field."""
    from .tasks import import_check

    if _set_columns(job=job, fields=fields, actor=actor):
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
def import_cancel(*, job: ImportJob, actor: User | None) -> ImportJob:
    if job.status not in {ImportStatus.DONE, ImportStatus.CANCELLED}:
        job.status = ImportStatus.CANCELLED
        job.content = ""
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "content", "finished_at", "updated_at"])
        audit.record("deputies.roster.import_cancel", actor=actor, target=job)
    return job


def import_file(
    *,
    township,
    term,
    level: str,
    filename: str,
    data: bytes,
    actor: User | None,
    ignore_unknown_columns: bool = False,
    check_only: bool = False,
) -> ImportJob:
    """The import for scripts and bulk onboarding (``manage.py import_roster``): the same job,
    mapping, checks and all-or-nothing write as the page, run in this process.

    Columns nobody declared refuse the import, unless ``ignore_unknown_columns`` sets them to 不导入
    (an audited mapping change). Unless the rows are written, the job ends cancelled with its file
    deleted, keeping its errors: a script has no page to come back to. Returns the job; it was
    imported when its status is DONE."""
    with transaction.atomic():
        job = _create_job(township=township, term=term, level=level, filename=filename, data=data, actor=actor)
    check_job(job)
    if ignore_unknown_columns and job.unmapped_headers:
        with transaction.atomic():
            _set_columns(job=job, fields=dict.fromkeys(job.unmapped_headers, IGNORE), actor=actor)
        check_job(job)
    if job.status == ImportStatus.VALID and not check_only:
        job.status = ImportStatus.IMPORTING
        job.save(update_fields=["status", "updated_at"])
        apply_job_or_fail(job)
    if job.status != ImportStatus.DONE:
        import_cancel(job=job, actor=actor)
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
