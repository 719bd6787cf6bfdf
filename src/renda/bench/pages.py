"""How the main pages and the API's lists hold up as the data grows (issue 14):
``python -m renda.bench.pages --sizes county,city [--runs 15] [--out bench/results] [--keep] [--strict]``
(``make bench``; DATABASE_URL picks the database).

Each size is built by ``renda.demo.scale.build`` in a database of its own (``renda.bench.database``),
in a process of its own so that no cache of one size serves the next. Every page is asked for with the
test client, in process, as the persona who works with it: once to warm up, then ``--runs`` times,
timing ``client.get``; two more requests count the SQL queries. The report (Markdown and JSON in
``--out``) has, per page and size, the queries, the median and the 95th percentile, and the ratio of
each larger size's median to the first size's, checked against the targets:

- a page makes the same number of queries at every size;
- no page is more than ``RATIO_TARGET`` times slower at a larger size than at the first;
- every page's median at city size (or the largest size measured) is under ``MEDIAN_TARGET_MS``.

Failing targets are reported; the exit status is 0 unless ``--strict``.
"""

import argparse
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from renda.bench.database import setup_django, throwaway_database

MEDIAN_TARGET_MS = 150.0
MEDIAN_TARGET_SIZE = "city"
RATIO_TARGET = 2.0
PERSONAS = ("county_admin", "leader", "staff", "deputy", "handler")
# API lists left out: the citizens' API answers without an account and lists nothing.
API_EXCLUDED_PREFIXES = ("/api/v1/public/",)
SLOW_SECONDS = 10.0


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url: Callable[[Any], str | None]  # the world's URL of the page; None when the world has no sample


