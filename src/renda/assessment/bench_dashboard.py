"""How long the assessment dashboards take for the demo county (issue 13, point 5):
``python -m renda.assessment.bench_dashboard`` (``make bench``; DATABASE_URL picks the database).

Builds the demo county (``seed_demo``) in a throwaway database created and dropped here, signs in
its county administrator with the test client and asks for the county dashboard, its heat map and
a township's dashboard of this year, five times each after one warm-up. Prints the median time and
the queries of each page. A measurement to quote, not a test: nothing here asserts.
"""

import statistics
import sys
import time

from renda.bench.database import setup_django, throwaway_database

RUNS = 5


def _measure() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from renda.accounts.models import User
    from renda.accounts.roles import Role
    from renda.organisations.models import Township

    started = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    print(f"demo county built in {time.perf_counter() - started:.1f} s")
    admin = User.objects.filter(role=Role.COUNTY_ADMIN, township__isnull=True, is_active=True).first()
    if admin is None:
        print("no county administrator in the demo: nothing to time")
        return
    townships = Township.objects.unscoped().filter(county_id=admin.county_id, is_active=True)
    client = Client()
    client.force_login(admin)
    year = timezone.localdate().year
    pages = [
        ("county dashboard", reverse("assessment:dashboard")),
        ("heat map", reverse("assessment:dashboard_heat_map")),
        ("township dashboard", reverse("assessment:township_dashboard", args=[townships[0].uuid])),
    ]
    print(f"database: {connection.vendor}, {townships.count()} townships, year {year}, median of {RUNS} runs")
    for label, path in pages:
        url = f"{path}?year={year}"
        client.get(url)  # warm-up: templates, translations
        times = []
        for _ in range(RUNS):
            begun = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - begun)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median = statistics.median(times) * 1000
        print(f"{label:<24} {median:>8.0f} ms  {len(queries):>3} queries  ({response.status_code})")


def main(argv: list[str]) -> None:
    setup_django()
    with throwaway_database("dashboard"):
        _measure()


if __name__ == "__main__":
    main(sys.argv[1:])
