from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.core.pii import validate_id_number
from renda.deputies.models import Mandate, MandateLevel, Person
from renda.organisations.models import Agency, Township

pytestmark = pytest.mark.xdist_group("demo")  # one seeded demo per worker: see conftest.py


def test_demo_county_is_realistic_and_repeatable(demo_county, db, capsys, settings):
    assert Township.objects.filter(kind="subdistrict").count() == 2
    assert Township.objects.exclude(kind="subdistrict").count() == 13
    township_deputies = Mandate.objects.filter(level=MandateLevel.TOWNSHIP).count()
    assert 560 <= township_deputies <= 640
    assert Mandate.objects.filter(level=MandateLevel.COUNTY).count() > 100
    assert 40 <= Agency.objects.count() <= 50
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for number in Person.objects.values_list("id_number", flat=True):
        validate_id_number(number)
    deputy = User.objects.get(username="deputy_a")
    assert deputy.person.mandates.exists()

    # Both commands refuse (or stay silent on) the production profile, which CI's second run uses.
    settings.PRODUCTION = False
    call_command("seed_demo", "--if-empty")
    assert Mandate.objects.filter(level=MandateLevel.TOWNSHIP).count() == township_deputies

    call_command("demo_accounts")
    assert "county_admin" in capsys.readouterr().out


def test_demo_county_has_the_deputies_capability_filled_in(demo_county, db):
    from renda.deputies.models import (
        DutyRecord,
        LiaisonAssignment,
        MandateEvent,
        PointEntry,
        PointRule,
        VoterContact,
    )

    assert MandateEvent.objects.filter(kind="by_election").count() >= 3
    assert MandateEvent.objects.filter(kind__in=["resigned", "moved_away"]).count() >= 3
    assert LiaisonAssignment.objects.count() > 30 and VoterContact.objects.count() > 1500
    assert PointRule.objects.exists() and PointEntry.objects.filter(kind="deputies.voter_contact").exists()
    # Other duties in every township with a congress, scored by their kinds' rules.
    assert DutyRecord.objects.values("mandate__person__township").distinct().count() == 13
    assert PointEntry.objects.filter(kind="deputies.duty.training").exists()
    people = Person.objects.all()
    assert not people.filter(name_pinyin="").exists() and not people.filter(name_stroke_key="").exists()
    assert people.exclude(party="").count() == people.count() and people.filter(birth_date_precision="month").exists()
    shares = Mandate.objects.filter(level=MandateLevel.TOWNSHIP)
    worker_farmer_technical = shares.filter(is_worker_farmer=True).count() + shares.filter(is_technical=True).count()
    assert 0.6 < worker_farmer_technical / shares.count() < 0.9


def test_demo_county_has_a_year_of_casework_in_every_state(demo_county, db):
    from django.utils import timezone

    from renda.casework import deadlines
    from renda.casework.models import Case, CaseExtension, CaseRating, CaseState, Satisfaction
    from renda.casework.workflow import Step

    all_cases = Case.objects.all()
    per_township = list(all_cases.values("township").annotate(n=Count("id")).values_list("n", flat=True))
    # 36–42 walked by the casework seeder, plus the opinions the demo's reception days filed.
    assert len(per_township) == 15 and min(per_township) >= 30 and max(per_township) <= 80
    assert set(all_cases.values_list("state", flat=True)) == set(CaseState.values) - {CaseState.DRAFT}
    today = timezone.localdate()
    assert all_cases.filter(deadlines.overdue_filter(today)).exists()
    assert all_cases.filter(deadlines.near_filter(today)).exists()
    # 不满意 → handled again → 满意, and a rating window that lapsed (未表态).
    rehandled = all_cases.filter(rehandle_count__gte=1, state=CaseState.CLOSED)
    assert rehandled.filter(ratings__round=1, ratings__result=Satisfaction.SATISFIED).exists()
    assert CaseRating.objects.filter(result=Satisfaction.NO_OPINION).exists()
    assert set(CaseExtension.objects.values_list("approved", flat=True)) == {True, False}
    assert all_cases.filter(is_key=True).exclude(key_leader="").exists() and all_cases.filter(is_repeated=True).exists()
    assert all_cases.filter(escalation__gt=0).exists()
    # A year of history, on a timeline that runs forward.
    assert all_cases.filter(received_on__lt=today - timedelta(days=300)).exists()
    sample = all_cases.filter(state=CaseState.CLOSED).first()
    moments = [timezone.localtime(event.at) for event in sample.events.order_by("id")]
    assert moments == sorted(moments) and moments[0].date() == sample.received_on
    assert timezone.localtime(sample.events.filter(transition=Step.CLOSE).get().at).date() == sample.closed_on
    # The demo handler has work waiting, and deputy_a suggestions of their own.
    handler = User.objects.get(username="handler_x")
    waiting = all_cases.filter(assignments__agency=handler.agency, assignments__handed_back_at__isnull=True)
    assert waiting.filter(state__in=[CaseState.ASSIGNED, CaseState.IN_PROGRESS]).exists()
    assert all_cases.filter(signers__mandate__person__user__username="deputy_a").exists()


