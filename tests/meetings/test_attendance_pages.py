"""The attendance pages as the township's staff and its deputies use them: signing deputies in below
and above the quorum (the session refuses to open, then opens), the deputy's sign-in by the QR code
(a wrong or withdrawn code, too early, closed, not expected), leave asked for on the phone and
decided by staff, the live quorum panel, the part on the meeting's page, and the outsider's 404."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.meetings import sections
from renda.meetings import services as meetings
from renda.meetings.models import AttendanceStatus, LeaveState, Meeting, MeetingState, SigninMethod
from tests import factories

pytestmark = pytest.mark.django_db

STALE = "您编辑期间，此记录已被他人修改。请刷新页面后重新修改。"


@pytest.fixture
def congress(world):
    """Township A's congress: the world's deputy (deputy_a's mandate) and eight more, nine in all."""
    term = world.mandate_a.term
    others = [factories.MandateFactory(person__township=world.township_a, term=term) for _ in range(8)]
    return [world.mandate_a, *others]


def _session(world, *, starts_in=timedelta(minutes=30), days=1) -> Meeting:
    starts = timezone.now() + starts_in
    return meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=starts,
        ends_on=timezone.localtime(starts).date() + timedelta(days=days - 1),
        venue="甲镇政府三楼会议室",
    )


def _page(meeting) -> str:
    return reverse("meetings:attendance", args=[meeting.uuid])


def _signin_url(meeting) -> str:
    return reverse("meetings:signin", args=[meeting.signin_token])


def _row(meeting, mandate):
    return meeting.attendances.get(mandate=mandate)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------- the quorum and opening


def test_staff_sign_deputies_in_and_open_only_with_two_thirds(client_for, world, congress):
    session = _session(world)
    client = client_for(world.staff_a)
    for mandate in congress[:5]:
        response = client.post(reverse("meetings:attendance_sign_in", args=[_row(session, mandate).uuid]))
        assert response.status_code == 302
    page = _text(client.get(_page(session)))
    assert 'data-figure="present">5<' in page and 'data-figure="total">9<' in page
    assert 'data-figure="needed">6<' in page
    assert "还需1名代表签到" in page

    # Five of nine: the session refuses to open, and says why beside the button.
    refused = client.post(reverse("meetings:attendance_open", args=[session.uuid]), {"open-version": session.version})
    assert refused.status_code == 200
    assert "会议不能开幕：全体9名代表中出席5名，须至少6名（三分之二）出席。" in _text(refused)
    session.refresh_from_db()
    assert session.state == MeetingState.PLANNED

    client.post(reverse("meetings:attendance_sign_in", args=[_row(session, congress[5]).uuid]))
    assert "可以开幕" in _text(client.get(_page(session)))
    opened = client.post(reverse("meetings:attendance_open", args=[session.uuid]), {"open-version": session.version})
    assert opened.status_code == 302
    session.refresh_from_db()
    assert session.state == MeetingState.OPEN
    row = _row(session, congress[0])
    assert (row.status, row.signin_method) == (AttendanceStatus.PRESENT, SigninMethod.STAFF)

    # A sign-in made by mistake is withdrawn; then the meeting closes and the rest are absent.
    client.post(reverse("meetings:attendance_undo", args=[_row(session, congress[5]).uuid]))
    assert _row(session, congress[5]).status == AttendanceStatus.EXPECTED
    closed = client.post(reverse("meetings:attendance_close", args=[session.uuid]), {"close-version": session.version})
    assert closed.status_code == 302
    statuses = list(session.attendances.values_list("status", flat=True))
    assert statuses.count(AttendanceStatus.ABSENT) == 4 and statuses.count(AttendanceStatus.PRESENT) == 5


