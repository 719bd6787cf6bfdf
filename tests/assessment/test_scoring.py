"""A scheme of computed and entered indicators scored for three townships, checked against figures
worked out by hand; a changed record moves the score it feeds, a published score does not move."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from renda.assessment import scoring, services
from renda.assessment.models import Formula, IndicatorKind, Result
from renda.casework.models import Case, CaseReply, CaseSource, CaseState, ReceptionDay, ReceptionState
from renda.core.periods import Period
from renda.meetings.models import Meeting, MeetingKind, MeetingState
from tests import factories

YEAR = 2025
PERIOD = Period.year(YEAR)
D = Decimal


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


_numbers = iter(range(1, 10_000))


def session(township, day: date, state=MeetingState.CLOSED, kind=MeetingKind.SESSION) -> Meeting:
    term = factories.TermFactory(township=township)
    return Meeting.objects.create(
        county=township.county,
        township=township,
        term=term,
        number=next(_numbers),
        kind=kind,
        title="会议",
        starts_at=_at(day),
        ends_on=day,
        state=state,
        signin_token=f"{township.pk}-{day}-{kind}-{state}",
    )


_references = iter(range(1, 10_000))


def answered_case(township, agency, *, on_time: bool, received: date = date(YEAR, 3, 1)) -> Case:
    case = Case.objects.create(
        county=township.county,
        township=township,
        reference=f"T{next(_references)}",
        source=CaseSource.RECESS_SUGGESTION,
        title="道路维修",
        content="村道破损",
        state=CaseState.ANSWERED,
        received_on=received,
        answer_due_on=received + timedelta(days=60),
    )
    due = received + timedelta(days=60)
    CaseReply.objects.create(
        case=case,
        round=0,
        agency=agency,
        reply_class="A",
        consultation="meeting",
        signer="张三",
        answered_at=_at(due - timedelta(days=5) if on_time else due + timedelta(days=5)),
        due_on=due,
    )
    return case


def reception(station, day: date, state=ReceptionState.HELD) -> ReceptionDay:
    return ReceptionDay.objects.create(station=station, date=day, notice_on=day - timedelta(days=3), state=state)


@pytest.fixture
def county(world):
    """Three townships of the world's county with a year of records (2025) and a scheme for it."""
    c = factories.TownshipFactory(county=world.county, name="丙乡")
    stations = {t: factories.StationFactory(township=t) for t in (world.township_a, world.township_b, c)}
    agency = world.agency_a
    a, b = world.township_a, world.township_b
    # A: two sessions (one more in 2024 and a cancelled one do not count); 3 of 4 answers on time;
    # three reception days.
    session(a, date(YEAR, 1, 10))
    session(a, date(YEAR, 12, 20))
    session(a, date(YEAR - 1, 12, 20))
    session(a, date(YEAR, 6, 1), state=MeetingState.CANCELLED)
    session(a, date(YEAR, 2, 1), kind=MeetingKind.PRESIDIUM)
    for on_time in (True, True, True, False):
        answered_case(a, agency, on_time=on_time)
    for month in (3, 6, 9):
        reception(stations[a], date(YEAR, month, 9))
    # B: one session; both answers on time; two reception days held, one cancelled.
    session(b, date(YEAR, 1, 12))
    b_cases = [answered_case(b, agency, on_time=True) for _ in range(2)]
    reception(stations[b], date(YEAR, 4, 9))
    reception(stations[b], date(YEAR, 5, 9))
    reception(stations[b], date(YEAR, 7, 9), state=ReceptionState.CANCELLED)
    # C: no session, no case; five reception days.
    for month in (1, 2, 3, 4, 5):
        reception(stations[c], date(YEAR, month, 19))

    admin = world.county_admin
    scheme = services.create_scheme(world.county, admin, year=YEAR, title="2025年度乡镇人大工作考核")
    duty = services.add_section(scheme, admin, name="依法履职", order=1)
    own = services.add_section(scheme, admin, name="特色工作", order=2)
    computed = {"kind": IndicatorKind.COMPUTED, "formula": Formula.LINEAR}
    ind = {
        "sessions": services.add_indicator(
            duty,
            admin,
            name="依法召开人代会",
            max_score=D(10),
            measure="meetings.sessions",
            full_at=D(2),
            zero_at=D(0),
            order=1,
            **computed,
        ),
        "on_time": services.add_indicator(
            duty,
            admin,
            name="建议按期答复",
            max_score=D(20),
            weight=D("1.5"),
            measure="casework.on_time",
            full_at=D(100),
            zero_at=D(50),
            order=2,
            **computed,
        ),
        "reception": services.add_indicator(
            duty,
            admin,
            name="接待选民日",
            max_score=D(10),
            kind=IndicatorKind.COMPUTED,
            formula=Formula.STEP,
            measure="casework.reception",
            full_at=D(3),
            order=3,
        ),
        "field": services.add_indicator(
            own, admin, name="实地检查", max_score=D(30), kind=IndicatorKind.ENTERED, order=1
        ),
        "innovation": services.add_indicator(
            own, admin, name="特色亮点", max_score=D(5), kind=IndicatorKind.ENTERED, is_bonus=True, order=2
        ),
    }
    services.enter_score(ind["field"], a, admin, points=D("24.5"), evidence="台账齐全，阵地建设规范")
    services.enter_score(ind["field"], b, admin, points=D(28), evidence="台账齐全")
    services.enter_score(ind["field"], c, admin, points=D(30), evidence="全部达标")
    services.enter_score(ind["innovation"], a, admin, points=D(3), evidence="“代表接待日+”做法被市人大推广")
    services.enter_score(ind["innovation"], c, admin, points=D(5), evidence="一镇一特色：智慧联络站")
    services.adjust(ind["field"], b, admin, points=D(-2), reason="检查发现两名代表履职档案缺失")
    services.adjust(ind["sessions"], c, admin, points=D(1), reason="因撤乡并镇延期召开，经县人大同意")
    return {"scheme": scheme, "ind": ind, "a": a, "b": b, "c": c, "b_cases": b_cases, "admin": admin}


