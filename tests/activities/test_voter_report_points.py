"""Reports to voters in the deputy's archive and points: held +3, missed −5; scheduled and cancelled
count for nobody."""

from datetime import timedelta

import pytest
from django.utils import timezone

from renda.activities import records_voter_reports as records
from renda.activities import services_voter_reports as services
from renda.deputies import archive, contributions
from renda.deputies import services as deputy_services
from renda.deputies.models import PointEntry

pytestmark = pytest.mark.django_db


def _points(mandate) -> list:
    return sorted(
        PointEntry.objects.filter(mandate=mandate, kind__startswith="activities.voter_report").values_list(
            "kind", "points"
        )
    )


def test_the_kinds_and_the_section_are_declared():
    assert contributions.sections.get(records.SECTION).order == 260
    assert contributions.get(records.HELD).default_points == 3
    assert contributions.get(records.MISSED).default_points == -5


def test_held_and_missed_reports_score_and_show_in_the_archive(world, django_capture_on_commit_callbacks):
    from renda.activities.models import VoterReport

    VoterReport.objects.unscoped().all().delete()
    deputy_services.point_rules_initialise(county=world.county, actor=None)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        held = services.schedule(world.staff_a, mandate=world.mandate_a, scheduled_on=today, place="甲镇一村")
        services.record_held(
            held,
            world.staff_a,
            expected_version=held.version,
            held_on=today,
            voters_present=12,
            satisfied=10,
            basically_satisfied=2,
            dissatisfied=0,
        )
        missed = services.schedule(world.staff_a, mandate=world.mandate_a, scheduled_on=today, place="甲镇二村")
        services.record_missed(missed, world.staff_a, expected_version=missed.version, note="未到场")
        cancelled = services.schedule(
            world.staff_a, mandate=world.mandate_a, scheduled_on=today + timedelta(days=3), place="甲镇三村"
        )
        services.cancel(cancelled, world.staff_a, expected_version=cancelled.version, note="并入集中述职")
    assert _points(world.mandate_a) == [(records.HELD, 3), (records.MISSED, -5)]
    lines = [
        line for line in archive.timeline(world.mandate_a, viewer=world.staff_a) if line.section == records.SECTION
    ]
    assert sorted(line.title for line in lines) == ["在甲镇一村向选民述职", "在甲镇二村向选民述职"]
