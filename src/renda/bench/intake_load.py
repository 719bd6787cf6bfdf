"""Public intake under load (issue 14): a burst of citizens' opinions from one address, over real HTTP.

    python -m renda.bench.intake_load [--clients 50] [--submissions 2000] [--restart-postgres]
                                      [--out bench/results]

A reception day's queue submits from one mobile hotspot while the township's staff read their case
list. This runs renda as production does (gunicorn, the production profile, PostgreSQL and Redis)
on a free loopback port, against a throwaway database ``renda_load_<pid>`` and Redis database 9,
and drives it from threads of this process with ``http.client``:

- each simulated citizen GETs a station's public form (one-time token and CSRF cookie), POSTs an
  opinion whose text is unique, and reads the tracking code from the answer. On a connection error,
  a timeout or a 5xx it sends the SAME POST again (what a browser's re-submit does) a few times with
  backoff; a 429 is not retried (the citizen is told to wait);
- a few staff clients log in through the login form and read the case list and cases in a loop.

Runs, each at its own station of the same throwaway database, each with a fresh gunicorn:
``plain`` (rate limits raised, so that the server is what is measured), ``restart`` (the same, with
PostgreSQL restarted mid-run; only with ``--restart-postgres``) and ``default-limits`` (a short burst
with the shipped limits: the excess must be refused with clean 429s, never errors).

After each run the acknowledged tracking codes are compared with the station's cases in the
database: lost (acknowledged, absent), unexpected (present, never acknowledged), duplicated (one
token or one text filed twice), mismatched (a code answered for another citizen's text). The
report goes to ``<out>/intake-load.md`` and ``.json``. Bounded: a time limit per run and a count;
gunicorn is stopped and the database dropped at the end. A measurement to quote, not a test.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import http.client
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from psycopg import sql

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/9"
RAISED_LIMITS = {
    "RENDA_PUBLIC_RATE_PER_MINUTE": "1000000/m",
    "RENDA_PUBLIC_RATE_PER_HOUR": "1000000/h",
    "RENDA_PUBLIC_RATE_PER_STATION": "1000000/h",
    "RENDA_PUBLIC_LOOKUP_RATE": "1000000/m",
}
STAFF_USERNAME = "load_staff"
# Attempts of one POST (the first and its re-submits) and the waits between them: together about
# 15 s, a citizen pressing "send" again now and then while a restart of the database goes on.
POST_ATTEMPTS = 6
BACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0)
REQUEST_TIMEOUT = 30.0
IDLE_RECONNECT_SECONDS = 1.0


# ---------------------------------------------------------------- reading the pages


_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_NAME = re.compile(r'\bname="([^"]*)"')
_VALUE = re.compile(r'\bvalue="([^"]*)"')
_TRACKING_CODE = re.compile(r'id="tracking-code"[^>]*>\s*([0-9A-Z-]{16,20})\s*<')
_CASE_LINK = re.compile(r'href="(/cases/[0-9a-f-]{36}/)"')


def hidden_fields(html: str) -> dict[str, str]:
    """The named inputs' values of a page (the form token, the CSRF token)."""
    fields = {}
    for tag in _INPUT.findall(html):
        name, value = _NAME.search(tag), _VALUE.search(tag)
        if name and value:
            fields[name.group(1)] = value.group(1).replace("&amp;", "&")
    return fields


def tracking_code(html: str) -> str | None:
    """The tracking code on the "opinion received" page, or None (any other page)."""
    match = _TRACKING_CODE.search(html)
    return match.group(1) if match else None


def case_links(html: str) -> list[str]:
    return sorted(set(_CASE_LINK.findall(html)))


# ---------------------------------------------------------------- comparing with the database


@dataclass(frozen=True)
class Acknowledged:
    """A submission the server answered with a tracking code."""

    token: str
    code: str
    content: str


@dataclass
class Reconciliation:
    acknowledged: int
    stored: int
    lost: list[str]
    unexpected: list[str]
    duplicate_tokens: list[str]
    duplicate_contents: list[str]
    duplicate_codes: list[str]
    mismatched: list[str]

    @property
    def clean(self) -> bool:
        return not (
            self.lost
            or self.unexpected
            or self.duplicate_tokens
            or self.duplicate_contents
            or self.duplicate_codes
            or self.mismatched
        )