def _totals(county) -> dict[str, Decimal]:
    scores = scoring.score(county["scheme"], [county["a"], county["b"], county["c"]], PERIOD)
    return {s.township.name: s.total for s in scores}


def test_each_township_scores_what_was_worked_out_by_hand(county):
    scores = scoring.score(county["scheme"], [county["c"], county["b"], county["a"]], PERIOD)
    by_name = {s.township.name: s for s in scores}
    a, b, c = by_name["甲镇"], by_name["乙镇"], by_name["丙乡"]
    ind = county["ind"]
    # 甲镇: sessions 2 → 10; on time 3/4 = 75% → (75−50)/(100−50) × 20 = 10, ×1.5 = 15; reception 3 → 10;
    # field 24.5; bonus 3. Total 62.5.
    assert a.line_for(ind["sessions"]).value == 2 and a.line_for(ind["sessions"]).points == 10
    assert a.line_for(ind["on_time"]).value == D("75.0") and a.line_for(ind["on_time"]).points == 15
    assert a.line_for(ind["reception"]).points == 10
    assert (a.base_total, a.bonus, a.total) == (D("59.5"), 3, D("62.5"))
    # 乙镇: session 1 → 5; on time 100% → 20 × 1.5 = 30; reception 2 < 3 → 0; field 28 − 2 = 26. Total 61.
    assert b.line_for(ind["reception"]).value == 2 and b.line_for(ind["reception"]).points == 0
    assert b.line_for(ind["field"]).points == 26 and b.line_for(ind["field"]).adjustment == -2
    assert b.total == 61
    # 丙乡: no session (0) + 1 adjusted; no answer → no figure, 0; reception 5 → 10; field 30; bonus 5. Total 46.
    assert c.line_for(ind["on_time"]).value is None and c.line_for(ind["on_time"]).points == 0
    assert c.line_for(ind["sessions"]).points == 1
    assert c.total == 46
    assert [(s.township.name, s.rank) for s in scores] == [("甲镇", 1), ("乙镇", 2), ("丙乡", 3)]
    assert (a.grade, c.grade) == ("criticised", "criticised")


