"""Audited writes per second with concurrent writers, in a throwaway database.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda .venv/bin/python manage.py benchmark_audit

Audit entries cannot be deleted, so the benchmark never runs in the configured database: it
creates a separate one (named after it, prefixed ``bench_``; a temporary file on SQLite), migrates
it, measures, and drops it. Writers are processes, as web workers are. Each write is one
transaction shaped like a service: it locks and updates a station, records an audit entry and
spends a little time on other work (the queries and Python between statements). Half the writes
audit before updating, half after, as services do. A write counts once it has committed and
whatever follows the commit (sealing, in the design without a lock) is done.
"""

import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction

from renda.accounts import audit
from renda.accounts.models import AuditEntry, User
from renda.accounts.roles import Role
from renda.organisations.models import County, Station, Township


def _one_write(station_id: int, actor: User, n: int, work: float) -> None:
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station_id)
        if n % 2:
            audit.record("bench.station.update", actor=actor, target=station, data={"n": n})
        time.sleep(work / 2)
        station.reception_schedule = f"每月{n % 28 + 1}日"
        station.save(update_fields=["reception_schedule", "updated_at"])
        if not n % 2:
            audit.record("bench.station.update", actor=actor, target=station, data={"n": n})
        Station.objects.filter(township_id=station.township_id, is_active=True).count()
        time.sleep(work / 2)


def _writer(station_id, actor, writes, work, start_together, results) -> None:
    latencies: list[float] = []
    error = ""
    start_together.wait()
    try:
        for n in range(writes):
            started = time.perf_counter()
            _one_write(station_id, actor, n, work)
            latencies.append(time.perf_counter() - started)
    except Exception as exc:  # reported by the parent: a deadlock must not hide in a writer
        error = f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()
    results.put((latencies, error))


class Command(BaseCommand):
    help = "Measure audited writes per second with concurrent writers in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--writers", type=int, default=8)
        parser.add_argument("--writes", type=int, default=150, help="writes per writer")
        parser.add_argument("--work-ms", type=float, default=4.0, help="other work inside each transaction")

    def handle(self, *args, writers: int, writes: int, work_ms: float, **options):
        test_settings = connection.settings_dict.setdefault("TEST", {})
        with tempfile.TemporaryDirectory() as folder:
            if connection.vendor == "sqlite":
                test_settings["NAME"] = str(Path(folder) / "bench.sqlite3")
            else:
                test_settings["NAME"] = f"bench_{connection.settings_dict['NAME']}"
            original_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                self._measure(writers, writes, work_ms / 1000)
            finally:
                connections.close_all()
                connection.creation.destroy_test_db(original_name, verbosity=0)

    def _measure(self, writers: int, writes: int, work: float) -> None:
        county = County.objects.create(name="基准县", division_code="999997")
        township = Township.objects.create(county=county, name="基准镇", kind="town")
        stations = [Station.objects.create(township=township, name=f"联络站{n}") for n in range(writers)]
        actor = User.objects.create(username="bench", full_name="基准", role=Role.TOWNSHIP_STAFF, township=township)
        context = multiprocessing.get_context("fork")
        start_together = context.Barrier(writers + 1)
        results = context.Queue()
        connections.close_all()  # each writer opens its own connection after the fork
        processes = [
            context.Process(target=_writer, args=(station.pk, actor, writes, work, start_together, results))
            for station in stations
        ]
        for process in processes:
            process.start()
        start_together.wait()
        started = time.perf_counter()
        outcomes = [results.get() for _ in processes]
        elapsed = time.perf_counter() - started
        for process in processes:
            process.join()
        latencies = sorted(latency for done, _error in outcomes for latency in done)
        errors = [error for _done, error in outcomes if error]
        for error in errors[:3]:
            self.stderr.write(error)
        checked, broken = audit.verify_chain()
        done = len(latencies)
        self.stdout.write(
            f"{connection.vendor}: writers={writers} writes={done}/{writers * writes} errors={len(errors)} "
            f"time={elapsed:.2f}s rate={done / elapsed:.0f} writes/s "
            f"p50={statistics.median(latencies) * 1000:.1f}ms p95={latencies[int(done * 0.95) - 1] * 1000:.1f}ms "
            f"entries={AuditEntry.objects.filter(event='bench.station.update').count()} "
            f"chain={'intact' if broken is None else broken} ({checked} checked)"
        )
