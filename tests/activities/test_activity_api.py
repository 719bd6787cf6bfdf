"""The activities API: the same scope and the same services as the pages. Staff plan, invite,
notify, sign deputies in, decide leave and record the activity held; a deputy signs in with the QR
code and asks for leave on their phone; findings are added and turned into cases; photos are listed
by name. Refusals: 403 (may not), 409 (stale, a case already), 422 (bad input); outsiders 404."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.accounts.services import api_token_create
from renda.activities import services
from renda.activities.models import Activity, ActivityState, ActivityType, Finding, ParticipantStatus
from renda.casework.models import CaseSource
from tests.activities.findings_helpers import held_inspection, inspection, second_deputy

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    raw = api_token_create(user=user, name="手机端", actor=user)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, body, headers, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def notices_link(monkeypatch):
    """The notice links to the activity's page, which the activity pages' area declares; while it is
    not there (this area's tests alone), the link is a plain path."""
    try:
        reverse("activities:detail", args=["00000000-0000-0000-0000-000000000000"])
    except NoReverseMatch:
        monkeypatch.setattr(services, "reverse", lambda *args, **kwargs: "/activities/")


def test_staff_plan_invite_notify_sign_in_and_record_held(client, world, notices_link):
    staff = bearer(world.staff_a)
    other = second_deputy(world)
    kind = ActivityType.objects.get(county=world.county, name="调研")
    start = timezone.now() - timedelta(minutes=10)
    created = post(
        client,
        "/api/v1/activities",
        {
            "township": str(world.township_a.uuid),
            "type": str(kind.uuid),
            "title": "甲镇调研养老服务",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(),
            "place": "甲镇敬老院",
            "organiser": "甲镇人大主席团",
            "participants": [str(world.mandate_a.uuid)],
        },
        staff,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["category"] == "investigation" and body["state"] == "planned" and "signin_token" not in body
    assert [p["name"] for p in body["participants"]] == [world.mandate_a.person.full_name]
    url = f"/api/v1/activities/{body['uuid']}"

    invited = post(client, f"{url}/participants", {"participants": [str(world.mandate_a.uuid), str(other.uuid)]}, staff)
    assert len(invited.json()["participants"]) == 2
    version = invited.json()["version"]
    notified = post(client, f"{url}/notice", {"version": version, "text": ""}, staff)
    assert notified.status_code == 200 and notified.json()["state"] == "notified"
    assert "甲镇敬老院" in notified.json()["notice_text"]

    # The deputy signs in on the phone with the QR code's secret.
    activity = Activity.objects.get(uuid=body["uuid"])
    phone = bearer(world.deputy_a)
    signed = post(client, f"{url}/sign-in", {"token": activity.signin_token}, phone)
    assert signed.status_code == 200 and signed.json()["status"] == "present"
    # The other deputy asks staff for leave on paper; staff enter and approve it.
    row = activity.participants.get(mandate=other)
    asked = post(client, f"{url}/leave", {"participant": str(row.uuid), "reason": "外出开会"}, staff)
    assert asked.status_code == 201 and asked.json()["leave_state"] == "pending"
    decided = post(client, f"/api/v1/activity-participants/{row.uuid}/leave-decision", {"approve": True}, staff)
    assert decided.json()["status"] == "leave"

    version = client.get(url, **staff).json()["version"]
    held = post(client, f"{url}/held", {"version": version}, staff)
    assert held.status_code == 200 and held.json()["state"] == "held"
    assert {p["status"] for p in held.json()["participants"]} == {"present", "leave"}


def test_a_deputy_sees_only_their_own_participant_row_and_asks_for_leave(client, world):
    other = second_deputy(world)
    activity = inspection(world, invite=[world.mandate_a, other], started_minutes_ago=-24 * 60)
    phone = bearer(world.deputy_a)
    detail = client.get(f"/api/v1/activities/{activity.uuid}", **phone).json()
    assert [p["mandate"] for p in detail["participants"]] == [str(world.mandate_a.uuid)]
    asked = post(client, f"/api/v1/activities/{activity.uuid}/leave", {"reason": "住院"}, phone)
    assert asked.status_code == 201 and asked.json()["leave_reason"] == "住院"
    # Deciding is for staff.
    row = activity.participants.get(mandate=world.mandate_a)
    refused = post(client, f"/api/v1/activity-participants/{row.uuid}/leave-decision", {"approve": True}, phone)
    assert refused.status_code == 403 and refused.json()["detail"] == "您无权对此活动进行此项操作。"
    # A wrong code is refused in Chinese.
    wrong = post(client, f"/api/v1/activities/{activity.uuid}/sign-in", {"token": "假的码"}, phone)
    assert wrong.status_code == 422
    row.refresh_from_db()
    assert row.status == ParticipantStatus.INVITED


def test_the_list_filters_by_township_category_state_and_dates(client, world):
    held_inspection(world)
    inspection(world, title="甲镇视察学校安全", started_minutes_ago=-10 * 24 * 60)
    staff = bearer(world.staff_a)

    def titles(query=""):
        return sorted(item["title"] for item in client.get(f"/api/v1/activities{query}", **staff).json()["items"])

    assert titles() == sorted(["甲镇视察河道整治", "甲镇视察学校安全"])
    assert titles("?state=held") == ["甲镇视察河道整治"]
    assert titles("?category=study") == []
    today = timezone.localdate()
    assert titles(f"?from={today.isoformat()}&to={today.isoformat()}") == ["甲镇视察河道整治"]
    assert titles(f"?township={world.township_a.uuid}&q=学校") == ["甲镇视察学校安全"]
    assert client.get("/api/v1/activities?from=不是日期", **staff).status_code == 422
    # A deputy lists the activities they are invited to.
    phone = bearer(world.deputy_a)
    listed = client.get("/api/v1/activities", **phone).json()["items"]
    assert len(listed) == 2
    assert client.get("/api/v1/activities", **bearer(world.deputy_b)).json()["items"] == []


def test_a_stale_update_is_409_and_bad_input_422(client, world):
    activity = inspection(world, started_minutes_ago=-60)
    staff = bearer(world.staff_a)
    url = f"/api/v1/activities/{activity.uuid}"
    changed = post(client, url, {"version": activity.version, "place": "甲镇水利站"}, staff, method="patch")
    assert changed.status_code == 200 and changed.json()["place"] == "甲镇水利站"
    stale = post(client, url, {"version": activity.version, "place": "别处"}, staff, method="patch")
    assert stale.status_code == 409
    empty = post(client, url, {"version": changed.json()["version"], "title": " "}, staff, method="patch")
    assert empty.status_code == 422 and "title" in empty.json()["errors"]
    assert post(client, url, {"place": "x"}, staff, method="patch").status_code == 422
    assert post(client, url, {"version": "x"}, staff, method="patch").status_code == 422
    cancelled = post(client, f"{url}/cancel", {"version": changed.json()["version"], "reason": "汛期"}, staff)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == ActivityState.CANCELLED
    no_reason = post(client, "/api/v1/activities", {"township": str(world.township_a.uuid)}, staff)
    assert no_reason.status_code == 422 and {"type", "title", "place"} <= set(no_reason.json()["errors"])
    assert post(client, "/api/v1/activities", {"title": "x"}, bearer(world.deputy_a)).status_code == 403


def test_findings_are_added_and_turned_into_a_case_once(client, world):
    activity = held_inspection(world)
    staff = bearer(world.staff_a)
    url = f"/api/v1/activities/{activity.uuid}/findings"
    added = post(client, url, {"text": "堤坝裂缝", "raised_by": str(world.mandate_a.uuid)}, staff)
    assert added.status_code == 201 and added.json()["raised_by_name"] == world.mandate_a.person.full_name
    stranger = post(client, url, {"text": "x", "raised_by": str(world.mandate_b.uuid)}, staff)
    assert stranger.status_code == 422 and stranger.json()["errors"] == {"raised_by": ["请选择参加本次活动的代表。"]}
    finding = added.json()["uuid"]
    turned = post(client, f"/api/v1/activity-findings/{finding}/case", {"title": "堤坝维修"}, staff)
    assert turned.status_code == 201
    case = Finding.objects.get(uuid=finding).case
    assert turned.json()["reference"] == case.reference and case.source == CaseSource.ACTIVITY_FINDING
    again = post(client, f"/api/v1/activity-findings/{finding}/case", {"title": "堤坝维修"}, staff)
    assert again.status_code == 409 and again.json()["detail"] == "该问题已转为案件，不能重复转办。"
    listed = client.get(url, **staff).json()
    assert listed[0]["case_reference"] == case.reference
    assert post(client, f"/api/v1/activity-findings/{finding}/case", {"category": "不存在"}, staff).status_code in (
        409,
        422,
    )


def test_photos_are_listed_by_name_and_caption(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.activities import services_photos
    from tests.activities.findings_helpers import PNG

    activity = inspection(world)
    photo = services_photos.add_photo(activity, world.staff_a, upload=SimpleUploadedFile("a.png", PNG), caption="现场")
    listed = client.get(f"/api/v1/activities/{activity.uuid}/photos", **bearer(world.staff_a)).json()
    assert listed == [
        {
            "uuid": str(photo.uuid),
            "name": "a.png",
            "caption": "现场",
            "created_at": listed[0]["created_at"],
            "url": reverse("activities:photo", args=[photo.uuid]),
        }
    ]


def test_the_detail_asks_a_bounded_number_of_queries(client, world):
    activity = inspection(world, invite=[world.mandate_a, *[second_deputy(world) for _ in range(6)]])
    staff = bearer(world.staff_a)
    client.get(f"/api/v1/activities/{activity.uuid}", **staff)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/api/v1/activities/{activity.uuid}", **staff).json()
    assert len(body["participants"]) == 7 and len(queries) <= 12


@pytest.mark.parametrize("username", ["staff_b", "deputy_b", "other_county_admin"])
def test_outsiders_get_404_for_everything_of_the_activity(client, world, username):
    activity = held_inspection(world)
    finding = Finding.objects.create(activity=activity, text="问题")
    row = activity.participants.get()
    outsider = bearer(world.users[username])
    base = f"/api/v1/activities/{activity.uuid}"
    for path in ("", "/findings", "/photos"):
        assert client.get(base + path, **outsider).status_code == 404, path
    for path, body in (
        ("/cancel", {"version": 1, "reason": "x"}),
        ("/participants", {"participants": []}),
        ("/notice", {"version": 1}),
        ("/sign-in", {"token": activity.signin_token}),
        ("/leave", {"reason": "x"}),
        ("/held", {"version": 1}),
        ("/findings", {"text": "x"}),
    ):
        assert post(client, base + path, body, outsider).status_code == 404, path
    assert post(client, f"/api/v1/activity-findings/{finding.uuid}/case", {"title": "x"}, outsider).status_code == 404
    assert post(client, f"/api/v1/activity-participants/{row.uuid}/leave-decision", {}, outsider).status_code == 404
    assert post(client, base, {"version": 1, "title": "x"}, outsider, method="patch").status_code == 404
    listed = client.get("/api/v1/activities", **outsider).json()["items"]
    assert str(activity.uuid) not in {item["uuid"] for item in listed}
    assert not AuditEntry.objects.filter(event__startswith="activities.", actor=world.users[username]).exists()