def test_opening_from_a_page_left_open_is_refused_as_out_of_date(client_for, world, congress):
    session = _session(world)
    client = client_for(world.staff_a)
    stale = session.version
    meetings.rotate_signin_token(session, world.staff_a)  # someone changed the meeting meanwhile
    response = client.post(reverse("meetings:attendance_open", args=[session.uuid]), {"open-version": stale})
    assert response.status_code == 200
    assert STALE in _text(response)
    session.refresh_from_db()
    assert session.state != MeetingState.OPEN


def test_staff_sign_in_too_early_says_when_it_opens(client_for, world, congress):
    session = _session(world, starts_in=timedelta(days=2))
    client = client_for(world.staff_a)
    response = client.post(reverse("meetings:attendance_sign_in", args=[_row(session, congress[1]).uuid]), follow=True)
    assert "会议开始前120分钟开放签到。" in _text(response)
    assert _row(session, congress[1]).status == AttendanceStatus.EXPECTED


def test_the_live_panel_polls_while_sign_in_is_taken(client_for, world, congress):
    session = _session(world)
    client = client_for(world.staff_a)
    url = reverse("meetings:attendance_quorum", args=[session.uuid])
    panel = _text(client.get(url, headers={"HX-Request": "true"}))
    assert f'hx-get="{url}"' in panel and 'hx-trigger="every 5s"' in panel
    assert 'data-figure="present">0<' in panel and "<html" not in panel
    meetings.sign_in(session, world.staff_a, attendance=_row(session, congress[2]))
    assert 'data-figure="present">1<' in _text(client.get(url))

    for mandate in congress[3:8]:
        meetings.sign_in(session, world.staff_a, attendance=_row(session, mandate))
    session.refresh_from_db()
    session = meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    session = meetings.close_meeting(session, world.staff_a, expected_version=session.version)
    closed = _text(client.get(url))
    assert "hx-trigger" not in closed and 'data-figure="present">6<' in closed


# ---------------------------------------------------------------- the QR code and the deputy's sign-in


def test_the_venue_screen_shows_the_code_of_the_sign_in_address(client_for, world, congress, settings):
    settings.RENDA_PUBLIC_BASE_URL = "https://renda.example.cn"
    session = _session(world)
    response = client_for(world.staff_a).get(reverse("meetings:signin_code", args=[session.uuid]))
    page = _text(response)
    assert response.status_code == 200
    assert "<svg" in page and f"https://renda.example.cn{_signin_url(session)}" in page
    assert "收回此签到码" in page


def test_a_deputy_signs_in_with_the_code(client_for, world, congress):
    session = _session(world)
    client = client_for(world.deputy_a)
    page = _text(client.get(_signin_url(session)))
    assert session.name in page and 'id="signin-button"' in page and ">签到<" in page
    response = client.post(_signin_url(session))
    assert response.status_code == 302 and response.url == _signin_url(session)
    row = _row(session, world.mandate_a)
    assert (row.status, row.signin_method, row.signed_in_by) == (
        AttendanceStatus.PRESENT,
        SigninMethod.QR,
        world.deputy_a,
    )
    done = _text(client.get(_signin_url(session)))
    assert "签到成功" in done
    assert 'id="signed-in"' in done and 'id="signin-button"' not in done


def test_a_withdrawn_or_wrong_code_signs_nobody_in(client_for, world, congress):
    session = _session(world)
    old_url = _signin_url(session)
    withdrawn = client_for(world.staff_a).post(reverse("meetings:signin_code_withdraw", args=[session.uuid]))
    assert withdrawn.status_code == 302
    session.refresh_from_db()
    assert _signin_url(session) != old_url
    assert AuditEntry.objects.filter(event="meetings.signin_code.withdraw").count() == 1

    client = client_for(world.deputy_a)
    for url in (old_url, reverse("meetings:signin", args=["not-a-code"])):
        response = client.post(url)
        assert response.status_code == 404
        assert "签到码无效" in _text(response) and session.name not in _text(response)
    assert _row(session, world.mandate_a).status == AttendanceStatus.EXPECTED
    assert client.post(_signin_url(session)).status_code == 302
    assert _row(session, world.mandate_a).status == AttendanceStatus.PRESENT