def reconcile(acknowledged: Iterable[Acknowledged], stored: Iterable[tuple[str, str]]) -> Reconciliation:
    """Compare what the citizens were told with the rows ``(tracking code, content)`` stored.

    lost: a code acknowledged but not stored. unexpected: a stored case nobody was told about (its
    commit's answer lost and no retry came back). duplicate_tokens: one form token answered with two
    codes; duplicate_contents: one citizen's text stored twice; duplicate_codes: one code answered
    to two citizens. mismatched: an acknowledged code whose stored text is another citizen's."""
    acks = list(acknowledged)
    rows = list(stored)
    stored_content: dict[str, str] = {}
    for code, content in rows:
        stored_content.setdefault(code, content)
    acked_codes = {ack.code for ack in acks}
    codes_by_token: dict[str, set[str]] = defaultdict(set)
    tokens_by_code: dict[str, set[str]] = defaultdict(set)
    for ack in acks:
        codes_by_token[ack.token].add(ack.code)
        tokens_by_code[ack.code].add(ack.token)
    content_counts = Counter(content for _code, content in rows)
    return Reconciliation(
        acknowledged=len(acked_codes),
        stored=len(rows),
        lost=sorted(acked_codes - stored_content.keys()),
        unexpected=sorted(stored_content.keys() - acked_codes),
        duplicate_tokens=sorted(token for token, codes in codes_by_token.items() if len(codes) > 1),
        duplicate_contents=sorted(content for content, count in content_counts.items() if count > 1),
        duplicate_codes=sorted(code for code, tokens in tokens_by_code.items() if len(tokens) > 1)
        + sorted(code for code, count in Counter(code for code, _c in rows).items() if count > 1),
        mismatched=sorted(
            ack.code for ack in acks if ack.code in stored_content and stored_content[ack.code] != ack.content
        ),
    )


# ---------------------------------------------------------------- one HTTP client


class Failure(Exception):
    """A request that did not give the expected answer; ``kind`` names how (for the report)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


class Browser:
    """One visitor: a keep-alive connection and a cookie jar (the cookies' Secure flag is ignored:
    the production profile marks them Secure, and this talks plain HTTP on loopback)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "renda-intake-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        # gunicorn closes a keep-alive connection idle for 2 s; a browser notices and reconnects,
        # http.client would report the stale connection as lost (e.g. after a retry's backoff).
        if self.connection is not None and time.monotonic() - self.last_used > IDLE_RECONNECT_SECONDS:
            self.close()
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            raw = self.connection.getresponse()
            payload = raw.read()
        except TimeoutError as exc:
            self.close()
            raise Failure("timeout") from exc
        except ConnectionRefusedError as exc:
            self.close()
            raise Failure("connection refused") from exc
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            # Reset, remote disconnected, broken pipe: the answer never came.
            self.close()
            raise Failure("connection lost") from exc
        self.last_used = time.monotonic()
        if raw.getheader("Connection", "").lower() == "close":
            self.close()
        for cookie in raw.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(raw.status, raw.headers, payload.decode("utf-8", "replace"))


# ---------------------------------------------------------------- what the clients record


@dataclass
class Attempt:
    kind: str  # "get", "post", "staff"
    started: float  # seconds since the run began
    seconds: float
    outcome: str  # "ok" or the failure's kind (e.g. "http 500", "connection lost", "http 429")


