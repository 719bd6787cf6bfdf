"""Security round 2 (issue 9), the smaller items: each test is named after the probe's finding."""

import io
import zipfile

from django.test import Client
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.accounts.permissions import may_reveal
from renda.deputies.models import ImportJob, ImportStatus
from renda.documents.excel import read_table
from tests import factories
from tests.deputies.test_import import good_row, roster_file, upload, with_id
from tests.security.test_identification import login

# --- A workbook with a corrupt zip checksum ----------------------------------------------------


def _corrupt(data: bytes, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Flip bytes inside one member's compressed data, as a broken USB stick or mail relay does."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    for offset in range(start + 5, start + 15):
        damaged[offset] ^= 0xFF
    return bytes(damaged)


def _corrupt_checksum(data: bytes, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Keep the data, break only its CRC-32 (in the local header and in the central directory)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    damaged = bytearray(data)
    damaged[info.header_offset + 14] ^= 0xFF
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(info.filename)] != info.filename.encode():
        central = data.index(b"PK\x01\x02", central + 1)
    damaged[central + 16] ^= 0xFF
    return bytes(damaged)


def test_a_workbook_with_a_corrupt_zip_checksum_ends_as_unreadable_with_the_reason(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.staff_a)
    good = roster_file([good_row(n, world) for n in range(3)])
    for damaged in (_corrupt(good), _corrupt_checksum(good)):
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, world, damaged)
        job = ImportJob.objects.latest("created_at")
        assert job.status == ImportStatus.INVALID  # not left "checking the file" for ever
        page = client.get(reverse("deputies:import_detail", args=[job.uuid])).content.decode()
        assert "无法读取：工作簿已损坏，无法读取。请在 Excel 中重新保存。" in page
        assert "正在检查文件" not in page


def test_an_unforeseen_error_in_the_check_ends_the_job_instead_of_waiting(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    from renda.deputies import importing

    def broken(job):
        raise RuntimeError("a bug")

    monkeypatch.setattr(importing, "check_job", broken)
    client.force_login(world.staff_a)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, world, roster_file([good_row(1, world)]))
    except RuntimeError:
        pass  # the immediate task backend raises into the request; a worker would log it
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "文件检查意外中止" in client.get(reverse("deputies:import_detail", args=[job.uuid])).content.decode()


# --- Register-based reveal of account phones ---------------------------------------------------


def _reveal_account_phone(client, user):
    return client.post(reverse("accounts:pii_reveal", args=["accounts.user", user.uuid, "phone"]))


def test_a_county_administrator_can_no_longer_reveal_an_account_phone_in_the_county(client, world):
    holder = world.staff_a
    holder.phone = "13912345678"
    holder.save(update_fields=["phone"])
    for role in ("county_admin", "sysadmin", "staff_b", "leader", "auditadmin"):
        client.force_login(world.users[role])
        assert _reveal_account_phone(client, holder).status_code in (403, 404), role
    assert AuditEntry.objects.filter(event="pii.reveal", outcome="denied", actor=world.county_admin).count() == 1
    # The register says: the holder, and the security administrator for account recovery.
    for revealer in (holder, world.secadmin):
        client.force_login(revealer)
        response = _reveal_account_phone(client, holder)
        assert response.status_code == 200 and "13912345678" in response.content.decode()
        assert AuditEntry.objects.get(event="pii.reveal", outcome="success", actor=revealer).data == {"field": "phone"}
    # Staff still reveal the personal information of the records they work on.
    client.force_login(world.staff_a)
    person = reverse("accounts:pii_reveal", args=["deputies.person", world.person_a.uuid, "id_number"])
    assert "11010519491231002X" in client.post(person).content.decode()


def test_every_reveal_follows_the_register(world):
    """may_reveal is the register's policy and nothing else: a field off the register is nobody's."""
    assert may_reveal(world.staff_a, world.person_a, "phone")
    assert not may_reveal(world.staff_b, world.person_a, "phone")  # another township's record
    assert not may_reveal(world.county_admin, world.staff_a, "phone")
    assert may_reveal(world.secadmin, world.staff_a, "phone")
    assert not may_reveal(world.secadmin, world.person_a, "phone")  # not an account
    assert may_reveal(world.deputy_a, world.person_a, "id_number")  # one's own record
    assert not may_reveal(world.staff_a, world.person_a, "full_name")  # not on the register


