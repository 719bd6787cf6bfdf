"""等保 8.1.4.3 audit: S15–S20."""

import io
import logging
import re
import threading
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.accounts import audit, services
from renda.accounts.exports import export_authorise
from renda.accounts.models import AuditAnchor, AuditEntry, User
from renda.accounts.scoping import VIEW, get_scoped_or_404
from renda.core.logging import RedactingFilter, redact
from renda.organisations.models import Township
from tests.factories import TEST_PASSWORD

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def events(**filters) -> list[str]:
    return list(AuditEntry.objects.filter(**filters).order_by("id").values_list("event", flat=True))


# ---- S15 ----------------------------------------------------------------------------------------


def test_s15_each_authentication_action_writes_exactly_one_row(client, world):
    login = reverse("accounts:login")
    client.post(login, {"username": "staff_a", "password": "wrong"})
    assert events() == ["auth.login_failed"]
    client.post(login, {"username": "staff_a", "password": TEST_PASSWORD})
    assert events()[1:] == ["auth.login"]
    client.post(reverse("accounts:logout"))
    assert events()[2:] == ["auth.logout"]


def test_s15_password_role_reveal_export_and_denial_write_one_row_each(client, world):
    client.force_login(world.sysadmin)
    start = AuditEntry.objects.count()
    services.user_set_password(user=world.staff_a, password="Quiet-River-Stone-77", actor=world.staff_a)
    assert events()[start:] == ["accounts.password.change"]
    form = {
        "username": "staff_b",
        "full_name": world.staff_b.full_name,
        "role": "leader",
        "county": world.county.pk,
        "township": world.township_b.pk,
        "is_active": "on",
    }
    assert client.post(reverse("accounts:user_edit", args=[world.staff_b.uuid]), form).status_code == 302
    assert events()[start + 1 :] == ["accounts.user.update"]
    assert AuditEntry.objects.order_by("id").last().data["role"] == "leader"
    services.pii_reveal(obj=world.person_a, field_name="phone", actor=world.staff_a)
    assert events()[start + 2 :] == ["pii.reveal"]
    export_authorise(actor=world.staff_a, kind="roster", row_count=3)
    assert events()[start + 3 :] == ["export.roster"]
    with pytest.raises(Exception):  # noqa: B017  (Http404)
        get_scoped_or_404(Township, world.staff_a, VIEW, uuid=world.township_b.uuid)
    assert events()[start + 4 :] == ["access.denied"]
    denied = AuditEntry.objects.order_by("id").last()
    assert (denied.outcome, denied.actor, denied.target_id) == ("denied", world.staff_a, str(world.township_b.uuid))


def test_s15_denial_audit_costs_nothing_on_the_happy_path_and_ignores_missing_rows(world):
    with CaptureQueriesContext(connection) as queries:
        get_scoped_or_404(Township, world.staff_a, VIEW, uuid=world.township_a.uuid)
    assert len(queries) == 1
    with pytest.raises(Exception):  # noqa: B017  (Http404)
        get_scoped_or_404(Township, world.staff_a, VIEW, uuid="00000000-0000-0000-0000-000000000000")
    assert not AuditEntry.objects.filter(event="access.denied").exists()


# ---- S16 ----------------------------------------------------------------------------------------


def test_s16_each_row_has_time_actor_address_event_target_outcome_and_request_id(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:login"), {"username": "staff_a", "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.8.7"
        )
    entry = AuditEntry.objects.get(event="auth.login")
    assert entry.at.tzinfo is not None
    assert (entry.actor, entry.actor_role, entry.ip_address, entry.outcome) == (
        world.staff_a,
        "township_staff",
        "10.9.8.7",
        "success",
    )
    assert entry.target_id == str(world.staff_a.uuid) and len(entry.request_id) == 32
    assert len(entry.entry_hash) == 64 and entry.seq is not None, "sealed once its transaction committed"


