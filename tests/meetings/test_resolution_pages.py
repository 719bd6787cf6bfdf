"""Resolutions through the pages: adopted from a passed vote with units of the township and the
county, reported on twice (by the responsible unit's handler and by staff), overdue reports in red
on the list, its filter and both home cards, marked carried out by a presidium meeting, and the
outsiders — another township's staff, another unit's handler — refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.meetings import services as meetings
from renda.meetings.models import Resolution, ResolutionState
from tests.meetings.test_vote_pages import rendered_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote(world):
    """A vote passed at township A's session in progress (its one deputy present)."""
    session = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_on=timezone.localdate(),
    )
    meetings.sign_in(session, world.staff_a, attendance=session.attendances.get())
    session = meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    return meetings.record_vote(
        session,
        world.staff_a,
        kind="decision",
        title="关于修建村道的决定",
        method="hands",
        votes_for=1,
        votes_against=0,
        abstentions=0,
    )


def adopt(world, vote) -> Resolution:
    return meetings.adopt_resolution(
        vote.meeting,
        world.staff_a,
        kind="decision",
        title=vote.title,
        text="决定修建村道三公里。",
        units=[world.agency_a],
        vote=vote,
    )


def test_adopt_from_a_passed_vote_through_the_page(client_for, world, vote):
    client = client_for(world.staff_a)
    votes_page = client.get(reverse("meetings:votes", args=[vote.meeting.uuid])).content.decode()
    adopt_url = f"{reverse('meetings:resolution_adopt', args=[vote.meeting.uuid])}?vote={vote.uuid}"
    assert adopt_url in votes_page
    form = client.get(adopt_url).content.decode()
    assert 'value="关于修建村道的决定"' in form and world.agency_a.name in form and world.county_agency.name in form
    assert world.agency_b.name not in form  # another township's agencies are not offered

    data = {"vote": str(vote.uuid), "kind": "decision", "title": "关于修建村道的决定", "adopted_on": vote.meeting.date}
    refused = client.post(adopt_url, {**data, "text": "决定全文"})  # no unit chosen
    assert refused.status_code == 200 and "决定全文" in refused.content.decode()
    units = [str(world.agency_a.uuid), str(world.county_agency.uuid)]
    response = client.post(adopt_url, {**data, "text": "决定修建村道三公里。", "units": units})
    resolution = Resolution.objects.unscoped().get(vote=vote)
    assert response.url == reverse("meetings:resolution", args=[resolution.uuid])
    page = client.get(response.url).content.decode()
    for text in (
        "决定修建村道三公里。",
        world.agency_a.name,
        world.county_agency.name,
        "下次报告期限",
        "尚无落实情况报告。",
    ):
        assert text in page, text
    # The vote now links to its resolution, and cannot adopt a second one.
    assert client.post(adopt_url, {**data, "text": "再次", "units": units}).status_code == 200
    assert Resolution.objects.unscoped().filter(vote=vote).count() == 1


def test_two_reports_by_the_handler_and_the_staff(client_for, world, vote, time_machine):
    resolution = adopt(world, vote)
    first_due = resolution.next_report_due_on
    report_url = reverse("meetings:resolution_report", args=[resolution.uuid])
    detail_url = reverse("meetings:resolution", args=[resolution.uuid])

    # The responsible unit's handler reports for their unit: the unit is not asked.
    handler = client_for(world.handler_x)
    page = handler.get(detail_url).content.decode()
    assert "报告落实情况" in page and 'name="agency"' not in page
    assert "主席团认定已落实" not in page
    time_machine.move_to(timezone.now() + timedelta(days=3))
    handler = client_for(world.handler_x)  # days later: a new session
    response = handler.post(report_url, {"reported_on": timezone.localdate(), "text": "已完成道路勘测"})
    assert response.url == detail_url
    # A report dated in the future is refused, with what was typed kept.
    refused = handler.post(
        report_url, {"reported_on": timezone.localdate() + timedelta(days=2), "text": "提前写好的报告"}
    ).content.decode()
    assert "提前写好的报告" in refused and "日期" in refused

    # Staff report for a unit they choose.
    time_machine.move_to(timezone.now() + timedelta(days=5))
    staff = client_for(world.staff_a)
    assert 'name="agency"' in staff.get(detail_url).content.decode()
    data = {"reported_on": timezone.localdate(), "text": "道路已开工建设", "agency": str(world.agency_a.uuid)}
    assert staff.post(report_url, data).url == detail_url

    resolution.refresh_from_db()
    assert resolution.next_report_due_on > first_due
    page = staff.get(detail_url).content.decode()
    assert page.index("已完成道路勘测") < page.index("道路已开工建设")
    assert page.count(world.agency_a.name) >= 3  # the unit, and each report's unit
    assert resolution.reports.count() == 2