# --- The security administrator's lockout list ---------------------------------------------------


def _lockout_table(client) -> str:
    page = client.get(reverse("accounts:security_overview")).content.decode()
    return page[page.index('id="lockouts"') : page.index("</table>", page.index('id="lockouts"'))]


def test_the_lockout_list_shows_address_locks_and_lifts_them(client, world, settings):
    for n in range(settings.RENDA_LOCKOUT_ADDRESS_FAILURES):
        login(Client(), f"nobody{n}", "wrong-password", address="198.51.100.9")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "staff_a", "wrong-password", address="203.0.113.7")
    assert login(Client(), "staff_b", address="198.51.100.9").status_code == 429
    client.force_login(world.secadmin)
    locks = _lockout_table(client)
    assert "198.51.100.9" in locks and "该地址的所有账号" in locks  # the address lock, for every name
    assert "staff_a" in locks and "203.0.113.7" in locks  # the name locked at the stranger's address
    assert "nobody0" not in locks  # one failure per name: no name is locked, the address is
    client.post(reverse("accounts:lockout_reset"), {"username": "", "ip_address": "198.51.100.9"})
    assert AuditEntry.objects.get(event="security.lockout.reset").data["address"] == "198.51.100.9"
    assert login(Client(), "staff_b", address="198.51.100.9").status_code == 302
    assert "198.51.100.9" not in _lockout_table(client)


# --- The unmasked roster export: a POST with a reason ---------------------------------------------

ROSTER_EXPORT = reverse("deputies:roster_export")


