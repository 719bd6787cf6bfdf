"""The dashboards: three townships with a year of known records (tests/assessment/test_scoring.py)
read back as the per-township table, the heat map (on the scheme, and normalised without one), the
trends by month, the Excel files and the API; the scope; the queries do not grow with the records."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import python_calamine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.activities.models import Activity, ActivityType
from renda.assessment import selectors_dashboard as selectors
from renda.assessment.models import Scheme
from renda.casework.models import Case, CaseSource, CaseState
from tests import factories
from tests.assessment import records as known

YEAR = known.YEAR
TZ = ZoneInfo("Asia/Shanghai")
_numbers = iter(range(1, 10_000))


def held_activity(township, day: date, *, joint_with=()) -> Activity:
    number = next(_numbers)
    starts = datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ)
    activity = Activity.objects.create(
        county=township.county,
        township=None if joint_with else township,
        type=ActivityType.objects.filter(county=township.county, category="inspection").first(),
        category="inspection",
        title=f"{township.name}活动{number}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="会议室",
        organiser="主席团",
        state="held",
        signin_token=f"dashboard-{number}",
    )
    if joint_with:
        activity.townships.set([township, *joint_with])
    return activity


@pytest.fixture
def records(county):
    """Activities on top of the scoring fixture: 甲镇 two (Mar, Jun), one cancelled; a joint county
    activity in July with 甲镇 and 乙镇 taking part; one of 2024 that does not count."""
    a, b, c = county["a"], county["b"], county["c"]
    held_activity(a, date(YEAR, 3, 5))
    held_activity(a, date(YEAR, 6, 5))
    held_activity(a, date(YEAR - 1, 6, 5))
    cancelled = held_activity(a, date(YEAR, 8, 5))
    Activity.objects.unscoped().filter(pk=cancelled.pk).update(state="cancelled")
    held_activity(a, date(YEAR, 7, 7), joint_with=[b])
    # The answered cases were answered (the scoring helper leaves the day empty); 丙乡 has one case
    # still unanswered after its deadline.
    for case in Case.objects.unscoped().filter(township__in=[a, b]):
        Case.objects.unscoped().filter(pk=case.pk).update(answered_on=case.received_on + timedelta(days=55))
    Case.objects.create(
        county=c.county,
        township=c,
        reference="T-overdue",
        source=CaseSource.RECESS_SUGGESTION,
        title="路灯",
        content="路灯不亮",
        state=CaseState.ASSIGNED,
        received_on=date(YEAR, 3, 1),
        answer_due_on=date(YEAR, 4, 30),
    )
    return county


def _page(client, name, *args, year=YEAR):
    return client.get(f"{reverse(name, args=args)}?year={year}")


def _rows(response) -> dict[str, selectors.TownshipFigures]:
    return {row.township.name: row for row in response.context["result"].rows}


def test_the_county_sees_every_township_at_a_glance(client_for, world, records):
    response = _page(client_for(world.county_admin), "assessment:dashboard")
    assert response.status_code == 200
    rows = _rows(response)
    a, b, c = rows["甲镇"], rows["乙镇"], rows["丙乡"]
    # 甲镇: one serving deputy; 3 activities (2 of its own, 1 joint); 4 cases, all still open, 3 of 4
    # answered on time; 2 sessions and 1 presidium meeting; the score worked out in test_scoring.
    assert (a.deputies, a.activities, a.received, a.open, a.overdue) == (1, 3, 4, 4, 0)
    assert (str(a.on_time), a.satisfaction, a.sessions, a.presidium) == ("75.0", None, 2, 1)
    assert (str(a.total), a.score.grade) == ("62.5", "criticised")
    assert (b.activities, b.received, str(b.on_time), b.sessions, b.total) == (1, 2, "100.0", 1, 61)
    assert (c.deputies, c.activities, c.received, c.open, c.overdue) == (0, 0, 1, 1, 1)
    assert (c.on_time, c.sessions, c.total) == (None, 0, 46)
    body = response.content.decode()
    assert "75.0%" in body and "62.5" in body
    assert reverse("assessment:township_dashboard", args=[world.township_a.uuid]) in body


def test_trends_count_each_month(client_for, world, records):
    trends = _page(client_for(world.county_admin), "assessment:dashboard").context["result"].trends
    assert trends.months == list(range(1, 13))
    received = trends.series[0][1]
    answered = trends.series[1][1]
    activities = trends.series[2][1]
    receptions = trends.series[3][1]
    assert received[2] == 7 and sum(received) == 7  # 4 + 2 + 1 received on 1 March
    assert (answered[3], answered[4], sum(answered)) == (5, 1, 6)  # April: 3 + 2 on time; May: 1 late
    # The joint July activity counts once for the county.
    assert (activities[2], activities[5], activities[6], sum(activities)) == (1, 1, 1, 3)
    assert receptions == [1, 1, 2, 2, 2, 1, 0, 0, 1, 0, 0, 0]


def test_a_township_dashboard_has_its_own_trends_score_lines_and_links(client_for, world, records):
    response = _page(client_for(world.county_admin), "assessment:township_dashboard", world.township_b.uuid)
    assert response.status_code == 200
    row = response.context["row"]
    assert (row.township, row.activities, row.received, row.total) == (world.township_b, 1, 2, 61)
    trends = response.context["result"].trends
    assert trends.series[0][1][2] == 2 and trends.series[2][1][6] == 1
    assert trends.series[3][1] == [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    body = response.content.decode()
    assert "实地检查" in body and "26.0" in body
    assert f"{reverse('casework:list')}?township={world.township_b.uuid}" in body
    assert f"{reverse('meetings:list')}?township={world.township_b.uuid}" in body


def test_the_heat_map_on_the_scheme_shows_the_share_of_each_indicator(client_for, world, records):
    response = _page(client_for(world.county_admin), "assessment:dashboard_heat_map")
    heat = response.context["result"].heat_map
    assert not heat.normalised
    assert [c.label for c in heat.columns] == ["依法召开人代会", "建议按期答复", "接待选民日", "实地检查", "特色亮点"]
    shares = {township.name: [cell.percent for cell in cells] for township, cells in heat.rows}
    # Points / counted maximum, from the hand-worked scores of test_scoring.
    assert shares["甲镇"] == [100, 50, 100, 82, 60]
    assert shares["乙镇"] == [50, 100, 0, 87, 0]
    assert shares["丙乡"] == [10, 0, 100, 100, 100]
    a_cells = next(cells for township, cells in heat.rows if township.name == "甲镇")
    assert a_cells[1].text.startswith("75%") and "15.0" in a_cells[1].text
    assert a_cells[1].css == "bg-body-secondary" and a_cells[0].css == "bg-success-subtle"
    spread = {column.label: (column.lowest[0], column.highest[0]) for column in heat.columns}
    assert spread["接待选民日"][0] == "乙镇"  # 甲镇 and 丙乡 both earn all of it
    assert spread["依法召开人代会"] == ("丙乡", "甲镇")
    body = response.content.decode()
    assert 'id="heat-chart"' in body and 'id="heat-table"' in body and "bg-danger-subtle" in body
    assert "<script>" not in body and "style=" not in body


def test_without_a_scheme_the_heat_map_normalises_the_measures(client_for, world, records):
    Scheme.objects.unscoped().filter(pk=records["scheme"].pk).update(year=YEAR - 5)
    response = _page(client_for(world.county_admin), "assessment:dashboard_heat_map")
    heat = response.context["result"].heat_map
    assert heat.normalised
    codes = [column.code for column in heat.columns]
    sessions, reception, overdue = (
        codes.index(c) for c in ("meetings.sessions", "casework.reception", "casework.overdue")
    )
    by_name = {township.name: cells for township, cells in heat.rows}
    # Sessions: 丙乡 0 (lowest), 乙镇 1, 甲镇 2 (highest); reception days: 乙镇 2, 甲镇 3, 丙乡 5.
    assert [by_name[n][sessions].percent for n in ("甲镇", "乙镇", "丙乡")] == [100, 50, 0]
    assert [by_name[n][reception].percent for n in ("甲镇", "乙镇", "丙乡")] == [33, 0, 100]
    # Overdue cases, fewer being better: 丙乡's one is the worst; 丙乡 answered nothing: no figure.
    assert [by_name[n][overdue].percent for n in ("甲镇", "乙镇", "丙乡")] == [100, 100, 0]
    assert by_name["丙乡"][codes.index("casework.on_time")].share is None
    assert heat.columns[reception].lowest[0] == "乙镇" and heat.columns[reception].highest[0] == "丙乡"
    rows = _rows(_page(client_for(world.county_admin), "assessment:dashboard"))
    assert rows["甲镇"].total is None and "—" in rows["甲镇"].cells


def _workbook(response) -> list[list[list]]:
    """The sheets' rows (python-calamine, as the crawl reads Excel)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(body))
    return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]


