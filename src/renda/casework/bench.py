"""Public submissions against the bare one-INSERT ceiling of the same stack (issue 10, Scale):
``python -m renda.casework.bench [submissions]`` (``make bench``; DATABASE_URL picks the database).

A submission is what the public form does once the citizen presses the button: claim the form's
one-time token (``core.submission.claim_submission``) and file a citizen's opinion through
``services.file_case`` (case number, tracking code, encrypted phone, timeline, audit entries and
their sealing after the commit). The ceiling is the least the stack can do for one: a single
``Case`` INSERT through the ORM in its own transaction. Both run in a throwaway database (audit
entries cannot be deleted) created and dropped here, one after the other, best of three rounds.

Prints both rates, their ratio (the goal: at least 0.5) and the queries per submission. A
measurement to quote, not a test: nothing here asserts.
"""

import os
import sys
import time
from collections import Counter

from renda.bench.database import setup_django, throwaway_database


def _rounds(label: str, count: int, one, rounds: int = 3) -> float:
    """The best rate of ``rounds`` rounds of ``count`` calls of ``one(i)``, in calls per second."""
    best = 0.0
    for r in range(rounds):
        started = time.perf_counter()
        for i in range(count):
            one(r * count + i)
        seconds = time.perf_counter() - started
        best = max(best, count / seconds)
    print(f"{label:<46} {best:>9,.0f} /s")
    return best


def _measure(count: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from renda.casework import services
    from renda.casework.models import Case, CaseSource, CaseState
    from renda.core.submission import claim_submission, issue_submission_token
    from renda.organisations.models import County, Station, Township

    county = County.objects.create(name="测速县", division_code="990199")
    township = Township.objects.create(county=county, name="测速镇", kind="town", division_code="990199001")
    station = Station.objects.create(township=township, name="测速联络站")
    today = timezone.localdate()

    def bare_insert(i: int) -> None:
        Case.objects.create(
            county=county,
            township=township,
            reference=f"BARE-{i:06d}",
            source=CaseSource.CITIZEN_OPINION,
            title="村口路灯不亮",
            content="村口路灯不亮，晚上出行不便，请尽快修复。",
            station=station,
            state=CaseState.SUBMITTED,
            received_on=today,
        )

    tokens = [issue_submission_token() for _ in range(count * 4)]  # issued with the page, not timed

    def file_opinion() -> str:
        case = services.file_case(
            None,
            township=township,
            source=CaseSource.CITIZEN_OPINION,
            title="村口路灯不亮",
            content="村口路灯不亮，晚上出行不便，请尽快修复。",
            station=station,
            citizen_name="李四",
            citizen_phone="13912345678",
            created_via="bench",
        )
        return str(case.tracking_code)

    def submission(i: int) -> None:
        claim_submission(tokens[i], file_opinion)

    print(f"database: {connection.vendor}, {count} submissions a round")
    ceiling = _rounds("bare Case INSERT (ceiling)", count, bare_insert)
    rate = _rounds("public submission (claim_submission + file_case)", count, submission)
    print(f"{'ratio (goal ≥ 0.50)':<46} {rate / ceiling:>9.2f}")

    connection.queries_log.clear()  # a full log (DEBUG) would count nothing
    with CaptureQueriesContext(connection) as queries:
        submission(count * 3)
    print(f"{'queries per submission':<46} {len(queries):>9}")
    kinds = Counter(q["sql"].split()[0].upper() for q in queries.captured_queries)
    print("  " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))
    if os.environ.get("RENDA_BENCH_SQL"):
        for query in queries.captured_queries:
            print("   ", query["sql"][:160])


def main(argv: list[str]) -> None:
    setup_django()
    count = int(argv[0]) if argv else 300
    with throwaway_database("casework"):
        _measure(count)


if __name__ == "__main__":
    main(sys.argv[1:])
