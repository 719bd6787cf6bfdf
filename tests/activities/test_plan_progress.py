"""Plan versus done: each item's planned times, the held activities linked to it, what is still to
do and whether it is overdue (its month passed, not done); per plan the totals and share done; the
county's view per township; the Excel of a plan; linking an activity of the township to an item.
Outsiders get 404."""

import io
import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import python_calamine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.activities import selectors_plans, services_plans
from renda.activities.models import Activity, ActivityType, PlanItem, WorkPlan

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 11, 2, 10, 0, tzinfo=TZ)
_NUMBERS = itertools.count(1)


@pytest.fixture(autouse=True)
def _on_a_fixed_day(time_machine):
    time_machine.move_to(TODAY, tick=True)


def held_activity(world, township, day, *, category="inspection", state="held", item=None, group=None):
    """An activity of ``township`` on ``day`` in ``state`` (as if run through its pages)."""
    number = next(_NUMBERS)
    kind = ActivityType.objects.filter(county=township.county, category=category).first()
    starts = datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ)
    return Activity.objects.create(
        county=township.county,
        township=township,
        type=kind,
        category=category,
        title=f"{township.name}活动{number}",
        plan_item=item,
        group=group,
        starts_at=starts,
        ends_at=starts.replace(hour=11),
        place="会议室",
        organiser="主席团",
        state=state,
        signin_token=f"plan-test-{number}",
    )


def _plan(world, township=None, staff=None):
    township, staff = township or world.township_a, staff or world.staff_a
    plan = services_plans.create_plan(township, staff, year=2026, kind="work", title="2026年工作计划")
    roads = services_plans.add_item(
        plan, staff, title="视察农村公路", category="inspection", target_count=2, due_month=6
    )
    study = services_plans.add_item(plan, staff, title="集中学习", category="study", target_count=3, due_month=3)
    report = services_plans.add_item(
        plan, staff, title="听取专项报告", category="work_report", target_count=1, due_month=12
    )
    return plan, roads, study, report


def test_each_item_counts_held_linked_activities_and_is_overdue_after_its_month(world):
    from datetime import date

    plan, roads, study, report = _plan(world)
    held_activity(world, world.township_a, date(2026, 5, 10), item=roads)
    held_activity(world, world.township_a, date(2026, 2, 10), category="study", item=study)
    # Neither a cancelled nor a coming activity counts as done.
    held_activity(world, world.township_a, date(2026, 3, 1), category="study", item=study, state="cancelled")
    held_activity(world, world.township_a, date(2026, 12, 1), item=report, state="planned")
    unlinked = held_activity(world, world.township_a, date(2026, 6, 1))
    services_plans.link_activity(unlinked, roads, world.staff_a)

    progress = selectors_plans.plan_progress(plan, date(2026, 11, 2))
    rows = {row.item.title: row for row in progress.items}
    assert (rows["视察农村公路"].done, rows["视察农村公路"].to_do, rows["视察农村公路"].overdue) == (2, 0, False)
    assert (rows["集中学习"].done, rows["集中学习"].to_do, rows["集中学习"].overdue) == (1, 2, True)
    assert (rows["听取专项报告"].done, rows["听取专项报告"].overdue) == (0, False)  # due in December
    assert (progress.planned, progress.done, progress.overdue, progress.share_text) == (6, 3, 1, "50.0%")


