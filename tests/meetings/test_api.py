"""The meetings API: the same scope and the same services as the pages, with Bearer tokens. A deputy
signs in on their phone with the meeting's QR code and asks for leave; staff record attendance,
votes and motions; an outsider gets 404 for everything of another township."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from renda.accounts.models import AuditEntry
from renda.accounts.services import api_token_create
from renda.core.locking import StaleEdit
from renda.meetings import services as meetings
from renda.meetings.models import AttendanceStatus, Motion, MotionState
from tests import factories

pytestmark = pytest.mark.django_db


def bearer(user, name="手机端") -> dict:
    raw = api_token_create(user=user, name=name, actor=user)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, body, headers=None):
    return client.post(url, data=json.dumps(body), content_type="application/json", **(headers or {}))


@pytest.fixture
def congress(world):
    """Township A's congress: the world's deputy and eight more, nine in all."""
    term = world.mandate_a.term
    others = [factories.MandateFactory(person__township=world.township_a, term=term) for _ in range(8)]
    return [world.mandate_a, *others]


@pytest.fixture
def session(world, congress):
    """A session of township A's congress that started five minutes ago: sign-in is open."""
    return meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_on=timezone.localdate() + timedelta(days=1),
        venue="甲镇会议中心",
    )


def test_a_deputy_finds_the_session_and_signs_in_with_the_qr_code(client, world, session):
    phone = bearer(world.deputy_a)
    listed = client.get("/api/v1/meetings", **phone).json()["items"]
    assert [m["uuid"] for m in listed] == [str(session.uuid)]
    detail = client.get(f"/api/v1/meetings/{session.uuid}", **phone)
    body = detail.json()
    assert body["name"] == "甲镇第十二届人民代表大会第一次会议" and body["state"] == "planned"
    # The session is today and no notice went: it is late (seven days ahead were required).
    assert body["notice"]["late"] is True and body["notice"]["sent_on"] is None
    assert body["quorum"] == {
        "applies": True,
        "deputies_total": 9,
        "present": 0,
        "on_leave": 0,
        "needed": 6,
        "reached": False,
        "missing": 6,
    }
    assert session.signin_token not in detail.content.decode()  # only the QR code at the meeting shows it

    wrong = post(client, f"/api/v1/meetings/{session.uuid}/sign-in", {"token": "抄错的代码"}, phone)
    assert wrong.status_code == 422 and "签到码" in wrong.json()["detail"]
    signed = post(client, f"/api/v1/meetings/{session.uuid}/sign-in", {"token": session.signin_token}, phone)
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == AttendanceStatus.PRESENT and signed.json()["signin_method"] == "qr"
    assert signed.json()["mandate"] == str(world.mandate_a.uuid)
    assert AuditEntry.objects.filter(event="meetings.attendance.sign_in", actor=world.deputy_a).exists()
    # The deputy sees the count and their own row only.
    attendance = client.get(f"/api/v1/meetings/{session.uuid}/attendance", **phone).json()
    assert attendance["quorum"]["present"] == 1
    assert [row["mandate"] for row in attendance["attendances"]] == [str(world.mandate_a.uuid)]


def test_a_deputy_asks_for_leave_and_staff_approve_it(client, world, session):
    phone, desk = bearer(world.deputy_a), bearer(world.staff_a)
    refused = post(client, f"/api/v1/meetings/{session.uuid}/leave", {"half_days": 9, "reason": ""}, phone)
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"reason", "half_days"} and "请假" in refused.json()["errors"]["reason"][0]
    asked = post(
        client,
        f"/api/v1/meetings/{session.uuid}/leave",
        {"first_day": session.date.isoformat(), "first_half": "pm", "half_days": 1, "reason": "陪家人就医"},
        phone,
    )
    assert asked.status_code == 201, asked.content
    leave = asked.json()
    assert (leave["half_days"], leave["state"]) == (1, "requested")
    # Only staff decide; the deputy may read their request but not approve it.
    assert post(client, f"/api/v1/leave-requests/{leave['uuid']}/decision", {"approve": True}, phone).status_code == 403
    no_reason = post(client, f"/api/v1/leave-requests/{leave['uuid']}/decision", {"approve": False}, desk)
    assert no_reason.status_code == 422 and "note" in no_reason.json()["errors"]
    approved = post(client, f"/api/v1/leave-requests/{leave['uuid']}/decision", {"approve": True}, desk)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    rows = client.get(f"/api/v1/meetings/{session.uuid}/attendance", **desk).json()
    mine = next(row for row in rows["attendances"] if row["mandate"] == str(world.mandate_a.uuid))
    # Half a day of the session: still expected for the rest of it, not counted as on leave.
    assert (mine["status"], mine["leave_half_days"]) == (AttendanceStatus.EXPECTED, 1)
    assert rows["quorum"]["on_leave"] == 0 and len(rows["attendances"]) == 9


