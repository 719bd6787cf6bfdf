"""manage.py import_roster: an office's file imported through the same service as the page, with the
expected mapping; refused with a non-zero exit and nothing written when a column is unknown or a row
is wrong, the errors named by 序号 and name."""

import io
import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from renda.accounts.models import AuditEntry
from renda.deputies.models import ImportJob, ImportStatus, Mandate, Person
from tests import factories
from tests.deputies import office_files


@pytest.fixture
def roster(tmp_path, world):
    """Writes an office's workbook of deputies 1–5 (changed where asked) and returns its path."""

    def write(*changed: dict) -> str:
        rows = [office_files.deputy(n, world) for n in range(1, 6)]
        for index, changes in enumerate(changed):
            rows[index].update(changes)
        path = tmp_path / "甲镇代表花名册.xlsx"
        path.write_bytes(office_files.workbook(rows))
        return str(path)

    return write


def run(world, path: str, *options: str) -> tuple[dict | str, CommandError | None]:
    out = io.StringIO()
    refused = None
    try:
        call_command("import_roster", path, "--township", world.township_a.division_code, *options, stdout=out)
    except CommandError as error:
        refused = error
    text = out.getvalue()
    return (json.loads(text) if "--json" in options else text), refused


def counts() -> tuple[int, int]:
    return Person.objects.count(), Mandate.objects.count()


def test_an_office_file_is_imported_with_its_unknown_column_left_out(world, roster):
    before = counts()
    report, refused = run(world, roster(), "--term", "12", "--ignore-unknown-columns", "--json")
    assert refused is None
    assert report == {
        "ok": True,
        "rows": 5,
        "imported": 5,
        "mapping": {**office_files.MAPPING, office_files.UNKNOWN: None},
        "unmapped": [],
        "errors": [],
    }
    assert counts() == (before[0] + 5, before[1] + 5)
    assert Person.objects.get(mandates__deputy_number="J0003").phone == "13900000003"
    job = ImportJob.objects.get()
    assert (job.status, job.content, job.created_by) == (ImportStatus.DONE, "", None)
    # A system action: the mapping decision and the import are audited without an actor.
    mapping = AuditEntry.objects.get(event="deputies.roster.import_mapping")
    assert (mapping.actor, mapping.data) == (None, {"changes": {office_files.UNKNOWN: ["", "ignore"]}})
    assert AuditEntry.objects.get(event="deputies.roster.import", data__rows=5).actor is None


def test_an_unknown_column_refuses_the_import_and_writes_nothing(world, roster):
    before = counts()
    report, refused = run(world, roster(), "--term", "12", "--json")
    assert refused is not None
    assert report["ok"] is False and report["imported"] == 0 and report["rows"] == 5
    assert report["mapping"] == office_files.MAPPING and report["unmapped"] == [office_files.UNKNOWN]
    assert report["errors"] == []
    assert counts() == before
    job = ImportJob.objects.get()
    assert (job.status, job.content) == (ImportStatus.CANCELLED, "")  # the file is not kept


def test_bad_rows_are_named_by_serial_and_name_and_nothing_is_written(world, roster):
    before = counts()
    report, refused = run(
        world,
        roster({}, {"联系电话": "1390000000"}, {"姓  名": ""}, {"代表证编号": "J0001"}),
        "--term",
        "12",
        "--ignore-unknown-columns",
        "--json",
    )
    assert refused is not None and report["ok"] is False and report["imported"] == 0
    first = office_files.first_data_row()
    second_name = office_files.deputy(2, world)["姓  名"]
    assert [(e["row"], e["serial"], e["name"], e["column"]) for e in report["errors"]] == [
        (first + 1, "2", second_name, "联系电话"),
        (first + 2, "3", "", "姓名"),
        (first + 3, "4", office_files.deputy(4, world)["姓  名"], "代表证编号"),
    ]
    assert report["errors"][0]["message"] == "手机号码应为 11 位，这里是 10 位。"
    assert counts() == before


def test_check_reads_and_writes_nothing(world, roster):
    before = counts()
    report, refused = run(world, roster(), "--term", "12", "--ignore-unknown-columns", "--check", "--json")
    assert refused is None and report["ok"] is True and (report["rows"], report["imported"]) == (5, 0)
    text, refused = run(world, roster(), "--term", "12", "--ignore-unknown-columns", "--check")
    assert refused is None and "检查通过：5 行，未写入。" in text and "列 联系电话 → 手机" in text
    assert counts() == before


@time_machine.travel(date(2024, 6, 1))
def test_the_term_in_office_is_the_default_and_the_actor_is_recorded(world, roster):
    text, refused = run(world, roster(), "--ignore-unknown-columns", "--actor", world.staff_a.username)
    assert refused is None and "已导入 5 名代表。" in text
    assert Mandate.objects.get(deputy_number="J0001").term == world.mandate_a.term
    assert AuditEntry.objects.get(event="deputies.roster.import", data__rows=5).actor == world.staff_a


@time_machine.travel(date(2024, 6, 1))
def test_county_deputies_go_to_the_county_congress_term(world, roster):
    county_term = factories.TermFactory(county=world.county, township=None, number=17)
    _report, refused = run(world, roster(), "--level", "county", "--ignore-unknown-columns")
    assert refused is None
    mandate = Mandate.objects.get(deputy_number="J0001")
    assert (mandate.term, mandate.level, mandate.person.township) == (county_term, "county", world.township_a)


def test_what_the_command_cannot_find_is_refused_before_reading(world, roster):
    path = roster()
    for options, message in (
        (["--term", "99"], "已登记的届次：12"),
        (["--term", "12", "--actor", "nobody"], "没有启用的账号"),
        (["--level", "county"], "已登记的届次：无"),
    ):
        _text, refused = run(world, path, *options)
        assert refused is not None and message in str(refused)
    with pytest.raises(CommandError, match="没有区划代码为 000000000"):
        call_command("import_roster", path, "--township", "000000000")
    assert not ImportJob.objects.exists()


def test_a_refusal_exits_non_zero(world, roster, capsys):
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["manage.py", "import_roster", roster(), "--township", world.township_a.division_code, "--term", "12"]
        )
    assert exited.value.code == 1
    assert "名册未导入" in capsys.readouterr().err
