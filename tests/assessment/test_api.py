"""The assessment API on the scheme of tests/assessment/conftest.py: the scores are those of
``scoring.score``; a township's staff see only their own before publication and everyone after; the
county administrator enters and adjusts points (a refusal of the scheme's state 409, bad input 422,
township staff 403); another county's administrator gets 404 and a deputy nothing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from renda.assessment import scoring, services
from renda.assessment.models import Adjustment, EnteredScore
from renda.core.periods import Period
from tests.assessment.records import YEAR

pytestmark = pytest.mark.django_db
D = Decimal


def scores_url(scheme, end: str = "") -> str:
    return f"/api/v1/assessment/schemes/{scheme.uuid}/scores" + (f"?end={end}" if end else "")


def post(client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_scores_are_those_of_the_scoring_for_the_county(client_for, world, county):
    scheme = county["scheme"]
    body = client_for(world.county_admin).get(scores_url(scheme)).json()
    assert body["source"] == "live" and body["complete"] and body["end"] == f"{YEAR}-12-31"
    expected = scoring.score(scheme, [county["a"], county["b"], county["c"]], Period.year(YEAR))
    assert [(t["name"], t["rank"], D(str(t["total"]))) for t in body["townships"]] == [
        (s.township.name, s.rank, s.total) for s in expected
    ]
    for township, score in zip(body["townships"], expected, strict=True):
        lines = {line["indicator"]: line for line in township["lines"]}
        for line in score.lines:
            got = lines[str(line.indicator.uuid)]
            assert D(str(got["points"])) == line.points and D(str(got["adjustment"])) == line.adjustment
            assert (None if got["figure"] is None else D(str(got["figure"]))) == line.value
    # Up to the end of June: 甲镇 had held one session of two (5 of 10 points).
    june = client_for(world.county_admin).get(scores_url(scheme, f"{YEAR}-06-30")).json()
    a = next(t for t in june["townships"] if t["name"] == "甲镇")
    sessions = next(line for line in a["lines"] if line["indicator"] == str(county["ind"]["sessions"].uuid))
    assert D(str(sessions["figure"])) == 1 and D(str(sessions["points"])) == 5


def test_the_scheme_lists_its_sections_and_rules(client_for, world, county):
    admin = client_for(world.county_admin)
    listed = admin.get("/api/v1/assessment/schemes").json()
    assert [(s["year"], s["state"]) for s in listed] == [(YEAR, "draft")]
    scheme = admin.get(f"/api/v1/assessment/schemes/{county['scheme'].uuid}").json()
    assert [s["name"] for s in scheme["sections"]] == ["依法履职", "特色工作"]
    on_time = scheme["sections"][0]["indicators"][1]
    assert (on_time["rule"], on_time["measure"], on_time["formula"]) == ("computed", "casework.on_time", "linear")
    assert (on_time["measure_label"], on_time["unit"]) == ("建议意见按期答复率", "%")
    assert (D(str(on_time["full_at"])), D(str(on_time["zero_at"])), D(str(on_time["weight"]))) == (100, 50, D("1.5"))
    field = scheme["sections"][1]["indicators"][0]
    assert (field["rule"], field["measure"], field["full_at"]) == ("entered", "", None)


def test_township_staff_see_their_own_township_before_publication_and_all_after(client_for, world, county):
    scheme = county["scheme"]
    staff = client_for(world.staff_a)
    body = staff.get(scores_url(scheme)).json()
    assert [(t["name"], t["rank"]) for t in body["townships"]] == [("甲镇", None)] and not body["complete"]
    sessions = county["ind"]["sessions"]
    evidence = f"/api/v1/assessment/indicators/{sessions.uuid}/evidence"
    own = staff.get(evidence).json()
    assert own["township"] == str(county["a"].uuid) and len(own["rows"]) == 2
    assert staff.get(f"{evidence}?township={county['b'].uuid}").status_code == 404
    services.publish(scheme, world.county_admin, version=scheme.version, today=date(YEAR + 1, 1, 15))
    body = staff.get(scores_url(scheme)).json()
    assert body["source"] == "published" and body["complete"]
    assert [(t["name"], t["rank"], D(str(t["total"]))) for t in body["townships"]] == [
        ("甲镇", 1, D("62.5")),
        ("乙镇", 2, 61),
        ("丙乡", 3, 46),
    ]
    assert staff.get(f"{evidence}?township={county['b'].uuid}").status_code == 200


def test_the_county_reads_the_evidence_of_any_township(client_for, world, county):
    admin = client_for(world.county_admin)
    field = county["ind"]["field"]
    url = f"/api/v1/assessment/indicators/{field.uuid}/evidence?township={county['b'].uuid}"
    body = admin.get(url).json()
    assert body["rows"] == [{"cells": ["28.0", "台账齐全"], "url": ""}]
    assert [(D(str(a["points"])), a["reason"]) for a in body["adjustments"]] == [(-2, "检查发现两名代表履职档案缺失")]
    # The county has no township of its own: it names one.
    assert admin.get(f"/api/v1/assessment/indicators/{field.uuid}/evidence").status_code == 422


@pytest.mark.parametrize("end", [f"{YEAR - 1}-12-31", f"{YEAR + 1}-01-01", "2025-13-01", "later"])
def test_a_day_outside_the_schemes_year_is_refused(client_for, world, county, end):
    response = client_for(world.county_admin).get(scores_url(county["scheme"], end))
    assert response.status_code == 422


def test_outsiders_get_nothing(client_for, world, county):
    scheme, field = county["scheme"], county["ind"]["field"]
    urls = [
        f"/api/v1/assessment/schemes/{scheme.uuid}",
        scores_url(scheme),
        f"/api/v1/assessment/indicators/{field.uuid}/evidence?township={county['a'].uuid}",
    ]
    outsider = client_for(world.other_county_admin)
    assert outsider.get("/api/v1/assessment/schemes").json() == []
    for url in urls:
        assert outsider.get(url).status_code == 404
    body = {"township": str(county["a"].uuid), "points": 5, "evidence": "x", "reason": "x"}
    assert post(outsider, f"/api/v1/assessment/indicators/{field.uuid}/score", body).status_code == 404
    assert post(outsider, f"/api/v1/assessment/indicators/{field.uuid}/adjustments", body).status_code == 404
    deputy = client_for(world.deputy_a)
    assert deputy.get("/api/v1/assessment/schemes").status_code == 403
    for url in urls:
        assert deputy.get(url).status_code in (403, 404)
    handler = client_for(world.handler_x)
    assert handler.get(scores_url(scheme)).status_code in (403, 404)


def test_the_county_administrator_enters_and_adjusts_points(client_for, world, county):
    scheme, field, a = county["scheme"], county["ind"]["field"], county["a"]
    admin = client_for(world.county_admin)
    score_url = f"/api/v1/assessment/indicators/{field.uuid}/score"
    adjust_url = f"/api/v1/assessment/indicators/{field.uuid}/adjustments"
    entered = post(admin, score_url, {"township": str(a.uuid), "points": "27.5", "evidence": "复查后台账齐全"})
    assert entered.status_code == 201 and D(str(entered.json()["points"])) == D("27.5")
    assert EnteredScore.objects.unscoped().get(indicator=field, township=a).evidence == "复查后台账齐全"
    too_many = post(admin, score_url, {"township": str(a.uuid), "points": 31, "evidence": "x"})
    assert too_many.status_code == 422 and "points" in too_many.json()["errors"]
    assert post(admin, score_url, {"points": 3, "evidence": "x"}).status_code == 422  # no township
    assert post(admin, score_url, {"township": str(a.uuid), "points": "abc"}).status_code == 422
    adjusted = post(admin, adjust_url, {"township": str(a.uuid), "points": -1, "reason": "资料缺页"})
    assert adjusted.status_code == 201 and adjusted.json()["reason"] == "资料缺页"
    no_reason = post(admin, adjust_url, {"township": str(a.uuid), "points": -1, "reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    # A computed indicator is not entered by hand: the scheme's rule refuses (409).
    sessions_url = f"/api/v1/assessment/indicators/{county['ind']['sessions'].uuid}/score"
    computed = post(admin, sessions_url, {"township": str(a.uuid), "points": 5, "evidence": "x"})
    assert computed.status_code == 409 and "调整" in computed.json()["detail"]
    # Township staff see the indicator but may not score it.
    staff = client_for(world.staff_a)
    assert post(staff, score_url, {"township": str(a.uuid), "points": 30, "evidence": "x"}).status_code == 403
    # Once published the scheme is frozen.
    services.publish(scheme, world.county_admin, version=scheme.version, today=date(YEAR + 1, 1, 15))
    admin = client_for(world.county_admin)
    frozen = post(admin, adjust_url, {"township": str(a.uuid), "points": 1, "reason": "补充材料"})
    assert frozen.status_code == 409 and "已发布" in frozen.json()["detail"]
    assert Adjustment.objects.unscoped().filter(indicator=field, township=a).count() == 1
