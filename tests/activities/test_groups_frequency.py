"""Deputy groups' frequency: the group activities each group held per quarter; a group below the
set minimum in a past or the current quarter is silent (red), a quarter still ahead is not judged;
the staff's home card lists this quarter's silent groups; the county view counts them per township."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from renda.activities import selectors_groups
from renda.organisations.models import DeputyGroup

from .test_plan_progress import held_activity

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 8, 10)  # the third quarter


@pytest.fixture(autouse=True)
def _on_a_fixed_day(time_machine, settings):
    time_machine.move_to(datetime(2026, 8, 10, 10, 0, tzinfo=TZ), tick=True)
    settings.RENDA_GROUP_ACTIVITIES_PER_QUARTER = 1


def _group_activity(world, group, day, state="held"):
    return held_activity(world, group.township, day, category="group", group=group, state=state)


def test_quarters_below_the_minimum_are_silent_up_to_the_current_one(world, settings):
    _group_activity(world, world.group_a, date(2026, 2, 1))
    _group_activity(world, world.group_a, date(2026, 5, 1), state="cancelled")
    _group_activity(world, world.group_a, date(2026, 11, 1), state="planned")
    (row,) = selectors_groups.groups_year(DeputyGroup.objects.filter(pk=world.group_a.pk), 2026, TODAY)
    assert [q.held for q in row.quarters] == [1, 0, 0, 0]
    assert [q.silent for q in row.quarters] == [False, True, True, False]  # Q4 is still ahead
    settings.RENDA_GROUP_ACTIVITIES_PER_QUARTER = 2
    (row,) = selectors_groups.groups_year(DeputyGroup.objects.filter(pk=world.group_a.pk), 2026, TODAY)
    assert row.quarters[0].silent
    (next_year,) = selectors_groups.groups_year(DeputyGroup.objects.filter(pk=world.group_a.pk), 2027, TODAY)
    assert not any(q.silent for q in next_year.quarters)


def test_the_home_card_lists_this_quarters_silent_groups(world, client_for):
    _group_activity(world, world.group_b, date(2026, 7, 20))
    home = client_for(world.staff_a).get(reverse("home")).content.decode()
    assert world.group_a.name in home and 'id="silent-groups"' in home
    county = client_for(world.county_admin).get(reverse("home")).content.decode()
    assert world.group_a.name in county and "乙镇第一代表小组" not in county
    _group_activity(world, world.group_a, date(2026, 8, 1))
    assert 'id="silent-groups"' not in client_for(world.staff_a).get(reverse("home")).content.decode()
    assert 'id="silent-groups"' not in client_for(world.deputy_a).get(reverse("home")).content.decode()


def test_the_pages_show_groups_per_quarter_and_townships_per_county(world, client_for):
    _group_activity(world, world.group_a, date(2026, 7, 20))
    url = reverse("activities:groups_township", args=[world.township_a.uuid])
    page = client_for(world.staff_a).get(url, {"year": 2026})
    text = page.content.decode()
    assert page.status_code == 200 and world.group_a.name in text
    assert text.count('data-silent="1"') == 2  # Q1 and Q2
    county = client_for(world.county_admin).get(reverse("activities:groups"), {"year": 2026}).content.decode()
    assert "甲镇" in county and "乙镇" in county and "table-danger" in county
    for outsider in (world.staff_b, world.other_county_admin):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(world.deputy_a).get(url).status_code == 403
    own = client_for(world.staff_b).get(reverse("activities:groups")).content.decode()
    assert "乙镇" in own and "甲镇" not in own
