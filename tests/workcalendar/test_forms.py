"""The notice form reads lines as an office clerk types them."""

from datetime import date

import pytest

from renda.core import workdays
from renda.core.models import CalendarDay
from renda.workcalendar.forms import NoticeForm, notice_text

HOLIDAY, WORKING_DAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKING_DAY


def parsed(text: str, year: int = 2027):
    form = NoticeForm({"text": text}, year=year)
    assert form.is_valid(), form.errors
    return [(day.date, day.kind, day.name) for day in form.cleaned_data["text"]]


@pytest.mark.parametrize(
    "line",
    [
        "2027-02-06 至 2027-02-07 春节",
        "2027-02-06至2027-02-07 春节",
        "２０２７年２月６日～２０２７年２月７日　春节",
        "2027.2.6 到 2027.2.7 放假 春节",
        "2027/2/6 — 2027/2/7 春节放假",
    ],
)
def test_a_range_of_days_off_in_the_ways_it_is_written(line):
    assert parsed(line) == [(date(2027, 2, 6), HOLIDAY, "春节"), (date(2027, 2, 7), HOLIDAY, "春节")]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("2027-02-20 上班 春节调休", "春节调休"),
        ("2027-02-20 春节调休上班", "春节调休"),
        ("2027-02-20 补班", "调休上班"),
        ("2027-02-20 上班 调休上班", "调休上班"),
    ],
)
def test_a_worked_weekend_day(line, name):
    assert parsed(f"2027-01-01 元旦\n{line}")[1] == (date(2027, 2, 20), WORKING_DAY, name)


@pytest.mark.django_db
def test_the_library_year_written_out_reads_back_as_the_same_days():
    calendar_2026 = workdays.year_calendar(2026)
    days = parsed(notice_text(calendar_2026), year=2026)
    assert {day for day, kind, _name in days if kind == HOLIDAY} == set(calendar_2026.holidays)
    assert {day for day, kind, _name in days if kind == WORKING_DAY} == set(calendar_2026.working_days)
