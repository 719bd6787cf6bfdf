"""A plan is approved at a held presidium meeting of its township (the approval date is the
meeting's); its text and items are then frozen, while activities still count towards its items;
"revise" returns it to draft, audited."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.activities import services_plans
from renda.meetings import services as meetings
from renda.meetings.models import Meeting

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _on_a_fixed_day(time_machine):
    time_machine.move_to(datetime(2026, 11, 2, 10, 0, tzinfo=TZ), tick=True)


def _meeting(world, township, kind="presidium", state="closed", day=date(2026, 1, 15)):
    starts = datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ)
    meeting = meetings.plan_meeting(None, township=township, kind=kind, starts_at=starts, ends_on=day)
    Meeting.objects.filter(pk=meeting.pk).update(state=state)
    meeting.refresh_from_db()
    return meeting


def _plan(world):
    plan = services_plans.create_plan(world.township_a, world.staff_a, year=2026, kind="activity", title="代表活动计划")
    item = services_plans.add_item(plan, world.staff_a, title="视察", category="inspection", target_count=1)
    plan.refresh_from_db()
    return plan, item


def test_approval_takes_the_presidium_meetings_date_and_freezes_the_plan(world):
    plan, item = _plan(world)
    meeting = _meeting(world, world.township_a)
    plan = services_plans.approve_plan(plan, world.staff_a, expected_version=plan.version, meeting=meeting)
    assert (plan.state, plan.approved_on, plan.approved_at) == ("approved", date(2026, 1, 15), meeting)
    with pytest.raises(ValidationError):
        services_plans.update_plan(plan, world.staff_a, expected_version=plan.version, title="改", text="改")
    with pytest.raises(ValidationError):
        services_plans.add_item(plan, world.staff_a, title="新增", target_count=1)
    with pytest.raises(ValidationError):
        services_plans.remove_item(item, world.staff_a)

    plan = services_plans.revise_plan(plan, world.staff_a, expected_version=plan.version, reason="调整视察安排")
    assert (plan.state, plan.approved_on, plan.approved_at) == ("draft", None, None)
    entry = AuditEntry.objects.get(event="activities.plan.revise")
    assert entry.data["reason"] == "调整视察安排"
    services_plans.update_plan(
        plan, world.staff_a, expected_version=plan.version, title="代表活动计划（修订）", text=""
    )


def test_only_a_held_presidium_meeting_of_the_township_approves(world):
    plan, _item = _plan(world)
    for meeting in (
        _meeting(world, world.township_a, state="planned"),
        _meeting(world, world.township_a, kind="session", day=date(2026, 2, 1)),
        _meeting(world, world.township_b, day=date(2026, 2, 2)),
    ):
        with pytest.raises(ValidationError) as refusal:
            services_plans.approve_plan(plan, world.staff_a, expected_version=plan.version, meeting=meeting)
        assert "meeting" in refusal.value.message_dict


def test_the_approval_page_offers_the_townships_held_presidium_meetings(world, client_for):
    plan, _item = _plan(world)
    held = _meeting(world, world.township_a)
    _meeting(world, world.township_b, day=date(2026, 2, 2))
    client = client_for(world.staff_a)
    url = reverse("activities:plan_approve", args=[plan.uuid])
    page = client.get(url)
    assert page.status_code == 200
    assert held.name in page.content.decode() and "乙镇" not in page.content.decode()
    stale = client.post(url, {"meeting": held.uuid, "version": plan.version + 5})
    assert stale.status_code == 200
    assert client.post(url, {"meeting": held.uuid, "version": plan.version}).status_code == 302
    detail = client.get(reverse("activities:plan_detail", args=[plan.uuid])).content.decode()
    assert "2026-01-15" in detail and reverse("activities:plan_revise", args=[plan.uuid]) in detail
    for outsider in (world.staff_b, world.other_county_admin):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(world.leader).get(url).status_code == 404


def test_bad_item_input_is_kept_with_a_message(world, client_for):
    plan, _item = _plan(world)
    page = client_for(world.staff_a).post(
        reverse("activities:plan_item_add", args=[plan.uuid]),
        {"title": "走访选民", "target_count": "0", "due_month": "13"},
    )
    assert page.status_code == 200
    assert "走访选民" in page.content.decode()
    assert plan.items.count() == 1