def test_demo_county_has_a_year_of_meetings(demo_county, db):
    from django.utils import timezone

    from renda.meetings import rules
    from renda.meetings import services as meetings
    from renda.meetings.models import (
        Attendance,
        Meeting,
        MotionState,
        Resolution,
        ResolutionState,
        Vote,
        VoteCorrection,
    )
    from renda.organisations.models import Term

    today = timezone.localdate()
    congresses = Township.objects.exclude(kind="subdistrict")
    sessions = Meeting.objects.filter(kind="session")
    # Two sessions held in the year and one coming up with its notice sent, in every congress.
    assert sessions.filter(state="closed").count() == 2 * congresses.count()
    upcoming = sessions.filter(state="notified")
    assert upcoming.count() == congresses.count() and all(m.date > today for m in upcoming)
    checks = [meetings.notice_check(m) for m in sessions.filter(state="closed")]
    assert {check.on_time for check in checks} == {True, False}
    # Leave, absences and the quorum reached at every session held.
    statuses = set(Attendance.objects.filter(meeting__kind="session").values_list("status", flat=True))
    assert {"present", "leave", "absent"} <= statuses
    assert all(meetings.quorum(m).reached for m in sessions.filter(state="closed")[:3])
    # Motions placed, and not placed then handled as suggestions.
    assert set(sessions.values_list("motions__state", flat=True)) >= {MotionState.PLACED, MotionState.NOT_PLACED}
    assert sessions.filter(motions__case__isnull=False).exists()
    # Votes that pass and fail (under the all-deputies majority), one corrected per session.
    assert set(Vote.objects.values_list("passed", flat=True)) == {True, False}
    failed = Vote.objects.filter(passed=False).first()
    assert failed.votes_for < rules.votes_needed(failed.deputies_total) <= failed.present
    assert VoteCorrection.objects.count() == 2 * congresses.count()
    # Resolutions: one carried out by a presidium meeting, one overdue for its report.
    resolutions = Resolution.objects.all()
    done = resolutions.filter(state=ResolutionState.DONE).first()
    assert done is not None and done.done_meeting.kind == "presidium" and done.reports.exists()
    assert resolutions.filter(state=ResolutionState.IMPLEMENTING, next_report_due_on__lt=today).exists()
    # A presidium meeting in most quarters: one township missed one.
    presidium = Meeting.objects.filter(kind="presidium", state="closed")
    per_township = sorted(presidium.values("township").annotate(n=Count("id")).values_list("n", flat=True))
    assert per_township[0] == 3 and per_township[-1] == 4
    assert Meeting.objects.filter(kind="county", state="closed").exists()
    # The congress-size view has figures: population and the seats the county fixed.
    terms = Term.objects.filter(township__isnull=False)
    assert not terms.filter(population__isnull=True).exists() and not terms.filter(fixed_seats__isnull=True).exists()
    # Attendance counts in the deputies' points.
    from renda.deputies.models import PointEntry

    kinds = set(PointEntry.objects.filter(kind__startswith="meetings.").values_list("kind", flat=True))
    assert {"meetings.session_attended", "meetings.leave", "meetings.absent", "meetings.motion_led"} <= kinds


def test_demo_county_has_a_year_of_evaluations(demo_county, db):
    """代表评议 in every congress: 3–6 units, a closed secret ballot, units under 60% with items
    done, open and overdue, a follow-up ballot (open in one township, so a deputy has one waiting)."""
    from renda.activities import selectors_evaluations as selectors
    from renda.activities.models import BallotReceipt, Evaluation, RectificationItem

    congresses = Township.objects.exclude(kind="subdistrict")
    evaluations = Evaluation.objects.unscoped().all()
    assert evaluations.count() == congresses.count()
    assert all(3 <= e.units.count() <= 6 for e in evaluations)
    assert {"closed", "follow_up"} == set(evaluations.values_list("state", flat=True))
    weak = 0
    for evaluation in evaluations:
        views = selectors.round_views(selectors.rounds_of(evaluation))
        assert [v.round.kind for v in views] == ["initial", "follow_up"]
        weak += sum(row.result.must_rectify for row in views[0].rows)
        assert 0 < views[0].voted <= views[0].round.electorate
    assert weak >= congresses.count()
    items = RectificationItem.objects.unscoped()
    assert set(items.values_list("state", flat=True)) == {"open", "done"}
    assert sum(selectors.is_overdue(item) for item in items) >= 1
    assert {"phone", "paper"} <= set(BallotReceipt.objects.unscoped().values_list("method", flat=True))
