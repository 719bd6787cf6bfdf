"""Roster import: a 10,000-row file goes in whole; a file with every kind of error is refused whole,
with each error on its Excel row; the template downloads; outsiders get nothing."""

import io
from datetime import date

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.deputies.importing import COLUMNS, column_mapping
from renda.deputies.models import ImportJob, ImportStatus, Mandate, MandateEvent, Person
from tests import factories
from tests.deputies import office_files


def roster_file(rows: list[dict], *, title: str = "甲镇第十二届人民代表大会代表名册") -> bytes:
    """A workbook as officials keep it: a merged title row, a Chinese header, 序号, a merged note."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("名册")
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, title)
    for col, name in enumerate(COLUMNS):
        sheet.write_string(1, col, name)
    for index, row in enumerate(rows):
        sheet.write_number(2 + index, 0, index + 1)
        for col, name in enumerate(COLUMNS[1:], start=1):
            value = row.get(name, "")
            if isinstance(value, int | float):
                sheet.write_number(2 + index, col, value)
            elif value:
                sheet.write_string(2 + index, col, value)
    sheet.merge_range(2 + len(rows), 0, 2 + len(rows), len(COLUMNS) - 1, "填表人：王专干")
    book.close()
    return output.getvalue()


def with_id(id_number: str) -> dict:
    """The ID number with the 性别 and 出生年月 that agree with it."""
    return {
        "身份证号": id_number,
        "性别": "男" if int(id_number[16]) % 2 else "女",
        "出生年月": f"{id_number[6:10]}.{id_number[10:12]}",
    }


def good_row(n: int, world) -> dict:
    id_number = factories.valid_id_number(500000 + n)
    born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return {
        "姓名": "张" + "伟芳敏静强磊军勇杰涛"[n % 10] + "明华"[n % 2],
        # GB 11643: the 17th digit is odd for a man; the row agrees with its ID number.
        "性别": "男" if int(id_number[16]) % 2 else "女",
        "民族": "汉族",
        "出生年月": [f"{born:%Y.%m}", f"{born.year}年{born.month}月", f"{born:%Y-%m-%d}", f"{born:%Y%m%d}"][n % 4],
        "政治面貌": ["中共党员", "群众", "民盟盟员"][n % 3],
        "文化程度": ["大学本科", "高中", "大专"][n % 3],
        "工作单位及职务": "东村党支部书记",
        "职业": ["农民", "专业技术人员", "党政领导干部", "工人"][n % 4],
        "代表证号": f"A{n:05d}",
        "选区": f"第{n // 3 + 1}选区",
        "代表小组": world.group_a.name,
        "手机": 13800000000 + n,  # typed as a number, as Excel users do
        "通讯地址": "浙江省衢州市龙游县甲镇东村1号",
        "身份证号": id_number,
        "连任": "是" if n % 5 == 0 else "否",
    }


def upload(client, world, content: bytes):
    return client.post(
        reverse("deputies:import_upload"),
        {
            "township": world.township_a.uuid,
            "term": world.mandate_a.term.uuid,
            "level": "township",
            "file": SimpleUploadedFile("名册.xlsx", content),
        },
    )


@pytest.fixture
def staff(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.staff_a)
    return client


def test_ten_thousand_rows_are_imported_whole(staff, world, django_capture_on_commit_callbacks):
    content = roster_file([good_row(n, world) for n in range(10_000)])
    people_before = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff, world, content)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.VALID, job.errors[:3]
    assert (job.total_rows, job.processed_rows, job.percent) == (10_000, 10_000, 100)
    page = staff.get(reverse("deputies:import_detail", args=[job.uuid])).content.decode()
    assert "138****0000" in page and "13800000000" not in page
    assert Person.objects.count() == people_before  # nothing written before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("deputies:import_confirm", args=[job.uuid]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_rows == 10_000 and job.content == ""
    assert Person.objects.count() == people_before + 10_000
    imported = Mandate.objects.filter(term=world.mandate_a.term).exclude(pk=world.mandate_a.pk)
    assert imported.count() == 10_000
    assert MandateEvent.objects.filter(mandate__in=imported, kind="elected").count() == 10_000
    first = Person.objects.get(id_number_index=Person.objects.get(mandates__deputy_number="A00001").id_number_index)
    assert (first.birth_date, first.birth_date_precision, first.name_initials) == (date(1951, 5, 1), "month", "zfh")
    assert first.phone == "13800000001" and first.mandates.get().is_technical
    assert Person.objects.get(mandates__deputy_number="A00000").mandates.get().is_worker_farmer
    assert AuditEntry.objects.filter(event="deputies.roster.import", data__rows=10_000).count() == 1


def test_a_file_with_every_kind_of_error_is_refused_whole(staff, world, django_capture_on_commit_callbacks):
    world.mandate_a.deputy_number = "TAKEN1"
    world.mandate_a.save()
    valid = [good_row(n, world) for n in range(3)]
    bad_id = factories.valid_id_number(700001)
    bad_id = bad_id[:-1] + ("0" if bad_id[-1] != "0" else "1")
    broken = [
        {**good_row(10, world), "身份证号": bad_id},  # row 6: bad check digit
        {**good_row(11, world), "代表小组": "不存在的小组"},  # row 7
        {**good_row(12, world), "代表证号": "A00001"},  # row 8: same number as row 4
        {**good_row(13, world), "代表证号": "TAKEN1"},  # row 9: number held in the term
        {**good_row(14, world), "出生年月": "1975年13月"},  # row 10: not a date
        {**good_row(15, world), "姓名": ""},  # row 11
        {**good_row(16, world), "性别": "未知"},  # row 12
        {**good_row(17, world), "政治面貌": "火星党"},  # row 13
        {**good_row(18, world), "手机": "12345"},  # row 14
        {**good_row(19, world), **with_id(valid[0]["身份证号"])},  # row 15: same person as row 3
        {**good_row(20, world), **with_id(world.person_b.id_number)},  # row 16: another township's person
        {**good_row(21, world), "联络站": "无此联络站"},  # row 17
        {**good_row(22, world), "连任": "也许"},  # row 18
    ]
    people_before, mandates_before = Person.objects.count(), Mandate.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff, world, roster_file(valid + broken))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    found = {(error["row"], error["column"], error["code"]) for error in job.errors}
    assert found == {
        (6, "身份证号", "id_checksum"),
        (7, "代表小组", "unknown_group"),
        (8, "代表证号", "duplicate_number"),
        (9, "代表证号", "duplicate_number"),
        (10, "出生年月", "date"),
        (11, "姓名", "required"),
        (12, "性别", "gender"),
        (13, "政治面貌", "closed_list"),
        (14, "手机", "phone"),
        (15, "身份证号", "duplicate_id"),
        (16, "身份证号", "other_township"),
        (17, "联络站", "unknown_station"),
        (18, "连任", "yes_no"),
    }
    page = staff.get(reverse("deputies:import_detail", args=[job.uuid])).content.decode()
    assert "不存在的小组" in page and "13" in page
    # The page polls its progress block with htmx; that request gets the block alone.
    block = staff.get(reverse("deputies:import_detail", args=[job.uuid]), headers={"HX-Request": "true"})
    assert 'id="import-progress"' in block.content.decode() and "<html" not in block.content.decode()
    # Confirming is refused and nothing is written.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("deputies:import_confirm", args=[job.uuid]))
    assert (Person.objects.count(), Mandate.objects.count()) == (people_before, mandates_before)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID


def test_a_file_that_is_not_a_workbook_is_refused(staff, world):
    response = staff.post(
        reverse("deputies:import_upload"),
        {
            "township": world.township_a.uuid,
            "term": world.mandate_a.term.uuid,
            "level": "township",
            "file": SimpleUploadedFile("名册.xlsx", b"not a workbook"),
        },
    )
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_template_reads_back_with_its_own_columns(staff):
    from renda.documents.excel import read_table

    response = staff.get(reverse("deputies:import_template"))
    assert response.status_code == 200
    table = read_table(
        b"".join(response.streaming_content) if response.streaming else response.content, header_names=COLUMNS
    )
    assert table.headers == COLUMNS and table.rows[0].values["姓名"] == "张伟"


def test_outsiders_cannot_import_or_see_jobs(client, world, django_capture_on_commit_callbacks):
    for user in (world.leader, world.deputy_a, world.handler_x):
        client.force_login(user)
        assert upload(client, world, roster_file([good_row(1, world)])).status_code == 403
    client.force_login(world.staff_b)
    response = upload(client, world, roster_file([good_row(1, world)]))
    assert response.status_code == 200 and not ImportJob.objects.exists()  # township A is not a choice
    job = ImportJob.objects.create(
        township=world.township_a, term=world.mandate_a.term, level="township", filename="x.xlsx", status="valid"
    )
    assert client.get(reverse("deputies:import_detail", args=[job.uuid])).status_code == 404
    assert client.post(reverse("deputies:import_confirm", args=[job.uuid])).status_code == 404


# --- Files as offices keep them: titles, their own column names, a signature block ------------------


def column_choices(job, **changes) -> dict:
    """The mapping form as sent: every column's current meaning, with the given headers changed."""
    return {
        f"column_{index}": changes.get(column["header"], column["field"]) for index, column in enumerate(job.columns)
    }


