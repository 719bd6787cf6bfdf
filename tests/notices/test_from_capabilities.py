"""Capabilities post to the board: a meeting's notice reaches the expected deputies, the announced
reception-day duty reaches the deputies on duty, each linking to its page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from renda.casework import reception
from renda.meetings import services as meetings
from renda.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_sending_a_meeting_notice_posts_it_to_the_expected_deputies(client_for, world):
    meeting = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() + timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=11),
        venue="甲镇会议中心",
    )
    meetings.send_notice(meeting, world.staff_a, expected_version=meeting.version, text="请准时参加会议")
    notice = Notice.objects.unscoped().get(kind="meeting")
    assert notice.township == world.township_a and notice.body == "请准时参加会议"
    assert notice.link == f"/meetings/{meeting.uuid}/"
    assert list(notice.recipients.values_list("user__username", flat=True)) == ["deputy_a"]
    page = client_for(world.deputy_a).get(f"/notices/{notice.uuid}/").content.decode()
    assert f"/meetings/{meeting.uuid}/" in page


def test_announcing_reception_days_posts_the_duty_to_the_deputies_on_duty(world):
    today = timezone.localdate()
    day = reception.day_save(
        station=world.station_a,
        actor=world.staff_a,
        date=today + timedelta(days=5),
        place="甲镇联络站",
        deputies=[world.mandate_a],
    )
    assert reception.announce(station=world.station_a, actor=world.staff_a, today=today) == 1
    notice = Notice.objects.unscoped().get(kind="reception")
    assert list(notice.recipients.values_list("user__username", flat=True)) == ["deputy_a"]
    assert day.date.isoformat() in notice.body and str(day.uuid) in notice.link
    # Nothing new to announce: no second notice.
    reception.announce(station=world.station_a, actor=world.staff_a, today=today)
    assert Notice.objects.unscoped().filter(kind="reception").count() == 1
