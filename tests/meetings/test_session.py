"""A whole congress session through the services, as the township's staff run it: the notice,
sign-in below and above the quorum, motions with too few and enough co-signers, votes under the
all-deputies majority, and a resolution followed by two implementation reports."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from renda.deputies.models import MandateEventKind
from renda.meetings import rules
from renda.meetings import services as meetings
from renda.meetings.models import AttendanceStatus, MeetingState, MotionState, ResolutionState
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress(world):
    """Township A's congress: the world's deputy and eight more, nine in all."""
    term = world.mandate_a.term
    others = [factories.MandateFactory(person__township=world.township_a, term=term) for _ in range(8)]
    return [world.mandate_a, *others]


def _session(world, *, days_ahead=10):
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days_ahead), datetime.min.time())
    )
    return meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=starts.replace(hour=9),
        ends_on=timezone.localdate() + timedelta(days=days_ahead),
    )


def test_rules_count_all_deputies_not_those_present():
    assert rules.quorum_needed(9) == 6
    assert rules.quorum_needed(45) == 30
    assert rules.votes_needed(9) == 5
    assert rules.votes_needed(44) == 23
    assert rules.votes_needed(45) == 23
    assert not rules.passes(4, 9)
    assert rules.passes(5, 9)
    assert rules.extra_session_requesters_needed(46) == 10


def test_seats_follow_the_population(settings):
    assert rules.legal_seats(30000).seats == 65
    assert rules.legal_seats(400000).seats == 160
    small = rules.legal_seats(1800)
    assert small.may_be_fewer and small.legal == 46
    assert rules.legal_seats(1800, fixed=30).seats == 30
    settings.RENDA_CONGRESS_BASE_SEATS = 40
    assert rules.legal_seats(30000).seats == 60


def test_a_whole_session(world, congress, time_machine):
    session = _session(world)
    assert session.name == "甲镇第十二届人民代表大会第一次会议"
    assert session.attendances.count() == 9

    # The notice goes ten days ahead: on time (seven days are required).
    session = meetings.send_notice(session, world.staff_a, expected_version=session.version, text="定于……召开")
    assert meetings.notice_check(session).on_time is True
    assert session.state == MeetingState.NOTIFIED

    # Motions before the session: four signers are too few, five are enough.
    with pytest.raises(ValidationError) as refused:
        meetings.submit_motion(
            session, world.staff_a, title="修路议案", content="建议修路。", lead=congress[0], signers=congress[1:4]
        )
    assert "至少5名代表" in str(refused.value)
    motion = meetings.submit_motion(
        session, world.staff_a, title="修路议案", content="建议修路。", lead=congress[0], signers=congress[1:5]
    )
    assert motion.signers.count() == 5
    motion = meetings.decide_motion(motion, world.staff_a, expected_version=motion.version, place=True)
    assert motion.state == MotionState.PLACED
    assert session.agenda.get(motion=motion).kind == "motion"

    # The session day: five of nine signed in is below two thirds (six); it cannot open.
    time_machine.move_to(session.starts_at - timedelta(minutes=30))
    attendances = list(session.attendances.order_by("id"))
    for row in attendances[:5]:
        meetings.sign_in(session, world.staff_a, attendance=row)
    count = meetings.quorum(session)
    assert (count.present, count.deputies_total, count.needed, count.reached) == (5, 9, 6, False)
    session.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    assert "5" in str(refused.value) and "6" in str(refused.value)
    # The sixth deputy signs in on their phone with the QR code: the quorum is reached.
    sixth = attendances[5].mandate.person
    sixth.user = factories.UserFactory(role="deputy", county=world.county)
    sixth.save()
    meetings.sign_in(session, sixth.user, token=session.signin_token)
    assert meetings.quorum(session).reached
    # The seventh asks for the day off (two half-days, the whole session): approved, they are on leave.
    leave = meetings.request_leave(
        attendances[6], world.staff_a, first_day=session.date, first_half="am", half_days=2, reason="就医"
    )
    meetings.decide_leave(leave, world.staff_a, approve=True)
    session = meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    assert session.state == MeetingState.OPEN

    # Votes: five of nine is a majority of all deputies; four is not, though it is most of the six present.
    passed = meetings.record_vote(
        session,
        world.staff_a,
        kind="resolution",
        title="关于政府工作报告的决议",
        method="hands",
        votes_for=5,
        votes_against=1,
        abstentions=0,
    )
    failed = meetings.record_vote(
        session,
        world.staff_a,
        kind="decision",
        title="关于调整预算的决定",
        method="hands",
        votes_for=4,
        votes_against=1,
        abstentions=1,
    )
    assert passed.passed and not failed.passed
    assert (failed.deputies_total, failed.present) == (9, 6)
    with pytest.raises(ValidationError):
        meetings.record_vote(
            session,
            world.staff_a,
            kind="other",
            title="多于到会人数",
            method="hands",
            votes_for=6,
            votes_against=1,
            abstentions=0,
        )
    # A correction is recorded with the figures before, and computes the outcome again.
    correction = meetings.correct_vote(
        failed, world.staff_a, votes_for=5, votes_against=0, abstentions=1, reason="复核计票"
    )
    failed.refresh_from_db()
    assert failed.passed and correction.before["for"] == 4 and correction.after["passed"] is True
    with pytest.raises(ValidationError) as refused:
        meetings.adopt_resolution(session, world.staff_a, kind="resolution", title="", text="", units=[], vote=passed)
    assert {"title", "text", "units"} <= set(refused.value.message_dict)

    # The resolution, its responsible unit, two implementation reports, then the presidium's verdict.
    resolution = meetings.adopt_resolution(
        session,
        world.staff_a,
        kind="resolution",
        title=passed.title,
        text="决议全文",
        units=[world.agency_a],
        vote=passed,
    )
    first_due = resolution.next_report_due_on
    assert first_due > resolution.adopted_on
    session = meetings.close_meeting(session, world.staff_a, expected_version=session.version)
    statuses = sorted(session.attendances.values_list("status", flat=True))
    assert statuses.count(AttendanceStatus.ABSENT) == 2 and statuses.count(AttendanceStatus.LEAVE) == 1

    time_machine.move_to(session.starts_at + timedelta(days=3))
    meetings.report_implementation(resolution, world.handler_x, text="已完成道路勘测")
    time_machine.move_to(session.starts_at + timedelta(days=8))
    meetings.report_implementation(resolution, world.staff_a, text="道路已开工建设", agency=world.agency_a)
    resolution.refresh_from_db()
    assert resolution.reports.count() == 2
    assert resolution.next_report_due_on > first_due
    assert resolution.reports.first().agency == world.agency_a  # the handler reported for their unit

    presidium = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="presidium",
        starts_at=timezone.now(),
        ends_on=timezone.localdate(),
    )
    meetings.set_participants(presidium, world.staff_a, mandates=congress[:3])
    presidium.refresh_from_db()
    presidium = meetings.open_meeting(presidium, world.staff_a, expected_version=presidium.version)
    resolution = meetings.mark_resolution_done(
        resolution, world.staff_a, expected_version=resolution.version, presidium_meeting=presidium, note="已落实"
    )
    assert resolution.state == ResolutionState.DONE
    assert presidium.name == "甲镇第十二届人民代表大会主席团第一次会议"


def test_late_notice_is_sent_but_flagged(world, congress):
    session = _session(world, days_ahead=3)
    assert meetings.notice_check(session).late  # the day for the notice has passed already
    session = meetings.send_notice(session, world.staff_a, expected_version=session.version, text="通知")
    check = meetings.notice_check(session)
    assert check.on_time is False and check.late


def test_a_by_election_that_passes_starts_the_mandate(world, congress, time_machine):
    session = _session(world, days_ahead=0)
    time_machine.move_to(session.starts_at)
    for row in session.attendances.all()[:6]:
        meetings.sign_in(session, world.staff_a, attendance=row)
    session = meetings.open_meeting(session, world.staff_a, expected_version=session.version)
    candidate = factories.PersonFactory(township=world.township_a, full_name="补选人")
    vote = meetings.record_vote(
        session,
        world.staff_a,
        kind="by_election",
        title="补选代表：补选人",
        method="ballot",
        votes_for=6,
        votes_against=0,
        abstentions=0,
        candidate=candidate,
        constituency="第三选区",
    )
    assert vote.passed and vote.mandate.person == candidate
    assert vote.mandate.events.get().kind == MandateEventKind.BY_ELECTION
    assert meetings.congress_deputies(session.term, session.date).count() == 10


def test_extra_session_needs_one_fifth_of_the_deputies(world, congress):
    starts = timezone.now() + timedelta(days=9)
    with pytest.raises(ValidationError) as refused:
        meetings.plan_meeting(
            world.staff_a,
            township=world.township_a,
            kind="session",
            starts_at=starts,
            ends_on=timezone.localtime(starts).date(),
            extra_basis="deputies",
            extra_requesters=congress[:1],
        )
    assert "extra_requesters" in refused.value.message_dict
    session = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=starts,
        ends_on=timezone.localtime(starts).date(),
        extra_basis="deputies",
        extra_requesters=congress[:2],
    )
    assert session.is_extra


def test_an_outsider_cannot_run_another_townships_session(world, congress):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        meetings.plan_meeting(
            world.staff_b,
            township=world.township_a,
            kind="session",
            starts_at=timezone.now(),
            ends_on=timezone.localdate(),
        )
    session = _session(world)
    with pytest.raises(PermissionDenied):
        meetings.send_notice(session, world.staff_b, expected_version=session.version, text="通知")
