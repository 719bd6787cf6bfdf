"""S15/S17: entries are inserted without a lock and sealed into the chain after commit, so audited
writes neither queue behind each other nor deadlock; a denial survives its caller's rollback."""

import io
import logging
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone

from renda.accounts import audit
from renda.accounts.exports import export_authorise
from renda.accounts.models import AuditEntry
from renda.accounts.scoping import CHANGE, get_scoped_or_404
from renda.organisations.models import Station
from tests import factories

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time, so writers never overlap"
)
SEAL_COLUMNS = {"seq", "prev_hash", "entry_hash"}


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


# ---- the triggers let exactly the sealing update through -------------------------------------


def test_s17_sealing_is_the_only_update_the_database_accepts(world):
    entry = audit.record("test.event", actor=world.staff_a, target=world.township_a, data={"n": 1})
    seal = "UPDATE accounts_auditentry SET seq = 999, prev_hash = '', entry_hash = %s"
    # A seal that also changes anything else is refused, column by column; a new column on the
    # model must be added here and to the SQLite trigger's list (migration 0005).
    changes = {
        "id": entry.pk + 1000,
        "at": timezone.now() - timedelta(days=1),
        "actor_id": world.staff_b.pk,
        "actor_label": "someone else",
        "actor_role": "county_admin",
        "ip_address": "10.0.0.9",
        "request_id": "f" * 32,
        "event": "test.rewritten",
        "outcome": "failure",
        "target_type": "organisations.station",
        "target_id": "changed",
        "target_label": "changed",
        "county_id": world.other_county.pk,
        "township_id": world.township_b.pk,
        "data": '{"n": 2}',
    }
    assert set(changes) == {field.column for field in AuditEntry._meta.concrete_fields} - SEAL_COLUMNS
    for column, value in changes.items():
        sql = f"{seal}, {column} = %s WHERE id = %s"
        assert refused(sql, ["a" * 64, value, entry.pk]), column

    assert audit.seal_pending() == [entry]
    entry.refresh_from_db()
    assert entry.seq is not None and len(entry.entry_hash) == 64
    assert refused("UPDATE accounts_auditentry SET seq = seq + 100 WHERE id = %s", [entry.pk]), "no re-ordering"
    assert refused("UPDATE accounts_auditentry SET entry_hash = %s WHERE id = %s", ["b" * 64, entry.pk])
    assert refused(
        "UPDATE accounts_auditentry SET seq = NULL, prev_hash = '', entry_hash = '' WHERE id = %s", [entry.pk]
    ), "no unsealing to seal again"
    assert audit.verify_chain() == (1, None)


