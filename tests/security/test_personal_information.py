"""等保 8.1.4.11 / PIPL personal information: S28–S33."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renda.accounts.exports import ExportNeedsApproval, export_approval_grant, export_approval_request, export_authorise
from renda.accounts.models import AuditEntry, User
from renda.accounts.pii_register import REGISTER, REVEAL
from renda.accounts.services import api_token_create
from renda.core.pii import PersonalInformationField
from tests import factories
from tests.crawl.urls import SAMPLES, page_url_names

ID_RE = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
MOBILE_RE = re.compile(r"(?<![\dA-Za-z])1[3-9]\d{9}(?![\dA-Za-z])")
API_LISTS = ["/api/v1/counties", "/api/v1/townships", "/api/v1/stations", "/api/v1/groups", "/api/v1/agencies"]


# ---- S28 ----------------------------------------------------------------------------------------


def test_s28_every_personal_field_is_on_the_register_with_a_purpose():
    fields = {
        f"{model._meta.app_label}.{model._meta.model_name}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, PersonalInformationField)
    }
    assert fields - set(REGISTER) == set(), "state the purpose of these personal fields in accounts/pii_register.py"
    assert set(REGISTER) - fields == set(), "the register lists fields that no longer exist"
    assert set(REVEAL) == set(REGISTER), "say who may reveal each field in accounts/pii_register.py REVEAL"
    assert all(len(str(purpose)) > 20 for purpose in REGISTER.values())


def test_s28_security_administrator_sees_the_register(client, world):
    client.force_login(world.secadmin)
    body = client.get(reverse("accounts:security_overview")).content.decode()
    # Every registered field by its model's and its own name, never as a code path.
    assert "人员 · 身份证号码" in body and "用于选举档案及代表资格证书中识别代表身份" in body
    assert "deputies.person.id_number" not in body


# ---- S29 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["leader", "handler_x", "sysadmin", "secadmin", "auditadmin"])
def test_s29_no_full_id_or_mobile_number_for_roles_that_may_not_reveal(world, username):
    client = Client(raise_request_exception=False)
    client.force_login(world.users[username])
    seen = 0
    for name in page_url_names():
        sample = SAMPLES[name]
        response = client.get(reverse(name, kwargs=sample(world, "a") if sample else None))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            ("text/", "application/json")
        ):
            continue
        body = response.content.decode()
        assert not ID_RE.search(body), (username, name)
        assert not MOBILE_RE.search(body), (username, name)
        seen += 1
    for url in API_LISTS:
        body = client.get(url).content.decode()
        assert not ID_RE.search(body) and not MOBILE_RE.search(body), (username, url)
    assert seen >= 1


# ---- S30 ----------------------------------------------------------------------------------------


def test_s30_reveal_is_a_separate_permissioned_audited_post(client, world):
    url = reverse("accounts:pii_reveal", args=["deputies.person", world.person_a.uuid, "id_number"])
    client.force_login(world.staff_a)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert world.person_a.id_number in response.content.decode()
    assert AuditEntry.objects.filter(event="pii.reveal", actor=world.staff_a, outcome="success").count() == 1
    client.force_login(world.leader)
    assert client.post(url).status_code == 403
    assert AuditEntry.objects.filter(event="pii.reveal", actor=world.leader, outcome="denied").count() == 1


# ---- S31 ----------------------------------------------------------------------------------------


def test_s31_export_needs_the_permission_and_stamps_exporter_and_time(world):
    grant = export_authorise(actor=world.staff_a, kind="roster", row_count=40)
    assert grant.masked is True
    assert "staff_a" in grant.footer and timezone.localtime(grant.at).strftime("%Y-%m-%d") in grant.footer
    entry = AuditEntry.objects.get(event="export.roster")
    assert entry.data["rows"] == 40 and entry.data["masked"] is True
    for username in ("leader", "handler_x", "deputy_a", "sysadmin"):
        with pytest.raises(PermissionDenied):
            export_authorise(actor=world.users[username], kind="roster", row_count=1)
    assert AuditEntry.objects.filter(event="export.roster", outcome="denied").count() == 4


def test_s31_above_the_row_cap_a_county_administrator_must_approve(world, settings):
    settings.RENDA_EXPORT_ROW_CAP = 100
    with pytest.raises(ExportNeedsApproval):
        export_authorise(actor=world.staff_a, kind="roster", row_count=101)
    approval = export_approval_request(actor=world.staff_a, kind="roster", row_count=500, reason="换届统计")
    with pytest.raises(ExportNeedsApproval):
        export_authorise(actor=world.staff_a, kind="roster", row_count=101, approval=approval)  # not approved yet
    for approver in ("staff_b", "other_county_admin"):
        with pytest.raises(PermissionDenied):
            export_approval_grant(approval=approval, actor=world.users[approver])
    export_approval_grant(approval=approval, actor=world.county_admin)
    export_authorise(actor=world.staff_a, kind="roster", row_count=480, approval=approval)
    with pytest.raises(ExportNeedsApproval):
        export_authorise(actor=world.staff_a, kind="roster", row_count=480, approval=approval)  # spent


def test_s31_an_approval_expires(world, settings):
    settings.RENDA_EXPORT_ROW_CAP = 100
    approval = export_approval_request(actor=world.staff_a, kind="roster", row_count=500, reason="换届统计")
    export_approval_grant(approval=approval, actor=world.county_admin)
    with time_machine.travel(timezone.now() + timedelta(hours=25)), pytest.raises(ExportNeedsApproval):
        export_authorise(actor=world.staff_a, kind="roster", row_count=200, approval=approval)


# ---- S32 ----------------------------------------------------------------------------------------


def test_s32_phone_of_an_account_is_encrypted_at_rest(world):
    world.staff_a.phone = "13712345678"
    world.staff_a.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [world.staff_a.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("v1:") and "13712345678" not in stored
    assert User.objects.get(pk=world.staff_a.pk).phone == "13712345678"


# ---- S33 ----------------------------------------------------------------------------------------


def test_s33_no_store_on_every_signed_in_page_and_api_answer(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.staff_a)
    for name in page_url_names():
        sample = SAMPLES[name]
        response = client.get(reverse(name, kwargs=sample(world, "a") if sample else None))
        assert "no-store" in response.get("Cache-Control", ""), name
    _token, raw = api_token_create(user=world.staff_a, name="t", actor=world.staff_a)
    response = Client().get("/api/v1/townships", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL keeps deleted rows on disk until VACUUM; the README's S33 row says so",
)
@pytest.mark.django_db(transaction=True)
def test_s33_sqlite_overwrites_deleted_data():
    marker = "已删除的敏感内容-7f3a9c"
    person = factories.PersonFactory(full_name="删除测试", note=marker)
    person.delete()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database = Path(connection.settings_dict["NAME"])
    files = [database, database.with_name(database.name + "-wal")]
    assert not any(marker.encode() in path.read_bytes() for path in files if path.exists())


def test_s32_field_key_rotation_re_encrypts_and_re_indexes(db, settings):
    import base64
    import io

    from django.core.management import call_command

    from renda.core import crypto
    from renda.core.pii import blind_index_of
    from renda.deputies.models import Person
    from tests import factories

    key_a, key_b = (base64.urlsafe_b64encode(bytes([n]) * 32).decode() for n in (1, 2))
    try:
        settings.RENDA_FIELD_KEY = key_a
        crypto.reset_keys()
        person = factories.PersonFactory(phone="13700001111")
        account = factories.UserFactory(phone="13700002222")
        settings.RENDA_FIELD_KEY, settings.RENDA_FIELD_KEY_PREVIOUS = key_b, [key_a]
        crypto.reset_keys()
        assert Person.objects.get(pk=person.pk).phone == "13700001111", "old rows still read during rotation"
        call_command("rotate_field_key", stdout=io.StringIO())
        settings.RENDA_FIELD_KEY_PREVIOUS = []
        crypto.reset_keys()
        assert Person.objects.get(pk=person.pk).phone == "13700001111"
        assert User.objects.get(pk=account.pk).phone == "13700002222"
        digest = blind_index_of(Person, "id_number", person.id_number)
        assert Person.objects.filter(id_number_index=digest).count() == 1
        assert AuditEntry.objects.filter(event="security.field_key.rotate").count() == 1
    finally:
        crypto.reset_keys()


def test_s31_county_administrator_approves_on_the_approvals_page(client, world):
    approval = export_approval_request(actor=world.staff_a, kind="roster", row_count=9000, reason="换届统计")
    url = reverse("accounts:export_approval_grant", args=[approval.uuid])
    for outsider in ("staff_a", "other_county_admin", "leader"):
        client.force_login(world.users[outsider])
        assert client.post(url).status_code in {403, 404}, outsider
    client.force_login(world.county_admin)
    assert "换届统计" in client.get(reverse("accounts:export_approvals")).content.decode()
    assert client.post(url).status_code == 302
    approval.refresh_from_db()
    assert approval.approved_by == world.county_admin and approval.expires_at > timezone.now()
    assert AuditEntry.objects.filter(event="export.approval.grant", outcome="success").count() == 1
