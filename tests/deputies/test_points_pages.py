"""Points pages for people: no page answers 500 for any role with every kind of data present, a
board lists each person once per congress, and a deputy's page explains how each total is made."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from renda.deputies import contributions, services
from renda.deputies.models import (
    ContestStatus,
    DutyKind,
    DutyRecord,
    LiaisonAssignment,
    Mandate,
    MandateEvent,
    MandateEventKind,
    MandateLevel,
    PointContest,
    PointEntry,
    PointRule,
    VoterContact,
)
from renda.deputies.records import duty_kind_code
from tests import factories

TODAY = date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _frozen_today(monkeypatch):
    # The yearly base and the default board year depend on today.
    monkeypatch.setattr(services.timezone, "localdate", lambda *args: TODAY)


def _county_mandate(person) -> Mandate:
    """The same person also a deputy to the county congress."""
    return factories.MandateFactory(person=person, level=MandateLevel.COUNTY, term=None, starts_on=date(2021, 12, 20))


def _every_kind_of_record(world) -> None:
    """Records of every declared kind for both townships' deputies, then the ledger."""
    for mandate in (world.mandate_a, world.mandate_b):
        for index in range(3):
            VoterContact.objects.create(mandate=mandate, name=f"选民{index}", since=date(2024, 2 + index, 1))
        for kind in DutyKind:
            DutyRecord.objects.create(
                mandate=mandate, kind=kind, date=date(2024, 6, 1), title=f"{kind.label}", evidence="通知"
            )
        LiaisonAssignment.objects.create(
            township=mandate.person.township, leader_name="联系领导", mandate=mandate, since=date(2024, 1, 5)
        )
    MandateEvent.objects.create(mandate=world.mandate_b, kind=MandateEventKind.BY_ELECTION, date=date(2024, 3, 1))
    services.point_rules_initialise(county=world.county, actor=None)
    PointRule.objects.filter(county=world.county, kind="deputies.voter_contact").update(yearly_cap=Decimal(2))
    services.points_recompute(county=world.county, actor=None, today=TODAY)


def _contests_in_every_state(world) -> list[PointContest]:
    entries = list(PointEntry.objects.filter(mandate=world.mandate_a).exclude(kind=contributions.BASE_KIND)[:3])
    contests = [services.contest_create(entry=entry, reason="有误", actor=world.deputy_a) for entry in entries]
    services.contest_resolve(contest=contests[1], accept=True, corrected_points=Decimal(0), actor=world.staff_a)
    services.contest_resolve(contest=contests[2], accept=False, note="核实无误", actor=world.staff_a)
    assert sorted(c.status for c in PointContest.objects.all()) == sorted(ContestStatus.values)
    return contests


def test_no_points_page_answers_500_for_any_role(client, world):
    county_mandate = _county_mandate(world.person_a)
    _every_kind_of_record(world)
    contests = _contests_in_every_state(world)
    entry = PointEntry.objects.filter(mandate=world.mandate_a).first()
    duty = DutyRecord.objects.filter(mandate=world.mandate_a).first()
    boards = [
        {},
        {"level": "township"},
        {"level": "county"},
        {"level": "township", "quarter": "1"},
        {"level": "county", "quarter": "4", "year": "2024"},
        {"township": world.township_a.uuid},
        {"township": world.township_b.uuid, "level": "county"},
        {"group": world.group_a.uuid},
        {"year": "1999", "quarter": "7", "level": "national"},  # not understood: the defaults apply
    ]
    pages = [reverse("deputies:leaderboard") + "?" + "&".join(f"{k}={v}" for k, v in b.items()) for b in boards]
    pages += [
        reverse("deputies:rule_list"),
        reverse("deputies:rule_create"),
        reverse("deputies:rule_create") + "?kind=" + duty_kind_code(DutyKind.AWARD),
        reverse("deputies:rule_edit", args=[PointRule.objects.filter(county=world.county).first().uuid]),
        reverse("deputies:settings_edit"),
        reverse("deputies:contest_list"),
        *(reverse("deputies:contest_resolve", args=[c.uuid]) for c in contests),
        reverse("deputies:contest_create", args=[entry.uuid]),
        reverse("deputies:my_work"),
        reverse("deputies:duty_create", args=[world.mandate_a.uuid]),
        reverse("deputies:duty_edit", args=[duty.uuid]),
        reverse("deputies:township_duties", args=[world.township_a.uuid]),
        "/api/v1/points",
        "/api/v1/points?level=county&quarter=2",
        "/api/v1/deputies/counts",
    ]
    for mandate in (world.mandate_a, world.mandate_b, county_mandate):
        pages += [
            reverse("deputies:mandate_points", args=[mandate.uuid]),
            reverse("deputies:mandate_archive", args=[mandate.uuid]),
            reverse("deputies:duty_list", args=[mandate.uuid]),
            f"/api/v1/mandates/{mandate.uuid}/points",
            f"/api/v1/mandates/{mandate.uuid}/archive",
        ]
    answers = {}
    for username, user in world.users.items():
        client.force_login(user)
        for url in pages:
            answers[(username, url)] = client.get(url).status_code
    assert set(answers.values()) <= {200, 302, 403, 404}
    # The pages were really shown to the people they are for, data and all.
    for username in ("county_admin", "staff_a", "leader"):
        assert answers[(username, reverse("deputies:mandate_points", args=[world.mandate_a.uuid]))] == 200
        assert answers[(username, pages[0])] == 200
    assert answers[("deputy_a", reverse("deputies:my_work"))] == 200
    assert answers[("staff_a", reverse("deputies:contest_resolve", args=[contests[0].uuid]))] == 200
    assert answers[("staff_b", reverse("deputies:duty_list", args=[world.mandate_a.uuid]))] == 404