def test_the_sign_in_page_says_why_it_cannot_sign_in(client_for, world, congress):
    early = _session(world, starts_in=timedelta(days=2))
    client = client_for(world.deputy_a)
    page = _text(client.get(_signin_url(early)))
    assert "会议开始前120分钟开放签到。" in page and 'id="signin-button"' not in page
    refused = _text(client.post(_signin_url(early)))
    assert "会议开始前120分钟开放签到。" in refused
    assert _row(early, world.mandate_a).status == AttendanceStatus.EXPECTED

    # Deputy B is not a deputy of township A's congress: told so, and shown nothing of the meeting.
    outsider = client_for(world.deputy_b).get(_signin_url(early))
    assert outsider.status_code == 403
    assert "您不是本次会议的应到代表" in _text(outsider) and early.name not in _text(outsider)


def test_the_sign_in_page_of_a_closed_meeting(client_for, world, congress):
    session = _session(world)
    for mandate in congress[1:7]:
        meetings.sign_in(session, world.staff_a, attendance=_row(session, mandate))
    session.refresh_from_db()
    session = meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    meetings.close_meeting(session, world.staff_a, expected_version=session.version)
    client = client_for(world.deputy_a)
    assert "会议已结束，签到已关闭。" in _text(client.get(_signin_url(session)))
    assert "会议已结束，签到已关闭。" in _text(client.post(_signin_url(session)))
    assert _row(session, world.mandate_a).status == AttendanceStatus.ABSENT


def test_the_login_page_sends_the_deputy_back_to_the_sign_in(client, world, congress):
    session = _session(world)
    response = client.get(_signin_url(session))
    assert response.status_code == 302
    login = response.url
    assert login.startswith(reverse("accounts:login")) and "next=" in login
    logged_in = client.post(login, {"username": "deputy_a", "password": factories.TEST_PASSWORD}, follow=True)
    assert logged_in.request["PATH_INFO"] == _signin_url(session)


# ---------------------------------------------------------------- leave


def test_leave_asked_on_the_phone_and_decided_by_staff(client_for, world, congress):
    session = _session(world, days=2)
    row = _row(session, world.mandate_a)
    url = reverse("meetings:leave_request", args=[row.uuid])
    deputy = client_for(world.deputy_a)
    form = _text(deputy.get(url))
    assert session.date.isoformat() in form and 'name="half_days"' in form

    # Four half-days from the second morning run past the two-day meeting: refused, input kept.
    second = (session.date + timedelta(days=1)).isoformat()
    refused = deputy.post(url, {"first_day": second, "first_half": "am", "half_days": "4", "reason": "外出学习"})
    assert refused.status_code == 200
    assert "会期共4个半天，请假时间超出会期。" in _text(refused)
    assert "外出学习" in _text(refused)
    assert not row.leave_requests.exists()

    sent = deputy.post(url, {"first_day": second, "first_half": "pm", "half_days": "1", "reason": "外出学习"})
    assert sent.status_code == 302
    leave = row.leave_requests.get()
    assert (leave.first_half, leave.half_days, leave.state) == ("pm", 1, LeaveState.REQUESTED)
    assert "待审批" in _text(deputy.get(url))

    # Staff see it on the attendance page; a refusal needs a note, an approval does not.
    staff = client_for(world.staff_a)
    page = _text(staff.get(_page(session)))
    assert "外出学习" in page and reverse("meetings:leave_decide", args=[leave.uuid]) in page
    decide = reverse("meetings:leave_decide", args=[leave.uuid])
    no_note = staff.post(decide, {"decision": "refuse", "note": ""})
    assert no_note.status_code == 200 and "请说明不批准的理由。" in _text(no_note)
    approved = staff.post(decide, {"decision": "approve", "note": "同意，请会后补阅材料"})
    assert approved.status_code == 302
    leave.refresh_from_db()
    row.refresh_from_db()
    # Half a day of a longer meeting: still expected for the rest of it.
    assert leave.state == LeaveState.APPROVED and (row.status, row.leave_half_days) == (AttendanceStatus.EXPECTED, 1)

    client = client_for(world.deputy_a)
    seen = _text(client.get(url))
    assert "已批准" in seen and "同意，请会后补阅材料" in seen


