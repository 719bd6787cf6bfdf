"""`make bench`: how pages scale with data. Builds the demo county in a throw-away database,
measures each page's SQL queries and median time, multiplies the rows tenfold, measures again,
and prints the ratios. A page that scales well keeps its query count and a time ratio near 1.

Benchmarks of single operations (e.g. the roster import) register in BENCHMARKS below.
No thresholds: the numbers are read by people and quoted in issue notes.
"""

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
os.environ["RENDA_VAR_DIR"] = tempfile.mkdtemp(prefix="renda-bench-")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

REPEAT = 7
PAGES = [
    ("home", lambda: reverse("home")),
    ("organisations:index", lambda: reverse("organisations:index")),
    ("organisations:agency_list", lambda: reverse("organisations:agency_list")),
    ("deputies:roster", lambda: reverse("deputies:roster")),
    ("api townships", lambda: "/api/v1/townships"),
]


def measure(client: Client, url: str) -> tuple[int, float]:
    timings = []
    queries = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return queries, statistics.median(timings)


def grow(factor: int) -> None:
    """Copy every township's stations, groups, agencies, people and mandates ``factor`` − 1 more
    times, so each list the county administrator sees holds ``factor`` times the rows."""
    from renda.deputies.models import Mandate, Person
    from renda.organisations.models import Agency, DeputyGroup, Station

    def copies(queryset, suffix, **changes):
        rows = []
        for row in queryset:
            row.pk = None
            row.uuid = uuid.uuid4()
            if hasattr(row, "name"):
                row.name = f"{row.name}{suffix}"
            for field, value in changes.items():
                setattr(row, field, value(row) if callable(value) else value)
            rows.append(row)
        return rows

    originals = {
        "stations": list(Station.objects.all()),
        "groups": list(DeputyGroup.objects.all()),
        "agencies": list(Agency.objects.all()),
        "mandates": list(Mandate.objects.select_related("person")),
    }
    for copy in range(1, factor):
        suffix = f"（{copy}）"
        Station.objects.bulk_create(copies(originals["stations"], suffix))
        DeputyGroup.objects.bulk_create(copies(originals["groups"], suffix, station=None))
        Agency.objects.bulk_create(copies(originals["agencies"], suffix))
        people = {}
        for mandate in originals["mandates"]:
            person = people.get(mandate.person_id)
            if person is None:
                person = Person.objects.get(pk=mandate.person_id)
                person.pk, person.uuid, person.user = None, uuid.uuid4(), None
                person.full_name = f"{person.full_name}{copy}"
                person.id_number = ""  # copies need no ID number; it must stay unique
                person.save()
                people[mandate.person_id] = person
            Mandate.objects.create(**{
                field.attname: getattr(mandate, field.attname)
                for field in Mandate._meta.concrete_fields
                if field.attname not in {"id", "uuid", "person_id"}
            } | {"person": person, "deputy_number": ""})


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    from renda.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="county_admin"))
    before = {name: measure(client, url()) for name, url in PAGES}
    grow(10)
    after = {name: measure(client, url()) for name, url in PAGES}
    print(f"{'page (county_admin)':<28}{'queries 1×':>11}{'queries 10×':>12}{'ms 1×':>9}{'ms 10×':>9}{'time ratio':>12}")
    for name, _url in PAGES:
        (q1, t1), (q10, t10) = before[name], after[name]
        print(f"{name:<28}{q1:>11}{q10:>12}{t1 * 1000:>9.1f}{t10 * 1000:>9.1f}{t10 / t1:>12.2f}")
    for benchmark in BENCHMARKS:
        benchmark()


BENCHMARKS: list = []

if __name__ == "__main__":
    main()
