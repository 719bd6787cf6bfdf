"""Writes to the working-day calendar: a year's State Council notice entered, replaced or removed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from renda.accounts import audit
from renda.core import workdays
from renda.core.models import CalendarDay


@dataclass(frozen=True)
class NoticeDay:
    date: date
    kind: CalendarDay.Kind
    name: str


def _as_lines(days) -> list[str]:
    """A compact, readable form of a year's entered days for the audit entry."""
    return [f"{day.date.isoformat()} {day.kind} {day.name}" for day in days]


@transaction.atomic
def calendar_notice_save(*, year: int, days: Sequence[NoticeDay], actor) -> None:
    """Replace the days entered for ``year`` with ``days`` (the year's whole notice).

    Preconditions: every day lies in ``year`` and no date occurs twice (``NoticeForm`` checks both;
    a violation raises ``ValueError`` before anything is written). Side effects: the library's data
    for the year is no longer used, an audit entry with the days before and after, and the
    calendar's listeners are called on commit with the days whose status changed.
    """
    if any(day.date.year != year for day in days) or len({day.date for day in days}) != len(days):
        raise ValueError("notice days must be distinct dates within the year")
    before = workdays.year_calendar(year)
    existing = CalendarDay.objects.filter(date__year=year)
    previous = _as_lines(existing)
    existing.delete()
    created = CalendarDay.objects.bulk_create(CalendarDay(date=d.date, kind=d.kind, name=d.name) for d in days)
    audit.record(
        "calendar.notice_saved",
        actor=actor,
        target_label=str(year),
        data={"year": year, "before": previous, "after": _as_lines(created)},
    )
    workdays.calendar_changed(year=year, before=before)


@transaction.atomic
def calendar_notice_remove(*, year: int, actor) -> int:
    """Remove the days entered for ``year``; the library's data (or its estimate) applies again.

    Returns how many days were removed (0 changes nothing and writes no audit entry).
    """
    existing = CalendarDay.objects.filter(date__year=year)
    previous = _as_lines(existing)
    if not previous:
        return 0
    before = workdays.year_calendar(year)
    existing.delete()
    audit.record(
        "calendar.notice_removed",
        actor=actor,
        target_label=str(year),
        data={"year": year, "before": previous},
    )
    workdays.calendar_changed(year=year, before=before)
    return len(previous)