def _cells(sheet) -> list[list]:
    return [list(row) for row in sheet]


def test_the_tables_export_to_excel_and_each_export_is_audited(client_for, world, records):
    client = client_for(world.county_admin)
    response = _page(client, "assessment:dashboard_export")
    assert response.status_code == 200
    book = _workbook(response)
    first = _cells(book[0])
    names = [line[0] for line in first]
    assert {"甲镇", "乙镇", "丙乡"} <= set(names)
    a_line = first[names.index("甲镇")]
    assert "75.0%" in a_line and "62.5" in a_line
    months = [line[0] for line in _cells(book[1])]
    assert any(str(m).startswith("3") for m in months if m)
    heat = _workbook(_page(client, "assessment:dashboard_heat_map_export"))
    assert {"甲镇", "乙镇", "丙乡"} <= {line[0] for line in _cells(heat[0])}
    township = _workbook(_page(client, "assessment:township_dashboard_export", world.township_a.uuid))
    assert "甲镇" in [line[0] for line in _cells(township[0])]
    assert "实地检查" in [line[0] for line in _cells(township[2])]
    events = set(AuditEntry.objects.filter(event__startswith="export.assessment").values_list("event", flat=True))
    assert events == {
        "export.assessment.dashboard",
        "export.assessment.heat_map",
        "export.assessment.township_dashboard",
    }