def test_an_office_file_is_mapped_confirmed_and_imported_through_the_page(
    staff, world, django_capture_on_commit_callbacks
):
    rows = [office_files.deputy(n, world) for n in range(1, 6)]
    rows[1]["联系电话"] = "0570-7012345"  # a landline with its area code is a valid phone
    people_before, mandates_before = Person.objects.count(), Mandate.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff, world, office_files.workbook(rows))
    job = ImportJob.objects.get()
    # Every column is accounted for; the signature block and the notes are not rows.
    assert column_mapping(job) == office_files.MAPPING
    assert job.unmapped_headers == [office_files.UNKNOWN]
    assert (job.status, job.total_rows, job.errors) == (ImportStatus.MAPPING, 5, [])
    page = staff.get(reverse("deputies:import_detail", args=[job.uuid])).content.decode()
    assert "未识别，请选择对应项目" in page and office_files.UNKNOWN in page
    assert '<option value="phone" selected>手机</option>' in page  # 联系电话 taken as the phone
    assert "导入全部行" not in page  # no import button while a column is undecided

    # Confirming before the unknown column is decided writes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("deputies:import_confirm", args=[job.uuid]))
    assert (Person.objects.count(), Mandate.objects.count()) == (people_before, mandates_before)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("deputies:import_mapping", args=[job.uuid]), column_choices(job, 籍贯="ignore"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.unmapped_headers) == (ImportStatus.VALID, [])
    assert column_mapping(job)[office_files.UNKNOWN] is None
    change = AuditEntry.objects.get(event="deputies.roster.import_mapping")
    assert (change.actor, change.data) == (world.staff_a, {"changes": {"籍贯": ["", "ignore"]}})

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("deputies:import_confirm", args=[job.uuid]))
    job.refresh_from_db()
    assert (job.status, job.created_rows) == (ImportStatus.DONE, 5)
    assert Person.objects.count() == people_before + 5
    wang = Person.objects.get(mandates__deputy_number="J0001")
    # Values came from the office's columns: 联系电话, 代表构成, 学历, 所属代表小组, 家庭住址.
    assert (wang.phone, wang.occupation, wang.education) == ("13900000001", "farmer", "college")
    mandate = wang.mandates.get()
    assert (mandate.group, mandate.station, mandate.constituency) == (world.group_a, world.station_a, "第一选区")
    assert wang.address == "浙江省衢州市龙游县甲镇东村8号"
    assert Person.objects.get(mandates__deputy_number="J0002").phone == "05707012345"
    imported = AuditEntry.objects.get(event="deputies.roster.import")
    assert imported.data["columns"]["联系电话"] == "phone" and imported.data["columns"]["籍贯"] is None