def test_a_leader_reads_attendance_but_asks_no_leave(client_for, world, congress):
    session = _session(world)
    client = client_for(world.leader)
    page = _text(client.get(_page(session)))
    assert world.mandate_a.person.full_name in page
    # Neither the staff's buttons nor a leave link that would answer 403.
    assert "/sign-in/" not in page and "/leave/" not in page and "/open/" not in page
    assert client.get(reverse("meetings:leave_request", args=[_row(session, world.mandate_a).uuid])).status_code == 403


# ---------------------------------------------------------------- the meeting page's part


def test_the_meeting_page_part_for_staff_and_for_the_deputy(world, congress):
    session = _session(world)
    meetings.sign_in(session, world.staff_a, attendance=_row(session, congress[3]))
    staff_parts = {section.code: context for section, context in sections.for_meeting(session, world.staff_a)}
    staff_html = render_to_string("meetings/attendance/section.html", staff_parts["attendance"])
    assert "应到9人，实到1人，请假0人。" in staff_html
    assert reverse("meetings:attendance", args=[session.uuid]) in staff_html
    assert reverse("meetings:signin_code", args=[session.uuid]) in staff_html
    assert staff_parts["attendance"]["own"] is None

    deputy_parts = {section.code: context for section, context in sections.for_meeting(session, world.deputy_a)}
    html = render_to_string("meetings/attendance/section.html", deputy_parts["attendance"])
    assert 'id="own-attendance"' in html and "扫描会场" in html
    assert reverse("meetings:leave_request", args=[_row(session, world.mandate_a).uuid]) in html
    assert reverse("meetings:signin_code", args=[session.uuid]) not in html


# ---------------------------------------------------------------- outsiders


def test_outsiders_get_404(client_for, world, congress):
    session = _session(world)
    row = _row(session, world.mandate_a)
    leave = meetings.request_leave(
        row, world.deputy_a, first_day=session.date, first_half="am", half_days=1, reason="就医"
    )
    staff_b = client_for(world.staff_b)
    for url in (
        _page(session),
        reverse("meetings:attendance_quorum", args=[session.uuid]),
        reverse("meetings:signin_code", args=[session.uuid]),
        reverse("meetings:leave_request", args=[row.uuid]),
        reverse("meetings:leave_decide", args=[leave.uuid]),
    ):
        assert staff_b.get(url).status_code == 404, url
    for url in (
        reverse("meetings:attendance_sign_in", args=[row.uuid]),
        reverse("meetings:attendance_undo", args=[row.uuid]),
        reverse("meetings:attendance_open", args=[session.uuid]),
        reverse("meetings:signin_code_withdraw", args=[session.uuid]),
        reverse("meetings:leave_decide", args=[leave.uuid]),
    ):
        assert staff_b.post(url, {"decision": "approve", "open-version": 1}).status_code == 404, url
    deputy_b = client_for(world.deputy_b)
    assert deputy_b.get(_page(session)).status_code == 404
    assert deputy_b.get(reverse("meetings:leave_request", args=[row.uuid])).status_code == 404
    session.refresh_from_db()
    row.refresh_from_db()
    leave.refresh_from_db()
    assert row.status == AttendanceStatus.EXPECTED and leave.state == LeaveState.REQUESTED
    assert session.signin_token == Meeting.objects.get(pk=session.pk).signin_token


def test_a_deputy_sees_only_their_own_row(client_for, world, congress):
    session = _session(world)
    page = _text(client_for(world.deputy_a).get(_page(session)))
    assert world.mandate_a.person.full_name in page
    assert congress[1].person.full_name not in page
    assert "attendance/open" not in page