def test_staff_sign_deputies_in_record_votes_under_the_all_deputies_majority_and_correct_one(client, world, session):
    desk = bearer(world.staff_a)
    rows = client.get(f"/api/v1/meetings/{session.uuid}/attendance", **desk).json()["attendances"]
    for row in rows[:6]:
        signed = post(client, f"/api/v1/meetings/{session.uuid}/sign-in", {"attendance": row["uuid"]}, desk)
        assert signed.status_code == 200 and signed.json()["signin_method"] == "staff"
    # Votes are recorded once the session is open.
    early = post(client, f"/api/v1/meetings/{session.uuid}/votes", {"kind": "resolution", "title": "决议"}, desk)
    assert early.status_code == 422 and "进行中" in early.json()["detail"]
    session.refresh_from_db()
    meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    item = meetings.add_agenda_item(session, world.staff_a, kind="resolution", title="关于政府工作报告的决议")
    agenda = client.get(f"/api/v1/meetings/{session.uuid}/agenda", **desk).json()
    assert [entry["title"] for entry in agenda] == ["关于政府工作报告的决议"]

    # Four of nine is most of the six present, not a majority of all nine deputies: it fails.
    vote = {"kind": "resolution", "title": "关于政府工作报告的决议", "method": "hands", "item": str(item.uuid)}
    failed = post(
        client,
        f"/api/v1/meetings/{session.uuid}/votes",
        {**vote, "votes_for": 4, "votes_against": 1, "abstentions": 1},
        desk,
    )
    assert failed.status_code == 201, failed.content
    body = failed.json()
    assert (body["passed"], body["votes_needed"], body["deputies_total"], body["present"]) == (False, 5, 9, 6)
    too_many = post(client, f"/api/v1/meetings/{session.uuid}/votes", {**vote, "votes_for": 7}, desk)
    assert too_many.status_code == 422 and "votes_for" in too_many.json()["errors"]
    bad_method = post(client, f"/api/v1/meetings/{session.uuid}/votes", {**vote, "method": "shouting"}, desk)
    assert bad_method.status_code == 422 and "method" in bad_method.json()["errors"]

    corrected = post(
        client,
        f"/api/v1/votes/{body['uuid']}/corrections",
        {"votes_for": 5, "votes_against": 0, "abstentions": 1, "reason": "复核计票"},
        desk,
    )
    assert corrected.status_code == 201, corrected.content
    assert corrected.json()["before"]["for"] == 4 and corrected.json()["after"]["passed"] is True
    votes = client.get(f"/api/v1/meetings/{session.uuid}/votes", **desk).json()
    assert votes[0]["passed"] is True and votes[0]["corrections"][0]["reason"] == "复核计票"
    # A deputy sees neither the tallies' list nor may record one.
    phone = bearer(world.deputy_a)
    assert client.get(f"/api/v1/meetings/{session.uuid}/votes", **phone).json() == []
    assert post(client, f"/api/v1/meetings/{session.uuid}/votes", vote, phone).status_code == 403