def test_s17_an_entry_moved_in_the_chain_is_detected(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = (audit.record("test.event", actor=world.staff_a, data={"n": n}) for n in range(2))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE accounts_auditentry SET seq = -seq WHERE id IN (%s, %s)", [first.pk, second.pk])
        cursor.execute("UPDATE accounts_auditentry SET seq = %s WHERE id = %s", [first.seq, second.pk])
        cursor.execute("UPDATE accounts_auditentry SET seq = %s WHERE id = %s", [second.seq, first.pk])
    checked, broken = audit.verify_chain()
    assert broken is not None and broken.entry_id == second.pk


def test_s17_an_entry_left_unsealed_is_reported_after_the_grace_period(client, world):
    with time_machine.travel(timezone.now() - audit.SEAL_GRACE - timedelta(seconds=1)):
        stale = audit.record("test.event", actor=world.staff_a)
    audit.record("test.event", actor=world.staff_a)
    checked, broken = audit.verify_chain()
    assert broken is not None and broken.entry_id == stale.pk
    client.force_login(world.auditadmin)
    page = client.get(reverse("accounts:audit_verify")).content.decode()
    assert f"#{stale.pk}" in page and "未能按时封存进哈希链" in page

    audit.seal_pending()
    stale.refresh_from_db()
    assert stale.seq is not None, "the sweep seals what sealing after commit missed"
    assert audit.verify_chain()[1] is None


def test_s17_the_entry_a_caller_holds_is_sealed_once_its_transaction_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grant = export_authorise(actor=world.staff_a, kind="roster", row_count=3)
    assert grant.entry.seq is not None
    assert len(grant.entry.entry_hash) == 64 and grant.entry.entry_hash[:12] in grant.footer, "the export's reference"


# ---- removing the newest entries shows (issue 9) ----------------------------------------------


@pytest.mark.parametrize("removed", [1, 5])
def test_s17_a_deleted_suffix_is_reported(client, world, removed, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entries = [audit.record("test.event", actor=world.staff_a, data={"n": n}) for n in range(8)]
    with caplog.at_level(logging.INFO, logger="renda.accounts.audit"):
        call_command("verify_audit_chain", stdout=io.StringIO())
    assert f"audit chain head: position {entries[-1].seq}," in caplog.text, "the head went to the log as well"
    with connection.cursor() as cursor:
        # What the probe did: flip the purge-control flag and delete the newest rows.
        cursor.execute(audit.ALLOW_DELETE_SQL)
        cursor.execute("DELETE FROM accounts_auditentry WHERE seq > %s", [entries[-1].seq - removed])
        cursor.execute(audit.FORBID_DELETE_SQL)
    with pytest.raises(CommandError, match="the end of the chain"):
        call_command("verify_audit_chain", stdout=io.StringIO())
    client.force_login(world.auditadmin)
    assert "最新的若干条记录已被删除" in client.get(reverse("accounts:audit_verify")).content.decode()


def test_s17_a_rewritten_suffix_is_reported(world, django_capture_on_commit_callbacks):
    """An attacker who replaces the newest entry and recomputes its hash still misses the anchor."""
    with django_capture_on_commit_callbacks(execute=True):
        entries = [audit.record("test.event", actor=world.staff_a, data={"n": n}) for n in range(3)]
    call_command("verify_audit_chain", stdout=io.StringIO())
    forged = AuditEntry.objects.get(pk=entries[-1].pk)
    with connection.cursor() as cursor:
        cursor.execute(audit.ALLOW_DELETE_SQL)
        cursor.execute("DELETE FROM accounts_auditentry WHERE id = %s", [forged.pk])
        cursor.execute(audit.FORBID_DELETE_SQL)
    forged.pk, forged.target_label = None, "nothing happened"
    forged.entry_hash = audit.hash_of(forged)
    forged.save()
    checked, broken = audit.verify_chain()
    assert checked == 3 and broken is not None and broken.entry_id == forged.pk


# ---- S15: a denial outlives the transaction it unwinds ------------------------------------------


def change_station_then_open(request, uuid):
    """A view that changes something and then looks up a row the user may not change."""
    with transaction.atomic():
        Station.objects.filter(township__county__isnull=False).update(address="临时地址")
        get_scoped_or_404(Station, request.user, CHANGE, uuid=uuid)
    return HttpResponse("unreachable")


urlpatterns = [path("denied/<uuid:uuid>/", change_station_then_open)]


@pytest.mark.urls(__name__)
def test_s15_a_denial_is_recorded_although_the_callers_transaction_rolls_back(client, world):
    client.force_login(world.staff_a)
    assert client.get(f"/denied/{world.station_b.uuid}/").status_code == 404
    assert not Station.objects.filter(address="临时地址").exists(), "the view's own change was rolled back"
    denied = AuditEntry.objects.get(event="access.denied")
    assert (denied.actor, denied.outcome, denied.target_id, denied.township_id, denied.data) == (
        world.staff_a,
        "denied",
        str(world.station_b.uuid),
        world.township_b.pk,
        {"action": "change"},
    )
    assert len(denied.request_id) == 32, "written late, still within the request it belongs to"


# ---- PostgreSQL: no queue, no deadlock ------------------------------------------------------


def run_threads(target, count: int) -> list[Exception]:
    errors: list[Exception] = []

    def run(n: int) -> None:
        try:
            target(n)
        except Exception as exc:  # reported by the caller: a deadlock must not hide in a thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs"
    return errors


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_s17_eight_concurrent_audited_writers_keep_one_chain_without_deadlock():
    township = factories.TownshipFactory()
    stations = [factories.StationFactory(township=township, name=f"站{n}") for n in range(2)]
    actor = factories.UserFactory(role="township_staff", township=township)

    def write(n: int) -> None:
        # Eight writers share two rows; half audit before writing, half after, as services do.
        for i in range(15):
            station = stations[(n + i) % 2]
            with transaction.atomic():
                if i % 2:
                    audit.record("test.concurrent", actor=actor, target=station, data={"n": n, "i": i})
                Station.objects.filter(pk=station.pk).update(address=f"{n}-{i}")
                # Other work while the row is locked, so that writers really overlap.
                Station.objects.filter(township=township).count()
                if not i % 2:
                    audit.record("test.concurrent", actor=actor, target=station, data={"n": n, "i": i})

    assert run_threads(write, 8) == []
    assert AuditEntry.objects.filter(event="test.concurrent", seq__isnull=False).count() == 8 * 15
    assert audit.verify_chain() == (AuditEntry.objects.count(), None)


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_s17_audit_then_write_and_write_then_audit_do_not_deadlock():
    """The probe of issue 7: with the chain locked inside the caller's transaction, one writer
    held the lock and waited for the row, the other held the row and waited for the lock."""
    station = factories.StationFactory()
    actor = factories.UserFactory(role="township_staff", township=station.township)
    both_started = threading.Barrier(2, timeout=20)

    def probe(n: int) -> None:
        with transaction.atomic():
            if n == 0:
                audit.record("test.probe", actor=actor, target=station)
                both_started.wait()
                Station.objects.filter(pk=station.pk).update(address="0")
            else:
                Station.objects.filter(pk=station.pk).update(address="1")
                both_started.wait()
                audit.record("test.probe", actor=actor, target=station)

    assert run_threads(probe, 2) == []
    assert AuditEntry.objects.filter(event="test.probe", seq__isnull=False).count() == 2
    assert audit.verify_chain()[1] is None


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_s17_the_chain_runs_in_commit_order():
    """A long transaction that recorded first but commits last is sealed last."""
    actor = factories.UserFactory(role="sysadmin")
    recorded, release = threading.Event(), threading.Event()

    def long_transaction(n: int) -> None:
        with transaction.atomic():
            audit.record("test.long", actor=actor)
            recorded.set()
            release.wait(timeout=20)

    thread = threading.Thread(target=run_threads, args=(long_transaction, 1))
    thread.start()
    recorded.wait(timeout=20)
    short = audit.record("test.short", actor=actor)
    release.set()
    thread.join()
    long = AuditEntry.objects.get(event="test.long")
    short.refresh_from_db()
    assert long.pk < short.pk and long.seq > short.seq
    assert audit.verify_chain() == (2, None)
