"""The minutes and a meeting's documents: the minutes are kept once the meeting has opened, with a
stale edit refused and the text kept; the decisions part lists the votes and resolutions from the
records; each document opens (python-docx, calamine) and says what it must; downloads are audited;
outsiders get 404, deputies only the notice, and township A's documents show nothing of B."""

import io
from datetime import datetime, timedelta

import docx
import pytest
import python_calamine
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.meetings import sections
from renda.meetings import services as meetings
from tests import factories

pytestmark = pytest.mark.django_db

MINUTES = "会议听取了政府工作报告。\n代表们一致同意修建文化广场。"


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response["Content-Type"]:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        return "\n".join(str(cell) for line in book.get_sheet_by_index(0).to_python() for cell in line)
    assert "wordprocessingml" in response["Content-Type"]
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for line in table.rows for cell in line.cells]
    return "\n".join(parts)


def url(name, meeting):
    return reverse(f"meetings:{name}", args=[meeting.uuid])


@pytest.fixture
def session(world, time_machine):
    """Township A's session with nine deputies: notice ten days ahead, two agenda items, seven
    signed in, one on leave, one absent; an observer; a resolution that passed (corrected once)
    and a decision that failed; a resolution adopted with its unit."""
    term = world.mandate_a.term
    for n in range(8):
        factories.MandateFactory(person__township=world.township_a, person__full_name=f"代表{n}", term=term)
    day = timezone.localdate() + timedelta(days=10)
    starts = timezone.make_aware(datetime.combine(day, datetime.min.time())).replace(hour=9)
    session = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=starts,
        ends_on=day,
        venue="镇政府三楼会议室",
    )
    session = meetings.send_notice(
        session, world.staff_a, expected_version=session.version, text="定于下周召开镇人民代表大会第一次会议。"
    )
    meetings.add_agenda_item(session, world.staff_a, kind="government_report", title="审议政府工作报告")
    meetings.add_agenda_item(session, world.staff_a, kind="budget_report", title="审查财政预算报告")
    time_machine.move_to(starts - timedelta(minutes=30))
    rows = list(session.attendances.order_by("id"))
    for row in rows[:7]:
        meetings.sign_in(session, world.staff_a, attendance=row)
    leave = meetings.request_leave(rows[7], world.staff_a, first_day=day, first_half="am", half_days=2, reason="外出")
    meetings.decide_leave(leave, world.staff_a, approve=True)
    meetings.add_observer(session, world.staff_a, name="列席人王五", position="镇政府办公室主任")
    session.refresh_from_db()
    session = meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    passed = meetings.record_vote(
        session,
        world.staff_a,
        kind="resolution",
        title="关于政府工作报告的决议",
        method="hands",
        votes_for=4,
        votes_against=2,
        abstentions=1,
    )
    meetings.correct_vote(passed, world.staff_a, votes_for=6, votes_against=0, abstentions=1, reason="复核计票")
    passed.refresh_from_db()
    meetings.record_vote(
        session,
        world.staff_a,
        kind="decision",
        title="关于调整预算的决定",
        method="ballot",
        votes_for=3,
        votes_against=3,
        abstentions=1,
    )
    meetings.adopt_resolution(
        session,
        world.staff_a,
        kind="resolution",
        title=passed.title,
        text="决议全文",
        units=[world.agency_a],
        vote=passed,
    )
    session.refresh_from_db()
    return session


def test_minutes_are_kept_and_list_the_decisions(client, world, session):
    client.force_login(world.staff_a)
    page = client.get(url("minutes", session)).content.decode()
    assert "关于政府工作报告的决议" in page and "关于调整预算的决定" in page
    assert "未通过" in page and "已更正" in page and world.agency_a.name in page
    response = client.post(url("minutes", session), {"minutes": MINUTES, "version": session.version})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.minutes == MINUTES.strip()
    assert AuditEntry.objects.filter(event="meetings.meeting.minutes").count() == 1


def test_a_stale_edit_of_the_minutes_is_refused_and_the_text_kept(client, world, session):
    client.force_login(world.staff_a)
    stale = session.version
    meetings.save_minutes(session, world.staff_a, expected_version=stale, minutes="先保存的记录")
    response = client.post(url("minutes", session), {"minutes": "我的记录", "version": stale})
    assert response.status_code == 200
    page = response.content.decode()
    assert "我的记录" in page and 'class="alert alert-danger"' in page
    session.refresh_from_db()
    assert session.minutes == "先保存的记录"


def test_minutes_are_kept_only_once_the_meeting_has_opened(client, world):
    planned = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() + timedelta(days=20),
        ends_on=timezone.localdate() + timedelta(days=20),
    )
    client.force_login(world.staff_a)
    page = client.get(url("minutes", planned)).content.decode()
    assert "会议开始后方可记录" in page and "<textarea" not in page
    assert client.post(url("minutes", planned), {"minutes": "提前写", "version": planned.version}).status_code == 403


