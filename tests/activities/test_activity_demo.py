"""The demo's year of activities, seeded on the test world's county: every kind of activity held
through the services, some planned ahead, one cancelled, a joint activity, attendance recorded."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from renda.activities.models import Activity, ActivityState
from renda.demo.activities import seed_activities
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inside_the_worlds_term(time_machine):
    time_machine.move_to(datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)


def test_seed_activities_fills_a_year(world):
    term = world.mandate_a.term
    for _ in range(6):
        factories.MandateFactory(person__township=world.township_a, term=term, group=world.group_a)
    counts = seed_activities(world.county, random.Random(7))
    rows = Activity.objects.unscoped().filter(county=world.county)
    assert counts["activities"] == rows.count() > 20
    states = set(rows.values_list("state", flat=True))
    assert {ActivityState.HELD, ActivityState.CANCELLED, ActivityState.PLANNED, ActivityState.NOTIFIED} <= states
    assert set(rows.values_list("category", flat=True)) >= {"study", "group"}
    held = rows.filter(state=ActivityState.HELD)
    assert held.exclude(minutes="").count() > held.count() // 2
    assert {"present"} <= set(held.values_list("participants__status", flat=True))