def test_each_bad_row_is_named_by_its_serial_and_name(staff, world, django_capture_on_commit_callbacks):
    def born_of(row):
        return row["身份证号码"][6:14]

    rows = [office_files.deputy(n, world) for n in range(1, 11)]
    rows[2]["姓  名"] = ""  # 编号 3
    rows[3]["联系电话"] = "1390000000l"  # 编号 4: a letter l for a one
    rows[4]["联系电话"] = "1390000000"  # 编号 5: ten digits
    rows[5]["联系电话"] = "12390000000"  # 编号 6: no carrier's prefix
    rows[6]["联系电话"] = "7012345"  # 编号 7: a landline without its area code
    rows[7]["性别"] = "女" if rows[7]["性别"] == "男" else "男"  # 编号 8
    rows[8]["出生日期"] = f"{int(born_of(rows[8])[:4]) + 1}.{born_of(rows[8])[4:6]}"  # 编号 9
    rows[9]["代表证编号"] = rows[0]["代表证编号"]  # 编号 10
    people_before, mandates_before = Person.objects.count(), Mandate.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff, world, office_files.workbook(rows, titles=1))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.MAPPING and job.total_rows == 10
    # Deciding the unknown column checks the file again: the same errors, now the only obstacle.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("deputies:import_mapping", args=[job.uuid]), column_choices(job, 籍贯="ignore"))
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    first = office_files.first_data_row(titles=1)
    name = {n: rows[n - 1]["姓  名"] for n in range(1, 11)}
    found = {(e["row"], e["serial"], e["name"], e["column"], e["code"]) for e in job.errors}
    assert found == {
        (first + 2, "3", "", "姓名", "required"),
        (first + 3, "4", name[4], "联系电话", "phone"),
        (first + 4, "5", name[5], "联系电话", "phone"),
        (first + 5, "6", name[6], "联系电话", "phone"),
        (first + 6, "7", name[7], "联系电话", "phone"),
        (first + 7, "8", name[8], "身份证号码", "id_gender"),
        (first + 8, "9", name[9], "身份证号码", "id_birth"),
        (first + 9, "10", name[10], "代表证编号", "duplicate_number"),
    }
    message = {e["serial"]: e["message"] for e in job.errors}
    assert "“l”" in message["4"]
    assert "应为 11 位，这里是 10 位" in message["5"]
    assert "没有以 123 开头的手机号码" in message["6"]
    assert "缺少区号" in message["7"]
    assert "第 17 位" in message["8"] and "“性别”" in message["8"]
    assert "“出生日期”" in message["9"]
    assert f"第 {first} 行（序号 1）" in message["10"]
    page = staff.get(reverse("deputies:import_detail", args=[job.uuid])).content.decode()
    assert f"第 {first + 4} 行" in page and "序号 5" in page and name[5] in page
    assert "手机号码应为 11 位，这里是 10 位。" in page
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("deputies:import_confirm", args=[job.uuid]))
    assert (Person.objects.count(), Mandate.objects.count()) == (people_before, mandates_before)