def test_notice_document(client, world, session):
    client.force_login(world.staff_a)
    text = text_of(client.get(url("document_notice", session)))
    assert f"关于召开{session.name}的通知" in text
    assert "各位代表" in text and "定于下周召开镇人民代表大会第一次会议。" in text
    assert "甲镇人大主席团" in text
    # A deputy expected at the session downloads it too.
    world.mandate_a.person.user = world.deputy_a
    world.mandate_a.person.save()
    client.force_login(world.deputy_a)
    assert "定于下周召开" in text_of(client.get(url("document_notice", session)))
    assert AuditEntry.objects.filter(event="export.meetings.notice").count() == 2


def test_notice_drawn_up_from_the_plan_before_one_is_written(client, world):
    planned = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() + timedelta(days=20),
        ends_on=timezone.localdate() + timedelta(days=21),
        venue="镇文化中心",
    )
    meetings.add_agenda_item(planned, world.staff_a, kind="election", title="补选镇人大代表")
    client.force_login(world.staff_a)
    text = text_of(client.get(url("document_notice", planned)))
    assert "镇文化中心" in text and "（一）补选镇人大代表" in text and "请假" in text


def test_minutes_document_holds_the_figures_minutes_and_decisions(client, world, session):
    meetings.save_minutes(session, world.staff_a, expected_version=session.version, minutes=MINUTES)
    client.force_login(world.county_admin)
    text = text_of(client.get(url("document_minutes", session)))
    assert f"{session.name}记录" in text
    assert "应到9人，实到7人，请假1人，未到1人" in text
    assert "代表们一致同意修建文化广场。" in text and "审议政府工作报告" in text
    assert "关于调整预算的决定" in text and "未通过" in text
    assert f"通过《关于政府工作报告的决议》（决议），责任单位：{world.agency_a.name}。" in text
    assert "列席人王五" in text
    assert "复核计票" in text


def test_signin_sheet_in_word_and_excel(client, world, session):
    client.force_login(world.staff_a)
    for name in ("document_signin_sheet", "document_signin_sheet_excel"):
        text = text_of(client.get(url(name, session)))
        assert f"{session.name}签到表" in text, name
        assert "签名" in text and "出席" in text and "请假" in text, name
        assert "代表0" in text and world.mandate_a.person.full_name in text, name
        assert "列席人王五" in text, name
        assert "乙" not in text, name
    assert AuditEntry.objects.filter(event="export.meetings.signin_sheet").count() == 2


def test_vote_tally_in_word_and_excel(client, world, session):
    client.force_login(world.staff_a)
    word = text_of(client.get(url("document_vote_tally", session)))
    assert "全体代表的过半数" in word
    assert "“关于政府工作报告的决议”：全体代表9名，出席7名，通过需5票" in word
    assert "赞成4、反对2、弃权1更正为赞成6、反对0、弃权1，理由：复核计票" in word
    excel = text_of(client.get(url("document_vote_tally_excel", session)))
    assert "通过所需票数" in excel and "关于调整预算的决定" in excel and "未通过" in excel


DOCUMENTS = (
    "minutes",
    "document_notice",
    "document_minutes",
    "document_signin_sheet",
    "document_signin_sheet_excel",
    "document_vote_tally",
    "document_vote_tally_excel",
)


def test_outsiders_get_404_and_deputies_only_the_notice(client, world, session):
    for username in ("staff_b", "handler_x", "other_county_admin"):
        client.force_login(world.users[username])
        for name in DOCUMENTS:
            assert client.get(url(name, session)).status_code == 404, (username, name)
        assert client.post(url("minutes", session), {"minutes": "乙", "version": session.version}).status_code == 404
    world.mandate_a.person.user = world.deputy_a
    world.mandate_a.person.save()
    client.force_login(world.deputy_a)
    for name in DOCUMENTS[:1] + DOCUMENTS[2:]:
        assert client.get(url(name, session)).status_code == 403, name
    # A leader reads the minutes and the tally, but the sign-in sheet is for those who export personal data.
    client.force_login(world.leader)
    assert client.get(url("document_minutes", session)).status_code == 200
    assert client.get(url("document_signin_sheet", session)).status_code == 403


def test_section_offers_what_each_user_may_have(world, session):
    section = sections.sections.get("minutes")
    assert section is not None and section.order == 600
    staff = section.context(session, world.staff_a)
    assert staff["may_edit"] and len(staff["links"]) == 6
    leader = section.context(session, world.leader)
    assert not leader["may_edit"] and leader["minutes_url"]
    assert [str(label) for label, _url in leader["links"]] == [
        "会议通知（Word）",
        "会议记录及决定事项（Word）",
        "表决结果（Word）",
        "表决结果（Excel）",
    ]
    deputy = section.context(session, world.deputy_a)
    assert deputy["minutes_url"] == "" and len(deputy["links"]) == 1