def test_the_plan_page_shows_plan_versus_done_and_outsiders_get_404(world, client_for):
    from datetime import date

    plan, roads, study, _report = _plan(world)
    held_activity(world, world.township_a, date(2026, 2, 10), category="study", item=study)
    page = client_for(world.staff_a).get(reverse("activities:plan_detail", args=[plan.uuid]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "集中学习" in text and "16.7%" in text and "table-danger" in text
    item_page = client_for(world.staff_a).get(reverse("activities:plan_item", args=[study.uuid]))
    assert item_page.status_code == 200 and "甲镇活动" in item_page.content.decode()
    for outsider in (world.staff_b, world.other_county_admin):
        for name, uuid in (("activities:plan_detail", plan.uuid), ("activities:plan_item", study.uuid)):
            assert client_for(outsider).get(reverse(name, args=[uuid])).status_code == 404
    assert client_for(world.deputy_a).get(reverse("activities:plan_detail", args=[plan.uuid])).status_code == 403


def test_the_county_view_counts_each_township_in_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    from datetime import date

    _plan_a, roads, study, _r = _plan(world)
    held_activity(world, world.township_a, date(2026, 5, 10), item=roads)
    _plan_b, roads_b, _s, _rb = _plan(world, world.township_b, world.staff_b)
    held_activity(world, world.township_b, date(2026, 5, 10), item=roads_b)
    held_activity(world, world.township_b, date(2026, 5, 11), item=roads_b)
    townships = world.county.townships.all()
    with django_assert_max_num_queries(3):
        result = selectors_plans.county_year(
            townships, PlanItem.objects.for_county(world.county), 2026, date(2026, 11, 2)
        )
    rows = {row.township.name: row for row in result.townships}
    assert (rows["甲镇"].items, rows["甲镇"].planned, rows["甲镇"].done, rows["甲镇"].overdue) == (3, 6, 1, 2)
    assert (rows["乙镇"].done, rows["乙镇"].overdue) == (2, 1)
    assert result.total.done == 3

    page = client_for(world.county_admin).get(reverse("activities:plans_county"), {"year": 2026})
    assert page.status_code == 200 and "乙镇" in page.content.decode()
    assert client_for(world.staff_a).get(reverse("activities:plans_county")).status_code == 403
    other = client_for(world.other_county_admin).get(reverse("activities:plans_county"), {"year": 2026})
    assert "甲镇" not in other.content.decode()


def test_staff_link_an_activity_of_their_township_and_of_the_plans_year(world, client_for):
    from datetime import date

    plan, roads, _study, _report = _plan(world)
    activity = held_activity(world, world.township_a, date(2026, 4, 1))
    response = client_for(world.staff_a).post(
        reverse("activities:plan_item", args=[roads.uuid]), {"activity": activity.uuid}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.plan_item == roads
    assert AuditEntry.objects.filter(event="activities.plan.link").exists()
    last_year = held_activity(world, world.township_a, date(2025, 4, 1))
    with pytest.raises(ValidationError):
        services_plans.link_activity(last_year, roads, world.staff_a)
    foreign = held_activity(world, world.township_b, date(2026, 4, 1))
    with pytest.raises(PermissionDenied):
        services_plans.link_activity(foreign, roads, world.staff_a)
    # A township B activity is not offered, and posting its id changes nothing.
    response = client_for(world.staff_a).post(
        reverse("activities:plan_item", args=[roads.uuid]), {"activity": foreign.uuid}
    )
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.plan_item is None


def test_the_plan_exports_to_excel_with_its_figures(world, client_for):
    from datetime import date

    plan, roads, _study, _report = _plan(world)
    held_activity(world, world.township_a, date(2026, 5, 10), item=roads)
    response = client_for(world.staff_a).get(reverse("activities:plan_export", args=[plan.uuid]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    cells = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    flat = [str(value) for row in cells for value in row]
    assert "视察农村公路" in flat and "集中学习" in flat
    assert AuditEntry.objects.filter(event="export.activities.plan").exists()
    assert client_for(world.staff_b).get(reverse("activities:plan_export", args=[plan.uuid])).status_code == 404


def test_staff_create_a_plan_once_a_year_per_kind(world, client_for):
    client = client_for(world.staff_a)
    data = {"township": world.township_a.uuid, "year": 2026, "kind": "evaluation", "title": "评议计划", "text": ""}
    assert client.post(reverse("activities:plan_new"), data).status_code == 302
    again = client.post(reverse("activities:plan_new"), data)
    assert again.status_code == 200 and "评议计划" in again.content.decode()
    assert WorkPlan.objects.filter(township=world.township_a, kind="evaluation").count() == 1
    foreign = client.post(reverse("activities:plan_new"), {**data, "township": world.township_b.uuid})
    assert foreign.status_code == 200
    assert not WorkPlan.objects.filter(township=world.township_b).exists()
    assert timezone.localdate().year == 2026