def test_a_corrected_mapping_is_checked_again_and_audited(staff, world, django_capture_on_commit_callbacks):
    rows = [office_files.deputy(n, world) for n in range(1, 3)]
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff, world, office_files.workbook(rows, titles=2, merged_subtitle=True))
    job = ImportJob.objects.get()
    url = reverse("deputies:import_mapping", args=[job.uuid])
    # Two columns cannot fill one field, and a choice must be one of the roster's columns.
    for choices in (column_choices(job, 籍贯="phone"), column_choices(job, 籍贯="salary"), column_choices(job)):
        response = staff.post(url, choices)
        assert response.status_code == 200 and 'class="invalid-feedback d-block"' in response.content.decode()
    assert "已对应此项" in staff.post(url, column_choices(job, 籍贯="phone")).content.decode()
    assert not AuditEntry.objects.filter(event="deputies.roster.import_mapping").exists()
    # 籍贯 taken as the note and 备注 not imported: the check runs again with that mapping.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url, column_choices(job, 籍贯="note", 备注="ignore"))
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID
    assert AuditEntry.objects.get(event="deputies.roster.import_mapping").data == {
        "changes": {"籍贯": ["", "note"], "备注": ["note", "ignore"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("deputies:import_confirm", args=[job.uuid]))
    assert Person.objects.get(mandates__deputy_number="J0001").note == "浙江龙游"
    # Once imported, the mapping can no longer change.
    response = staff.post(url, column_choices(job, 籍贯="ignore"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(event="deputies.roster.import_mapping").count() == 1


def test_the_upload_page_lists_the_column_names_recognised(staff):
    page = staff.get(reverse("deputies:import_upload")).content.decode()
    assert "可识别的列名" in page
    for name in ("联系电话", "代表构成", "公民身份号码", "所属代表小组", "代表联络站"):
        assert name in page


def test_outsiders_get_404_on_every_job_page(client, world):
    job = ImportJob.objects.create(
        township=world.township_a,
        term=world.mandate_a.term,
        level="township",
        filename="名册.xlsx",
        status="mapping",
        content="x",
        columns=[{"header": "籍贯", "field": "", "by": "auto"}],
    )
    client.force_login(world.staff_b)
    assert client.get(reverse("deputies:import_detail", args=[job.uuid])).status_code == 404
    for name in ("import_mapping", "import_confirm", "import_cancel"):
        assert client.post(reverse(f"deputies:{name}", args=[job.uuid]), {"column_0": "ignore"}).status_code == 404
    job.refresh_from_db()
    assert (job.status, job.columns[0]["field"]) == ("mapping", "")
