"""The compliance view: a township without a presidium meeting in a quarter is flagged; sessions
held, late notices, low attendance and overdue implementation reports too; the county
administrator and leaders compare every township, staff see their own, others nothing; the Excel
export is audited; the figures of a whole county take a fixed number of queries."""

import io
from datetime import date, datetime, time, timedelta

import pytest
import python_calamine
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.meetings import compliance
from renda.meetings import services as meetings
from renda.meetings.models import Attendance, AttendanceStatus, Meeting, Resolution
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("meetings:compliance")


def _cells(content: bytes) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


def _meeting(world, township, kind, day, *, state="closed", notice_days_ahead=None):
    """A meeting planned through the service, then put in ``state`` as if it had been run."""
    staff = world.staff_a if township == world.township_a else world.staff_b
    starts = timezone.make_aware(datetime.combine(day, time(9)))
    meeting = meetings.plan_meeting(staff, township=township, kind=kind, starts_at=starts, ends_on=day)
    fields = {"state": state}
    if notice_days_ahead is not None:
        fields["notice_sent_at"] = starts - timedelta(days=notice_days_ahead)
    Meeting.objects.filter(pk=meeting.pk).update(**fields)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def august(time_machine):
    """2026-08-14: the first two quarters are over, the third is running, the fourth to come."""
    time_machine.move_to(datetime(2026, 8, 14, 10, tzinfo=timezone.get_current_timezone()))
    return date(2026, 8, 14)


def test_a_township_without_a_presidium_meeting_in_a_quarter_is_flagged(client, world, august):
    for day in (date(2026, 2, 10), date(2026, 5, 12), date(2026, 8, 3)):
        _meeting(world, world.township_a, "presidium", day)
    _meeting(world, world.township_b, "presidium", date(2026, 2, 11))
    client.force_login(world.county_admin)
    page = client.get(URL, {"year": 2026}).content.decode()
    # Township B held none in the second quarter: a breach, and nothing yet in the third: a warning.
    assert "第2季度召开主席团会议0次，至少应召开1次。" in page
    assert "第3季度尚未召开主席团会议" in page
    result = compliance.county_year(world.county, 2026, august)
    rows = {row.township.name: row for row in result.townships}
    assert [q.state for q in rows["乙镇"].quarters] == ["met", "short", "running", "ahead"]
    assert rows["乙镇"].level == "breach"
    assert [q.held for q in rows["甲镇"].quarters] == [1, 1, 1, 0]
    assert not any("主席团" in flag.text for flag in rows["甲镇"].flags)
    # The row of township B is marked red in the table.
    assert 'class="table-danger" data-level="breach"' in page


def test_sessions_notice_and_attendance_are_flagged(world, august):
    term = world.mandate_a.term
    for _ in range(4):
        factories.MandateFactory(person__township=world.township_a, term=term)
    # A session whose notice went three days ahead (seven are required), three of five present.
    late = _meeting(world, world.township_a, "session", date(2026, 3, 20), notice_days_ahead=3)
    rows = list(Attendance.objects.filter(meeting=late).order_by("id"))
    Attendance.objects.filter(pk__in=[r.pk for r in rows[:3]]).update(status=AttendanceStatus.PRESENT)
    Attendance.objects.filter(pk=rows[3].pk).update(status=AttendanceStatus.LEAVE)
    # A planned session whose notice day has passed unsent.
    unsent = _meeting(world, world.township_a, "session", date(2026, 8, 18), state="planned")

    row = compliance.township_year(world.township_a, 2026, august)
    assert row.sessions_held == 1 and row.notices_late == 2 and row.notices_on_time == 0
    session = next(s for s in row.sessions if s.uuid == late.uuid)
    assert (session.expected, session.present, session.on_leave, session.attendance_percent) == (5, 3, 1, 60.0)
    texts = [flag.text for flag in row.breaches]
    assert f"{late.name}：通知应于2026-03-13前送达，实际于2026-03-17发出。" in texts
    assert f"{unsent.name}：通知应于2026-08-11前送达，至今未发出。" in texts
    assert f"{late.name}：应到代表5名，实到3名（出席率60.0%）。" in [flag.text for flag in row.warnings]


