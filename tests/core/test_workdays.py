"""The working-day calendar: China's official days off and 调休 from the library, entered notices,
the counting rules, the cache and the change hook."""

import time
from datetime import date, timedelta

import holidays
import pytest
from django.core.cache import cache
from django.db import transaction

from renda.core import workdays
from renda.core.models import CalendarDay


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def enter(*rows: tuple[date, str, str]) -> None:
    """Enter notice days as the calendar service does: rows, then ``calendar_changed``."""
    before = workdays.year_calendar(rows[0][0].year)
    for day, kind, name in rows:
        CalendarDay.objects.create(date=day, kind=kind, name=name)
    workdays.calendar_changed(year=rows[0][0].year, before=before)


HOLIDAY, WORKING_DAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKING_DAY


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the calendar queues for commit, as a real commit would."""
    with django_capture_on_commit_callbacks(execute=True):
        yield


# ---- 2026 from the library (国办发明电〔2025〕号 notice for 2026) ----


@pytest.mark.django_db
def test_2026_matches_the_library_day_by_day():
    china = holidays.China(years=2026)
    year = days(date(2026, 1, 1), date(2026, 12, 31))
    differing = [d for d in year if workdays.is_working_day(d) != china.is_working_day(d)]
    assert differing == []
    assert workdays.year_calendar(2026).status == workdays.YearStatus.OFFICIAL
    assert not workdays.is_provisional(2026)


@pytest.mark.django_db
def test_2026_spring_festival_is_nine_days_off_with_two_saturdays_worked():
    assert workdays.is_working_day(date(2026, 2, 14))  # Saturday, worked (调休上班)
    assert not any(workdays.is_working_day(d) for d in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert workdays.is_working_day(date(2026, 2, 24))
    assert workdays.is_working_day(date(2026, 2, 28))  # Saturday, worked
    assert not workdays.is_working_day(date(2026, 3, 1))  # an ordinary Sunday
    # A suggestion received on Thursday 12 February is to be assigned within 5 working days.
    assert workdays.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    assert workdays.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert workdays.next_working_day(date(2026, 2, 14)) == date(2026, 2, 24)
    assert workdays.add_working_days(date(2026, 2, 24), -1) == date(2026, 2, 14)
    assert workdays.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


@pytest.mark.django_db
def test_2026_national_day_is_eight_days_off_with_a_sunday_and_a_saturday_worked():
    assert not workdays.is_working_day(date(2026, 9, 25))  # Mid-Autumn Festival, a Friday
    assert workdays.is_working_day(date(2026, 9, 20))  # Sunday, worked
    assert not any(workdays.is_working_day(d) for d in days(date(2026, 10, 1), date(2026, 10, 7)))
    assert workdays.is_working_day(date(2026, 10, 10))  # Saturday, worked
    assert workdays.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    assert workdays.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert workdays.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert workdays.add_working_days(date(2026, 10, 8), -2) == date(2026, 9, 29)
    calendar_2026 = workdays.year_calendar(2026)
    assert date(2026, 10, 3) in calendar_2026.holidays  # a Saturday off: shown, not counted
    assert set(calendar_2026.working_days) == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }


@pytest.mark.django_db
def test_zero_working_days_is_the_day_itself_or_the_next_working_day():
    assert workdays.add_working_days(date(2026, 3, 4), 0) == date(2026, 3, 4)
    assert workdays.add_working_days(date(2026, 10, 1), 0) == date(2026, 10, 8)


@pytest.mark.django_db
def test_working_days_between_counts_after_start_up_to_end():
    start = date(2026, 2, 12)
    for n in range(1, 30):
        assert workdays.working_days_between(start, workdays.add_working_days(start, n)) == n
    assert workdays.working_days_between(start, start) == 0
    assert workdays.working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == -5


# ---- months ----


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 12, 15), 2, date(2027, 2, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
    ],
)
def test_add_months_takes_the_last_day_of_a_shorter_month(start, months, expected):
    assert workdays.add_months(start, months) == expected


@pytest.mark.django_db
def test_a_month_deadline_on_a_day_off_moves_to_the_next_working_day():
    assert workdays.add_months(date(2026, 9, 1), 1) == date(2026, 10, 1)
    assert workdays.add_months_to_working_day(date(2026, 9, 1), 1) == date(2026, 10, 8)
    assert workdays.add_months_to_working_day(date(2026, 1, 23), 1) == date(2026, 2, 24)
    assert workdays.add_months_to_working_day(date(2026, 4, 14), 1) == date(2026, 5, 14)


# ---- entered notices ----


@pytest.mark.django_db
def test_2027_is_provisional_until_its_notice_is_entered(committed):
    assert workdays.is_provisional(2027)
    # The library's estimate: 5–10 February off, no make-up working day.
    assert workdays.add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 17)
    enter(
        *[(d, HOLIDAY, "春节") for d in days(date(2027, 2, 5), date(2027, 2, 14))],
        (date(2027, 2, 20), WORKING_DAY, "春节调休"),
    )
    assert not workdays.is_provisional(2027)
    assert workdays.year_calendar(2027).status == workdays.YearStatus.ENTERED
    assert workdays.add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 19)
    assert workdays.is_working_day(date(2027, 2, 20))
    # The entered notice replaces the estimate for the whole year: its estimated May Day is gone.
    assert workdays.is_working_day(date(2027, 5, 4))
    assert workdays.entered_years() == [2027]


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_trace_in_the_cache():
    assert workdays.is_working_day(date(2027, 3, 1))
    with pytest.raises(RuntimeError), transaction.atomic():
        enter((date(2027, 3, 1), HOLIDAY, "试"))
        assert not workdays.is_working_day(date(2027, 3, 1))
        raise RuntimeError
    assert workdays.is_working_day(date(2027, 3, 1))


@pytest.mark.django_db
def test_another_process_change_is_seen_after_the_recheck_interval(monkeypatch):
    assert workdays.is_working_day(date(2027, 3, 1))
    # Another process commits a day off and bumps the shared token; this process has not looked yet.
    CalendarDay.objects.create(date=date(2027, 3, 1), kind=HOLIDAY, name="试")
    cache.set(workdays.TOKEN_KEY, "changed elsewhere", timeout=None)
    assert workdays.is_working_day(date(2027, 3, 1))
    monkeypatch.setattr(workdays, "RECHECK_SECONDS", 0)
    assert not workdays.is_working_day(date(2027, 3, 1))


# ---- the change hook ----


class DeadlineBook:
    """A toy consumer: deadlines 5 working days after receipt, recomputed when the calendar changes."""

    def __init__(self, received: list[date]) -> None:
        self.due = {start: workdays.add_working_days(start, 5) for start in received}
        self.calls: list[tuple[date, date]] = []

    def recompute(self, first: date, last: date) -> None:
        self.calls.append((first, last))
        for start, due in self.due.items():
            if start <= last and due >= first:
                self.due[start] = workdays.add_working_days(start, 5)


@pytest.fixture
def book(monkeypatch):
    monkeypatch.setattr(workdays, "_listeners", [])
    book = DeadlineBook([date(2027, 2, 4), date(2027, 6, 1)])
    workdays.on_calendar_change(book.recompute)
    return book


@pytest.mark.django_db
def test_a_committed_change_recomputes_the_dependent_deadlines(book, django_capture_on_commit_callbacks):
    assert book.due[date(2027, 2, 4)] == date(2027, 2, 17)
    with django_capture_on_commit_callbacks(execute=True):
        enter(
            *[(d, HOLIDAY, "春节") for d in days(date(2027, 2, 5), date(2027, 2, 14))],
            (date(2027, 2, 20), WORKING_DAY, "春节调休"),
        )
        assert book.calls == [], "listeners wait for the commit"
    assert book.due[date(2027, 2, 4)] == date(2027, 2, 19)
    assert book.due[date(2027, 6, 1)] == date(2027, 6, 8)
    # The range runs from the first to the last day whose status changed, including the estimate's
    # days off that this (partial) notice leaves out: New Year's Day to the National Day holiday.
    assert book.calls == [(date(2027, 1, 1), date(2027, 10, 5))]


@pytest.mark.django_db
def test_a_rolled_back_change_calls_no_listener(book):
    with pytest.raises(RuntimeError), transaction.atomic():
        enter((date(2027, 3, 1), HOLIDAY, "试"))
        raise RuntimeError
    assert book.calls == []


@pytest.mark.django_db
def test_renaming_a_day_calls_no_listener(book, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enter((date(2027, 3, 1), HOLIDAY, "试"))
    assert len(book.calls) == 1
    before = workdays.year_calendar(2027)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.filter(date=date(2027, 3, 1)).update(name="改名")
        workdays.calendar_changed(year=2027, before=before)
    assert len(book.calls) == 1
    assert workdays.year_calendar(2027).holidays[date(2027, 3, 1)] == "改名"


# ---- cost ----


@pytest.mark.django_db
def test_ten_thousand_deadlines_query_nothing_and_take_well_under_a_second(django_assert_num_queries, capsys):
    workdays.is_working_day(date(2026, 1, 1))  # load the entered days once
    starts = [date(2026, 1, 1) + timedelta(n % 700) for n in range(10_000)]
    with django_assert_num_queries(0):
        began = time.perf_counter()
        for start in starts:
            workdays.add_working_days(start, 5)
        elapsed = time.perf_counter() - began
    with capsys.disabled():
        print(f"\n10,000 add_working_days(start, 5): {elapsed * 1000:.0f} ms")
    assert elapsed < 2  # generous: the machine is shared; typically ~50 ms
