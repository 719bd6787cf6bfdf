"""A scheme of computed and entered indicators scored for three townships, checked against figures
worked out by hand; a changed record moves the score it feeds, a published score does not move."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from renda.assessment import scoring, services
from renda.assessment.models import Formula, IndicatorKind, Result
from renda.casework.models import CaseReply
from renda.core.periods import Period
from tests.assessment.records import YEAR, _at, answered_case, session

PERIOD = Period.year(YEAR)
D = Decimal


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


def test_a_case_overdue_at_the_years_end_counts_against_that_year_though_answered_in_january(world, county):
    from renda.assessment.platform_measures import OVERDUE, casework_figures
    from renda.casework.models import Case, CaseSource, CaseState

    late = Case.objects.create(
        county=world.county,
        township=county["c"],
        reference="OVERDUE-1",
        source=CaseSource.RECESS_SUGGESTION,
        title="路灯",
        content="路灯不亮",
        state=CaseState.ANSWERED,
        received_on=date(YEAR, 10, 1),
        answer_due_on=date(YEAR, 12, 1),
        answered_on=date(YEAR + 1, 1, 10),
    )
    assert casework_figures([county["c"]], PERIOD)[OVERDUE][county["c"].pk] == 1
    late.answered_on = date(YEAR, 11, 30)
    late.save()
    assert casework_figures([county["c"]], PERIOD)[OVERDUE][county["c"].pk] == 0


def test_the_measures_reading_the_same_records_are_counted_in_one_query(county, django_assert_num_queries):
    from renda.assessment.measures import figures_of, measures

    townships = [county["a"], county["b"], county["c"]]
    codes = [measure.code for measure in measures if measure.source is not None]
    sources = {measure.source for measure in measures if measure.source is not None}
    assert len(codes) >= 10 and len(sources) == 3
    with django_assert_num_queries(len(sources)):
        figures = figures_of(codes, townships, PERIOD)
    for code in codes:
        assert figures[code] == measures.get(code).values(townships, PERIOD), code