# ---- S17 ----------------------------------------------------------------------------------------


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def test_s17_the_database_refuses_update_and_delete(world):
    entry = audit.record("test.event", actor=world.staff_a)
    assert refused("UPDATE accounts_auditentry SET event = 'rewritten' WHERE id = %s", [entry.pk])
    assert refused("DELETE FROM accounts_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).event == "test.event"


def disable_triggers(cursor) -> None:
    """Tampering as an attacker with DDL rights would: inside the test's transaction (rolled back)."""
    if connection.vendor == "sqlite":
        cursor.execute("DROP TRIGGER audit_no_update")
        cursor.execute("DROP TRIGGER audit_no_delete")
    else:
        # A superuser skips every trigger for the rest of this (rolled back) transaction.
        cursor.execute("SET LOCAL session_replication_role = replica")


def test_s17_chain_verifies_and_names_the_first_tampered_row(world):
    entries = [audit.record("test.event", actor=world.staff_a, data={"n": n}) for n in range(4)]
    call_command("verify_audit_chain", stdout=io.StringIO())
    with connection.cursor() as cursor:
        disable_triggers(cursor)
        cursor.execute("UPDATE accounts_auditentry SET target_label = %s WHERE id = %s", ["moved", entries[1].pk])
    with pytest.raises(CommandError, match=f"#{entries[1].pk} "):
        call_command("verify_audit_chain", stdout=io.StringIO())


def test_s17_a_removed_row_is_detected(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entries = [audit.record("test.event", actor=world.staff_a, data={"n": n}) for n in range(4)]
    with connection.cursor() as cursor:
        disable_triggers(cursor)
        cursor.execute("DELETE FROM accounts_auditentry WHERE id = %s", [entries[2].pk])
    checked, broken = audit.verify_chain()
    assert broken is not None and broken.entry_id == entries[3].pk


def test_s17_audit_administrator_sees_the_chain_state(client, world):
    audit.record("test.event", actor=world.staff_a)
    client.force_login(world.auditadmin)
    assert "alert-success" in client.get(reverse("accounts:audit_verify")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_s17_concurrent_writers_keep_one_chain():
    actor = User.objects.create(username="writer", full_name="写", role="township_staff")
    errors = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                audit.record("test.concurrent", actor=actor, data={"thread": n, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.filter(event="test.concurrent").count() == 40
    checked, broken = audit.verify_chain()
    assert broken is None and checked >= 40


@pytest.mark.django_db(transaction=True)
def test_s17_test_flush_goes_through_the_privileged_path_only():
    audit.record("test.event", actor=None)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    entry = audit.record("test.event", actor=None)
    assert refused("DELETE FROM accounts_auditentry WHERE id = %s", [entry.pk]), "the flag is off again"


# ---- S18 ----------------------------------------------------------------------------------------


def test_s18_purge_never_removes_entries_younger_than_180_days(world, django_capture_on_commit_callbacks):
    for days in (400, 200, 179, 1):
        with time_machine.travel(T0 - timedelta(days=days), tick=False):
            audit.record("test.event", actor=None, data={"age": days})
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("verify_audit_chain", stdout=io.StringIO())  # anchors the head the purge keeps
        call_command("purge_audit", "--before", "2030-01-01", stdout=io.StringIO())
    ages = [e.data.get("age") for e in AuditEntry.objects.filter(event="test.event")]
    assert sorted(ages) == [1, 179]
    assert AuditAnchor.objects.count() == 1
    assert audit.verify_chain()[1] is None, "the remaining chain verifies from the anchor"
    purge = AuditEntry.objects.get(event="audit.purge")
    assert purge.data["rows"] == 2
    with time_machine.travel(T0, tick=False):
        assert audit.purge_before(T0) == 0


# ---- S19 ----------------------------------------------------------------------------------------


def broken_record(*args, **kwargs):
    raise DatabaseError("audit storage unavailable")


def test_s19_reveal_fails_closed(world):
    with mock.patch.object(audit, "record", broken_record), pytest.raises(DatabaseError):
        services.pii_reveal(obj=world.person_a, field_name="phone", actor=world.staff_a)


def test_s19_reveal_page_shows_nothing_when_the_audit_fails(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.staff_a)
    url = reverse("accounts:pii_reveal", args=["deputies.person", world.person_a.uuid, "phone"])
    with mock.patch.object(audit, "record", broken_record):
        response = client.post(url)
    assert response.status_code == 500 and world.person_a.phone not in response.content.decode()


def test_s19_role_change_fails_closed(world):
    world.staff_b.role = "county_admin"
    with mock.patch.object(audit, "record", broken_record), pytest.raises(DatabaseError):
        services.user_save(user=world.staff_b, actor=world.sysadmin, changed_fields=["role"])
    assert User.objects.get(pk=world.staff_b.pk).role == "township_staff"


def test_s19_export_fails_closed(world):
    with mock.patch.object(audit, "record", broken_record), pytest.raises(DatabaseError):
        export_authorise(actor=world.staff_a, kind="roster", row_count=3)
    with pytest.raises(PermissionDenied):
        export_authorise(actor=world.leader, kind="roster", row_count=3)


# ---- S20 ----------------------------------------------------------------------------------------


def test_s20_filter_masks_ids_and_mobiles_and_escapes_control_characters():
    assert redact("id 11010519491231002X phone 13912345678") == "id 110105********002X phone 139****5678"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user %s\nFAKE LINE", ("13912345678",), None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "user 139****5678\\nFAKE LINE"


def test_s20_no_id_or_phone_in_the_logs_of_representative_requests(client, world):
    configured = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactingFilter) for f in handler.filters)
    ]
    assert configured, "settings.LOGGING installs the filter on the console handler"
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.filters = list(configured[0].filters)
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        client.raise_request_exception = False
        client.post(reverse("accounts:login"), {"username": "13912345678", "password": "110105194912310021"})
        client.post(reverse("accounts:login"), {"username": "a\nFORGED 200 OK", "password": "x"})
        client.get("/no-such-page/13912345678/11010519491231002X/")
        client.force_login(world.staff_a)
        client.post(reverse("accounts:pii_reveal", args=["deputies.person", world.person_a.uuid, "id_number"]))
        client.get(reverse("deputies:person_detail", args=[world.person_a.uuid]), {"q": "13912345678"})
        client.get(reverse("organisations:township_detail", args=[world.township_b.uuid]))
        logging.getLogger("renda.test").warning("caller logged %s and %s", world.person_a.id_number, "13812345678")
    finally:
        root.removeHandler(capture)
    output = stream.getvalue()
    assert output, "the requests did log something"
    assert not ID_RE.search(output) and not MOBILE_RE.search(output), output
    assert "\nFORGED" not in output