def test_sessions_below_the_minimum_are_a_breach_once_the_year_is_over(world, settings):
    _meeting(world, world.township_a, "session", date(2026, 4, 2), notice_days_ahead=10)
    during = compliance.township_year(world.township_b, 2026, date(2026, 6, 1))
    assert "本年度已召开人民代表大会会议0次，全年至少应召开1次。" in [f.text for f in during.warnings]
    after = compliance.county_year(world.county, 2026, date(2027, 1, 5))
    rows = {row.township.name: row for row in after.townships}
    assert "全年召开人民代表大会会议0次，至少应召开1次。" in [f.text for f in rows["乙镇"].breaches]
    # One session is lawful but fewer than the usual two: a warning.
    assert "全年召开人民代表大会会议1次，一般应召开2次。" in [f.text for f in rows["甲镇"].warnings]
    settings.RENDA_MEETING_SESSIONS_USUAL = 1
    row = compliance.township_year(world.township_a, 2026, date(2027, 1, 5))
    assert not any("人民代表大会会议" in f.text for f in row.flags)


def test_an_overdue_implementation_report_is_flagged(world, august):
    session = _meeting(world, world.township_a, "session", date(2026, 3, 20), notice_days_ahead=8)
    Resolution.objects.create(
        meeting=session,
        kind="resolution",
        title="关于改善村道的决议",
        text="全文",
        adopted_on=date(2026, 3, 20),
        next_report_due_on=date(2026, 6, 30),
    )
    row = compliance.township_year(world.township_a, 2026, august)
    assert [r.title for r in row.overdue_resolutions] == ["关于改善村道的决议"]
    assert "1项决议决定的落实情况报告已逾期。" in [f.text for f in row.warnings]


def test_county_sees_every_township_staff_their_own_others_nothing(client, world, august):
    _meeting(world, world.township_b, "presidium", date(2026, 2, 11))
    for username in ("county_admin", "leader"):
        client.force_login(world.users[username])
        page = client.get(URL).content.decode()
        assert "甲镇" in page and "乙镇" in page, username
        assert "共2个乡镇" in page  # the imbalance summary compares the townships
    client.force_login(world.staff_a)
    page = client.get(URL).content.decode()
    assert "甲镇" in page and "乙" not in page
    for username in ("deputy_a", "handler_x"):
        client.force_login(world.users[username])
        assert client.get(URL).status_code == 403, username
    # The neighbouring county's administrator sees none of this county's townships.
    client.force_login(world.other_county_admin)
    page = client.get(URL).content.decode()
    assert "甲镇" not in page and "乙镇" not in page


def test_a_wrong_year_shows_this_year(client, world, august):
    client.force_login(world.county_admin)
    for year in ("abc", "1800", "2026'"):
        response = client.get(URL, {"year": year})
        assert response.status_code == 200
        assert "2026年乡镇人大会议情况" in response.content.decode()


def test_export_is_the_table_in_excel_and_audited(client, world, august):
    _meeting(world, world.township_a, "presidium", date(2026, 2, 10))
    client.force_login(world.county_admin)
    response = client.get(reverse("meetings:compliance_export"), {"year": 2026})
    assert response.status_code == 200
    cells = _cells(response.content)
    assert cells[0][0] == "2026年乡镇人大会议情况"
    assert cells[1][:3] == ["乡镇", "大会召开次数", "第1季度主席团会议"]
    names = [line[0] for line in cells[2:4]]
    assert names == ["甲镇", "乙镇"]
    assert any("第2季度召开主席团会议0次" in str(cell) for cell in cells[3])
    assert AuditEntry.objects.filter(event="export.meetings.compliance").count() == 1
    client.force_login(world.staff_a)
    assert "乙" not in str(_cells(client.get(reverse("meetings:compliance_export")).content))


def test_a_whole_county_takes_three_queries(world, august, django_assert_num_queries):
    for n in range(3):
        township = factories.TownshipFactory(county=world.county, name=f"丙{n}镇")
        factories.TermFactory(township=township)
        _meeting(world, world.township_a, "presidium", date(2026, 1 + 3 * n, 5))
    _meeting(world, world.township_a, "session", date(2026, 3, 20), notice_days_ahead=8)
    townships = list(compliance.congress_townships(world.county))
    with django_assert_num_queries(3):
        result = compliance.townships_year(townships, 2026, august)
    assert len(result.townships) == 5
