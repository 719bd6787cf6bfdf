"""The one export helper (accounts.exports.export_response) and the approval journey above the cap:
request → approve → run once → refused again; expiry; refusal; another county's administrator."""

import io
import re
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from renda.accounts.exports import (
    AUDIT_SUBJECT_LIMIT,
    ExportSubjects,
    export_approval_refuse,
    export_approval_request,
)
from renda.accounts.models import AuditEntry, ExportApproval
from renda.accounts.roles import Role
from renda.documents.excel import read_table
from tests import factories

ROSTER = reverse("deputies:roster_export")


def _file_text(response) -> str:
    """Every string in an .xlsx or .docx, tags stripped."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The helper: footer, audit of whose records, masking, templates -------------------------------


def test_roster_export_audits_whose_records_and_stamps_the_reference(client, world):
    client.force_login(world.staff_a)
    response = client.get(ROSTER, {"q": "", "status": "serving"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(event="export.deputies.roster")
    assert entry.data["filter"] == "status=serving"  # empty fields dropped, order fixed
    assert entry.data["townships"] == ["甲镇"]
    assert entry.data["people"] == 1 and entry.data["person_uuids"] == [str(world.person_a.uuid)]
    assert entry.data["rows"] == 1 and entry.data["masked"] is True
    text = _file_text(response)
    assert entry.entry_hash[:12] in text and "staff_a" in text  # the footer: who, reference
    assert "110105********002X" in text and "11010519491231002X" not in text


def test_archive_word_export_is_stamped_and_a_deputys_own_needs_no_export_role(client, world):
    url = reverse("deputies:mandate_archive_docx", args=[world.mandate_a.uuid])
    client.force_login(world.deputy_a)
    response = client.get(url)
    assert response.status_code == 200
    own = AuditEntry.objects.get(event="export.deputies.archive.own")
    assert own.data["person_uuids"] == [str(world.person_a.uuid)] and own.data["townships"] == ["甲镇"]
    assert own.entry_hash[:12] in _file_text(response)
    # Full values are personal information even in one's own file: that needs the export role.
    assert client.get(url, {"unmasked": "1"}).status_code == 403
    client.force_login(world.leader)  # reads the archive, may not export it
    assert client.get(url).status_code == 403
    assert AuditEntry.objects.filter(event="export.deputies.archive", outcome="denied").count() == 1


def test_composition_figures_are_audited_without_the_export_role(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("deputies:composition_export"))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(event="export.deputies.composition")
    assert set(entry.data["townships"]) == {"甲镇", "乙镇"} and entry.data["people"] == 0
    assert entry.entry_hash[:12] in _file_text(response)


def test_the_blank_import_template_is_served_but_not_audited(client, world):
    client.force_login(world.staff_a)
    before = AuditEntry.objects.count()
    response = client.get(reverse("deputies:import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEntry.objects.count() == before


def test_subjects_list_uuids_up_to_the_bound_and_count_them_all():
    uuids = [f"00000000-0000-0000-0000-{n:012d}" for n in range(AUDIT_SUBJECT_LIMIT + 50)]
    data = ExportSubjects(townships=["乙镇", "甲镇", "乙镇"], people=[*uuids, uuids[0]]).audit_data()
    assert data["townships"] == ["乙镇", "甲镇"]
    assert data["people"] == AUDIT_SUBJECT_LIMIT + 50
    assert data["person_uuids"] == uuids[:AUDIT_SUBJECT_LIMIT]


# --- The approval journey ---------------------------------------------------------------------


@pytest.fixture
def capped(settings):
    settings.RENDA_EXPORT_ROW_CAP = 0  # the world's one deputy in 甲镇 is over it


def _request_approval(client, world, query: dict) -> ExportApproval:
    client.force_login(world.staff_a)
    if query.get("unmasked") == "1":  # full values are asked for by a POST with a reason
        refused = client.post(f"{ROSTER}?{urlencode(query)}", {"reason": "换届选举统计"})
    else:
        refused = client.get(ROSTER, query)
    assert refused.status_code == 302
    assert "导出超过 0 行须经县级管理员审批" in " ".join(_messages(refused))
    form_url = refused["Location"]
    page = client.get(form_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "deputies.roster" in body and "本次导出共 1 行" in body
    token = parse_qs(urlsplit(form_url).query)["export"][0]
    assert client.post(form_url, {"export": token, "reason": ""}).status_code == 200  # a reason is required
    sent = client.post(form_url, {"export": token, "reason": "换届选举统计"})
    assert sent.status_code == 302 and sent["Location"] == reverse("accounts:export_approvals")
    return ExportApproval.objects.get(requested_by=world.staff_a)


def test_request_approve_run_once_then_refused(client, world, capped):
    approval = _request_approval(client, world, {"unmasked": "1", "status": "serving"})
    assert (approval.kind, approval.row_count, approval.path) == ("deputies.roster", 1, ROSTER)
    assert approval.query == "status=serving&unmasked=1" and approval.status == "pending"
    assert AuditEntry.objects.filter(event="export.approval.request", actor=world.staff_a).count() == 1
    assert AuditEntry.objects.filter(event="export.deputies.roster", outcome="denied").count() == 1
    listing = client.get(reverse("accounts:export_approvals")).content.decode()
    assert "待审批" in listing and "换届选举统计" in listing and "执行导出" not in listing

    client.force_login(world.county_admin)
    assert client.post(reverse("accounts:export_approval_grant", args=[approval.uuid])).status_code == 302
    approval.refresh_from_db()
    assert approval.status == "approved"

    client.force_login(world.staff_a)
    listing = client.get(reverse("accounts:export_approvals")).content.decode()
    assert f'action="{approval.export_url.replace("&", "&amp;")}"' in listing and "执行导出" in listing
    run = {"approval": str(approval.uuid)}
    # A GET never spends an approval (a prefetch or link checker would), and another filter is
    # another export: both refused, and the approval is not spent on them.
    for refused in (client.get(approval.export_url, run), client.post(ROSTER + "?unmasked=1", run)):
        assert refused["Location"].startswith(reverse("accounts:export_approval_request"))
    approval.refresh_from_db()
    assert approval.used_at is None
    response = client.post(approval.export_url, run)
    assert response.status_code == 200
    table = read_table(response.content, header_names=["姓名", "身份证号"])
    assert table.rows[0].values["身份证号"] == "11010519491231002X"  # the approved unmasked export
    entry = AuditEntry.objects.get(event="export.deputies.roster", outcome="success")
    assert entry.data["approval"] == str(approval.uuid) and entry.data["masked"] is False
    approval.refresh_from_db()
    assert approval.status == "used"
    again = client.post(approval.export_url, run)
    assert again["Location"].startswith(reverse("accounts:export_approval_request"))
    assert "不适用于本次导出" in " ".join(_messages(again))
    assert AuditEntry.objects.filter(event="export.deputies.roster", outcome="success").count() == 1


def test_an_expired_approval_is_refused(client, world, capped):
    approval = _request_approval(client, world, {})
    client.force_login(world.county_admin)
    client.post(reverse("accounts:export_approval_grant", args=[approval.uuid]))
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        client.force_login(world.staff_a)  # sessions end sooner than approvals
        refused = client.post(approval.export_url, {"approval": str(approval.uuid)})
        assert refused["Location"].startswith(reverse("accounts:export_approval_request"))
        assert "已过期" in client.get(reverse("accounts:export_approvals")).content.decode()
    approval.refresh_from_db()
    assert approval.used_at is None


def test_an_administrator_refuses_with_a_reason_the_requester_reads(client, world, capped):
    approval = _request_approval(client, world, {})
    refuse = reverse("accounts:export_approval_refuse", args=[approval.uuid])
    client.force_login(world.county_admin)
    assert "驳回" in client.get(reverse("accounts:export_approvals")).content.decode()
    response = client.post(refuse, {"reason": ""})
    assert "请填写驳回理由" in " ".join(_messages(response))
    approval.refresh_from_db()
    assert approval.status == "pending"
    client.post(refuse, {"reason": "范围过大，请按乡镇分批导出"})
    approval.refresh_from_db()
    assert approval.status == "refused" and approval.refused_by == world.county_admin
    assert AuditEntry.objects.filter(event="export.approval.refuse", outcome="success").count() == 1
    # Decided is decided: no approval after a refusal.
    late = client.post(reverse("accounts:export_approval_grant", args=[approval.uuid]))
    assert "该申请已审批" in " ".join(_messages(late))
    approval.refresh_from_db()
    assert approval.approved_at is None
    client.force_login(world.staff_a)
    listing = client.get(reverse("accounts:export_approvals")).content.decode()
    assert "已驳回" in listing and "范围过大，请按乡镇分批导出" in listing
    assert client.post(ROSTER, {"approval": str(approval.uuid)})["Location"].startswith(
        reverse("accounts:export_approval_request")
    )


def test_another_countys_administrator_gets_404_and_nobody_approves_their_own(client, world):
    approval = export_approval_request(actor=world.staff_a, kind="deputies.roster", row_count=9000, reason="统计")
    client.force_login(world.other_county_admin)
    assert client.post(reverse("accounts:export_approval_grant", args=[approval.uuid])).status_code == 404
    refuse = reverse("accounts:export_approval_refuse", args=[approval.uuid])
    assert client.post(refuse, {"reason": "不同意"}).status_code == 404
    approval.refresh_from_db()
    assert approval.status == "pending"

    second_admin = factories.UserFactory(role=Role.COUNTY_ADMIN, county=world.county)
    own = export_approval_request(actor=world.county_admin, kind="deputies.roster", row_count=9000, reason="统计")
    client.force_login(world.county_admin)
    assert client.post(reverse("accounts:export_approval_grant", args=[own.uuid])).status_code == 403
    assert client.post(reverse("accounts:export_approval_refuse", args=[own.uuid]), {"reason": "x"}).status_code == 403
    assert AuditEntry.objects.filter(event="export.approval.grant", outcome="denied").count() == 1
    client.force_login(second_admin)
    assert client.post(reverse("accounts:export_approval_grant", args=[own.uuid])).status_code == 302
    own.refresh_from_db()
    assert own.approved_by == second_admin


def test_a_tampered_or_missing_request_form_creates_nothing(client, world):
    client.force_login(world.staff_a)
    url = reverse("accounts:export_approval_request")
    for data in ({}, {"export": "forged"}):
        response = client.post(url, {**data, "reason": "统计"})
        assert response.status_code == 302
        assert "申请表已失效或不完整" in " ".join(_messages(response))
    assert client.get(url).status_code == 302
    assert not ExportApproval.objects.exists()
    client.force_login(world.leader)  # may not export, so may not ask to
    assert client.get(url).status_code == 403


def test_undecided_requests_come_first_on_the_approvals_page(client, world):
    decided = export_approval_request(actor=world.staff_a, kind="deputies.roster", row_count=9000, reason="旧申请")
    export_approval_refuse(approval=decided, actor=world.county_admin, reason="不同意")
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        export_approval_request(actor=world.staff_b, kind="deputies.roster", row_count=9000, reason="早先的申请")
    client.force_login(world.county_admin)
    body = client.get(reverse("accounts:export_approvals")).content.decode()
    assert body.index("早先的申请") < body.index("旧申请")
    client.force_login(world.staff_b)  # township staff see their own township's requests only
    body = client.get(reverse("accounts:export_approvals")).content.decode()
    assert "早先的申请" in body and "旧申请" not in body
