"""The casework API: the same scope and the same services as the pages, with Bearer tokens."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.accounts.models import AuditEntry
from renda.accounts.services import api_token_create
from renda.casework import services as cases
from renda.casework.models import Case, CaseSource, CaseState

REPLY = {
    "reply_class": "A",
    "done_items": "已完成甲镇路灯维修",
    "consultation": "phone",
    "signer": "张局长",
    "document_number": "甲建〔2026〕8号",
}


def bearer(user, name="手机端") -> dict:
    raw = api_token_create(user=user, name=name, actor=user)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, body, headers=None):
    return client.post(url, data=json.dumps(body), content_type="application/json", **(headers or {}))


def test_a_deputy_files_a_suggestion_from_the_phone_app_with_a_bearer_token(client, world):
    cases.ensure_default_categories(world.county)
    headers = bearer(world.deputy_a)
    response = post(
        client,
        "/api/v1/cases",
        {
            "title": "甲镇村道路灯损坏",
            "content": "村口到学校一段路灯坏了三盏，晚上学生回家不安全。",
            "category": "城建环资",
        },
        headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == CaseState.SUBMITTED and body["source"] == CaseSource.RECESS_SUGGESTION
    assert [(s["mandate"], s["is_lead"]) for s in body["signers"]] == [(str(world.mandate_a.uuid), True)]
    assert body["category"] == "城建环资" and body["timeline"][0]["step"] == "submit"
    case = Case.objects.unscoped().get(uuid=body["uuid"])
    assert case.township == world.township_a and case.created_by == world.deputy_a
    assert AuditEntry.objects.filter(event="casework.case.create", target_id=str(case.uuid)).exists()
    # The deputy reads it back, and sees it in their list.
    assert client.get(f"/api/v1/cases/{case.uuid}", **headers).json()["title"] == "甲镇村道路灯损坏"
    titles = [item["title"] for item in client.get("/api/v1/cases", **headers).json()["items"]]
    assert "甲镇村道路灯损坏" in titles
    # Signing with someone else's mandate is refused with the field named.
    refused = post(client, "/api/v1/cases", {"title": "t", "content": "c", "lead": str(world.mandate_b.uuid)}, headers)
    assert refused.status_code == 422 and "lead" in refused.json()["errors"]


def test_staff_walk_a_case_and_an_agency_system_posts_its_reply(client, world):
    staff = bearer(world.staff_a)
    filed = post(
        client,
        "/api/v1/cases",
        {
            "township": str(world.township_a.uuid),
            "source": "citizen_opinion",
            "title": "甲镇菜场门口停车难",
            "content": "早市车辆乱停，堵住消防通道。",
            "citizen_name": "赵群众",
            "citizen_phone": "13812345678",
        },
        staff,
    ).json()
    uuid = filed["uuid"]
    assert filed["citizen_phone"] == "138****5678"
    accepted = post(client, f"/api/v1/cases/{uuid}/transitions", {"step": "accept", "version": filed["version"]}, staff)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assigned = post(
        client,
        f"/api/v1/cases/{uuid}/transitions",
        {"step": "assign", "version": accepted.json()["version"], "lead": str(world.agency_a.uuid)},
        staff,
    ).json()
    assert assigned["state"] == "assigned" and assigned["lead_agency"] == world.agency_a.name
    assert assigned["urgency"] == "green" and assigned["due_on"] == assigned["answer_due_on"]

    agency = bearer(world.handler_x, "单位系统")
    inbox = client.get(f"/api/v1/cases?agency={world.agency_a.uuid}", **agency).json()
    assert uuid in [item["uuid"] for item in inbox["items"]]
    # The agency's own handling: a note, then its reply through its token.
    note = post(client, f"/api/v1/cases/{uuid}/notes", {"text": "已联系交警中队"}, agency)
    assert note.status_code == 201
    reply = post(client, f"/api/v1/cases/{uuid}/replies", {**REPLY, "public_text": "已划定临时停车区"}, agency)
    assert reply.status_code == 201, reply.content
    assert reply.json()["reply_class"] == "A"
    detail = client.get(f"/api/v1/cases/{uuid}", **agency).json()
    assert detail["state"] == "answered" and [r["document_number"] for r in detail["replies"]] == ["甲建〔2026〕8号"]
    assert [e["step"] for e in detail["timeline"]] == ["submit", "accept", "assign", "note", "answer"]
    # Staff record the citizen's rating from a call.
    rated = post(
        client,
        f"/api/v1/cases/{uuid}/ratings",
        {"handling": "satisfied", "result": "basic", "citizen": True, "by_staff": True},
        staff,
    )
    assert rated.status_code == 201, rated.content
    closed = post(client, f"/api/v1/cases/{uuid}/transitions", {"step": "close"}, staff)
    assert closed.json()["state"] == "closed"
    timeline = client.get(f"/api/v1/cases/{uuid}/timeline", **staff).json()
    assert [e["step"] for e in timeline][-3:] == ["rate", "rating_complete", "close"]


def test_an_outsider_gets_404_and_a_viewer_without_the_right_403(client, world):
    case = world.rows["casework.case"]["a"][0]
    for user in (world.staff_b, world.handler_y, world.deputy_b):
        headers = bearer(user)
        assert client.get(f"/api/v1/cases/{case.uuid}", **headers).status_code == 404
        for path, body in (
            ("transitions", {"step": "close"}),
            ("notes", {"text": "乙"}),
            ("replies", REPLY),
            ("ratings", {"handling": "satisfied", "result": "satisfied"}),
        ):
            assert post(client, f"/api/v1/cases/{case.uuid}/{path}", body, headers).status_code == 404, path
        items = client.get("/api/v1/cases", **headers).json()["items"]
        assert str(case.uuid) not in [item["uuid"] for item in items]
    # The signing deputy sees the case but may not close it: 403 with a message.
    refused = post(client, f"/api/v1/cases/{case.uuid}/transitions", {"step": "close"}, bearer(world.deputy_a))
    assert refused.status_code == 403 and refused.json()["detail"]


def test_an_illegal_transition_is_409_with_the_chinese_message(client, world):
    case = cases.file_case(
        world.staff_a,
        township=world.township_a,
        source="activity_finding",
        title="甲镇河道垃圾",
        content="河道漂浮物多",
    )
    headers = bearer(world.staff_a)
    response = post(client, f"/api/v1/cases/{case.uuid}/transitions", {"step": "close"}, headers)
    assert response.status_code == 409
    assert response.json()["detail"] == "“办结”不能在案件处于“已提交”时进行。" or "已提交" in response.json()["detail"]
    stale = post(client, f"/api/v1/cases/{case.uuid}/transitions", {"step": "accept", "version": 99}, headers)
    assert stale.status_code == 409
    missing = post(client, f"/api/v1/cases/{case.uuid}/transitions", {"step": "reject"}, headers)
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    unknown = post(client, f"/api/v1/cases/{case.uuid}/transitions", {"step": "fly"}, headers)
    assert unknown.status_code == 422 and "step" in unknown.json()["errors"]
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_extension_request_and_decision(client, world):
    case = cases.file_case(
        world.staff_a, township=world.township_a, source="activity_finding", title="甲镇学校饮水", content="饮水机老化"
    )
    case = cases.accept(case, world.staff_a)
    case = cases.assign(case, world.staff_a, lead=world.agency_a)
    agency, staff = bearer(world.handler_x), bearer(world.staff_a)
    until = (case.answer_due_on + timedelta(days=30)).isoformat()
    asked = post(client, f"/api/v1/cases/{case.uuid}/extensions", {"until": until, "reason": "需招标采购"}, agency)
    assert asked.status_code == 201, asked.content
    extension_id = asked.json()["id"]
    # The agency may not decide its own request.
    url = f"/api/v1/cases/{case.uuid}/extensions/{extension_id}/decision"
    assert post(client, url, {"approve": True}, agency).status_code == 403
    # A decision made on a version of the case that has changed since (the request moved it on) is refused.
    stale = post(client, url, {"approve": True, "version": case.version}, staff)
    assert stale.status_code == 409, stale.content
    decided = post(client, url, {"approve": True}, staff)
    assert decided.status_code == 200 and decided.json()["approved"] is True
    assert client.get(f"/api/v1/cases/{case.uuid}", **staff).json()["answer_due_on"] == until
    assert (
        post(client, f"/api/v1/cases/{case.uuid}/extensions/999999/decision", {"approve": True}, staff).status_code
        == 404
    )


def test_json_with_a_nul_character_is_refused(client, world):
    headers = bearer(world.staff_a)
    body = {"township": str(world.township_a.uuid), "title": "甲\u0000", "content": "c", "source": "activity_finding"}
    response = post(client, "/api/v1/cases", body, headers)
    assert response.status_code == 400
    # (PostgreSQL cannot even compare with a NUL: look for the finding by what precedes it.)
    assert not Case.objects.unscoped().filter(source="activity_finding", title__startswith="甲").exists()


def test_case_list_queries_do_not_grow_with_rows(client, world):
    headers = bearer(world.county_admin)
    assert world.rows["casework.case"]["a"]
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/cases?q=甲", **headers)
    for index in range(4):
        case = cases.file_case(
            world.staff_a,
            township=world.township_a,
            source="activity_finding",
            title=f"甲镇问题{index}",
            content="内容",
        )
        cases.assign(cases.accept(case, world.staff_a), world.staff_a, lead=world.agency_a)
    with CaptureQueriesContext(connection) as after:
        client.get("/api/v1/cases?q=甲", **headers)
    assert len(after) <= len(before)


def test_an_agency_hands_a_case_back_and_sees_it_no_more(client, world):
    case = cases.file_case(
        world.staff_a, township=world.township_a, source="activity_finding", title="甲镇养老", content="助餐点"
    )
    case = cases.assign(cases.accept(case, world.staff_a), world.staff_a, lead=world.agency_a)
    agency = bearer(world.handler_x)
    response = post(
        client, f"/api/v1/cases/{case.uuid}/transitions", {"step": "hand_back", "reason": "非本单位职责"}, agency
    )
    assert response.status_code == 200 and response.json()["uuid"] == str(case.uuid)
    assert client.get(f"/api/v1/cases/{case.uuid}", **agency).status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.RETURNED
