"""The meetings' own pages as their users meet them: staff plan a session, change its plan, send
its notice (on time or late), build its agenda with documents, choose a presidium meeting's
participants, add observers and cancel; the deputies expected read the notice and the documents on
the meeting's page and their home card; the list filters; outsiders get 404 for everything."""

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.meetings import services as meetings
from renda.meetings.models import Meeting, MeetingState
from tests import factories

pytestmark = pytest.mark.django_db

STALE = "此记录已被他人修改"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
OUTSIDERS = ("staff_b", "deputy_b", "handler_x", "other_county_admin")


@pytest.fixture
def congress(world):
    """Township A's congress: the world's deputy and four more. The term ends 2031-12-19
    (tests/factories.py): sessions are planned less than three weeks ahead."""
    term = world.mandate_a.term
    others = [factories.MandateFactory(person__township=world.township_a, term=term) for _ in range(4)]
    return [world.mandate_a, *others]


def _at(days_ahead: int, hour: int = 9) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _session(world, *, days_ahead=20, **kwargs) -> Meeting:
    starts = _at(days_ahead)
    return meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=starts,
        ends_on=starts.date() + timedelta(days=1),
        venue="甲镇会议中心",
        **kwargs,
    )


def _fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.unscoped().get(pk=meeting.pk)


