"""The evaluations API: the same services and scope as the pages. A deputy votes with a Bearer
token (a second vote 409), reads closed results as counts only; an agency handler reports progress
on their unit's item; an outsider gets 404 for everything of another township."""

import io
import json

import pytest
from docx import Document

from renda.activities import services_evaluations as services
from renda.documents import excel as excel_files
from tests.activities import test_evaluation_flow as flow

S, _units, bearer, vote_all = flow.S, flow._units, flow.bearer, flow.vote_all
# The flow's fixtures: the fixed day in the term, 30 deputies of township A, an evaluation of 5 units.
_inside_the_worlds_term, deputies, evaluation = flow._inside_the_worlds_term, flow.deputies, flow.evaluation

pytestmark = pytest.mark.django_db


def post(client, url, body, headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_a_deputy_votes_once_through_the_api_and_reads_counts_only(client, world, deputies, evaluation):
    units = _units(evaluation)
    ballot = services.open_round(evaluation, world.staff_a)
    phone = bearer(world.deputy_a)
    listed = client.get("/api/v1/evaluations", **phone).json()
    assert [e["uuid"] for e in listed] == [str(evaluation.uuid)]
    missing = post(client, f"/api/v1/ballots/{ballot.uuid}/vote", {"choices": {str(units[0].uuid): S}}, phone)
    assert missing.status_code == 409
    body = {"choices": {str(u.uuid): S for u in units}}
    assert post(client, f"/api/v1/ballots/{ballot.uuid}/vote", body, phone).status_code == 201
    assert post(client, f"/api/v1/ballots/{ballot.uuid}/vote", body, phone).status_code == 409
    # Staff may not vote (not an elector): a refusal, never a count.
    assert post(client, f"/api/v1/ballots/{ballot.uuid}/vote", body, bearer(world.staff_a)).status_code == 409
    detail = client.get(f"/api/v1/evaluations/{evaluation.uuid}", **phone).json()
    assert detail["rounds"][0]["voted"] == 1 and detail["rounds"][0]["results"] == []  # open: turnout only
    vote_all(ballot, deputies[1:16])
    services.close_round(ballot, world.staff_a)
    detail = client.get(f"/api/v1/evaluations/{evaluation.uuid}", **phone).json()
    results = detail["rounds"][0]["results"]
    assert len(results) == 5 and all(r["satisfied"] == 16 and r["satisfaction"] == "100.0%" for r in results)
    assert "mandate" not in json.dumps(detail) and "receipt" not in json.dumps(detail)
    # Outsiders: 404.
    for user in (world.staff_b, world.deputy_b, world.other_county_admin):
        headers = bearer(user)
        assert client.get(f"/api/v1/evaluations/{evaluation.uuid}", **headers).status_code == 404
        assert post(client, f"/api/v1/ballots/{ballot.uuid}/vote", body, headers).status_code == 404


def test_the_units_handler_reports_progress_through_the_api(client, world, deputies, evaluation):
    units = _units(evaluation)
    ballot = services.open_round(evaluation, world.staff_a)
    vote_all(ballot, deputies[:16])
    services.close_round(ballot, world.staff_a)
    item = services.add_rectification(units[0], world.staff_a, demand="压缩办理时限")
    handler = bearer(world.handler_x)
    assert [i["uuid"] for i in client.get("/api/v1/rectifications", **handler).json()] == [str(item.uuid)]
    assert client.get("/api/v1/rectifications", **bearer(world.handler_y)).json() == []
    empty = post(client, f"/api/v1/rectifications/{item.uuid}/progress", {"text": " "}, handler)
    assert empty.status_code == 422
    done = post(client, f"/api/v1/rectifications/{item.uuid}/progress", {"text": "已完成", "completes": True}, handler)
    assert done.status_code == 201 and done.json()["state"] == "done"
    again = post(client, f"/api/v1/rectifications/{item.uuid}/progress", {"text": "再报"}, handler)
    assert again.status_code == 409
    other = post(client, f"/api/v1/rectifications/{item.uuid}/progress", {"text": "x"}, bearer(world.handler_y))
    assert other.status_code == 404


def test_paper_ballots_and_the_exports(client_for, world, deputies, evaluation):
    units = _units(evaluation)
    ballot = services.open_round(evaluation, world.staff_a)
    mandates = [world.mandate_a, deputies[1].person.mandates.get()]
    counts = {u.pk: {"satisfied": 1, "basically": 0, "dissatisfied": 1, "invalid": 0} for u in units}
    services.record_paper_ballots(ballot, world.staff_a, mandates=mandates, counts=counts)
    with pytest.raises(services.EvaluationRefused):  # the papers are counted once, all together
        services.record_paper_ballots(
            ballot,
            world.staff_a,
            mandates=[deputies[2].person.mandates.get()],
            counts={u.pk: {"satisfied": 1} for u in units},
        )
    with pytest.raises(services.EvaluationRefused):  # and no phone vote after a paper one
        services.cast_ballot(ballot, world.deputy_a, choices={u.pk: S for u in units})
    vote_all(ballot, deputies[2:16])  # 2 papers and 14 phones: more than half of 30
    services.close_round(ballot, world.staff_a)
    services.add_rectification(units[0], world.staff_a, demand="建立回访制度")
    staff = client_for(world.staff_a)
    excel = staff.get(f"/activities/evaluations/{evaluation.uuid}/results.xlsx")
    table = excel_files.read_table(excel.content, header_names=["被评议单位", "满意率"])
    rows = {row.values["被评议单位"]: row.values["满意率"] for row in table.rows}
    assert rows[world.agency_a.name] == "93.8%"  # 15 of 16: the paper's dissatisfied one
    word = staff.get(f"/activities/evaluations/{evaluation.uuid}/report.docx")
    text = "\n".join(
        [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
        + [c.text for t in Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells]
    )
    assert "建立回访制度" in text and "93.8%" in text and world.agency_a.name in text
    # A deputy may not download the party committee's export.
    assert client_for(world.deputy_a).get(f"/activities/evaluations/{evaluation.uuid}/results.xlsx").status_code == 403