def test_motions_need_five_signers_and_a_stale_decision_is_refused(client, world, congress, session):
    phone, desk = bearer(world.deputy_a), bearer(world.staff_a)
    url = f"/api/v1/meetings/{session.uuid}/motions"
    motion = {"title": "关于修建文化广场的议案", "content": "建议在集镇修建文化广场。"}
    few = post(client, url, {**motion, "signers": [str(m.uuid) for m in congress[1:4]]}, phone)
    assert few.status_code == 422 and "至少5名代表" in few.json()["errors"]["signers"][0]
    outsider = post(client, url, {**motion, "signers": [str(world.mandate_b.uuid)]}, phone)
    assert outsider.status_code == 422 and "signers" in outsider.json()["errors"]
    filed = post(client, url, {**motion, "signers": [str(m.uuid) for m in congress[1:5]]}, phone)
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert body["number"] == 1 and body["state"] == MotionState.SUBMITTED
    assert body["signers"][0] == {
        "mandate": str(world.mandate_a.uuid),
        "name": world.person_a.full_name,
        "is_lead": True,
    }
    assert len(body["signers"]) == 5
    assert [m["uuid"] for m in client.get(url, **phone).json()] == [body["uuid"]]

    decision = f"/api/v1/motions/{body['uuid']}/decision"
    assert post(client, decision, {"place": True, "version": body["version"]}, phone).status_code == 403
    placed = post(client, decision, {"place": True, "version": body["version"]}, desk)
    assert placed.status_code == 200 and placed.json()["state"] == MotionState.PLACED
    # Someone decided in between: the version read before is stale.
    stale = post(client, decision, {"place": False, "reason": "不属于本级职权", "version": body["version"]}, desk)
    assert stale.status_code == 409
    with translation.override("zh-hans"):
        assert stale.json()["detail"] == str(StaleEdit.message)
    assert Motion.objects.unscoped().get(uuid=body["uuid"]).state == MotionState.PLACED
    agenda = client.get(f"/api/v1/meetings/{session.uuid}/agenda", **desk).json()
    assert agenda[0]["motion"] == body["uuid"]


def test_an_outsider_gets_404_for_everything_of_another_township(client, world, session):
    attendance = session.attendances.get(mandate=world.mandate_a)
    for user in (world.staff_b, world.deputy_b, world.handler_y):
        headers = bearer(user, name=f"{user.username}令牌")
        assert str(session.uuid) not in client.get("/api/v1/meetings", **headers).content.decode()
        for part in ("", "/agenda", "/attendance", "/votes", "/motions"):
            assert client.get(f"/api/v1/meetings/{session.uuid}{part}", **headers).status_code == 404, part
        for part, body in (
            ("sign-in", {"token": session.signin_token}),
            ("sign-in", {"attendance": str(attendance.uuid)}),
            ("leave", {"attendance": str(attendance.uuid), "reason": "乙"}),
            ("votes", {"kind": "other", "title": "乙"}),
            ("motions", {"title": "乙", "content": "乙"}),
        ):
            assert post(client, f"/api/v1/meetings/{session.uuid}/{part}", body, headers).status_code == 404
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.EXPECTED and not attendance.leave_requests.exists()
    # The county administrator of another county is an outsider too.
    other = bearer(world.other_county_admin)
    assert client.get(f"/api/v1/meetings/{session.uuid}", **other).status_code == 404


def test_the_list_filters_and_its_queries_do_not_grow(client, world, congress, session):
    presidium = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="presidium",
        starts_at=timezone.now() + timedelta(days=12),
        ends_on=timezone.localdate() + timedelta(days=12),
    )
    desk = bearer(world.staff_a)
    kinds = {m["uuid"]: m["kind"] for m in client.get("/api/v1/meetings", **desk).json()["items"]}
    assert kinds == {str(session.uuid): "session", str(presidium.uuid): "presidium"}
    only = client.get("/api/v1/meetings?kind=presidium", **desk).json()["items"]
    assert [m["name"] for m in only] == ["甲镇第十二届人民代表大会主席团第一次会议"]
    assert client.get("/api/v1/meetings?q=会议中心", **desk).json()["count"] == 1
    assert client.get(f"/api/v1/meetings?year={session.date.year - 1}", **desk).json()["count"] == 0
    assert client.get("/api/v1/meetings?year=99999", **desk).json()["count"] == 0
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/meetings", **desk)
    for _ in range(3):
        meetings.plan_meeting(
            world.staff_a,
            township=world.township_a,
            kind="presidium",
            starts_at=timezone.now() + timedelta(days=15),
            ends_on=timezone.localdate() + timedelta(days=15),
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/api/v1/meetings", **desk)
    assert len(after) <= len(before)


def test_the_openapi_document_describes_the_meetings_operations(client, world):
    client.force_login(world.staff_a)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get"} <= set(paths["/api/v1/meetings/{uuid}"])
    for path in ("/api/v1/meetings/{uuid}/sign-in", "/api/v1/meetings/{uuid}/votes", "/api/v1/motions/{uuid}/decision"):
        assert "post" in paths[path], path
    assert "signin_token" not in json.dumps(paths)
