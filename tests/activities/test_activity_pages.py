"""The activity pages as township staff, the county administrator and deputies use them: planning
(errors keep what was typed), joint activities across townships, the activity's page, invitations
and the notice on the deputies' board, the QR sign-in on the phone (valid, wrong, withdrawn code),
staff sign-in and undo, leave asked for and decided, recording the activity held, the home cards,
the outsiders' 404 and bounded queries."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renda.activities import services
from renda.activities.models import Activity, ActivityState, ActivityType, ParticipantStatus
from renda.notices.models import Recipient
from tests import factories

pytestmark = pytest.mark.django_db

TODAY_IN_THE_TERM = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _inside_the_worlds_term(time_machine):
    time_machine.move_to(TODAY_IN_THE_TERM, tick=True)


def _type(world, category="inspection"):
    return ActivityType.objects.filter(county=world.county, category=category).first()


def _activity(world, *, starts_in=timedelta(minutes=30), invite=None, category="inspection", group=None) -> Activity:
    starts = timezone.now() + starts_in
    return services.plan_activity(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        type=_type(world, category),
        title="甲镇视察农村饮水工程",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="甲镇水厂",
        organiser="甲镇人大主席团",
        group=group,
        invite=[world.mandate_a] if invite is None else invite,
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _detail(activity) -> str:
    return reverse("activities:detail", args=[activity.uuid])


def _plan_data(world, **changes) -> dict:
    start = timezone.localtime(timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    data = {
        "township": str(world.township_a.uuid),
        "type": str(_type(world).uuid),
        "title": "甲镇视察敬老院",
        "purpose": "了解敬老院运行情况",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "甲镇敬老院",
        "organiser": "甲镇人大主席团",
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- planning


def test_staff_plan_an_activity_and_errors_keep_what_was_typed(client_for, world):
    client = client_for(world.staff_a)
    url = reverse("activities:new")
    assert client.get(url).status_code == 200
    refused = client.post(url, _plan_data(world, place=""))
    assert refused.status_code == 200
    page = _text(refused)
    assert "甲镇视察敬老院" in page and "了解敬老院运行情况" in page and "这个字段是必填项" in page
    assert not Activity.objects.unscoped().filter(title="甲镇视察敬老院").exists()
    done = client.post(url, _plan_data(world))
    activity = Activity.objects.unscoped().get(title="甲镇视察敬老院")
    assert done.status_code == 302 and done["Location"] == _detail(activity)
    assert activity.township == world.township_a and activity.category == "inspection"
    assert "甲镇敬老院" in _text(client.get(_detail(activity)))


def test_service_refusal_is_shown_beside_the_field(client_for, world):
    client = client_for(world.staff_a)
    start = _plan_data(world)["starts_at"]
    refused = client.post(reverse("activities:new"), _plan_data(world, ends_at="2020-01-01T08:00", starts_at=start))
    assert refused.status_code == 200
    page = _text(refused)
    assert "活动结束时间不能早于开始时间。" in page and "甲镇视察敬老院" in page
    assert not Activity.objects.unscoped().filter(title="甲镇视察敬老院").exists()


def test_group_activity_invites_the_groups_members(client_for, world):
    other = factories.MandateFactory(person__township=world.township_a, term=world.mandate_a.term, group=world.group_a)
    client = client_for(world.staff_a)
    client.post(
        reverse("activities:new"),
        _plan_data(world, type=str(_type(world, "group").uuid), group=str(world.group_a.uuid)),
    )
    activity = Activity.objects.unscoped().get(title="甲镇视察敬老院")
    assert set(activity.participants.values_list("mandate_id", flat=True)) == {world.mandate_a.pk, other.pk}


def test_joint_activity_seen_by_both_townships_but_run_by_the_county_only(client_for, world):
    client = client_for(world.county_admin)
    data = _plan_data(world, townships=[str(world.township_a.uuid), str(world.township_b.uuid)], title="县镇联动视察")
    del data["township"]
    assert client.get(reverse("activities:joint_new")).status_code == 200
    response = client.post(reverse("activities:joint_new"), data)
    activity = Activity.objects.unscoped().get(title="县镇联动视察")
    assert response.status_code == 302 and activity.is_joint
    assert set(activity.townships.all()) == {world.township_a, world.township_b}
    assert client.get(reverse("activities:edit", args=[activity.uuid])).status_code == 200
    for staff in (world.staff_a, world.staff_b):
        staff_client = client_for(staff)
        assert "县镇联动视察" in _text(staff_client.get(reverse("activities:list")))
        assert staff_client.get(_detail(activity)).status_code == 200
        assert staff_client.get(reverse("activities:edit", args=[activity.uuid])).status_code == 403
    assert client_for(world.staff_a).get(reverse("activities:joint_new")).status_code == 403
    assert client_for(world.other_county_admin).get(_detail(activity)).status_code == 404


def test_edit_is_versioned_and_cancel_needs_a_reason(client_for, world):
    activity = _activity(world)
    client = client_for(world.staff_a)
    url = reverse("activities:edit", args=[activity.uuid])
    form = client.get(url)
    assert form.status_code == 200
    start = timezone.localtime(activity.starts_at)
    data = {
        "version": activity.version,
        "type": str(activity.type.uuid),
        "title": "甲镇视察饮水工程（改）",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "甲镇水厂",
        "organiser": "甲镇人大主席团",
    }
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "甲镇视察饮水工程（改）"
    stale = client.post(url, {**data, "title": "又改", "version": activity.version - 1})
    assert stale.status_code == 200 and "又改" in _text(stale)
    cancel = reverse("activities:cancel", args=[activity.uuid])
    assert client.post(cancel, {"version": activity.version, "reason": ""}).status_code == 200
    assert client.post(cancel, {"version": activity.version, "reason": "天气原因"}).status_code == 302
    activity.refresh_from_db()
    assert activity.state == ActivityState.CANCELLED and "天气原因" in _text(client.get(_detail(activity)))


# ---------------------------------------------------------------- invitations and notice


def test_invitations_and_the_notice_reach_the_deputies_board(client_for, world):
    activity = _activity(world, invite=[], starts_in=timedelta(days=10))
    client = client_for(world.staff_a)
    page = _text(client.get(_detail(activity)))
    assert services.default_notice_text(activity)[:10] in page
    response = client.post(
        reverse("activities:participants", args=[activity.uuid]), {"mandates": [str(world.mandate_a.uuid)]}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    response = client.post(
        reverse("activities:notice", args=[activity.uuid]), {"version": activity.version, "text": "请准时参加视察。"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.state == ActivityState.NOTIFIED
    assert Recipient.objects.unscoped().filter(notice__title=activity.title, user=world.deputy_a).exists()
    assert not Recipient.objects.unscoped().filter(notice__title=activity.title, user=world.deputy_b).exists()
    assert "请准时参加视察。" in _text(client.get(_detail(activity)))
    # The invited deputy sees it in the list and on the home page; the other township's deputy does not.
    deputy = client_for(world.deputy_a)
    assert activity.title in _text(deputy.get(reverse("activities:list")))
    assert activity.title in _text(deputy.get(reverse("home")))
    assert client_for(world.deputy_b).get(_detail(activity)).status_code == 404


def test_a_deputy_may_not_be_invited_from_another_township(client_for, world):
    activity = _activity(world, invite=[])
    with pytest.raises(ValidationError):
        services.set_participants(activity, world.staff_a, mandates=[world.mandate_b])
    response = client_for(world.staff_a).post(
        reverse("activities:participants", args=[activity.uuid]), {"mandates": [str(world.mandate_b.uuid)]}
    )
    assert response.status_code == 200 and not activity.participants.exists()


# ---------------------------------------------------------------- sign-in


def test_qr_sign_in_valid_wrong_and_withdrawn_code(client_for, world):
    activity = _activity(world)
    staff = client_for(world.staff_a)
    code_page = staff.get(reverse("activities:signin_code", args=[activity.uuid]))
    assert code_page.status_code == 200 and activity.signin_token in _text(code_page)
    svg = staff.get(reverse("activities:signin_qr", args=[activity.uuid]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    old_token = activity.signin_token
    assert staff.post(reverse("activities:signin_code_withdraw", args=[activity.uuid])).status_code == 302
    activity.refresh_from_db()
    assert activity.signin_token != old_token

    deputy = client_for(world.deputy_a)
    withdrawn = deputy.get(reverse("activities:signin", args=[old_token]))
    assert withdrawn.status_code == 404 and "此签到码已失效" in _text(withdrawn)
    wrong = deputy.post(reverse("activities:signin", args=["no-such-code"]))
    assert wrong.status_code == 404 and "此签到码已失效" in _text(wrong)
    row = activity.participants.get(mandate=world.mandate_a)
    assert row.status == ParticipantStatus.INVITED
    url = reverse("activities:signin", args=[activity.signin_token])
    assert deputy.get(url).status_code == 200
    assert deputy.post(url).status_code == 302
    row.refresh_from_db()
    assert row.status == ParticipantStatus.PRESENT and row.signin_method == "qr"
    assert 'id="signed-in"' in _text(deputy.get(url))
    # Another deputy with the valid code: refused in Chinese, not signed in.
    refused = client_for(world.deputy_b).get(url)
    assert refused.status_code == 403 and "您未被邀请参加此活动。" in _text(refused)


def test_staff_sign_in_and_undo(client_for, world):
    activity = _activity(world)
    row = activity.participants.get(mandate=world.mandate_a)
    client = client_for(world.staff_a)
    assert client.post(reverse("activities:participant_sign_in", args=[row.uuid])).status_code == 302
    row.refresh_from_db()
    assert row.status == ParticipantStatus.PRESENT and row.signin_method == "staff"
    assert client.post(reverse("activities:participant_undo", args=[row.uuid])).status_code == 302
    row.refresh_from_db()
    assert row.status == ParticipantStatus.INVITED
    for outsider in (world.staff_b, world.deputy_b, world.other_county_admin):
        assert client_for(outsider).post(reverse("activities:participant_sign_in", args=[row.uuid])).status_code == 404


# ---------------------------------------------------------------- leave and held


def test_leave_request_approve_and_refuse(client_for, world):
    other = factories.MandateFactory(person__township=world.township_a, term=world.mandate_a.term)
    other.person.user = factories.UserFactory(role="deputy", county=world.county)
    other.person.save()
    activity = _activity(world, invite=[world.mandate_a, other], starts_in=timedelta(days=3))
    mine = activity.participants.get(mandate=world.mandate_a)
    deputy = client_for(world.deputy_a)
    url = reverse("activities:leave_request", args=[mine.uuid])
    assert deputy.get(url).status_code == 200
    assert deputy.post(url, {"reason": ""}).status_code == 200
    assert deputy.post(url, {"reason": "外出学习"}).status_code == 302
    mine.refresh_from_db()
    assert mine.leave_state == "pending"
    theirs = activity.participants.get(mandate=other)
    services.request_leave(theirs, other.person.user, reason="身体不适")

    staff = client_for(world.staff_a)
    page = _text(staff.get(_detail(activity)))
    assert "外出学习" in page and "身体不适" in page
    decide = reverse("activities:leave_decide", args=[mine.uuid])
    assert staff.post(decide, {"decision": "approve"}).status_code == 302
    mine.refresh_from_db()
    assert mine.leave_state == "approved" and mine.status == ParticipantStatus.LEAVE
    decide = reverse("activities:leave_decide", args=[theirs.uuid])
    assert staff.post(decide, {"decision": "refuse", "note": ""}).status_code == 200
    assert staff.post(decide, {"decision": "refuse", "note": "活动重要，请参加"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.leave_state == "refused" and theirs.status == ParticipantStatus.INVITED
    assert "请假已批准" in _text(deputy.get(url))
    assert client_for(world.deputy_b).get(url).status_code == 404
    assert client_for(world.deputy_a).post(decide, {"decision": "approve"}).status_code == 404


def test_record_held_marks_the_absent(client_for, world):
    others = [factories.MandateFactory(person__township=world.township_a, term=world.mandate_a.term) for _ in range(2)]
    activity = _activity(world, invite=[world.mandate_a, *others], starts_in=-timedelta(minutes=10))
    services.sign_in(activity, world.staff_a, participant=activity.participants.get(mandate=others[0]))
    client = client_for(world.staff_a)
    early = _activity(world, starts_in=timedelta(days=2))
    assert client.post(reverse("activities:held", args=[early.uuid]), {"version": early.version}).status_code == 200
    response = client.post(reverse("activities:held", args=[activity.uuid]), {"version": activity.version})
    assert response.status_code == 302
    statuses = dict(activity.participants.values_list("mandate_id", "status"))
    assert statuses == {world.mandate_a.pk: "absent", others[0].pk: "present", others[1].pk: "absent"}
    activity.refresh_from_db()
    assert activity.state == ActivityState.HELD
    # Held without minutes: on the staff's home card until written.
    assert "已举行，尚无纪要。" in _text(client.get(reverse("home")))
    minutes = reverse("activities:minutes", args=[activity.uuid])
    assert client.post(minutes, {"version": activity.version, "minutes": "视察发现三处问题。"}).status_code == 302
    assert "视察发现三处问题。" in _text(client.get(_detail(activity)))


# ---------------------------------------------------------------- scope and queries


def test_outsiders_get_404_on_every_page(client_for, world):
    activity = _activity(world)
    row = activity.participants.get(mandate=world.mandate_a)
    pages = [
        reverse(name, args=[activity.uuid])
        for name in (
            "activities:detail",
            "activities:edit",
            "activities:cancel",
            "activities:notice",
            "activities:participants",
            "activities:held",
            "activities:minutes",
            "activities:signin_code",
            "activities:signin_qr",
        )
    ]
    pages += [reverse(name, args=[row.uuid]) for name in ("activities:leave_request", "activities:leave_decide")]
    for outsider in (world.staff_b, world.deputy_b, world.other_county_admin):
        client = client_for(outsider)
        for url in pages:
            assert client.get(url).status_code == 404, (outsider.username, url)
        assert activity.title not in _text(client.get(reverse("activities:list")))


def test_agency_handlers_have_no_menu_entry(client_for, world):
    assert client_for(world.handler_x).get(reverse("activities:list")).status_code == 403
    assert reverse("activities:list") in _text(client_for(world.staff_a).get(reverse("home")))


def test_bounded_queries_on_the_list_and_the_detail_with_50_participants(client_for, world):
    term = world.mandate_a.term
    mandates = [factories.MandateFactory(person__township=world.township_a, term=term) for _ in range(49)]
    activity = _activity(world, invite=[world.mandate_a, *mandates])
    for _ in range(5):
        _activity(world, invite=mandates[:3])
    for row in activity.participants.all()[:10]:
        services.request_leave(row, world.staff_a, reason="有事")
    client = client_for(world.staff_a)
    with CaptureQueriesContext(connection) as detail:
        assert client.get(_detail(activity)).status_code == 200
    assert len(detail) <= 20
    with CaptureQueriesContext(connection) as listing:
        assert client.get(reverse("activities:list")).status_code == 200
    assert len(listing) <= 20
