"""Points: derived from records through declared kinds, exact after rule changes, caps, contests
that survive recomputation, leaderboards with a bounded number of queries."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.deputies import contributions, services
from renda.deputies.contributions import Contribution, RecordKind
from renda.deputies.models import ContestStatus, PointEntry, PointRule, VoterContact
from tests import factories

TODAY = date(2024, 12, 31)


def _inspections(mandates):
    # A stand-in for a later capability: every voter contact whose note says 视察 is an inspection attended.
    for contact in VoterContact.objects.unscoped().filter(mandate__in=mandates, note="视察").order_by("since", "pk"):
        yield Contribution(mandate_id=contact.mandate_id, date=contact.since, source=contact, title="视察")


@pytest.fixture(autouse=True)
def _frozen_today(monkeypatch):
    # A mocked clock: the yearly base depends on how many years of the term have begun.
    monkeypatch.setattr(services.timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def inspection_kind():
    kind = contributions.register(
        RecordKind(
            code="tests.inspection",
            label="Inspection",
            records=_inspections,
            section="deputies.contact",
            default_points=Decimal(3),
        )
    )
    yield kind
    contributions.unregister(kind.code)


def _contacts(mandate, count, *, note="", year=2024):
    for index in range(count):
        VoterContact.objects.create(
            mandate=mandate, name=f"选民{index}", since=date(year, 1 + index % 12, 1), note=note
        )


def _totals(county):
    rows = PointEntry.objects.filter(county=county).values_list("mandate_id", "points")
    result = {}
    for mandate_id, points in rows:
        result[mandate_id] = result.get(mandate_id, Decimal(0)) + points
    return result


def test_rule_change_recomputes_every_total_exactly(world, inspection_kind):
    county = world.county
    mandates = [world.mandate_a, world.mandate_b] + [
        factories.MandateFactory(person__township=world.township_a, starts_on=date(2024, 1, 1)) for _ in range(3)
    ]
    for index, mandate in enumerate(mandates):
        _contacts(mandate, index + 1)
        _contacts(mandate, index, note="视察")
    services.point_rules_initialise(county=county, actor=world.county_admin)
    assert PointRule.objects.get(county=county, kind="tests.inspection").amount == 3
    services.points_recompute(county=county, actor=world.county_admin, today=TODAY)

    rule = PointRule.objects.get(county=county, kind="tests.inspection")
    rule.amount = Decimal(5)
    services.point_rule_save(rule=rule, actor=world.county_admin, changed_fields=["amount"])
    after_change = _totals(county)
    # Every total is the yearly base(s) + 1 per contact + 5 per inspection.
    for index, mandate in enumerate(mandates):
        base_years = len(range(mandate.starts_on.year, TODAY.year + 1))
        expected = 60 * base_years + (index + 1) + index + 5 * index
        assert after_change[mandate.pk] == expected, mandate
    # The same as a computation from scratch.
    PointEntry.objects.all().delete()
    services.points_recompute(county=county, actor=world.county_admin, today=TODAY)
    assert _totals(county) == after_change
    # Every entry links to the record that earned it.
    entry = PointEntry.objects.filter(kind="tests.inspection").first()
    assert entry.source_type.get_object_for_this_type(uuid=entry.source_uuid).note == "视察"
    assert AuditEntry.objects.filter(event="deputies.point_rule.update").count() == 1
    assert AuditEntry.objects.filter(event="deputies.points.recompute").count() >= 3


def test_yearly_cap_clips_in_date_order(world, inspection_kind):
    county = world.county
    _contacts(world.mandate_a, 4, note="视察")
    services.point_rules_initialise(county=county, actor=None)
    PointRule.objects.filter(county=county, kind="tests.inspection").update(yearly_cap=Decimal(7))
    services.points_recompute(county=county, actor=None, today=TODAY)
    points = list(
        PointEntry.objects.filter(mandate=world.mandate_a, kind="tests.inspection")
        .order_by("date")
        .values_list("points", "capped")
    )
    assert points == [(3, False), (3, False), (1, True), (0, True)]


def test_accepted_contest_survives_recomputation(client, world, inspection_kind):
    county = world.county
    _contacts(world.mandate_a, 2, note="视察")
    services.point_rules_initialise(county=county, actor=None)
    services.points_recompute(county=county, actor=None)
    entry = PointEntry.objects.filter(mandate=world.mandate_a, kind="tests.inspection").first()

    client.force_login(world.deputy_b)
    assert client.post(reverse("deputies:contest_create", args=[entry.uuid]), {"reason": "x"}).status_code == 404
    client.force_login(world.deputy_a)
    response = client.post(reverse("deputies:contest_create", args=[entry.uuid]), {"reason": "我请假了，没有参加"})
    assert response.status_code == 302
    contest = world.mandate_a.contests.get()
    client.force_login(world.staff_b)
    assert (
        client.post(reverse("deputies:contest_resolve", args=[contest.uuid]), {"decision": "accept"}).status_code == 404
    )
    client.force_login(world.staff_a)
    response = client.post(
        reverse("deputies:contest_resolve", args=[contest.uuid]),
        {"decision": "accept", "corrected_points": "0", "note": "已核实"},
    )
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.status == ContestStatus.ACCEPTED
    rule = PointRule.objects.get(county=county, kind="tests.inspection")
    rule.amount = Decimal(4)
    services.point_rule_save(rule=rule, actor=world.county_admin, changed_fields=["amount"])
    points = sorted(
        PointEntry.objects.filter(mandate=world.mandate_a, kind="tests.inspection").values_list("points", flat=True)
    )
    assert points == [0, 4]
    assert AuditEntry.objects.filter(event="deputies.point_contest.accept").count() == 1


def test_rejected_contest_changes_nothing(world, inspection_kind):
    _contacts(world.mandate_a, 1, note="视察")
    services.point_rules_initialise(county=world.county, actor=None)
    services.points_recompute(county=world.county, actor=None)
    entry = PointEntry.objects.get(mandate=world.mandate_a, kind="tests.inspection")
    contest = services.contest_create(entry=entry, reason="不对", actor=world.deputy_a)
    with pytest.raises(services.DeputyError):
        services.contest_create(entry=entry, reason="再来", actor=world.deputy_a)
    services.contest_resolve(contest=contest, accept=False, note="核实无误", actor=world.staff_a)
    services.points_recompute(county=world.county, actor=None)
    assert PointEntry.objects.get(mandate=world.mandate_a, kind="tests.inspection").points == 3


def test_rules_are_set_by_the_county_only(client, world):
    services.point_rules_initialise(county=world.county, actor=None)
    rule = PointRule.objects.filter(county=world.county).first()
    for user in (world.staff_a, world.leader, world.deputy_a, world.other_county_admin):
        client.force_login(user)
        assert client.post(reverse("deputies:rule_edit", args=[rule.uuid]), {"amount": "9"}).status_code in {403, 404}
    client.force_login(world.staff_a)
    assert client.get(reverse("deputies:rule_list")).status_code == 200  # township staff read the rules
    client.force_login(world.county_admin)
    response = client.post(reverse("deputies:rule_edit", args=[rule.uuid]), {"amount": "9", "is_active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.amount == 9


def test_leaderboard_queries_do_not_grow_with_rows(client, world):
    services.points_recompute(county=world.county, actor=None)
    client.force_login(world.county_admin)
    url = reverse("deputies:leaderboard")
    board = {"level": "township", "township": world.township_a.uuid}
    with CaptureQueriesContext(connection) as before:
        assert client.get(url, board).status_code == 200
    for _ in range(15):
        factories.MandateFactory(person__township=world.township_a, group=world.group_a, starts_on=date(2024, 1, 1))
    services.points_recompute(county=world.county, actor=None)
    with CaptureQueriesContext(connection) as after:
        body = client.get(url, board).content.decode()
    assert len(after) == len(before)
    assert world.person_a.full_name in body and world.person_b.full_name not in body
    client.force_login(world.staff_a)
    body = client.get(url, {"quarter": "1"}).content.decode()
    assert world.person_b.full_name not in body


def test_a_deputys_points_page_lists_every_entry_with_its_kind_for_everyone_who_may_see_it(client, world):
    """Reached from every leaderboard name and from a deputy's own page; it answered 500 once a
    mandate had entries, because the template and the view disagreed on the rows' shape."""
    _contacts(world.mandate_a, 1)
    services.point_rules_initialise(county=world.county, actor=None)
    services.points_recompute(county=world.county, actor=None, today=TODAY)
    assert PointEntry.objects.filter(mandate=world.mandate_a, kind=contributions.BASE_KIND).exists()
    url = reverse("deputies:mandate_points", args=[world.mandate_a.uuid])
    for username in ("county_admin", "leader", "staff_a", "deputy_a"):
        client.force_login(world.users[username])
        response = client.get(url)
        assert response.status_code == 200, username
        body = response.content.decode()
        assert "年度基础分" in body and "联系选民" in body, username
    for username in ("staff_b", "deputy_b", "handler_x", "other_county_admin"):
        client.force_login(world.users[username])
        assert client.get(url).status_code == 404, username


