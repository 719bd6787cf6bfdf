"""Case deadlines in working days (domain.md §5) around the 2026 Spring Festival (15–23 February off,
Saturdays 14 and 28 February worked) and National Day (1–7 October off, Sunday 20 September and
Saturday 10 October worked); every rule a setting; a 2027 notice moving open cases' deadlines;
三色督办, the nightly sweep's escalations and reminders."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.casework import deadlines, services
from renda.casework.deadlines import Urgency
from renda.casework.models import Case, CaseEvent, CaseReminder, CaseSource, CaseState, Escalation
from renda.core.models import CalendarDay
from renda.workcalendar.services import NoticeDay, calendar_notice_save

S = CaseState
SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: date):
    """Nine in the morning of ``day`` in China, the clock standing still."""
    return time_machine.travel(datetime.combine(day, time(9), tzinfo=SHANGHAI), tick=False)


def opinion(w, **extra) -> Case:
    return services.file_case(
        None,
        township=w.township_a,
        source=CaseSource.CITIZEN_OPINION,
        title="路灯不亮",
        content="村口路灯不亮。",
        citizen_name="李四",
        **extra,
    )


def assigned_on(w, day: date) -> Case:
    with on(day):
        case = opinion(w)
        case = services.accept(case, w.staff_a)
        return services.assign(case, w.staff_a, lead=w.agency_a)


def fresh(case: Case) -> Case:
    return Case.objects.unscoped().get(pk=case.pk)


# ---- the rules around the 2026 holidays --------------------------------------------------------


def test_assignment_is_due_five_working_days_after_receipt_across_the_spring_festival(world):
    with on(date(2026, 2, 12)):  # Thursday; Saturday 14 February is worked, 15–23 are off
        case = opinion(world)
    assert case.received_on == date(2026, 2, 12)
    assert case.assign_due_on == date(2026, 2, 26)
    # A case entered later with the day it was really received.
    with on(date(2026, 3, 2)):
        late = opinion(world, received_on=date(2026, 2, 13))
    assert late.assign_due_on == date(2026, 2, 27)


def test_the_answer_is_due_three_months_after_assignment_moved_off_days_off(world):
    # 17 February 2026 is in the Spring Festival: the next working day is the 24th.
    assert deadlines.answer_due(date(2025, 11, 17)) == date(2026, 2, 24)
    # 1 October is National Day: the 8th.
    case = assigned_on(world, date(2026, 7, 1))
    assert (case.assigned_on, case.answer_due_on) == (date(2026, 7, 1), date(2026, 10, 8))
    # A plain working day stays as it is.
    assert deadlines.answer_due(date(2026, 4, 14)) == date(2026, 7, 14)


def test_an_extension_is_capped_at_six_months_from_assignment(world):
    case = assigned_on(world, date(2026, 4, 3))
    cap = deadlines.answer_cap(case.assigned_on)
    assert cap == date(2026, 10, 8)  # 3 October is a day off
    with on(date(2026, 5, 6)):
        with pytest.raises(ValidationError) as refused:
            services.request_extension(case, world.handler_x, until=cap + timedelta(days=1), reason="工程量大")
        assert "2026-10-08" in str(refused.value)
        extension = services.request_extension(case, world.handler_x, until=cap, reason="工程量大")
        services.decide_extension(extension, world.staff_a, approve=True)
    assert fresh(case).answer_due_on == cap


def test_the_re_assignment_window_is_seven_working_days(world):
    case = assigned_on(world, date(2026, 9, 28))
    lead = case.assignments.get(is_lead=True)
    # 29, 30 September, 8, 9, 10 (a worked Saturday), 12, 13 October.
    assert lead.hand_back_until == date(2026, 10, 13)
    with on(date(2026, 10, 14)), pytest.raises(ValidationError):
        services.hand_back(case, world.handler_x, reason="不属本单位")
    with on(date(2026, 10, 13)):
        assert services.hand_back(case, world.handler_x, reason="不属本单位").state == S.RETURNED


def test_the_rating_window_is_twenty_working_days(world):
    case = assigned_on(world, date(2026, 1, 5))
    with on(date(2026, 2, 6)):
        services.answer(
            case, world.handler_x, reply_class="A", done_items="已修复", consultation="phone", signer="王主任"
        )
    case = fresh(case)
    assert case.rating_due_on == date(2026, 3, 12)
    assert services.lapse_ratings(date(2026, 3, 12)) == 0
    assert services.lapse_ratings(date(2026, 3, 13)) == 1


def test_re_handling_has_its_own_month(world):
    assert deadlines.rehandle_due(date(2026, 1, 15)) == date(2026, 2, 24)
    assert deadlines.rehandle_due(date(2026, 9, 7)) == date(2026, 10, 8)
    case = assigned_on(world, date(2025, 12, 1))
    with on(date(2026, 1, 5)):
        services.answer(
            case,
            world.handler_x,
            reply_class="B",
            planned_items="明年更换",
            planned_by=date(2026, 6, 1),
            consultation="visit",
            signer="王主任",
        )
    with on(date(2026, 1, 15)):
        services.rate(case, None, citizen=True, handling="satisfied", result="unsatisfied")
    case = fresh(case)
    assert (case.state, case.rehandle_started_on, case.answer_due_on) == (
        S.REHANDLING,
        date(2026, 1, 15),
        date(2026, 2, 24),
    )
    # The calendar's recomputation keeps the re-handling month, not the first three months.
    assert deadlines.derived(case)["answer_due_on"] == date(2026, 2, 24)


def test_a_co_agencys_view_is_due_in_a_month(world):
    with on(date(2026, 9, 1)):
        case = services.assign(
            services.accept(opinion(world), world.staff_a), world.staff_a, lead=world.agency_a, co=[world.county_agency]
        )
    assert case.assignments.get(is_lead=False).view_due_on == date(2026, 10, 8)


# ---- every rule is a setting -------------------------------------------------------------------

RULES = [
    # setting, new value, rule, start, default result, result with the new value
    (
        "RENDA_CASE_ASSIGN_WORKING_DAYS",
        3,
        deadlines.assign_due,
        date(2026, 2, 12),
        date(2026, 2, 26),
        date(2026, 2, 24),
    ),
    ("RENDA_CASE_ANSWER_MONTHS", 2, deadlines.answer_due, date(2025, 11, 17), date(2026, 2, 24), date(2026, 1, 19)),
    ("RENDA_CASE_ANSWER_MAX_MONTHS", 4, deadlines.answer_cap, date(2025, 8, 17), date(2026, 2, 24), date(2025, 12, 17)),
    ("RENDA_CASE_CO_AGENCY_MONTHS", 2, deadlines.co_view_due, date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 8)),
    (
        "RENDA_CASE_HAND_BACK_WORKING_DAYS",
        5,
        deadlines.hand_back_until,
        date(2026, 9, 28),
        date(2026, 10, 13),
        date(2026, 10, 10),
    ),
    (
        "RENDA_CASE_RATING_WORKING_DAYS",
        10,
        deadlines.rating_due,
        date(2026, 2, 6),
        date(2026, 3, 12),
        date(2026, 2, 27),
    ),
    ("RENDA_CASE_REHANDLE_MONTHS", 2, deadlines.rehandle_due, date(2026, 1, 15), date(2026, 2, 24), date(2026, 3, 16)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "value", "rule", "start", "default", "changed"), RULES, ids=[r[0] for r in RULES])
def test_every_deadline_rule_is_a_setting(settings, name, value, rule, start, default, changed):
    assert rule(start) == default
    setattr(settings, name, value)
    assert rule(start) == changed


def test_a_changed_setting_is_followed_by_the_cases_deadlines(world, settings):
    settings.RENDA_CASE_ASSIGN_WORKING_DAYS = 3
    settings.RENDA_CASE_ANSWER_MONTHS = 2
    with on(date(2026, 2, 12)):
        case = opinion(world)
    assert case.assign_due_on == date(2026, 2, 24)
    case = assigned_on(world, date(2025, 11, 17))
    assert case.answer_due_on == date(2026, 1, 19)


# ---- a 2027 notice moves open cases' 2027 deadlines --------------------------------------------


def notice_2027() -> list[NoticeDay]:
    spring = [date(2027, 2, 5) + timedelta(n) for n in range(10)]  # 5–14 February
    return [
        *[NoticeDay(day, CalendarDay.Kind.HOLIDAY, "春节") for day in spring],
        NoticeDay(date(2027, 2, 20), CalendarDay.Kind.WORKING_DAY, "春节调休"),
    ]


def test_entering_the_2027_notice_moves_an_open_cases_2027_deadline(world, django_capture_on_commit_callbacks):
    moving = assigned_on(world, date(2026, 11, 12))  # 12 February 2027: a working day in the estimate
    staying = assigned_on(world, date(2026, 12, 1))  # 1 March 2027: a working day either way
    closed = assigned_on(world, date(2026, 11, 12))
    Case.objects.unscoped().filter(pk=closed.pk).update(state=S.CLOSED)
    closed = fresh(closed)
    assert moving.answer_due_on == closed.answer_due_on == date(2027, 2, 12)
    staying_due = staying.answer_due_on
    audit_before = AuditEntry.objects.unscoped().filter(event="casework.case.deadlines_moved").count()

    with django_capture_on_commit_callbacks(execute=True):
        calendar_notice_save(year=2027, days=notice_2027(), actor=world.sysadmin)

    moved = fresh(moving)
    assert moved.answer_due_on == date(2027, 2, 15)  # 12–14 February are now off
    assert moved.version == moving.version + 1
    event = CaseEvent.objects.unscoped().get(case=moving, transition="deadlines_moved")
    assert event.actor is None and event.actor_label
    assert "2027-02-12" in event.data["answer_due_on"] and "2027-02-15" in event.data["answer_due_on"]
    assert AuditEntry.objects.unscoped().filter(event="casework.case.deadlines_moved").count() == audit_before + 1
    # A deadline the notice does not change, and a closed case, are left alone.
    assert fresh(staying).answer_due_on == staying_due
    assert not CaseEvent.objects.unscoped().filter(case=staying, transition="deadlines_moved").exists()
    assert (fresh(closed).answer_due_on, fresh(closed).version) == (date(2027, 2, 12), closed.version)
    assert not CaseEvent.objects.unscoped().filter(case=closed, transition="deadlines_moved").exists()


# ---- 三色督办 -------------------------------------------------------------------------------------


def test_due_of_is_green_then_yellow_within_the_warning_days_then_red(world, settings):
    case = assigned_on(world, date(2026, 7, 1))
    due = case.answer_due_on
    assert deadlines.due_of(case, due - timedelta(days=16)).urgency == Urgency.GREEN
    assert deadlines.due_of(case, due - timedelta(days=15)).urgency == Urgency.YELLOW
    assert deadlines.due_of(case, due).urgency == Urgency.YELLOW
    red = deadlines.due_of(case, due + timedelta(days=1))
    assert (red.on, red.urgency, red.css) == (due, Urgency.RED, "danger")
    settings.RENDA_CASE_NEAR_DAYS = 5
    assert deadlines.due_of(case, due - timedelta(days=6)).urgency == Urgency.GREEN
    assert deadlines.due_of(case, due - timedelta(days=5)).urgency == Urgency.YELLOW


def test_the_list_filters_agree_with_due_of(world, settings):
    settings.RENDA_CASE_NEAR_DAYS = 4
    base = date(2026, 9, 28)
    cases = []
    for state in S.values:
        for source in (CaseSource.CITIZEN_OPINION, CaseSource.SESSION_SUGGESTION):
            case = services.file_case(
                world.staff_a,
                township=world.township_a,
                source=source,
                title="t",
                content="c",
                signers=[world.mandate_a],
            )
            Case.objects.unscoped().filter(pk=case.pk).update(
                state=state,
                assign_due_on=base if source == CaseSource.CITIZEN_OPINION else None,
                answer_due_on=base + timedelta(days=2),
                rating_due_on=base + timedelta(days=4),
            )
            cases.append(case.pk)
    everything = Case.objects.unscoped().filter(pk__in=cases)
    seen = set()
    for offset in range(-8, 8):
        today = base + timedelta(days=offset)
        colours = {case.pk: deadlines.due_of(case, today) for case in everything}
        red = {pk for pk, due in colours.items() if due and due.urgency == Urgency.RED}
        yellow = {pk for pk, due in colours.items() if due and due.urgency == Urgency.YELLOW}
        assert set(everything.filter(deadlines.overdue_filter(today)).values_list("pk", flat=True)) == red, today
        assert set(everything.filter(deadlines.near_filter(today)).values_list("pk", flat=True)) == yellow, today
        seen |= {Urgency.RED} if red else set()
        seen |= {Urgency.YELLOW} if yellow else set()
    assert seen == {Urgency.RED, Urgency.YELLOW}


# ---- the sweep: escalation and reminders -------------------------------------------------------


def test_the_sweep_reminds_and_escalates_around_national_day(world):
    case = assigned_on(world, date(2026, 6, 30))
    assert case.answer_due_on == date(2026, 9, 30)

    def sweep(day: date) -> dict[str, int]:
        with on(day):
            return services.sweep()

    assert sweep(date(2026, 9, 14)) == {"lapsed": 0, "escalated": 0, "reminded": 0}  # 16 days ahead: green
    assert sweep(date(2026, 9, 15))["reminded"] == 1  # 临期: the first automatic reminder
    assert sweep(date(2026, 9, 16))["reminded"] == 0
    with on(date(2026, 9, 17)), pytest.raises(ValidationError) as refused:
        services.remind(case, world.staff_a)
    assert refused.value.messages == ["已于 2026-09-15 催办，2026-09-18 起方可再次催办。"]
    assert sweep(date(2026, 9, 18))["reminded"] == 1
    # Overdue from 1 October, but the days off do not count as late.
    assert sweep(date(2026, 10, 7)) == {"lapsed": 0, "escalated": 0, "reminded": 1}
    assert fresh(case).escalation == Escalation.NONE
    assert sweep(date(2026, 10, 8))["escalated"] == 1
    assert fresh(case).escalation == Escalation.TOWNSHIP
    assert sweep(date(2026, 10, 19))["escalated"] == 0  # 9 working days late
    assert sweep(date(2026, 10, 20))["escalated"] == 1  # 10
    assert fresh(case).escalation == Escalation.COUNTY
    assert sweep(date(2026, 10, 21))["escalated"] == 0
    reminders = list(CaseReminder.objects.unscoped().filter(case=case).values_list("sent_at", "automatic"))
    assert all(automatic for _, automatic in reminders)
    sent = [timezone.localtime(at).date() for at, _ in reminders]
    assert all((b - a).days >= 3 for a, b in zip(sent, sent[1:], strict=False))
    escalations = CaseEvent.objects.unscoped().filter(case=case, transition="escalate")
    assert [e.data["escalation"] for e in escalations] == [str(int(Escalation.TOWNSHIP)), str(int(Escalation.COUNTY))]
    # An answer ends the chase: the answer's clock and the escalation start again with a re-handling.
    with on(date(2026, 10, 22)):
        services.answer(case, world.handler_x, reply_class="A", done_items="已修", consultation="phone", signer="王")
    assert sweep(date(2026, 10, 23)) == {"lapsed": 0, "escalated": 0, "reminded": 0}


def test_escalation_and_reminder_intervals_are_settings(world, settings):
    settings.RENDA_CASE_ESCALATE_TOWNSHIP_WORKING_DAYS = 3
    settings.RENDA_CASE_REMINDER_DAYS = 1
    case = assigned_on(world, date(2026, 6, 30))
    for day, escalated, reminded in (
        (date(2026, 10, 8), 0, 1),
        (date(2026, 10, 9), 0, 1),
        (date(2026, 10, 10), 1, 1),  # the worked Saturday is the third working day late
    ):
        with on(day):
            assert services.sweep() == {"lapsed": 0, "escalated": escalated, "reminded": reminded}, day
    assert fresh(case).escalation == Escalation.TOWNSHIP


def test_an_opinion_not_reviewed_in_time_is_escalated(world):
    with on(date(2026, 2, 12)):
        case = opinion(world)
    with on(date(2026, 2, 26)):
        assert services.sweep()["escalated"] == 0
    with on(date(2026, 2, 27)):
        assert services.sweep() == {"lapsed": 0, "escalated": 1, "reminded": 0}
    case = fresh(case)
    assert (case.state, case.escalation) == (S.SUBMITTED, Escalation.TOWNSHIP)


def test_a_manual_reminder_starts_the_interval_too(world):
    case = assigned_on(world, date(2026, 6, 30))
    with on(date(2026, 9, 29)):
        reminder = services.remind(case, world.staff_a)
        assert (reminder.agency, reminder.automatic, reminder.sent_by) == (world.agency_a, False, world.staff_a)
        assert services.sweep()["reminded"] == 0
    with on(date(2026, 10, 1)), pytest.raises(ValidationError) as refused:
        services.remind(case, world.staff_a)
    assert re.fullmatch(r"已于 2026-09-29 催办，2026-10-02 起方可再次催办。", refused.value.messages[0])
    with on(date(2026, 10, 2)):
        services.remind(case, world.staff_a)


def test_the_notice_moves_the_windows_of_the_assignments_too(world, django_capture_on_commit_callbacks):
    case = assigned_on(world, date(2026, 12, 31))
    lead = case.assignments.get(is_lead=True)
    # 7 working days from 31 December 2026 in the estimate: 4–8 and 11–12 January 2027.
    assert lead.hand_back_until == date(2027, 1, 12)
    notice = [NoticeDay(date(2027, 1, d), CalendarDay.Kind.HOLIDAY, "元旦") for d in (1, 4)]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_notice_save(year=2027, days=notice, actor=world.sysadmin)
    assert case.assignments.get(is_lead=True).hand_back_until == date(2027, 1, 13)
