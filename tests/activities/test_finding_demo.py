"""The demo's findings: held supervision activities get findings raised by deputies present, and
some become cases through the service (so they link back to their activity)."""

import random

import pytest

from renda.activities.models import Finding
from renda.casework.models import CaseSource
from renda.demo.findings import seed_findings
from tests.activities.findings_helpers import held_inspection, inspection

pytestmark = pytest.mark.django_db


class Always(random.Random):
    """Every draw below one half: each activity gets findings and each finding becomes a case."""

    def random(self) -> float:
        return 0.0


def test_seed_findings_on_held_supervision_activities(world):
    held = held_inspection(world)
    planned = inspection(world, title="甲镇视察未举行")
    counts = seed_findings(world.county, Always(7))
    findings = list(Finding.objects.all())
    assert counts["findings"] == len(findings) >= 1 and counts["cases"] == len(findings)
    assert {f.activity for f in findings} == {held} and planned not in {f.activity for f in findings}
    assert all(f.raised_by == world.mandate_a for f in findings)
    assert all(f.case.source == CaseSource.ACTIVITY_FINDING and f.case.township == world.township_a for f in findings)


def test_seed_findings_is_deterministic_and_leaves_some_activities_alone(world):
    for _ in range(6):
        held_inspection(world)
    counts = seed_findings(world.county, random.Random(3))
    assert 0 <= counts["cases"] <= counts["findings"] <= 18
    assert Finding.objects.values("activity").distinct().count() < 6 or counts["findings"] > 0