@dataclass
class Tally:
    started: float = field(default_factory=time.perf_counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    attempts: list[Attempt] = field(default_factory=list)
    acknowledged: list[Acknowledged] = field(default_factory=list)
    submission_seconds: list[float] = field(default_factory=list)  # first POST → code, retries included
    retried: int = 0  # submissions acknowledged only after a re-submit
    refused: int = 0  # submissions answered 429 (not retried)
    clean_refusals: int = 0  # of which: status 429 with Retry-After and the friendly page
    abandoned: Counter = field(default_factory=Counter)  # submissions given up, by last failure

    def now(self) -> float:
        return time.perf_counter() - self.started

    def record(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


def _timed(tally: Tally, kind: str, call):
    started = tally.now()
    try:
        response = call()
    except Failure as failure:
        tally.record(Attempt(kind, started, tally.now() - started, failure.kind))
        raise
    outcome = "ok" if response.status < 400 else f"http {response.status}"
    tally.record(Attempt(kind, started, tally.now() - started, outcome))
    return response


def citizen(port: int, form_path: str, number: int, run: str, tally: Tally) -> None:
    """One citizen: open the form, send one opinion, keep re-sending the same form until it is
    acknowledged, refused (429) or the attempts run out."""
    browser = Browser(port)
    content = f"负载测试 {run} 第{number}条：村口路灯不亮，晚上出行不便，请尽快修复。"
    try:
        fields = None
        for attempt in range(POST_ATTEMPTS):
            try:
                page = _timed(tally, "get", lambda: browser.request("GET", form_path))
            except Failure:
                page = None
            if page is not None and page.status == 200:
                fields = hidden_fields(page.body)
                if "token" in fields and "csrfmiddlewaretoken" in fields:
                    break
            if attempt < POST_ATTEMPTS - 1:
                time.sleep(BACKOFF_SECONDS[attempt])
        if fields is None or "token" not in fields:
            with tally.lock:
                tally.abandoned["form never opened"] += 1
            return
        form = {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "token": fields["token"],
            "content": content,
            "title": "",
            "name": "",
            "anonymous": "on",
            "phone": "",
        }
        first = tally.now()
        last = "none"
        for attempt in range(POST_ATTEMPTS):
            try:
                response = _timed(tally, "post", lambda: browser.request("POST", form_path, form))
            except Failure as failure:
                last = failure.kind
            else:
                if response.status == 429:
                    with tally.lock:
                        tally.refused += 1
                        if response.headers.get("Retry-After") and "<html" in response.body.lower():
                            tally.clean_refusals += 1
                    return
                code = tracking_code(response.body) if response.status == 200 else None
                if code is not None:
                    with tally.lock:
                        tally.acknowledged.append(Acknowledged(fields["token"], code, content))
                        tally.submission_seconds.append(tally.now() - first)
                        tally.retried += attempt > 0
                    return
                last = f"http {response.status}" if response.status != 200 else "no tracking code"
                if response.status < 500:
                    # Refused for a reason a re-submit does not change (a 403, a form error).
                    break
            if attempt < POST_ATTEMPTS - 1:
                time.sleep(BACKOFF_SECONDS[attempt])
        with tally.lock:
            tally.abandoned[last] += 1
    finally:
        browser.close()


def staff_reader(port: int, password: str, stop: threading.Event, tally: Tally) -> None:
    """A township clerk: log in, then read the case list and one of its cases, over and over."""
    browser = Browser(port)
    rng = random.Random()
    logged_in = False
    while not stop.is_set():
        try:
            if not logged_in:
                page = _timed(tally, "staff", lambda: browser.request("GET", "/accounts/login/"))
                token = hidden_fields(page.body).get("csrfmiddlewaretoken", "")
                form = {"csrfmiddlewaretoken": token, "username": STAFF_USERNAME, "password": password}
                answer = _timed(tally, "staff", lambda form=form: browser.request("POST", "/accounts/login/", form))
                logged_in = answer.status == 302
                if not logged_in:
                    stop.wait(1.0)
                continue
            listing = _timed(tally, "staff", lambda: browser.request("GET", "/cases/"))
            if listing.status == 302:  # the session ended: log in again
                logged_in = False
                continue
            links = case_links(listing.body)
            if links:
                path = rng.choice(links)
                _timed(tally, "staff", lambda path=path: browser.request("GET", path))
        except Failure:
            stop.wait(0.5)
    browser.close()


# ---------------------------------------------------------------- the server and the database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres(dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(f"{PG_SERVER}/{dbname}", autocommit=True)


def _postgres_cluster() -> tuple[str, str]:
    """(version, name) of the cluster on port 5432, from ``pg_lsclusters``."""
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        version, name, port, *_rest = line.split()
        if port == "5432":
            return version, name
    raise RuntimeError("no PostgreSQL cluster on port 5432 in pg_lsclusters")


def _worker_pids(master: int) -> list[int]:
    try:
        return sorted(int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split())
    except OSError:
        return []


@dataclass
class Site:
    env: dict[str, str]
    database: str
    stations: dict[str, tuple[int, str]]  # run name → (station id, its public form's path)
    staff_password: str


def prepare(database: str, runs: list[str], workdir: Path) -> Site:
    """Create the throwaway database, migrate it, and create a county, a township, a station per run
    and a township clerk (in this process, through the ORM, with the server's settings)."""
    with _postgres() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    env = {
        "RENDA_PROFILE": "production",
        "DJANGO_SETTINGS_MODULE": "renda.settings",
        "DATABASE_URL": f"{PG_SERVER}/{database}",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "RENDA_FIELD_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "SECURE_SSL_REDIRECT": "false",
        "RENDA_TRUSTED_PROXIES": "0",
        "RENDA_REQUIRE_2FA": "false",
        "RENDA_VAR_DIR": str(workdir),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from renda.accounts.models import User
    from renda.accounts.roles import Role
    from renda.organisations.models import County, Station, Township

    call_command("migrate", verbosity=0)
    county = County.objects.create(name="压测县", division_code="990199")
    township = Township.objects.create(county=county, name="压测镇", kind="town", division_code="990199001")
    stations = {}
    for run in runs:
        station = Station.objects.create(township=township, name=f"压测联络站（{run}）")
        stations[run] = (station.pk, f"/p/s/{station.uuid}/")
    password = "Load-" + secrets.token_urlsafe(12)
    staff = User(username=STAFF_USERNAME, full_name="压测工作人员", role=Role.TOWNSHIP_STAFF, township=township)
    staff.set_password(password)
    staff.save()
    connections.close_all()
    return Site(env=env, database=database, stations=stations, staff_password=password)


def drop(database: str) -> None:
    from django.db import connections

    connections.close_all()
    with _postgres() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def stored_cases(database: str, station_id: int) -> tuple[list[tuple[str, str]], int]:
    """The station's citizens' opinions (tracking code, content), and how many have no receipt of
    a form token (filed some other way than the token's one-time path)."""
    with _postgres(database) as connection:
        rows = connection.execute(
            "SELECT tracking_code, content FROM casework_case WHERE station_id = %s AND source = 'citizen_opinion'",
            [station_id],
        ).fetchall()
        without_receipt = connection.execute(
            "SELECT count(*) FROM casework_case c LEFT JOIN core_submissionreceipt r ON r.result = c.tracking_code"
            " WHERE c.station_id = %s AND r.id IS NULL",
            [station_id],
        ).fetchone()[0]
    return [(code, content) for code, content in rows], without_receipt


class Server:
    """gunicorn serving renda in the production profile, on a free loopback port."""

    def __init__(self, site: Site, limits: dict[str, str], workers: int, threads: int, log: Path):
        self.port = _free_port()
        root = Path(__file__).resolve().parents[2]  # src/
        env = {**os.environ, **site.env, **limits}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), str(root.parent), env.get("PYTHONPATH", "")]))
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "renda.wsgi:application",
                    f"--bind=127.0.0.1:{self.port}",
                    f"--workers={workers}",
                    "--worker-class=gthread",
                    f"--threads={threads}",
                    "--timeout=30",
                    "--graceful-timeout=10",
                ],
                env=env,
                cwd=root.parent,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, path: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            browser = Browser(self.port)
            try:
                if browser.request("GET", path).status == 200:
                    return
            except Failure:
                pass
            finally:
                browser.close()
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer {path} within {seconds:.0f} s; see {self.log}")

    def workers(self) -> list[int]:
        return _worker_pids(self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its current workers (user + system)."""
        total = 0
        for pid in [self.process.pid, *self.workers()]:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            # Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------- one run


@dataclass
class RunPlan:
    name: str
    clients: int
    submissions: int
    time_limit: float
    raised_limits: bool
    restart_postgres: bool = False


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def run_once(plan: RunPlan, site: Site, workdir: Path, workers: int, threads: int, staff: int) -> dict:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # fresh rate-limit counters and sessions (our own db)
    station_id, form_path = site.stations[plan.name]
    server = Server(site, RAISED_LIMITS if plan.raised_limits else {}, workers, threads, workdir / "gunicorn.log")
    try:
        server.wait_ready(form_path)
        workers_before = server.workers()
        cpu_before = server.cpu_seconds()
        load_before = os.getloadavg()[0]
        tally = Tally()
        numbers = itertools.count(1)
        numbers_lock = threading.Lock()
        deadline = time.monotonic() + plan.time_limit
        restart: dict = {}

        def next_number() -> int | None:
            with numbers_lock:
                number = next(numbers)
            return number if number <= plan.submissions and time.monotonic() < deadline else None

        def citizens_loop() -> None:
            while (number := next_number()) is not None:
                citizen(server.port, form_path, number, plan.name, tally)

        def restarter() -> None:
            # Mid-run: once a third of the submissions are acknowledged (or a third of the time is up).
            third = time.monotonic() + plan.time_limit / 3
            while len(tally.acknowledged) < plan.submissions / 3 and time.monotonic() < third:
                time.sleep(0.05)
            version, name = _postgres_cluster()
            restart["began"] = tally.now()
            done = subprocess.run(["pg_ctlcluster", version, name, "restart"], capture_output=True, text=True)
            restart["ended"] = tally.now()
            restart["returncode"] = done.returncode
            restart["output"] = (done.stdout + done.stderr).strip()[-500:]

        stop_staff = threading.Event()
        readers = [
            threading.Thread(target=staff_reader, args=(server.port, site.staff_password, stop_staff, tally))
            for _ in range(staff)
        ]
        crowd = [threading.Thread(target=citizens_loop) for _ in range(plan.clients)]
        helpers = [threading.Thread(target=restarter)] if plan.restart_postgres else []
        for thread in [*readers, *crowd, *helpers]:
            thread.start()
        # Past the time limit no new citizen starts; those under way finish their retries (bounded
        # by POST_ATTEMPTS × REQUEST_TIMEOUT), so that none gives up on a commit it caused.
        for thread in [*crowd, *helpers]:
            thread.join()
        elapsed = tally.now()
        stop_staff.set()
        for thread in readers:
            thread.join(REQUEST_TIMEOUT + 5)
        workers_after = server.workers()
        server_cpu = server.cpu_seconds() - cpu_before
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
    rows, without_receipt = stored_cases(site.database, station_id)
    result = reconcile(tally.acknowledged, rows)
    report = summarise(plan, tally, elapsed, result, without_receipt, restart, workers, (workers_before, workers_after))
    report["machine"] = {
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_ms_per_acknowledged": round(1000 * server_cpu / len(tally.acknowledged), 1)
        if tally.acknowledged
        else None,
        "load_average_1min": [round(load_before, 1), round(load_after, 1)],
    }
    return report


def summarise(
    plan: RunPlan,
    tally: Tally,
    elapsed: float,
    result: Reconciliation,
    without_receipt: int,
    restart: dict,
    workers: int,
    worker_pids: tuple[list[int], list[int]],
) -> dict:
    def latency(kind: str, ok_only: bool = True) -> dict:
        seconds = [a.seconds for a in tally.attempts if a.kind == kind and (a.outcome == "ok" or not ok_only)]
        return {
            "count": len(seconds),
            "p50_ms": _ms(_percentile(seconds, 0.50)),
            "p99_ms": _ms(_percentile(seconds, 0.99)),
            "mean_ms": _ms(statistics.fmean(seconds)) if seconds else None,
        }

    def failures(attempts: list[Attempt]) -> dict:
        kinds = Counter(a.outcome for a in attempts if a.outcome != "ok")
        return {
            "attempts": len(attempts),
            "failed": sum(kinds.values()),
            "rate": round(sum(kinds.values()) / len(attempts), 4) if attempts else 0.0,
            "by_kind": dict(sorted(kinds.items())),
        }

    citizen_attempts = [a for a in tally.attempts if a.kind in ("get", "post")]
    staff_attempts = [a for a in tally.attempts if a.kind == "staff"]
    report = {
        "run": plan.name,
        "clients": plan.clients,
        "submissions_planned": plan.submissions,
        "time_limit_s": plan.time_limit,
        "rate_limits": "raised" if plan.raised_limits else "default",
        "gunicorn": f"{workers} gthread workers × 4 threads",
        "elapsed_s": round(elapsed, 2),
        "acknowledged": len(tally.acknowledged),
        "submissions_per_s": round(len(tally.acknowledged) / elapsed, 1) if elapsed else None,
        "acknowledged_after_retry": tally.retried,
        "refused_429": tally.refused,
        "refused_429_clean": tally.clean_refusals,
        "abandoned": dict(tally.abandoned),
        "post": latency("post"),
        "get_form": latency("get"),
        "submission_with_retries": {
            "p50_ms": _ms(_percentile(tally.submission_seconds, 0.50)),
            "p99_ms": _ms(_percentile(tally.submission_seconds, 0.99)),
        },
        "staff_pages": latency("staff"),
        "errors_citizen": failures(citizen_attempts),
        "errors_staff": failures(staff_attempts),
        "reconciliation": dataclasses.asdict(result) | {"clean": result.clean},
        "cases_without_receipt": without_receipt,
        "gunicorn_workers_replaced": sorted(set(worker_pids[0]) - set(worker_pids[1])),
    }
    if restart:
        began, ended = restart["began"], restart["ended"]
        after = [a for a in citizen_attempts if a.started >= ended]
        first_ok = min((a.started + a.seconds for a in after if a.kind == "post" and a.outcome == "ok"), default=None)
        settled = [a for a in after if a.started >= ended + 5]
        report["restart"] = {
            "began_s": round(began, 2),
            "took_s": round(ended - began, 2),
            "returncode": restart["returncode"],
            "errors_before": failures([a for a in citizen_attempts if a.started + a.seconds < began]),
            "errors_during": failures(
                [a for a in citizen_attempts if a.started + a.seconds >= began and a.started < ended]
            ),
            "errors_after": failures(after),
            "errors_from_5s_after": failures(settled),
            "first_acknowledged_after_s": None if first_ok is None else round(first_ok - ended, 2),
            "staff_errors_after": failures([a for a in staff_attempts if a.started >= ended + 5]),
        }
    return report


# ---------------------------------------------------------------- the report


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join("–" if cell is None else str(cell) for cell in cells) + " |"


def markdown(reports: list[dict], command: str, started: str) -> str:
    lines = [
        "# Public intake under load (issue 14)",
        "",
        f"`{command}` — {started}. gunicorn and this client share one 2-core machine (and with other",
        "work running on it), so the rates are a floor, not the server's ceiling. Citizens all come",
        "from one address (127.0.0.1), as a reception day's queue behind one hotspot does.",
        "",
        _row(
            [
                "run",
                "limits",
                "clients",
                "acknowledged",
                "submissions/s",
                "POST p50 ms",
                "POST p99 ms",
                "with retries p99 ms",
                "staff p50/p99 ms",
                "citizen error rate",
                "retried",
                "429",
                "lost",
                "unexpected",
                "duplicated",
            ]
        ),
        _row(["---"] * 15),
    ]
    for r in reports:
        rec = r["reconciliation"]
        duplicated = len(rec["duplicate_tokens"]) + len(rec["duplicate_contents"]) + len(rec["duplicate_codes"])
        lines.append(
            _row(
                [
                    r["run"],
                    r["rate_limits"],
                    r["clients"],
                    r["acknowledged"],
                    r["submissions_per_s"],
                    r["post"]["p50_ms"],
                    r["post"]["p99_ms"],
                    r["submission_with_retries"]["p99_ms"],
                    f"{r['staff_pages']['p50_ms']} / {r['staff_pages']['p99_ms']}",
                    f"{r['errors_citizen']['rate']:.2%}",
                    r["acknowledged_after_retry"],
                    r["refused_429"],
                    len(rec["lost"]),
                    len(rec["unexpected"]),
                    duplicated,
                ]
            )
        )
    for r in reports:
        rec = r["reconciliation"]
        lines += [
            "",
            f"## {r['run']}",
            "",
            f"- {r['acknowledged']} of {r['submissions_planned']} planned submissions acknowledged in "
            f"{r['elapsed_s']} s ({r['gunicorn']}; time limit {r['time_limit_s']:.0f} s).",
            f"- Citizens' requests: {r['errors_citizen']['attempts']}, failed {r['errors_citizen']['failed']} "
            f"({r['errors_citizen']['rate']:.2%}): {r['errors_citizen']['by_kind'] or 'none'}. Staff requests: "
            f"{r['errors_staff']['attempts']}, failed {r['errors_staff']['failed']}: "
            f"{r['errors_staff']['by_kind'] or 'none'}.",
            f"- Acknowledged only after a re-submit of the same form: {r['acknowledged_after_retry']}; "
            f"given up: {r['abandoned'] or 'none'}.",
            f"- 429 refusals: {r['refused_429']} ({r['refused_429_clean']} with Retry-After and the friendly page).",
            f"- Database: {rec['stored']} cases at the run's station for {rec['acknowledged']} acknowledged codes; "
            f"lost {len(rec['lost'])}, unexpected {len(rec['unexpected'])}, same token twice "
            f"{len(rec['duplicate_tokens'])}, same text twice {len(rec['duplicate_contents'])}, one code to two "
            f"citizens {len(rec['duplicate_codes'])}, code answered for another text {len(rec['mismatched'])}; "
            f"cases without a form-token receipt {r['cases_without_receipt']}.",
            f"- gunicorn workers replaced during the run: {len(r['gunicorn_workers_replaced'])}.",
            f"- Machine: load average {r['machine']['load_average_1min'][0]} at the start, "
            f"{r['machine']['load_average_1min'][1]} at the end; gunicorn used {r['machine']['server_cpu_s']} CPU-s "
            f"({r['machine']['server_cpu_ms_per_acknowledged']} ms per acknowledged submission, its form's GET "
            f"and the staff's reads included; the web process only, not PostgreSQL's).",
        ]
        if "restart" in r:
            s = r["restart"]
            lines += [
                f"- PostgreSQL restarted at {s['began_s']} s (took {s['took_s']} s, exit {s['returncode']}); first "
                f"acknowledgement {s['first_acknowledged_after_s']} s after it was back. Citizens' failed requests "
                f"before / during / after: {s['errors_before']['failed']} / {s['errors_during']['failed']} / "
                f"{s['errors_after']['failed']} ({s['errors_during']['by_kind'] or 'none'} during; "
                f"{s['errors_after']['by_kind'] or 'none'} after); from 5 s after: "
                f"{s['errors_from_5s_after']['failed']} of {s['errors_from_5s_after']['attempts']}, staff "
                f"{s['staff_errors_after']['failed']} of {s['staff_errors_after']['attempts']}.",
            ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent citizens (default 50)")
    parser.add_argument("--submissions", type=int, default=2000, help="submissions per run (default 2000)")
    parser.add_argument("--time-limit", type=float, default=90, help="seconds per run (default 90)")
    parser.add_argument("--staff", type=int, default=3, help="concurrent staff readers (default 3)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--restart-postgres", action="store_true", help="add a run with PostgreSQL restarted mid-run")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    threads = 4

    plans = [RunPlan("plain", args.clients, args.submissions, args.time_limit, raised_limits=True)]
    if args.restart_postgres:
        plans.append(
            RunPlan(
                "restart", args.clients, args.submissions, args.time_limit, raised_limits=True, restart_postgres=True
            )
        )
    # The shipped limits (30 a minute per address): a short burst, most of it refused.
    plans.append(RunPlan("default-limits", min(args.clients, 10), 120, min(args.time_limit, 30), raised_limits=False))

    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    database = f"renda_load_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="renda-load-"))
    reports = []
    try:
        site = prepare(database, [plan.name for plan in plans], workdir)
        for plan in plans:
            print(f"{plan.name}: {plan.clients} clients, {plan.submissions} submissions …", flush=True)
            report = run_once(plan, site, workdir, args.workers, threads, args.staff)
            reports.append(report)
            print(
                f"  {report['acknowledged']} acknowledged, {report['submissions_per_s']}/s, POST p50/p99 "
                f"{report['post']['p50_ms']}/{report['post']['p99_ms']} ms, "
                f"errors {report['errors_citizen']['by_kind']}, "
                f"clean={report['reconciliation']['clean']}",
                flush=True,
            )
    finally:
        try:
            drop(database)
        finally:
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
    command = "python -m renda.bench.intake_load " + " ".join(argv if argv is not None else sys.argv[1:])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "intake-load.json").write_text(
        json.dumps({"command": command, "started": started, "runs": reports}, ensure_ascii=False, indent=2) + "\n"
    )
    (args.out / "intake-load.md").write_text(markdown(reports, command.strip(), started))
    print(f"report: {args.out / 'intake-load.md'}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(r["reconciliation"]["clean"] for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