def test_a_changed_record_changes_the_score_it_feeds(county):
    before = _totals(county)
    # One of 乙镇's answers turns out to have been late: 50% on time earns nothing on that indicator.
    reply = CaseReply.objects.unscoped().get(case=county["b_cases"][0])
    reply.answered_at = _at(reply.due_on + timedelta(days=1))
    reply.save()
    # 丙乡 holds its session after all.
    session(county["c"], date(YEAR, 11, 30))
    after = _totals(county)
    assert after["乙镇"] == before["乙镇"] - 30
    assert after["丙乡"] == before["丙乡"] + 5
    assert after["甲镇"] == before["甲镇"]


def test_published_results_stay_as_published_and_freeze_the_scheme(county):
    scheme = county["scheme"]
    services.publish(scheme, county["admin"], version=scheme.version, today=date(YEAR + 1, 1, 15))
    results = {r.township.name: r for r in Result.objects.unscoped().filter(scheme=scheme)}
    assert (results["甲镇"].total, results["甲镇"].rank, results["乙镇"].total) == (D("62.5"), 1, 61)
    line = results["甲镇"].lines[str(county["ind"]["on_time"].uuid)]
    assert (line["value"], line["points"]) == ("75.0", "15.0")
    with pytest.raises(ValidationError, match="已发布"):
        services.enter_score(county["ind"]["field"], county["a"], county["admin"], points=D(1), evidence="x")
    with pytest.raises(ValidationError):
        services.add_section(scheme, county["admin"], name="新增")


def test_copying_last_years_scheme_keeps_its_indicators_and_leaves_it_as_it_was(county):
    scheme = county["scheme"]
    copy = services.copy_scheme(scheme, county["admin"], year=YEAR + 1)
    names = sorted(i.name for i in scoring.indicators_of(copy))
    assert names == sorted(i.name for i in scoring.indicators_of(scheme))
    assert copy.copied_from == scheme and copy.state == "draft"
    with pytest.raises(ValidationError):
        services.copy_scheme(scheme, county["admin"], year=YEAR + 1)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": IndicatorKind.COMPUTED, "measure": "no.such", "formula": Formula.LINEAR, "full_at": D(1)}, "measure"),
        ({"kind": IndicatorKind.COMPUTED, "measure": "meetings.sessions", "formula": Formula.LINEAR}, "full_at"),
        ({"kind": IndicatorKind.COMPUTED, "measure": "meetings.sessions", "formula": Formula.PER_UNIT}, "per_unit"),
        ({"kind": "", "measure": ""}, "kind"),
    ],
)
def test_an_incomplete_rule_is_refused_with_the_field_named(county, values, field):
    section = county["scheme"].sections.first()
    with pytest.raises(ValidationError) as refused:
        services.add_indicator(section, county["admin"], name="x", max_score=D(5), **values)
    assert field in refused.value.message_dict


def test_entered_points_outside_the_maximum_or_without_evidence_are_refused(county):
    field, a, admin = county["ind"]["field"], county["a"], county["admin"]
    with pytest.raises(ValidationError) as refused:
        services.enter_score(field, a, admin, points=D(31), evidence="x")
    assert "points" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.enter_score(field, a, admin, points=D(3), evidence="  ")
    assert "evidence" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.adjust(field, a, admin, points=D(2), reason="")
    assert "reason" in refused.value.message_dict


def test_scoring_a_county_takes_the_same_queries_however_many_records(county, django_assert_num_queries):
    townships = [county["a"], county["b"], county["c"]]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        scoring.score(county["scheme"], townships, PERIOD)
    for _ in range(5):
        answered_case(county["c"], county["b_cases"][0].replies.first().agency, on_time=True)
        session(county["b"], date(YEAR, 8, 1 + _))
    with django_assert_num_queries(len(few.captured_queries)):
        scoring.score(county["scheme"], townships, PERIOD)