def _board_rows(client, **board) -> list[dict]:
    return client.get("/api/v1/points", board).json()["items"]


def test_a_deputy_of_two_congresses_is_once_on_each_board(client, world):
    county_mandate = _county_mandate(world.person_a)
    # Re-elected in the year: the old township mandate ended in June, a new one began the next day.
    services.mandate_event_record(
        mandate=world.mandate_a, kind=MandateEventKind.ENDED, date=date(2024, 7, 1), actor=world.staff_a
    )
    second_term = factories.MandateFactory(person=world.person_a, starts_on=date(2024, 7, 1))
    VoterContact.objects.create(mandate=world.mandate_a, name="甲", since=date(2024, 3, 1))
    VoterContact.objects.create(mandate=second_term, name="乙", since=date(2024, 8, 1))
    VoterContact.objects.create(mandate=county_mandate, name="丙", since=date(2024, 9, 1))
    services.point_rules_initialise(county=world.county, actor=None)
    services.points_recompute(county=world.county, actor=None, today=TODAY)

    client.force_login(world.county_admin)
    township_board = _board_rows(client, level="township", year=2024)
    county_board = _board_rows(client, level="county", year=2024)
    person_a = str(world.person_a.uuid)
    assert [row["person"] for row in township_board].count(person_a) == 1
    assert [row["person"] for row in county_board] == [person_a]
    # One yearly base per congress and year, however many mandates of it the year saw.
    township_row = next(row for row in township_board if row["person"] == person_a)
    assert Decimal(township_row["total"]) == 60 + 1 + 1
    assert township_row["mandate"] == str(second_term.uuid)
    assert Decimal(county_board[0]["total"]) == 60 + 1
    # The page board: a county administrator starts on the county congress's board, a township's
    # staff on their own township congress's, with their own township the only choice.
    body = client.get(reverse("deputies:leaderboard"), {"year": 2024}).content.decode()
    assert body.count(f'href="{reverse("deputies:mandate_points", args=[county_mandate.uuid])}"') == 1
    assert world.person_b.full_name not in body
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:leaderboard"), {"year": 2024}).content.decode()
    assert body.count(f'href="{reverse("deputies:mandate_points", args=[second_term.uuid])}"') == 1
    assert "---------" not in body and "全部乡镇" not in body
    assert '<label class="form-label small mb-0" for="id_level">人大</label>' in body


def _absences(mandates):
    # A stand-in for a meetings capability: a voter contact noted 缺席 is a meeting missed.
    for contact in VoterContact.objects.filter(mandate__in=mandates, note="缺席").order_by("since", "pk"):
        yield contributions.Contribution(
            mandate_id=contact.mandate_id, date=contact.since, source=contact, title="缺席"
        )


@pytest.fixture
def absence_kind():
    kind = contributions.register(
        contributions.RecordKind(
            code="tests.absence",
            label="Meeting missed",
            records=_absences,
            section="deputies.contact",
            default_points=Decimal(-2),
        )
    )
    yield kind
    contributions.unregister(kind.code)


def test_the_points_page_explains_each_total(client, world, absence_kind):
    for index in range(4):
        VoterContact.objects.create(mandate=world.mandate_a, name=f"选民{index}", since=date(2024, 1 + index, 1))
    VoterContact.objects.create(mandate=world.mandate_a, name="会", since=date(2024, 10, 1), note="缺席")
    DutyRecord.objects.create(
        mandate=world.mandate_a, kind=DutyKind.AWARD, date=date(2024, 5, 4), title="县优秀代表", evidence="县委文件"
    )
    services.point_rules_initialise(county=world.county, actor=None)
    # The note 缺席 makes that contact a voter contact too: five contacts, the cap counts three.
    PointRule.objects.filter(county=world.county, kind="deputies.voter_contact").update(yearly_cap=Decimal(3))
    services.points_recompute(county=world.county, actor=None, today=TODAY)
    client.force_login(world.deputy_a)
    body = client.get(reverse("deputies:mandate_points", args=[world.mandate_a.uuid])).content.decode()
    # 2024: base 60 + 3 of the 5 contacts' points + 3 for an award - 2 for a missed meeting.
    assert "现为 60 分" in body
    assert "合计 64.0" in body
    assert "超出年度上限 2.0 分未计" in body
    assert "获得表彰奖励" in body and "县优秀代表" in body
    assert "扣分" in body and "Meeting missed" in body
    assert body.count("合计 60.0") == 3  # 2021 (elected 20 December), 2022, 2023: the base alone
