"""Reads for the calendar pages: which years to list, and a year's days in date order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from renda.core import workdays
from renda.documents.dates import format_chinese_date


@dataclass(frozen=True)
class YearRow:
    year: int
    status: workdays.YearStatus


@dataclass(frozen=True)
class DayRow:
    date: date
    worked: bool
    name: str

    @property
    def written(self) -> str:
        return format_chinese_date(self.date)


def calendar_years(*, today: date) -> list[YearRow]:
    """Last year to two years ahead (the years deadlines run in), and every year with an entered notice."""
    years = set(range(today.year - 1, today.year + 3)) | set(workdays.entered_years())
    return [YearRow(year, workdays.year_calendar(year).status) for year in sorted(years)]


def calendar_days(*, year: int) -> list[DayRow]:
    calendar = workdays.year_calendar(year)
    rows = [DayRow(day, False, name) for day, name in calendar.holidays.items()]
    # The library names no make-up working day.
    rows += [DayRow(day, True, name or _("Make-up working day")) for day, name in calendar.working_days.items()]
    return sorted(rows, key=lambda row: row.date)
