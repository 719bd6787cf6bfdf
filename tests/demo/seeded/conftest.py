"""The demo county, seeded once for every test of this package and rolled back after the last one.

Seeding is the slowest thing the suite does (about 80 s on PostgreSQL), so the tests that read the
whole demo share one seed per pytest worker: each module here is marked ``xdist_group("demo")`` and
the suite runs with ``--dist loadgroup``, which sends the whole group to one worker, where the
package-scoped fixture lives from the first of these tests to the last. A test that seeds a demo of
its own (tests/demo/test_seed_determinism.py) must stay outside this package: it would meet this one.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo_county(django_db_setup, django_db_blocker):
    # seed_demo refuses the production profile, which CI's second run uses: here it builds a test
    # database's demo, which is rolled back.
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PRODUCTION=False):
            call_command("seed_demo")
        yield
        transaction.set_rollback(True)
