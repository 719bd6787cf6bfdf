"""Meetings in deputies' archives and points: sessions attended, half-days of leave, absences
after the session closes, and motions signed (led or co-signed)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.deputies import archive, contributions
from renda.deputies import services as deputy_services
from renda.deputies.models import PointEntry
from renda.meetings import records
from renda.meetings import services as meetings
from renda.meetings.models import AttendanceStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress(world):
    """Township A's congress: the world's deputy and eight more, nine in all."""
    term = world.mandate_a.term
    others = [factories.MandateFactory(person__township=world.township_a, term=term) for _ in range(8)]
    return [world.mandate_a, *others]


def _held_session(world, congress):
    """A two-day session that started this morning: six sign in (deputy A takes the afternoon
    off, approved), the seventh has leave for the whole session and never signs in, two stay
    away. Returns the session, still open."""
    session = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_on=timezone.localdate() + timedelta(days=1),
    )
    rows = {row.mandate_id: row for row in session.attendances.all()}
    for mandate in congress[:6]:
        meetings.sign_in(session, world.staff_a, attendance=rows[mandate.pk])
    for mandate, half, count in ((congress[0], "pm", 1), (congress[6], "am", 4)):
        leave = meetings.request_leave(
            rows[mandate.pk], world.staff_a, first_day=session.date, first_half=half, half_days=count, reason="就医"
        )
        meetings.decide_leave(leave, world.staff_a, approve=True)
    session.refresh_from_db()
    return meetings.open_meeting(session, world.staff_a, expected_version=session.version)


def _points(mandate) -> dict[str, list]:
    entries = PointEntry.objects.filter(mandate=mandate, kind__startswith="meetings.").order_by("kind", "id")
    found: dict[str, list] = {}
    for entry in entries:
        found.setdefault(entry.kind, []).append(entry.points)
    return found


def _lines(mandate, viewer) -> list[archive.ArchiveLine]:
    return [line for line in archive.timeline(mandate, viewer=viewer) if line.section == records.SECTION]


def test_kinds_and_section_are_declared_with_default_points():
    assert contributions.sections.get(records.SECTION) is not None
    expected = {
        records.SESSION_ATTENDED: 2,
        records.PRESIDIUM_ATTENDED: 1,
        records.COUNTY_MEETING_ATTENDED: 1,
        records.LEAVE: -1,
        records.ABSENT: -2,
        records.MOTION_LED: 5,
        records.MOTION_COSIGNED: 2,
    }
    assert {code: contributions.get(code).default_points for code in expected} == expected


def test_archive_shows_the_session_attended_with_leave_and_the_absences(client, world, congress):
    session = _held_session(world, congress)
    mine = _lines(world.mandate_a, world.staff_a)
    assert sorted(line.kind for line in mine) == sorted([records.SESSION_ATTENDED, records.LEAVE])
    attended = next(line for line in mine if line.kind == records.SESSION_ATTENDED)
    assert attended.title == session.name and "1" in attended.outcome
    leave = next(line for line in mine if line.kind == records.LEAVE)
    assert session.name in leave.title and "1" in leave.outcome
    # On leave for the whole session and never signed in: leave, not attendance.
    assert [line.kind for line in _lines(congress[6], world.staff_a)] == [records.LEAVE]
    # Those who stayed away are absent only once the session closes.
    assert _lines(congress[7], world.staff_a) == []
    meetings.close_meeting(session, world.staff_a, expected_version=session.version)
    absent = _lines(congress[7], world.staff_a)
    assert [line.kind for line in absent] == [records.ABSENT] and session.name in absent[0].title
    assert session.attendances.filter(status=AttendanceStatus.ABSENT).count() == 2

    # The archive page shows the section to the township's staff; another township's staff get 404.
    url = reverse("deputies:mandate_archive", args=[congress[7].uuid])
    client.force_login(world.staff_a)
    page = client.get(url).content.decode()
    assert session.name in page
    client.force_login(world.staff_b)
    assert client.get(url).status_code == 404


def test_points_for_attendance_leave_and_absence(world, congress, django_capture_on_commit_callbacks):
    deputy_services.point_rules_initialise(county=world.county, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        session = _held_session(world, congress)
    # Present with an afternoon off: +2 for the session, −1 for the half-day of leave.
    assert _points(world.mandate_a) == {records.SESSION_ATTENDED: [2], records.LEAVE: [-1]}
    # Leave for the whole two-day session (four half-days) and never present: −1 a half-day.
    assert _points(congress[6]) == {records.LEAVE: [-4]}
    assert _points(congress[7]) == {}
    with django_capture_on_commit_callbacks(execute=True):
        meetings.close_meeting(session, world.staff_a, expected_version=session.version)
    # Closing marks the two who stayed away absent in one update; their points learn of it.
    assert _points(congress[7]) == {records.ABSENT: [-2]}
    assert _points(congress[8]) == {records.ABSENT: [-2]}
    assert _points(congress[1]) == {records.SESSION_ATTENDED: [2]}
    # The nightly recomputation from scratch finds the ledger as the refreshes left it.
    meeting_entries = PointEntry.objects.filter(kind__startswith="meetings.")
    before = sorted(meeting_entries.values_list("uuid", "points"))
    deputy_services.points_recompute(county=world.county, actor=None)
    assert sorted(meeting_entries.values_list("uuid", "points")) == before


def test_a_cancelled_meeting_counts_for_nobody(world, congress):
    deputy_services.point_rules_initialise(county=world.county, actor=None)
    presidium = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="presidium",
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_on=timezone.localdate(),
    )
    meetings.set_participants(presidium, world.staff_a, mandates=congress[:3])
    meetings.sign_in(presidium, world.staff_a, attendance=presidium.attendances.get(mandate=congress[0]))
    assert [line.kind for line in _lines(congress[0], world.staff_a)] == [records.PRESIDIUM_ATTENDED]
    presidium.refresh_from_db()
    meetings.cancel_meeting(presidium, world.staff_a, expected_version=presidium.version, reason="改期")
    assert _lines(congress[0], world.staff_a) == []


def test_motions_signed_count_for_the_lead_and_the_co_signers(world, congress, django_capture_on_commit_callbacks):
    deputy_services.point_rules_initialise(county=world.county, actor=None)
    session = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=timezone.now() + timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        motion = meetings.submit_motion(
            session,
            world.staff_a,
            title="关于修建文化广场的议案",
            content="建议修建。",
            lead=congress[0],
            signers=congress[1:5],
        )
    assert _points(congress[0]) == {records.MOTION_LED: [5]}
    assert all(_points(m) == {records.MOTION_COSIGNED: [2]} for m in congress[1:5])
    assert _points(congress[5]) == {}
    lead_lines = _lines(congress[0], world.staff_a)
    assert [(line.kind, line.title) for line in lead_lines] == [(records.MOTION_LED, motion.title)]
    assert [line.kind for line in _lines(congress[1], world.staff_a)] == [records.MOTION_COSIGNED]
    # The presidium's decision shows as the motion's outcome.
    meetings.decide_motion(motion, world.staff_a, expected_version=motion.version, place=False, reason="不属于本级职权")
    assert "未列入" in _lines(congress[0], world.staff_a)[0].outcome
