"""The demo's plans and library (demo/plans.py): the four laws for the county, the work rules of
every township, the year's work and activity plans with items by category, approved at the first
presidium meeting held in the year where there is one, the held activities of a matching category
counted towards them."""

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from renda.activities.models import LibraryDocument, WorkPlan
from renda.demo.plans import LAWS, WORK_RULES, seed_plans
from renda.meetings import services as meetings
from renda.meetings.models import Meeting

from .test_plan_progress import held_activity

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_the_demo_seeds_laws_rules_and_approved_plans(world):
    starts = datetime(2026, 2, 20, 9, 0, tzinfo=TZ)
    meeting = meetings.plan_meeting(
        None, township=world.township_a, kind="presidium", starts_at=starts, ends_on=starts.date()
    )
    Meeting.objects.filter(pk=meeting.pk).update(state="closed")
    inspection = held_activity(world, world.township_a, date(2026, 4, 2))
    counts = seed_plans(world.county, random.Random(7), today=date(2026, 11, 2))

    county_docs = LibraryDocument.objects.filter(county=world.county, township__isnull=True)
    assert set(county_docs.values_list("title", flat=True)) == {title for title, *_rest in LAWS}
    for township in (world.township_a, world.township_b):
        assert LibraryDocument.objects.filter(township=township, category="work_rule").count() == len(WORK_RULES) == 17
        assert set(WorkPlan.objects.filter(township=township, year=2026).values_list("kind", flat=True)) == {
            "work",
            "activity",
        }
    approved = WorkPlan.objects.filter(township=world.township_a, state="approved")
    assert approved.count() == 2 and {plan.approved_on for plan in approved} == {date(2026, 2, 20)}
    assert not WorkPlan.objects.filter(township=world.township_b, state="approved").exists()
    inspection.refresh_from_db()
    assert counts["plans"] == 4
    assert counts["linked"] == (1 if inspection.plan_item else 0)
