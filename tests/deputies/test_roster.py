"""The roster: dated status events, the roster as of any date, filters, detail page and edits."""

import re
from datetime import date

import pytest
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.deputies import selectors, services
from renda.deputies.models import Mandate, MandateEventKind, MandateLevel, MandateStatus, Person
from tests import factories


def _new_mandate(world, name, *, start, kind=MandateEventKind.ELECTED, **extra):
    person = factories.PersonFactory(township=world.township_a, full_name=name)
    mandate = Mandate(person=person, term=world.mandate_a.term, level=MandateLevel.TOWNSHIP, **extra)
    return services.mandate_create(mandate=mandate, starts_on=start, start_kind=kind, actor=world.staff_a)


def test_roster_as_of_a_past_date_differs_after_by_elections_and_resignations(world):
    resigned = _new_mandate(world, "李辞职", start=date(2021, 12, 20))
    moved = _new_mandate(world, "王迁出", start=date(2021, 12, 20))
    services.mandate_event_record(
        mandate=resigned,
        kind=MandateEventKind.RESIGNED,
        date=date(2023, 5, 10),
        document_number="湖人〔2023〕3号",
        actor=world.staff_a,
    )
    services.mandate_event_record(
        mandate=moved, kind=MandateEventKind.MOVED_AWAY, date=date(2024, 2, 1), actor=world.staff_a
    )
    by_elected = _new_mandate(world, "赵补选", start=date(2023, 9, 1), kind=MandateEventKind.BY_ELECTION)

    def names(day):
        return set(selectors.roster_as_of(world.staff_a, day).values_list("person__full_name", flat=True))

    original = world.person_a.full_name
    assert names(date(2023, 1, 1)) == {original, "李辞职", "王迁出"}
    # On the day of the resignation the deputy is off the roster; the by-election fills the seat later.
    assert names(date(2023, 5, 10)) == {original, "王迁出"}
    assert names(date(2023, 9, 1)) == {original, "王迁出", "赵补选"}
    today = names(date(2025, 1, 1))
    assert today == {original, "赵补选"}
    assert names(date(2023, 1, 1)) != today
    resigned.refresh_from_db()
    assert (resigned.starts_on, resigned.ends_on, resigned.status) == (
        date(2021, 12, 20),
        date(2023, 5, 10),
        MandateStatus.ENDED,
    )
    assert by_elected.events.get().kind == MandateEventKind.BY_ELECTION
    # Township B's staff see none of it.
    assert (
        not selectors.roster_as_of(world.staff_b, date(2023, 1, 1)).filter(person__township=world.township_a).exists()
    )


def test_events_are_checked_and_audited(world):
    mandate = _new_mandate(world, "钱某", start=date(2022, 1, 1))
    with pytest.raises(services.DeputyError):
        services.mandate_event_record(
            mandate=mandate, kind=MandateEventKind.RESIGNED, date=date(2021, 1, 1), actor=world.staff_a
        )
    services.mandate_event_record(
        mandate=mandate, kind=MandateEventKind.RECALLED, date=date(2023, 1, 1), actor=world.staff_a
    )
    with pytest.raises(services.DeputyError):
        services.mandate_event_record(
            mandate=mandate, kind=MandateEventKind.ENDED, date=date(2024, 1, 1), actor=world.staff_a
        )
    assert AuditEntry.objects.filter(event="deputies.mandate_event.create", target_id=str(mandate.uuid)).count() == 1


def test_roster_page_as_of_and_filters(client, world):
    gone = _new_mandate(world, "孙离任", start=date(2021, 12, 20), group=world.group_a)
    services.mandate_event_record(
        mandate=gone, kind=MandateEventKind.RESIGNED, date=date(2023, 5, 10), actor=world.staff_a
    )
    woman = _new_mandate(world, "周女士", start=date(2021, 12, 20), is_technical=True)
    woman.person.gender = "female"
    woman.person.save()
    client.force_login(world.staff_a)
    url = reverse("deputies:roster")
    now = client.get(url).content.decode()
    assert "孙离任" not in now and "周女士" in now and world.person_a.full_name in now
    past = client.get(url, {"as_of": "2023-01-01"}).content.decode()
    assert "孙离任" in past
    ended = client.get(url, {"status": "ended"}).content.decode()
    assert "孙离任" in ended and "周女士" not in ended
    # The status is read as of the chosen date, never ignored: on 2023-01-01 nobody had left yet.
    assert "孙离任" not in client.get(url, {"as_of": "2023-01-01", "status": "ended"}).content.decode()
    ended_by_then = client.get(url, {"as_of": "2023-06-01", "status": "ended"}).content.decode()
    assert "孙离任" in ended_by_then and "周女士" not in ended_by_then
    everyone = client.get(url, {"as_of": "2023-06-01", "status": "all"}).content.decode()
    assert "孙离任" in everyone and "周女士" in everyone
    women = client.get(url, {"composition": "women"}).content.decode()
    assert "周女士" in women and world.person_a.full_name not in women
    technical = client.get(url, {"composition": "technical"}).content.decode()
    assert "周女士" in technical and world.person_a.full_name not in technical
    grouped = client.get(url, {"group": world.group_a.uuid}).content.decode()
    assert world.person_a.full_name in grouped and "周女士" not in grouped
    # An outsider's filter on township A shows nothing of it.
    client.force_login(world.staff_b)
    body = client.get(url, {"township": world.township_a.uuid}).content.decode()
    assert world.person_a.full_name not in body


