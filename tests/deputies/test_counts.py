"""One count of serving deputies: people per congress. The same world gives the same numbers on
the home page, the roster, the composition and the API; a person without a mandate is findable."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from renda.deputies import selectors, services
from renda.deputies.models import MandateEventKind, MandateLevel, Person
from renda.organisations.selectors import home_overview
from tests import factories


def _world_of_both_congresses(world):
    """Township A: person_a of both congresses, one county deputy only, one person with no mandate;
    township B: person_b, and a deputy whose mandate ended."""
    factories.MandateFactory(person=world.person_a, level=MandateLevel.COUNTY, term=None)
    factories.MandateFactory(person__township=world.township_a, person__full_name="县代表", level=MandateLevel.COUNTY)
    factories.PersonFactory(township=world.township_a, full_name="无资格")
    ended = factories.MandateFactory(person__township=world.township_b, person__full_name="已离任")
    services.mandate_event_record(
        mandate=ended, kind=MandateEventKind.RESIGNED, date=date(2023, 5, 1), actor=world.staff_b
    )


def test_home_roster_composition_and_api_give_the_same_counts(client, world):
    _world_of_both_congresses(world)
    today = timezone.localdate()
    client.force_login(world.county_admin)

    totals = home_overview(world.county_admin)["totals"]
    assert (totals["deputies"], totals["township_deputies"], totals["county_deputies"]) == (3, 2, 2)
    home = client.get(reverse("home")).content.decode()
    assert "乡镇人大 2 · 县人大 2" in home

    assert "共 3 人。" in client.get(reverse("deputies:roster")).content.decode()
    assert selectors.roster(world.county_admin, today=today).count() == 3
    in_a = selectors.roster(world.county_admin, selectors.RosterFilters(township=world.township_a), today=today)
    by_township = {t.pk: t for t in home_overview(world.county_admin)["townships"]}
    assert in_a.count() == by_township[world.township_a.pk].deputy_count == 2

    township_rows, township_all, _measures = selectors.composition(world.county_admin, day=today)
    county_rows, county_all, _measures = selectors.composition(world.county_admin, day=today, level="county")
    assert (township_all["total"], township_all["county_residents"], county_all["total"]) == (2, 2, 2)
    assert {row["person__township__name"]: row["total"] for row in township_rows} == {"甲镇": 1, "乙镇": 1}
    assert {row["person__township__name"]: row["total"] for row in county_rows} == {"甲镇": 2}
    page = client.get(reverse("deputies:composition")).content.decode()
    assert "在任乡镇人大代表 2 名" in page and "县人大代表 2 名" in page

    counts = client.get("/api/v1/deputies/counts").json()
    assert counts["total"] == {
        "township": None,
        "township_name": "",
        "people": 3,
        "township_congress": 2,
        "county_congress": 2,
    }
    assert {row["township_name"]: row["people"] for row in counts["townships"]} == {"甲镇": 2, "乙镇": 1}
    assert client.get("/api/v1/deputies", {"as_of": today.isoformat()}).json()["count"] == 3

    # The same for township staff, within their township.
    client.force_login(world.staff_a)
    assert client.get("/api/v1/deputies/counts").json()["total"]["people"] == 2
    assert home_overview(world.staff_a)["totals"]["deputies"] == 2


def test_a_person_without_a_mandate_is_findable(client, world):
    _world_of_both_congresses(world)
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:roster"), {"status": "none"}).content.decode()
    assert "无资格" in body and "共 1 人无代表资格。" in body and world.person_a.full_name not in body
    assert "无资格" not in client.get(reverse("deputies:roster")).content.decode()

    person = Person.objects.get(full_name="无资格")
    data = {
        "township": world.township_a.pk,
        "full_name": "无资格",
        "gender": person.gender,
        "ethnicity": person.ethnicity or "汉族",
        "birth_date": "1975-03-01",
        "birth_date_precision": "month",
        "party": "masses",
        "education": "high_school",
        "occupation": "farmer",
        "workplace": "新单位",
    }
    response = client.post(reverse("deputies:person_edit", args=[person.uuid]), data, follow=True)
    assert response.redirect_chain and "在名册中只能用状态“无代表资格”查到" in response.content.decode()
    data["full_name"] = world.person_a.full_name
    response = client.post(reverse("deputies:person_edit", args=[world.person_a.uuid]), data, follow=True)
    assert response.redirect_chain and "无代表资格”查到" not in response.content.decode()