def test_overdue_report_shows_in_red_on_the_list_filter_and_home_cards(client_for, world, vote):
    late = adopt(world, vote)
    Resolution.objects.unscoped().filter(pk=late.pk).update(next_report_due_on=timezone.localdate() - timedelta(days=1))
    staff = client_for(world.staff_a)
    listing = staff.get(reverse("meetings:resolutions")).content.decode()
    assert "关于修建村道的决定" in listing and "text-bg-danger" in listing and "报告逾期" in listing
    overdue = staff.get(reverse("meetings:resolutions"), {"state": "overdue"}).content.decode()
    assert "关于修建村道的决定" in overdue
    assert "关于修建村道的决定" not in staff.get(reverse("meetings:resolutions"), {"state": "done"}).content.decode()
    detail = staff.get(reverse("meetings:resolution", args=[late.uuid])).content.decode()
    assert "text-bg-danger" in detail

    home = staff.get(reverse("home")).content.decode()
    assert "决议落实" in home and f"{reverse('meetings:resolutions')}?state=overdue" in home
    handler_home = client_for(world.handler_x).get(reverse("home")).content.decode()
    assert "待报告落实情况的决议" in handler_home and "关于修建村道的决定" in handler_home
    assert "报告逾期" in handler_home
    assert "关于修建村道的决定" not in client_for(world.handler_y).get(reverse("home")).content.decode()


def test_list_filters_and_scope(client_for, world, vote):
    adopt(world, vote)
    assert world.rows["meetings.resolution"]["b"]
    county = client_for(world.county_admin).get(reverse("meetings:resolutions")).content.decode()
    assert "关于修建村道的决定" in county and "乙镇关于政府工作报告的决议" in county
    only_a = client_for(world.county_admin).get(
        reverse("meetings:resolutions"), {"township": str(world.township_a.uuid)}
    )
    assert "乙镇关于政府工作报告的决议" not in only_a.content.decode()
    staff = client_for(world.staff_a).get(reverse("meetings:resolutions"), {"q": "村道"}).content.decode()
    assert "关于修建村道的决定" in staff and "甲镇关于政府工作报告的决议" not in staff
    # Filters it cannot read are ignored, not an error.
    assert client_for(world.staff_a).get(reverse("meetings:resolutions"), {"township": "x"}).status_code == 200
    assert client_for(world.deputy_a).get(reverse("meetings:resolutions")).status_code == 403


def test_list_query_count_is_bounded(client_for, world, vote, django_assert_max_num_queries):
    for number in range(12):
        meetings.adopt_resolution(
            vote.meeting, world.staff_a, kind="resolution", title=f"决议{number}", text="全文", units=[world.agency_a]
        )
    client = client_for(world.staff_a)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("meetings:resolutions")).status_code == 200


def test_marked_carried_out_by_a_presidium_meeting(client_for, world, vote):
    resolution = adopt(world, vote)
    meetings.report_implementation(resolution, world.handler_x, text="已完成")
    presidium = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="presidium",
        starts_at=timezone.now(),
        ends_on=timezone.localdate(),
    )
    meetings.set_participants(presidium, world.staff_a, mandates=[world.mandate_a])
    presidium.refresh_from_db()
    presidium = meetings.open_meeting(presidium, world.staff_a, expected_version=presidium.version)
    resolution.refresh_from_db()
    client = client_for(world.staff_a)
    done_url = reverse("meetings:resolution_done", args=[resolution.uuid])
    page = client.get(reverse("meetings:resolution", args=[resolution.uuid])).content.decode()
    assert done_url in page and "主席团第一次会议" in page
    # A stale form is refused with the house's message.
    stale = client.post(
        done_url, {"presidium_meeting": str(presidium.uuid), "note": "已落实", "version": resolution.version - 1}
    )
    assert "此记录已被他人修改" in stale.content.decode()
    response = client.post(
        done_url, {"presidium_meeting": str(presidium.uuid), "note": "已按期落实", "version": resolution.version}
    )
    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.state == ResolutionState.DONE and resolution.done_meeting == presidium
    page = client.get(reverse("meetings:resolution", args=[resolution.uuid])).content.decode()
    assert "已按期落实" in page and "报告落实情况" not in page and done_url not in page
    # The presidium meeting's page part names it among those found carried out.
    assert "本次会议认定已落实" in rendered_part("resolutions", presidium, world.staff_a)
    # A handler may report, never mark carried out.
    assert client_for(world.handler_x).get(done_url).status_code == 403


def test_meeting_page_part(world, vote):
    assert "本次会议尚未登记决议。" in rendered_part("resolutions", vote.meeting, world.staff_a)
    assert rendered_part("resolutions", vote.meeting, world.leader) is None  # nothing to show, nothing to do
    resolution = adopt(world, vote)
    staff = rendered_part("resolutions", vote.meeting, world.staff_a)
    assert resolution.title in staff and reverse("meetings:resolution_adopt", args=[vote.meeting.uuid]) in staff
    leader = rendered_part("resolutions", vote.meeting, world.leader)
    assert resolution.title in leader and "登记决议" not in leader
    assert rendered_part("resolutions", vote.meeting, world.deputy_a) is None


@pytest.mark.parametrize("username", ["staff_b", "handler_y", "deputy_a", "other_county_admin"])
def test_outsiders_get_404(client_for, world, username):
    resolution = world.rows["meetings.resolution"]["a"][0]
    client = client_for(world.users[username])
    for name in ("meetings:resolution", "meetings:resolution_report", "meetings:resolution_done"):
        url = reverse(name, args=[resolution.uuid])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"text": "乙镇冒名报告", "reported_on": timezone.localdate()}).status_code == 404
    meeting = resolution.meeting
    assert client.get(reverse("meetings:resolution_adopt", args=[meeting.uuid])).status_code in (403, 404)
    assert resolution.reports.count() == 1
    listing = client.get(reverse("meetings:resolutions"))
    assert listing.status_code in (200, 403) and resolution.title not in listing.content.decode()
