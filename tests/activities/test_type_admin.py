"""The county's activity types: the county administrator lists, adds, renames, retires, offers
again and reorders them (audited); names are unique per county; staff see no link."""

import pytest
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.activities.models import ActivityType
from renda.activities.types import DEFAULT_TYPES

pytestmark = pytest.mark.django_db


def _names(world):
    return list(ActivityType.objects.filter(county=world.county).order_by("order", "id").values_list("name", flat=True))


def test_the_county_administrator_adds_renames_retires_and_offers_a_type_again(client_for, world):
    client = client_for(world.county_admin)
    home = client.get(reverse("home")).content.decode()
    assert reverse("activities:types") in home
    page = client.get(reverse("activities:types")).content.decode()
    assert all(name in page for name, _ in DEFAULT_TYPES)
    response = client.post(reverse("activities:types"), {"name": "环境保护专题视察", "category": "inspection"})
    assert response.status_code == 302
    added = ActivityType.objects.get(county=world.county, name="环境保护专题视察")
    assert added.category == "inspection" and _names(world)[-1] == "环境保护专题视察"

    client.post(reverse("activities:type_edit", args=[added.uuid]), {"name": "生态环境专题视察", "offered": "on"})
    added.refresh_from_db()
    assert added.name == "生态环境专题视察" and added.active
    client.post(reverse("activities:type_edit", args=[added.uuid]), {"name": "生态环境专题视察"})
    added.refresh_from_db()
    assert not added.active
    assert "已停用" in client.get(reverse("activities:types")).content.decode()
    client.post(reverse("activities:type_edit", args=[added.uuid]), {"name": "生态环境专题视察", "offered": "on"})
    added.refresh_from_db()
    assert added.active
    events = list(AuditEntry.objects.filter(event__startswith="activities.type.").values_list("event", flat=True))
    assert sorted(events) == sorted(
        ["activities.type.add", "activities.type.rename", "activities.type.retire", "activities.type.offer"]
    )


def test_a_name_is_unique_in_the_county_and_the_form_keeps_what_was_typed(client_for, world):
    client = client_for(world.county_admin)
    response = client.post(reverse("activities:types"), {"name": "视察", "category": "study"})
    body = response.content.decode()
    assert response.status_code == 200 and "本县已有同名活动类型。" in body
    assert ActivityType.objects.filter(county=world.county, name="视察").count() == 1
    kind = ActivityType.objects.get(county=world.county, name="调研")
    response = client.post(reverse("activities:type_edit", args=[kind.uuid]), {"name": "视察", "offered": "on"})
    assert response.status_code == 200 and 'value="视察"' in response.content.decode()
    kind.refresh_from_db()
    assert kind.name == "调研"
    # The neighbouring county may have a type of the same name.
    other = client_for(world.other_county_admin)
    other.post(reverse("activities:types"), {"name": "环保视察", "category": "inspection"})
    client = client_for(world.county_admin)
    client.post(reverse("activities:types"), {"name": "环保视察", "category": "inspection"})
    assert ActivityType.objects.filter(name="环保视察").count() == 2


def test_types_move_up_and_down(client_for, world):
    client = client_for(world.county_admin)
    before = _names(world)
    second = ActivityType.objects.get(county=world.county, name=before[1])
    client.post(reverse("activities:type_move", args=[second.uuid]), {"direction": "up"})
    assert _names(world)[:2] == [before[1], before[0]]
    client.post(reverse("activities:type_move", args=[second.uuid]), {"direction": "down"})
    assert _names(world) == before
    assert AuditEntry.objects.filter(event="activities.type.move").count() == 2


@pytest.mark.parametrize("username", ["staff_a", "deputy_a", "leader"])
def test_others_see_no_link_and_may_not_manage_types(client_for, world, username):
    client = client_for(world.users[username])
    assert reverse("activities:types") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("activities:types")).status_code in (403, 404)
    kind = ActivityType.objects.filter(county=world.county).first()
    assert client.post(reverse("activities:type_edit", args=[kind.uuid]), {"name": "改名"}).status_code in (403, 404)
    assert ActivityType.objects.filter(name="改名").count() == 0


def test_another_county_administrator_gets_404_on_this_countys_types(client_for, world):
    client_for(world.county_admin).post(
        reverse("activities:types"), {"name": "示范县特色视察", "category": "inspection"}
    )
    kind = ActivityType.objects.get(county=world.county, name="示范县特色视察")
    client = client_for(world.other_county_admin)
    assert client.get(reverse("activities:type_edit", args=[kind.uuid])).status_code == 404
    assert client.post(reverse("activities:type_move", args=[kind.uuid]), {"direction": "down"}).status_code == 404
    assert "示范县特色视察" not in client.get(reverse("activities:types")).content.decode()