def _reverse(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def _scores_url(world) -> str | None:
    from renda.assessment.models import Scheme

    scheme = Scheme.objects.unscoped().filter(county=world.county).order_by("-year").first()
    return _reverse("assessment:scores", scheme.uuid) if scheme else None


def _roster_filtered(world) -> str:
    return f"{_reverse('deputies:roster')}?township={world.township.uuid}&status=serving&level=township&order=pinyin"


def _cases_filtered(world) -> str:
    case = world.case
    return (
        f"{_reverse('casework:list')}?state=open&township={case.township.uuid}&source={case.source}"
        f"&year={case.received_on.year}"
    )


def page_list() -> list[Page]:
    """The pages measured: the home page of each persona, then the pages people use every day."""
    homes = [Page(f"home ({persona})", persona, lambda w: _reverse("home")) for persona in PERSONAS]
    return [
        *homes,
        Page("roster", "county_admin", lambda w: _reverse("deputies:roster")),
        Page("roster, filtered", "county_admin", _roster_filtered),
        Page(
            "roster, search by name",
            "county_admin",
            lambda w: f"{_reverse('deputies:roster')}?q={w.mandate.person.full_name[0]}",
        ),
        Page(
            "deputy archive (履职档案)", "county_admin", lambda w: _reverse("deputies:mandate_archive", w.mandate.uuid)
        ),
        Page("points leaderboard", "county_admin", lambda w: _reverse("deputies:leaderboard")),
        Page("case list", "county_admin", lambda w: _reverse("casework:list")),
        Page("case list, filtered", "county_admin", _cases_filtered),
        Page("case list, search", "county_admin", lambda w: f"{_reverse('casework:list')}?q={w.case.title[:2]}"),
        Page("case detail", "county_admin", lambda w: _reverse("casework:detail", w.case.uuid)),
        Page("agency inbox", "handler", lambda w: _reverse("casework:inbox")),
        Page("activity list", "staff", lambda w: _reverse("activities:list")),
        Page("activity detail", "staff", lambda w: _reverse("activities:detail", w.activity.uuid)),
        Page("meeting list", "staff", lambda w: _reverse("meetings:list")),
        Page("assessment dashboard", "county_admin", lambda w: f"{_reverse('assessment:dashboard')}?year={_year()}"),
        Page(
            "assessment heat map",
            "county_admin",
            lambda w: f"{_reverse('assessment:dashboard_heat_map')}?year={_year()}",
        ),
        Page(
            "township dashboard",
            "county_admin",
            lambda w: f"{_reverse('assessment:township_dashboard', w.township.uuid)}?year={_year()}",
        ),
        Page("assessment scores", "county_admin", _scores_url),
    ]


def _same_in_every_world(path: str) -> Callable[[Any], str]:
    return lambda world: path


def api_list_pages(client) -> list[Page]:
    """Every list of the JSON API: the GET operations of its OpenAPI document without a path argument,
    so a list added later is measured without a change here."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [
        Page(f"API {path.removeprefix('/api/v1')}", "county_admin", _same_in_every_world(path))
        for path, operations in sorted(paths.items())
        if "get" in operations and "{" not in path and not path.startswith(API_EXCLUDED_PREFIXES)
    ]


def _p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def measure(world, *, runs: int = 15, progress=None) -> dict[str, dict[str, Any]]:
    """{page name: {persona, path, status, queries, median_ms, p95_ms, runs}} for the pages of
    ``world`` (a ``renda.demo.scale.ScaleWorld`` or anything with its fields); a page whose sample
    the world lacks (no assessment scheme, say) is left out. ``runs`` is 0 for a page timed by its
    warm-up alone."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for persona in PERSONAS:
        clients[persona] = Client()
        clients[persona].force_login(world.users[persona])
    results: dict[str, dict[str, Any]] = {}
    for page in [*page_list(), *api_list_pages(clients["county_admin"])]:
        path = page.url(world)
        if path is None:
            continue
        client = clients[page.persona]
        # The warm-up (templates, translations, caches) is timed too: a page that takes longer than
        # SLOW_SECONDS is timed by it alone, or one such page would hold the run for an hour.
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        times = [(time.perf_counter() - started) * 1000]
        page_runs = runs if times[0] < SLOW_SECONDS * 1000 else 0
        if page_runs:
            times = []
            for _ in range(page_runs):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            # The fewer of two counts: a cache expiring during the runs (a dashboard's figures) must
            # not pass for queries that grow with the data, which grow on every request.
            counts = []
            for _ in range(2):
                with CaptureQueriesContext(connection) as queries:
                    client.get(path)
                counts.append(len(queries))
        results[page.name] = {
            "persona": page.persona,
            "path": path,
            "status": response.status_code,
            "queries": min(counts) if page_runs else len(queries),
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(_p95(times), 1),
            "runs": page_runs,
        }
        if progress:
            line = results[page.name]
            progress(
                f"  {page.name:<40} {line['queries']:>4} q  {line['median_ms']:>8.1f} ms  "
                f"p95 {line['p95_ms']:>8.1f} ms  ({line['status']}){'' if page_runs else ', timed once'}"
            )
    return results


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def evaluate(sizes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The report of the sizes measured ({size: {"pages": measure(...), ...}}, smallest first): per
    page the figures of each size, the ratios to the first size and the targets it misses."""
    names = list(sizes)
    base = names[0]
    median_size = MEDIAN_TARGET_SIZE if MEDIAN_TARGET_SIZE in sizes else names[-1]
    page_names = list(dict.fromkeys(name for size in sizes.values() for name in size["pages"]))
    not_measured = [page.name for page in page_list() if page.name not in page_names]
    pages = []
    missed: dict[str, list[str]] = {"queries": [], "ratio": [], "median": [], "status": []}
    for name in page_names:
        figures = {size: sizes[size]["pages"].get(name) for size in names}
        failures = []
        if any(f is None or f["status"] != 200 for f in figures.values()):
            states = ", ".join(f"{s} {f['status'] if f else 'missing'}" for s, f in figures.items())
            failures.append(f"answer not 200 ({states})")
            missed["status"].append(name)
        present = {s: f for s, f in figures.items() if f is not None}
        if len({f["queries"] for f in present.values()}) > 1:
            failures.append("queries grow: " + " → ".join(str(f["queries"]) for f in present.values()))
            missed["queries"].append(name)
        ratios = {}
        if figures[base] is not None:
            for size in names[1:]:
                if figures[size] is not None:
                    ratios[size] = round(figures[size]["median_ms"] / max(figures[base]["median_ms"], 0.1), 2)
        slow = [size for size, ratio in ratios.items() if ratio > RATIO_TARGET]
        if slow:
            failures.append("; ".join(f"{size}/{base} {ratios[size]:.2f} > {RATIO_TARGET:g}" for size in slow))
            missed["ratio"].append(name)
        at_size = figures.get(median_size)
        if at_size is not None and at_size["median_ms"] >= MEDIAN_TARGET_MS:
            failures.append(f"median at {median_size} {at_size['median_ms']:.0f} ms ≥ {MEDIAN_TARGET_MS:.0f}")
            missed["median"].append(name)
        persona = next(f["persona"] for f in present.values())
        pages.append({"name": name, "persona": persona, "sizes": figures, "ratios": ratios, "failures": failures})
    return {
        "targets": {
            "same_queries_at_every_size": True,
            "ratio_to_first_size_at_most": RATIO_TARGET,
            "median_ms_below": MEDIAN_TARGET_MS,
            "median_checked_at": median_size,
        },
        "size_names": names,
        "pages": pages,
        "summary": {
            "pages": len(pages),
            "passing": sum(not p["failures"] for p in pages),
            "missed": missed,
            "not_measured": not_measured,
        },
    }


def render_markdown(report: dict[str, Any]) -> str:
    names = report["size_names"]
    base = names[0]
    machine = report.get("machine", {})
    slash = " / ".join(names)
    lines = [f"# Page benchmark ({slash})", ""]
    if machine:
        lines += [
            f"- date: {machine['date']}, commit {machine['commit']}",
            f"- machine: {machine['cpu']}, {machine['cores']} cores, load average {machine['load_before']} "
            f"before and {machine['load_after']} after; Python {machine['python']}; {machine['database']}",
            f"- {report['runs']} runs per page after one warm-up; server time of the test client's GET, in ms",
        ]
    for size in names:
        info = report.get("size_info", {}).get(size)
        if info:
            lines.append(
                f"- {size}: {info['townships']} townships, {info['counties']} "
                f"{'county' if info['counties'] == 1 else 'counties'}, "
                f"{info['total_rows']:,} rows, built in {info['build_seconds']:.0f} s"
                + (" (the database kept by an earlier run, --keep)" if info.get("reused") else "")
            )
    ratio_names = [f"{size}/{base}" for size in names[1:]]
    header = ["Page", "As", f"Queries ({slash})", f"Median ms ({slash})", f"p95 ms ({slash})", *ratio_names, "✓/✗"]
    lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def cell(figures, key: str) -> str:
        def one(f) -> str:
            if f is None:
                return "–"
            return f"{f[key]:g}" + ("*" if key != "queries" and f.get("runs") == 0 else "")

        return " / ".join(one(f) for f in figures.values())

    for page in report["pages"]:
        figures = page["sizes"]
        row = [
            page["name"],
            page["persona"],
            cell(figures, "queries"),
            cell(figures, "median_ms"),
            cell(figures, "p95_ms"),
            *(f"{page['ratios'][s]:.2f}" if s in page["ratios"] else "–" for s in names[1:]),
            "✗ " + "; ".join(page["failures"]) if page["failures"] else "✓",
        ]
        lines.append("| " + " | ".join(row).replace("\n", " ") + " |")
    summary = report["summary"]
    targets = report["targets"]
    missed = summary["missed"]
    lines += [
        "",
        f"**{summary['passing']} of {summary['pages']} pages meet every target.**",
        "",
        f"- same query count at every size: {_missed_line(missed['queries'])}",
        f"- at most {targets['ratio_to_first_size_at_most']:g}× the {base} median: {_missed_line(missed['ratio'])}",
        f"- median under {targets['median_ms_below']:g} ms at {targets['median_checked_at']} size: "
        f"{_missed_line(missed['median'])}",
        f"- answered 200: {_missed_line(missed['status'])}",
    ]
    if summary["not_measured"]:
        lines.append(f"- not measured (the data has no sample for them): {', '.join(summary['not_measured'])}")
    if any(f is not None and f.get("runs") == 0 for page in report["pages"] for f in page["sizes"].values()):
        lines.append(f"- *: slower than {SLOW_SECONDS:g} s, timed by its warm-up alone")
    lines.append("")
    return "\n".join(lines)


def _missed_line(names: list[str]) -> str:
    return "all pages" if not names else f"missed by {len(names)}: " + ", ".join(names)


def machine_info(database: str) -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": database,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git_commit(),
    }


def _git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=False).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit}-dirty" if git("status", "--porcelain", "--untracked-files=no") else commit


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _measure_one_size(arguments: argparse.Namespace) -> None:
    """The child process: build one size in its own database, measure it, write its figures."""
    setup_django()
    from django.conf import settings

    from renda.demo.scale import SIZES, build, default_counties

    townships = SIZES[arguments.size]
    counties = default_counties(townships)
    keep_file = Path(settings.VAR_DIR) / "bench" / f"{arguments.size}-seed{arguments.seed}.sqlite3"
    saved_world = keep_file.with_suffix(".world")
    if arguments.keep and keep_file.exists() and not saved_world.exists():
        keep_file.unlink()  # a build that did not finish
    with throwaway_database(arguments.size, keep_file=keep_file if arguments.keep else None) as existed:
        if existed:
            world = pickle.loads(saved_world.read_bytes())
            print(f"{arguments.size}: reusing {keep_file}", flush=True)
        else:
            world = build(townships, counties, seed=arguments.seed, stdout=sys.stdout)
            if arguments.keep:
                saved_world.write_bytes(pickle.dumps(world))
        print(f"{arguments.size}: {townships} townships, built in {world.seconds:.0f} s; measuring", flush=True)
        pages = measure(world, runs=arguments.runs, progress=lambda line: print(line, flush=True))
        result = {
            "info": {
                "townships": townships,
                "counties": counties,
                "rows": world.rows,
                "total_rows": sum(world.rows.values()),
                "build_seconds": round(world.seconds, 1),
                "reused": existed,
            },
            "database": database_version(),
            "pages": pages,
        }
    Path(arguments.result).write_text(json.dumps(result, ensure_ascii=False))


def write_report(report: dict[str, Any], out: Path) -> list[Path]:
    """latest.md and latest.json, and a copy named after the database engine so that the last
    SQLite and PostgreSQL runs both stay."""
    out.mkdir(parents=True, exist_ok=True)
    vendor = report["machine"]["database"].split()[0]
    written = []
    for stem in ("latest", vendor):
        for suffix, text in (
            (".md", render_markdown(report)),
            (".json", json.dumps(report, ensure_ascii=False, indent=1)),
        ):
            path = out / f"{stem}{suffix}"
            path.write_text(text + "\n" if not text.endswith("\n") else text)
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m renda.bench.pages", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="county,city", help="逗号分隔：county, city, province")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument(
        "--keep", action="store_true", help="保留并复用每个规模建好的 SQLite 文件（在 RENDA_VAR_DIR/bench）"
    )
    parser.add_argument("--strict", action="store_true", help="有页面未达标时以状态 1 退出")
    parser.add_argument("--size", help=argparse.SUPPRESS)  # the child process's one size
    parser.add_argument("--result", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.size:
        _measure_one_size(arguments)
        return 0
    setup_django()  # the sizes are the scale module's
    from renda.demo.scale import SIZES

    names = [name.strip() for name in arguments.sizes.split(",") if name.strip()]
    unknown = [name for name in names if name not in SIZES]
    if unknown or not names:
        parser.error(f"未知的规模：{', '.join(unknown) or '（空）'}；可选 {', '.join(SIZES)}")
    names.sort(key=list(SIZES).index)
    load_before = _load()
    measured = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            result_file = Path(folder) / f"{name}.json"
            child = [sys.executable, "-m", "renda.bench.pages", "--size", name, "--result", str(result_file)]
            child += ["--runs", str(arguments.runs), "--seed", str(arguments.seed), *(["--keep"] * arguments.keep)]
            subprocess.run(child, check=True)
            measured[name] = json.loads(result_file.read_text())
    report = evaluate(measured)
    report["machine"] = {**machine_info(measured[names[0]]["database"]), "load_before": load_before}
    report["machine"]["load_after"] = _load()
    report["runs"] = arguments.runs
    report["size_info"] = {name: size["info"] for name, size in measured.items()}
    for path in write_report(report, arguments.out):
        print(f"written: {path}")
    summary = report["summary"]
    print(f"{summary['passing']} of {summary['pages']} pages meet every target")
    return 1 if arguments.strict and summary["passing"] < summary["pages"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