def test_the_api_gives_the_same_figures_with_the_same_scope(client_for, world, records):
    data = client_for(world.county_admin).get(f"/api/v1/dashboard?year={YEAR}").json()
    rows = {row["township_name"]: row for row in data["townships"]}
    assert (rows["甲镇"]["activities"], rows["甲镇"]["on_time_percent"], rows["甲镇"]["score"]) == (3, "75.0", "62.5")
    assert rows["乙镇"]["cases_received"] == 2
    heat = {row["township_name"]: [cell["share"] for cell in row["cells"]] for row in data["heat_map"]["rows"]}
    assert heat["丙乡"][0] == pytest.approx(0.1)
    assert data["trends"]["series"][0]["counts"][2] == 7
    own = client_for(world.staff_a).get(f"/api/v1/dashboard?year={YEAR}").json()
    assert [row["township_name"] for row in own["townships"]] == ["甲镇"]
    assert client_for(world.staff_a).get(f"/api/v1/dashboard?township={world.township_b.uuid}").status_code == 404
    assert (
        client_for(world.other_county_admin).get(f"/api/v1/dashboard?township={world.township_a.uuid}").status_code
        == 404
    )
    other = client_for(world.other_county_admin).get(f"/api/v1/dashboard?year={YEAR}").json()
    assert "甲镇" not in str(other)
    for username in ("deputy_a", "handler_x"):
        assert client_for(world.users[username]).get("/api/v1/dashboard").status_code == 403


def test_township_people_get_their_own_township_and_outsiders_nothing(client_for, world, records):
    a_page = reverse("assessment:township_dashboard", args=[world.township_a.uuid])
    response = _page(client_for(world.staff_a), "assessment:dashboard")
    assert response.status_code == 302 and response.url.startswith(a_page)
    assert _page(client_for(world.staff_a), "assessment:dashboard_heat_map").status_code == 302
    assert client_for(world.staff_a).get(a_page).status_code == 200
    assert client_for(world.staff_b).get(a_page).status_code == 404
    assert (
        client_for(world.staff_b)
        .get(reverse("assessment:township_dashboard_export", args=[world.township_a.uuid]))
        .status_code
        == 404
    )
    assert client_for(world.other_county_admin).get(a_page).status_code == 404
    for username in ("deputy_a", "handler_x"):
        client = client_for(world.users[username])
        assert client.get(a_page).status_code == 403
        assert client.get(reverse("assessment:dashboard")).status_code == 403
    # The other county's administrator sees their county: none of ours.
    body = _page(client_for(world.other_county_admin), "assessment:dashboard").content.decode()
    assert "甲镇" not in body and "丙乡" not in body


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("with_scheme", [True, False])
def test_queries_do_not_grow_with_townships_or_records(client_for, world, records, with_scheme):
    if not with_scheme:
        Scheme.objects.unscoped().filter(pk=records["scheme"].pk).update(year=YEAR - 5)
    client = client_for(world.county_admin)
    urls = [
        f"{reverse('assessment:dashboard')}?year={YEAR}",
        f"{reverse('assessment:dashboard_heat_map')}?year={YEAR}",
        f"{reverse('assessment:township_dashboard', args=[world.township_a.uuid])}?year={YEAR}",
    ]
    before = [_count(client, url) for url in urls]
    agency = world.agency_a
    for n in range(4):
        township = factories.TownshipFactory(county=world.county, name=f"新{n}镇")
        station = factories.StationFactory(township=township)
        factories.MandateFactory(person__township=township)
        known.session(township, date(YEAR, 2, 1 + n))
        known.answered_case(township, agency, on_time=bool(n % 2))
        known.reception(station, date(YEAR, 3, 1 + n))
        held_activity(township, date(YEAR, 4, 1 + n))
        known.answered_case(world.township_a, agency, on_time=True)
        held_activity(world.township_a, date(YEAR, 5, 1 + n))
    after = [_count(client, url) for url in urls]
    assert after == before
    assert max(after) <= 20, after