def test_a_voter_contact_recorded_by_staff_scores_at_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contact = services.voter_contact_save(
            contact=VoterContact(mandate=world.mandate_a, name="选民甲", since=date(2024, 5, 1)), actor=world.staff_a
        )
    entry = PointEntry.objects.get(kind="deputies.voter_contact")
    assert (entry.mandate, entry.points, entry.source_uuid) == (world.mandate_a, 1, contact.uuid)
    # The same mandate's other entries (its yearly base) were brought up to date with it; nothing
    # of another deputy was touched.
    assert PointEntry.objects.filter(mandate=world.mandate_a, kind=contributions.BASE_KIND).exists()
    assert not PointEntry.objects.filter(mandate=world.mandate_b).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.voter_contact_remove(contact=contact, actor=world.staff_a)
    assert not PointEntry.objects.filter(kind="deputies.voter_contact").exists()


def test_the_boards_totals_are_the_years_points_only(world, inspection_kind):
    """Each mandate's points of the year are summed before the person's total: the entries of other
    years (the ledger keeps every year) count on their own year's board only."""
    from django.db.models import Sum

    from renda.deputies import selectors

    services.point_rules_initialise(county=world.county, actor=None)
    services.points_recompute(county=world.county, actor=None, today=TODAY)
    year = TODAY.year
    entries = PointEntry.objects.filter(mandate__person=world.person_a, mandate__level=world.mandate_a.level)
    expected = entries.filter(year=year).aggregate(total=Sum("points"))["total"]
    assert expected
    earlier = entries.filter(year=year).first()
    earlier.pk, earlier.uuid, earlier.year, earlier.points = None, uuid.uuid4(), year - 1, Decimal(40)
    earlier.save()
    board = {p.pk: p.total for p in selectors.leaderboard(world.county_admin, year=year, level=world.mandate_a.level)}
    assert board[world.person_a.pk] == expected
    last_year = selectors.leaderboard(world.county_admin, year=year - 1, level=world.mandate_a.level)
    earned = entries.filter(year=year - 1).aggregate(total=Sum("points"))["total"]
    assert {p.pk: p.total for p in last_year}[world.person_a.pk] == earned != board[world.person_a.pk]