def test_the_unmasked_roster_export_is_no_longer_a_plain_get_without_a_reason(client, world):
    client.force_login(world.staff_a)
    # A link, bookmark or prefetch gets the form that asks for a reason, never the file.
    page = client.get(ROSTER_EXPORT, {"status": "serving", "unmasked": "1"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "导出完整信息的理由" in page.content.decode()
    unmasked = f"{ROSTER_EXPORT}?status=serving&unmasked=1"
    assert f'action="{unmasked.replace("&", "&amp;")}"' in page.content.decode()
    assert client.post(unmasked, {"reason": ""})["Content-Type"].startswith("text/html")  # a reason is required
    assert not AuditEntry.objects.filter(event="export.deputies.roster").exists()

    response = client.post(unmasked, {"reason": "核对换届选举资格"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    table = read_table(response.content, header_names=["姓名", "身份证号"])
    assert table.rows[0].values["身份证号"] == "11010519491231002X"
    entry = AuditEntry.objects.get(event="export.deputies.roster")
    assert entry.data["masked"] is False and entry.data["reason"] == "核对换届选举资格"
    assert entry.data["filter"] == "status=serving&unmasked=1" and entry.data["rows"] == 1
    # The masked export stays one click; its audit entry has no reason to give.
    client.get(ROSTER_EXPORT)
    assert "reason" not in AuditEntry.objects.filter(event="export.deputies.roster").latest("id").data
    client.force_login(world.leader)  # may not export full values, reason or not
    assert client.post(unmasked, {"reason": "想看"}).status_code == 403


def test_the_roster_page_asks_for_the_reason_in_a_post_form_with_the_filter(client, world):
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:roster"), {"status": "serving"}).content.decode()
    form = body[body.index('id="export-unmasked"') :]
    form = form[: form.index("</details>")]
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form and 'name="reason"' in form
    assert f'action="{ROSTER_EXPORT}?status=serving&amp;unmasked=1"' in form
    client.force_login(world.leader)
    assert 'id="export-unmasked"' not in client.get(reverse("deputies:roster")).content.decode()


# --- Every export audit names whose records it held --------------------------------------------


def test_every_export_audit_names_whose_records_it_held(client, world):
    """The probe found the archive export's entry silent about whose archive: each export says."""
    client.force_login(world.staff_a)
    client.get(ROSTER_EXPORT)
    client.get(reverse("deputies:mandate_archive_docx", args=[world.mandate_a.uuid]))
    client.force_login(world.county_admin)
    client.get(reverse("deputies:composition_export"))
    expected = {
        "export.deputies.roster": (["甲镇"], [str(world.person_a.uuid)]),
        "export.deputies.archive": (["甲镇"], [str(world.person_a.uuid)]),
        "export.deputies.composition": (["乙镇", "甲镇"], []),  # figures per township, nobody's record
    }
    for event, (townships, people) in expected.items():
        entry = AuditEntry.objects.get(event=event, outcome="success")
        assert entry.data["townships"] == townships, event
        assert entry.data["person_uuids"] == people and entry.data["people"] == len(people), event


# --- "ID already registered" across townships ----------------------------------------------------


def _create_person(client, world, id_number: str):
    return client.post(
        reverse("deputies:person_create"),
        {
            "township": world.township_a.pk,
            # No name: the form is refused whatever the answer, as a prober would send it.
            "full_name": "",
            "gender": "male",
            "ethnicity": "汉族",
            "birth_date_precision": "day",
            "id_number": id_number,
        },
    )


def _id_error(response) -> str:
    return " ".join(response.context["form"].errors.get("id_number", []))


def test_learning_that_an_id_number_exists_in_another_township_is_audited_and_rate_limited(client, world, settings):
    settings.RENDA_ID_ELSEWHERE_PER_HOUR = 2
    elsewhere = [factories.MandateFactory(person__township=world.township_b).person for _ in range(2)]
    client.force_login(world.staff_a)
    # One's own township's record: said plainly, nothing to audit.
    assert _id_error(_create_person(client, world, "11010519491231002X")) == "已登记该身份证号码的人员。"
    assert not AuditEntry.objects.filter(event="deputies.person.id_elsewhere").exists()
    # Another township's: the office learns it must not register the person twice, but not where.
    for person in [world.person_b, *elsewhere][:2]:
        message = _id_error(_create_person(client, world, person.id_number))
        assert "其他乡镇" in message and "县级管理员" in message and "乙镇" not in message
    entries = AuditEntry.objects.filter(event="deputies.person.id_elsewhere", actor=world.staff_a)
    assert [entry.target_id for entry in entries.order_by("id")] == [str(world.person_b.uuid), str(elsewhere[0].uuid)]
    assert entries.first().data == {"via": "form"}
    # Past the limit every ID number is refused for an hour, recorded or not, so the refusal tells nothing.
    paused = "一小时内不再为该账号核对身份证号"
    assert paused in _id_error(_create_person(client, world, elsewhere[1].id_number))
    assert entries.filter(outcome="denied").count() == 1
    assert paused in _id_error(_create_person(client, world, factories.valid_id_number(777)))
    client.force_login(world.staff_b)  # the limit is per account
    assert _id_error(_create_person(client, world, factories.valid_id_number(777))) == ""


def test_an_import_learning_of_other_townships_id_numbers_is_audited_and_limited(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.RENDA_ID_ELSEWHERE_PER_HOUR = 1
    other = factories.MandateFactory(person__township=world.township_b).person
    rows = [good_row(1, world), good_row(2, world), good_row(3, world)]
    rows[0].update(with_id(world.person_b.id_number))
    rows[1].update(with_id(other.id_number))
    client.force_login(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, roster_file(rows))
    job = ImportJob.objects.get()
    errors = [error for error in job.errors if error["column"] == "身份证号"]
    assert [error["code"] for error in errors] == ["other_township", "other_township"]
    # One answer within the limit, then the pause (in whichever order the database returns the rows).
    messages = sorted(error["message"] for error in errors)
    assert messages[0].startswith("该账号录入的") and messages[1].startswith("该身份证号的人员已由其他乡镇登记")
    entries = AuditEntry.objects.filter(event="deputies.person.id_elsewhere", actor=world.staff_a)
    assert [(entry.outcome, entry.data["via"]) for entry in entries.order_by("id")] == [
        ("success", "import"),
        ("denied", "import"),
    ]