def _body(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- the list


@pytest.mark.parametrize("username", ["staff_a", "county_admin", "leader"])
def test_list_shows_the_official_name_and_the_notice_warning(client_for, world, congress, username):
    late = _session(world, days_ahead=3)  # the notice was due four days ago and is not sent
    later = _session(world, days_ahead=20)
    page = _body(client_for(world.users[username]).get(reverse("meetings:list")))
    assert late.name in page and later.name in page
    assert "甲镇第十二届人民代表大会第一次会议" in page
    assert "通知未发" in page  # only the late one: the other's notice is not due yet
    assert page.count("通知未发") == 1


def test_list_filters_by_kind_state_and_year(client_for, world, congress):
    session = _session(world)
    presidium = meetings.plan_meeting(
        world.staff_a, township=world.township_a, kind="presidium", starts_at=_at(5), ends_on=_at(5).date()
    )
    client = client_for(world.staff_a)
    page = _body(client.get(reverse("meetings:list"), {"kind": "presidium"}))
    assert presidium.name in page and session.name not in page
    page = _body(client.get(reverse("meetings:list"), {"state": "cancelled"}))
    assert presidium.name not in page and "没有符合条件的会议" in page
    page = _body(client.get(reverse("meetings:list"), {"year": str(session.starts_at.year)}))
    assert session.name in page
    # A hand-edited address filters nothing and says so.
    page = _body(client.get(reverse("meetings:list"), {"kind": "party", "year": "1900"}))
    assert session.name in page and presidium.name in page


def test_county_admin_filters_by_township_staff_see_their_own(client_for, world, congress):
    own = _session(world)
    term_b = world.mandate_b.term
    other = meetings.plan_meeting(
        world.staff_b, township=world.township_b, kind="session", term=term_b, starts_at=_at(12), ends_on=_at(12).date()
    )
    admin = client_for(world.county_admin)
    page = _body(admin.get(reverse("meetings:list"), {"township": str(world.township_b.uuid)}))
    assert other.name in page and own.name not in page
    page = _body(client_for(world.staff_a).get(reverse("meetings:list")))
    assert own.name in page and other.name not in page and 'name="township"' not in page


def test_deputies_see_the_meetings_they_are_expected_at(client_for, world, congress):
    session = _session(world)
    assert session.name in _body(client_for(world.deputy_a).get(reverse("meetings:list")))
    assert session.name not in _body(client_for(world.deputy_b).get(reverse("meetings:list")))
    assert client_for(world.handler_x).get(reverse("meetings:list")).status_code == 403


def test_menu_entry_for_staff_leaders_and_deputies(client_for, world):
    for username, shown in (("staff_a", True), ("county_admin", True), ("leader", True), ("deputy_a", True)):
        page = _body(client_for(world.users[username]).get(reverse("home")))
        assert (f'href="{reverse("meetings:list")}"' in page) is shown, username
    page = _body(client_for(world.handler_x).get(reverse("home")))
    assert f'href="{reverse("meetings:list")}"' not in page


# ---------------------------------------------------------------- planning


def test_staff_plan_a_session_through_the_page(client_for, world, congress):
    client = client_for(world.staff_a)
    form = _body(client.get(reverse("meetings:new")))
    assert "会议类型" in form
    starts = _at(20)
    response = client.post(
        reverse("meetings:new"),
        {
            "kind": "session",
            "township": str(world.township_a.uuid),
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_on": (starts.date() + timedelta(days=1)).isoformat(),
            "venue": "甲镇会议中心",
            "motion_deadline": (starts - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    meeting = Meeting.objects.unscoped().get(township=world.township_a)
    assert response.status_code == 302 and response.url == reverse("meetings:detail", args=[meeting.uuid])
    page = _body(client.get(response.url))
    assert "甲镇第十二届人民代表大会第一次会议" in page and "甲镇会议中心" in page
    assert meeting.attendances.count() == 5  # the congress's roster is expected


def test_the_plan_form_keeps_what_was_typed_when_refused(client_for, world, congress):
    client = client_for(world.staff_a)
    starts = _at(20)
    data = {
        "kind": "county",
        "township": str(world.township_a.uuid),
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_on": (starts.date() - timedelta(days=1)).isoformat(),
        "venue": "县人大常委会会议室",
    }
    page = _body(client.post(reverse("meetings:new"), data))
    assert "请填写会议名称" in page  # a county-level meeting needs its title
    assert "会议结束日期不能早于开始日期" in page
    assert "县人大常委会会议室" in page and starts.strftime("%Y-%m-%dT%H:%M") in page
    assert not Meeting.objects.unscoped().exists()


def test_an_extra_session_asked_by_too_few_deputies_is_refused_with_the_count(client_for, world, congress):
    client = client_for(world.staff_a)
    starts = _at(15)
    data = {
        "kind": "session",
        "township": str(world.township_a.uuid),
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_on": starts.date().isoformat(),
        "extra_basis": "deputies",
        "extra_requesters": [],
    }
    page = _body(client.post(reverse("meetings:new"), data))
    assert "五分之一" in page and "现有0名" in page
    data["extra_requesters"] = [str(congress[0].uuid)]
    response = client.post(reverse("meetings:new"), data)
    assert response.status_code == 302
    assert Meeting.objects.unscoped().get().is_extra


def test_staff_change_the_plan_and_a_stale_form_is_refused(client_for, world, congress):
    session = _session(world)
    client = client_for(world.staff_a)
    url = reverse("meetings:edit", args=[session.uuid])
    starts = timezone.localtime(session.starts_at)
    data = {
        "version": session.version,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_on": session.ends_on.isoformat(),
        "venue": "镇政府三楼会议室",
    }
    assert client.post(url, data).status_code == 302
    session = _fresh(session)
    assert session.venue == "镇政府三楼会议室"
    # Someone saved in between: the old form is refused and what was typed is kept.
    data["venue"] = "镇文化站"
    page = _body(client.post(url, data))
    assert STALE in page and "镇文化站" in page
    assert _fresh(session).venue == "镇政府三楼会议室"
    entry = AuditEntry.objects.filter(event="meetings.meeting.update").get()
    assert entry.data["fields"] == ["venue"]


def test_staff_cancel_with_a_reason(client_for, world, congress):
    session = _session(world)
    client = client_for(world.staff_a)
    url = reverse("meetings:cancel", args=[session.uuid])
    page = _body(client.post(url, {"version": session.version, "reason": ""}))
    assert "这个字段是必填项" in page
    response = client.post(url, {"version": session.version, "reason": "疫情防控需要"})
    assert response.status_code == 302
    assert _fresh(session).state == MeetingState.CANCELLED
    page = _body(client.get(reverse("meetings:detail", args=[session.uuid])))
    assert "已取消" in page and reverse("meetings:cancel", args=[session.uuid]) not in page


def test_a_leader_reads_but_plans_nothing(client_for, world, congress):
    session = _session(world)
    client = client_for(world.leader)
    page = _body(client.get(reverse("meetings:detail", args=[session.uuid])))
    assert session.name in page and reverse("meetings:edit", args=[session.uuid]) not in page
    assert client.get(reverse("meetings:new")).status_code == 403
    assert client.post(reverse("meetings:cancel", args=[session.uuid]), {"reason": "x"}).status_code == 403


# ---------------------------------------------------------------- the notice


def test_the_notice_is_offered_with_a_text_made_from_the_meeting(client_for, world, congress):
    session = _session(world)
    meetings.add_agenda_item(session, world.staff_a, kind="government_report", title="政府工作报告")
    client = client_for(world.staff_a)
    page = _body(client.get(reverse("meetings:detail", args=[session.uuid])))
    due = (session.date - timedelta(days=7)).isoformat()
    assert f"会议通知应于{due}前送达代表" in page
    assert f"召开{session.name}" in page and "甲镇会议中心" in page and "1. 政府工作报告" in page
    response = client.post(
        reverse("meetings:notice", args=[session.uuid]),
        {"version": _fresh(session).version, "text": "各位代表：定于下月召开人代会。"},
    )
    assert response.status_code == 302
    session = _fresh(session)
    assert session.state == MeetingState.NOTIFIED
    page = _body(client.get(reverse("meetings:detail", args=[session.uuid])))
    assert "按时" in page and "各位代表：定于下月召开人代会。" in page
    # The expected deputy reads it on the meeting's page and on the home card.
    deputy = client_for(world.deputy_a)
    assert "各位代表：定于下月召开人代会。" in _body(deputy.get(reverse("meetings:detail", args=[session.uuid])))
    home = _body(deputy.get(reverse("home")))
    assert "我的会议" in home and session.name in home and "各位代表：定于下月召开人代会。" in home


def test_a_late_notice_is_flagged_and_still_sent(client_for, world, congress):
    session = _session(world, days_ahead=3)
    client = client_for(world.staff_a)
    page = _body(client.get(reverse("meetings:detail", args=[session.uuid])))
    assert "通知送达期限已过" in page
    response = client.post(
        reverse("meetings:notice", args=[session.uuid]), {"version": session.version, "text": "通知"}, follow=True
    )
    page = _body(response)
    assert "通知已发出，但已逾期" in page and "逾期" in page


def test_a_stale_notice_form_is_refused_with_the_text_kept(client_for, world, congress):
    session = _session(world)
    client = client_for(world.staff_a)
    old = session.version
    meetings.update_meeting(session, world.staff_a, expected_version=old, venue="新地点")
    page = _body(client.post(reverse("meetings:notice", args=[session.uuid]), {"version": old, "text": "我的通知稿"}))
    assert STALE in page and "我的通知稿" in page
    assert _fresh(session).notice_sent_at is None


# ---------------------------------------------------------------- agenda and documents


def test_agenda_items_documents_and_their_download(client_for, world, congress):
    session = _session(world)
    client = client_for(world.staff_a)
    response = client.post(
        reverse("meetings:agenda_add", args=[session.uuid]),
        {"kind": "budget_report", "title": "财政预算报告", "presenter": "镇长"},
    )
    assert response.status_code == 302
    item = session.agenda.get()
    page = _body(client.post(reverse("meetings:agenda_add", args=[session.uuid]), {"kind": "other", "title": ""}))
    assert "这个字段是必填项" in page and session.agenda.count() == 1
    # A document for the item, then a file of a refused type (the message is on the form).
    upload = SimpleUploadedFile("预算草案.png", PNG, content_type="image/png")
    response = client.post(reverse("meetings:agenda_document_add", args=[item.uuid]), {"file": upload})
    assert response.status_code == 302
    bad = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    page = _body(client.post(reverse("meetings:agenda_document_add", args=[item.uuid]), {"file": bad}))
    assert "只接受以下类型的文件" in page and item.documents.count() == 1
    document = item.documents.get()
    page = _body(client.get(reverse("meetings:detail", args=[session.uuid])))
    assert "财政预算报告" in page and "镇长" in page and "预算草案.png" in page
    # The expected deputy downloads it; the download is audited.
    deputy = client_for(world.deputy_a)
    download = deputy.get(reverse("meetings:agenda_document", args=[document.uuid]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert AuditEntry.objects.filter(event="export.meetings.agenda_document", actor=world.deputy_a).exists()
    for username in OUTSIDERS + ("deputy_b",):
        outsider = client_for(world.users[username])
        assert outsider.get(reverse("meetings:agenda_document", args=[document.uuid])).status_code == 404
    # Removing the item.
    client = client_for(world.staff_a)
    response = client.post(reverse("meetings:agenda_remove", args=[item.uuid]))
    assert response.status_code == 302 and not session.agenda.exists()


def test_agenda_items_stay_once_the_meeting_has_opened(client_for, world, congress, time_machine):
    session = _session(world, days_ahead=0)
    item = meetings.add_agenda_item(session, world.staff_a, kind="resolution", title="关于预算的决议")
    time_machine.move_to(session.starts_at)
    for row in session.attendances.all()[:4]:
        meetings.sign_in(session, world.staff_a, attendance=row)
    session = meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    client = client_for(world.staff_a)
    response = client.post(reverse("meetings:agenda_remove", args=[item.uuid]), follow=True)
    assert "会议已开幕，议程不能再删除" in _body(response)
    assert session.agenda.filter(pk=item.pk).exists()


# ---------------------------------------------------------------- participants and observers


def test_presidium_participants_and_observers(client_for, world, congress):
    presidium = meetings.plan_meeting(
        world.staff_a, township=world.township_a, kind="presidium", starts_at=_at(5), ends_on=_at(5).date()
    )
    client = client_for(world.staff_a)
    url = reverse("meetings:participants", args=[presidium.uuid])
    page = _body(client.get(url))
    assert all(m.person.full_name in page for m in congress)
    chosen = congress[:3]
    assert client.post(url, {"mandates": [str(m.uuid) for m in chosen]}).status_code == 302
    assert set(presidium.attendances.values_list("mandate_id", flat=True)) == {m.pk for m in chosen}
    response = client.post(
        reverse("meetings:observer_add", args=[presidium.uuid]), {"name": "王列席", "position": "镇政府办"}
    )
    assert response.status_code == 302
    page = _body(client.get(reverse("meetings:detail", args=[presidium.uuid])))
    assert "王列席" in page and chosen[0].person.full_name in page
    assert "甲镇第十二届人民代表大会主席团第一次会议" in page
    # The world's deputy, chosen first, is expected now: the meeting is on their list.
    assert presidium.name in _body(client_for(world.deputy_a).get(reverse("meetings:list")))
    client = client_for(world.staff_a)
    page = _body(client.post(reverse("meetings:observer_add", args=[presidium.uuid]), {"name": ""}))
    assert "这个字段是必填项" in page


# ---------------------------------------------------------------- home cards


def test_staff_home_card_warns_of_a_notice_due_soon(client_for, world, congress):
    soon = _session(world, days_ahead=9)  # due in two days
    later = _session(world, days_ahead=20)
    home = _body(client_for(world.staff_a).get(reverse("home")))
    assert soon.name in home and later.name in home
    due = (soon.date - timedelta(days=7)).isoformat()
    assert f"请于{due}前发出通知" in home
    assert soon.name not in _body(client_for(world.staff_b).get(reverse("home")))


def test_deputy_home_card_lists_the_coming_meetings_only(client_for, world, congress):
    soon = _session(world, days_ahead=10)
    # Beyond the term's end only a county-level meeting can be planned; the deputy is invited.
    far = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="county",
        title="县人大常委会扩大会议",
        starts_at=_at(45),
        ends_on=_at(45).date(),
    )
    meetings.set_participants(far, world.staff_a, mandates=[world.mandate_a])
    assert far.name in _body(client_for(world.deputy_a).get(reverse("meetings:list")))
    home = _body(client_for(world.deputy_a).get(reverse("home")))
    assert soon.name in home and far.name not in home
    assert "今后30天内没有会议" in _body(client_for(world.deputy_b).get(reverse("home")))


# ---------------------------------------------------------------- outsiders


def _urls(meeting: Meeting, item, document) -> list[str]:
    return [
        reverse("meetings:detail", args=[meeting.uuid]),
        reverse("meetings:edit", args=[meeting.uuid]),
        reverse("meetings:cancel", args=[meeting.uuid]),
        reverse("meetings:notice", args=[meeting.uuid]),
        reverse("meetings:agenda_add", args=[meeting.uuid]),
        reverse("meetings:participants", args=[meeting.uuid]),
        reverse("meetings:observer_add", args=[meeting.uuid]),
        reverse("meetings:agenda_remove", args=[item.uuid]),
        reverse("meetings:agenda_document_add", args=[item.uuid]),
        reverse("meetings:agenda_document", args=[document.uuid]),
    ]


def test_outsiders_get_404_for_every_page_and_change_nothing(client_for, world, congress):
    session = _session(world)
    item = meetings.add_agenda_item(session, world.staff_a, kind="other", title="其他事项")
    upload = SimpleUploadedFile("材料.png", PNG, content_type="image/png")
    document = meetings.add_agenda_document(item, world.staff_a, upload=upload)
    version = _fresh(session).version
    for username in OUTSIDERS:
        client = client_for(world.users[username])
        for url in _urls(session, item, document):
            assert client.get(url).status_code in {404, 405}, (username, url)
            response = client.post(url, {"version": version, "reason": "x", "text": "x", "name": "x", "title": "x"})
            assert response.status_code == 404, (username, url)
    session = _fresh(session)
    assert session.version == version and session.state == MeetingState.PLANNED
    assert not session.observers.exists() and session.agenda.count() == 1
    assert AuditEntry.objects.filter(event="access.denied").exists()


def test_a_deputy_reads_the_meeting_but_runs_nothing(client_for, world, congress):
    session = _session(world)
    client = client_for(world.deputy_a)
    page = _body(client.get(reverse("meetings:detail", args=[session.uuid])))
    assert session.name in page and reverse("meetings:notice", args=[session.uuid]) not in page
    response = client.post(reverse("meetings:notice", args=[session.uuid]), {"version": session.version, "text": "x"})
    assert response.status_code == 403


def test_the_plan_form_offers_the_deputies_of_the_township_chosen(client_for, world, congress):
    client = client_for(world.county_admin)
    page = _body(client.get(reverse("meetings:new")))
    assert world.person_a.full_name in page and world.person_b.full_name in page
    # Choosing township B reloads the form (htmx) with its deputies only, keeping what was typed.
    response = client.get(
        reverse("meetings:new"),
        {"township": str(world.township_b.uuid), "venue": "乙镇礼堂", "kind": "session"},
        headers={"HX-Request": "true"},
    )
    page = _body(response)
    assert world.person_b.full_name in page and world.person_a.full_name not in page
    assert "乙镇礼堂" in page and "<html" not in page