def test_detail_page_masks_contact_and_outsider_gets_404(client, world):
    world.person_a.address = "浙江省衢州市龙游县甲镇东村12号"
    world.person_a.save()
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:person_detail", args=[world.person_a.uuid])).content.decode()
    assert "东村12号" not in body and "甲镇****" in body
    assert "11010519491231002X" not in body
    client.force_login(world.staff_b)
    assert client.get(reverse("deputies:person_detail", args=[world.person_a.uuid])).status_code == 404


def test_staff_create_a_deputy_with_a_mandate(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("deputies:person_create"),
        {
            "township": world.township_a.pk,
            "full_name": "单 雄信",
            "gender": "male",
            "ethnicity": "畲族",
            "birth_date": "1975-03-01",
            "birth_date_precision": "month",
            "party": "masses",
            "education": "high_school",
            "occupation": "farmer",
            "phone": "13800138000",
            "id_number": factories.valid_id_number(999),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(full_name="单雄信")
    assert (person.name_pinyin, person.name_initials, person.is_minority) == ("shanxiongxin", "sxx", True)
    response = client.post(
        reverse("deputies:mandate_create", args=[person.uuid]),
        {
            "term": world.mandate_a.term.pk,
            "level": "township",
            "deputy_number": "12099",
            "group": world.group_a.pk,
            "starts_on": "2023-09-01",
            "start_kind": "by_election",
            "is_worker_farmer": "on",
        },
    )
    assert response.status_code == 302
    mandate = person.mandates.get()
    assert mandate.starts_on == date(2023, 9, 1) and mandate.events.get().kind == "by_election"
    # A duplicate ID number is refused.
    response = client.post(
        reverse("deputies:person_create"),
        {
            "township": world.township_a.pk,
            "full_name": "重复",
            "gender": "male",
            "ethnicity": "汉族",
            "birth_date_precision": "day",
            "id_number": factories.valid_id_number(999),
        },
    )
    assert response.status_code == 200 and Person.objects.filter(full_name="重复").count() == 0


def test_outsiders_cannot_edit(client, world):
    for user in (world.staff_b, world.leader, world.deputy_a):
        client.force_login(user)
        assert client.post(
            reverse("deputies:person_edit", args=[world.person_a.uuid]), {"full_name": "改"}
        ).status_code in {403, 404}
    world.person_a.refresh_from_db()
    assert world.person_a.full_name != "改"


def test_group_and_station_members(client, world):
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:group_members", args=[world.group_a.uuid])).content.decode()
    assert world.person_a.full_name in body
    body = client.get(reverse("deputies:station_members", args=[world.station_a.uuid])).content.decode()
    assert world.person_a.full_name in body
    client.force_login(world.staff_b)
    assert client.get(reverse("deputies:group_members", args=[world.group_a.uuid])).status_code == 404


def test_the_county_rosters_groups_and_stations_are_offered_for_the_chosen_township(client, world):
    """A county holds a thousand groups and stations: the filter offers the chosen township's (its
    staff's own township at once), never the whole county's; a link naming a group still filters."""
    url = reverse("deputies:roster")

    def offered(body: str, name: str) -> list[str]:
        select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
        return re.findall(r'<option value="([^"]+)"', select)

    client.force_login(world.county_admin)
    county = client.get(url).content.decode()
    assert offered(county, "group") == [] and offered(county, "station") == []
    chosen = client.get(url, {"township": world.township_a.uuid}).content.decode()
    assert offered(chosen, "group") == [str(world.group_a.uuid)]
    assert offered(chosen, "station") == [str(world.station_a.uuid)]
    linked = client.get(url, {"group": world.group_b.uuid}).content.decode()
    assert offered(linked, "group") == [str(world.group_b.uuid)]
    assert "钱乙" in linked and world.person_a.full_name not in linked
    client.force_login(world.staff_a)
    own = client.get(url).content.decode()
    assert offered(own, "group") == [str(world.group_a.uuid)]
