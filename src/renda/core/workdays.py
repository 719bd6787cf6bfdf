"""China's working-day calendar, which every deadline counted in working days or months uses.

Where a year's days off and make-up working days (调休上班) come from:

- **entered**: an administrator entered the year's State Council notice (``CalendarDay`` rows). The
  entered days replace the library's data for that whole year.
- **official**: the pinned ``holidays`` library carries the year's notice (its ``China`` class lists
  the notice's substituted days for exactly those years).
- **provisional**: neither. The library's estimate is used (statutory holidays, a holiday on a
  weekend moved to the next weekday, no make-up working days) and callers should say so:
  ``is_provisional(year)``.

Counting follows the Civil Code (民法典 第二百零一条至第二百零三条): the start day is not counted; a
period in months ends on the corresponding day of the last month, or on that month's last day when
it has none; a period whose last day is a day off ends on the next working day. ``add_months`` is
the bare calendar rule and ``add_months_to_working_day`` adds the working-day rule; a deadline
uses the latter.

Nothing here queries the database per call: the entered days are read in one query and kept in
this process. A change made through ``calendar_changed`` forgets them at once in this process and,
through a token in Django's shared cache, in every other process within ``RECHECK_SECONDS``.
"""

from __future__ import annotations

import calendar
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, partial

import holidays
from django.core.cache import cache as shared_cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from holidays.countries.china import ChinaStaticHolidays

from .models import CalendarDay

# The years whose State Council notice (with its 调休 days) the pinned library carries. Any other
# year it still computes, but as an estimate.
LIBRARY_NOTICE_YEARS = frozenset(ChinaStaticHolidays.special_public_holidays)
# The years the library can compute at all; outside them only weekends are days off.
FIRST_YEAR = holidays.China.start_year
LAST_YEAR = holidays.China.end_year - 1

# Other processes notice a change within this many seconds (one shared-cache read per interval).
RECHECK_SECONDS = 30
TOKEN_KEY = "core.workdays.token"

ONE_DAY = timedelta(days=1)


class YearStatus(models.TextChoices):
    OFFICIAL = "official", _("Official (built in)")
    ENTERED = "entered", _("Entered from the notice")
    PROVISIONAL = "provisional", _("Provisional")


@dataclass(frozen=True)
class YearCalendar:
    """The days of one calendar year that are not plain Monday–Friday working days."""

    year: int
    status: YearStatus
    # Days off with their names, including those that fall on a weekend (shown, not counted).
    holidays: Mapping[date, str]
    # Weekend days that are worked; the library gives no name ("").
    working_days: Mapping[date, str]

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def exceptions(self) -> frozenset[date]:
        """The days whose working status differs from the Monday–Friday rule."""
        return frozenset(day for day in self.holidays if day.weekday() < 5) | frozenset(self.working_days)


@cache
def _library_year(year: int) -> YearCalendar:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return YearCalendar(year, YearStatus.PROVISIONAL, {}, {})
    # The next year is loaded too: its notice may move a working day into the last days of this year.
    # Half days off (三八妇女节 and the like) do not close an office, so only public holidays count.
    china = holidays.China(years={year, year + 1}, language="zh_CN", categories=(holidays.PUBLIC,))
    return YearCalendar(
        year=year,
        status=YearStatus.OFFICIAL if year in LIBRARY_NOTICE_YEARS else YearStatus.PROVISIONAL,
        holidays={day: name for day, name in sorted(china.items()) if day.year == year},
        working_days={day: "" for day in sorted(china.weekend_workdays) if day.year == year},
    )


@dataclass
class _Known:
    """One generation of what this process knows of the entered days. Forgetting replaces the
    whole object, so a thread still building from the old generation stores into a discarded one."""

    entered: dict[int, list[CalendarDay]] | None = None
    years: dict[int, YearCalendar] = field(default_factory=dict)


class _Cache:
    def __init__(self) -> None:
        self.known = _Known()
        self.token: str | None = None
        self.checked_at = float("-inf")

    def forget(self) -> None:
        self.known = _Known()
        self.checked_at = float("-inf")


_cache = _Cache()
# Set while this thread's transaction has changed the calendar and not yet committed: what it reads
# then must not be kept, since the transaction may still roll back.
_pending = threading.local()


def _may_cache() -> bool:
    if getattr(_pending, "change", False):
        if transaction.get_connection().in_atomic_block:
            return False
        _pending.change = False  # committed or rolled back since: either way the table is settled
    return True


def _recheck_token() -> None:
    now = time.monotonic()
    if now - _cache.checked_at < RECHECK_SECONDS:
        return
    token = shared_cache.get(TOKEN_KEY)
    if token is None:  # first process up, or the shared cache lost it: any fresh token will do
        shared_cache.add(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
        token = shared_cache.get(TOKEN_KEY)
    if token != _cache.token:
        _cache.forget()
        _cache.token = token
    _cache.checked_at = now


def _load_entered() -> dict[int, list[CalendarDay]]:
    by_year: dict[int, list[CalendarDay]] = defaultdict(list)
    for day in CalendarDay.objects.order_by("date"):
        by_year[day.date.year].append(day)
    return dict(by_year)


def _build(year: int, entered: list[CalendarDay] | None) -> YearCalendar:
    if not entered:
        return _library_year(year)
    return YearCalendar(
        year=year,
        status=YearStatus.ENTERED,
        holidays={day.date: day.name for day in entered if day.kind == CalendarDay.Kind.HOLIDAY},
        working_days={day.date: day.name for day in entered if day.kind == CalendarDay.Kind.WORKING_DAY},
    )


def _entered_days() -> dict[int, list[CalendarDay]]:
    _recheck_token()
    if not _may_cache():
        return _load_entered()
    known = _cache.known
    if known.entered is None:
        known.entered = _load_entered()
    return known.entered


def year_calendar(year: int) -> YearCalendar:
    """The year's days off and make-up working days, with where they come from."""
    _recheck_token()
    if not _may_cache():
        return _build(year, _load_entered().get(year))
    known = _cache.known
    result = known.years.get(year)
    if result is None:
        if known.entered is None:
            known.entered = _load_entered()
        result = known.years[year] = _build(year, known.entered.get(year))
    return result


def is_provisional(year: int) -> bool:
    """Whether neither the library nor an entered notice gives the year's official days off."""
    return year_calendar(year).status == YearStatus.PROVISIONAL


def entered_years() -> list[int]:
    return sorted(_entered_days())


def is_working_day(day: date) -> bool:
    return year_calendar(day.year).is_working_day(day)


def next_working_day(day: date) -> date:
    """The first working day after ``day`` (never ``day`` itself)."""
    day += ONE_DAY
    while not is_working_day(day):
        day += ONE_DAY
    return day


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (before it when ``days`` is negative).

    ``start`` itself is not counted, whether or not it is a working day: 5 working days from a
    Friday before a normal weekend is the next Friday. With ``days == 0`` the result is ``start``
    when it is a working day, otherwise the next working day.
    """
    if days == 0:
        return start if is_working_day(start) else next_working_day(start)
    step = ONE_DAY if days > 0 else -ONE_DAY
    remaining = abs(days)
    day = start
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """The number of working days after ``start`` up to and including ``end``.

    So ``working_days_between(start, add_working_days(start, n)) == n`` for every n ≥ 1, and the
    count is 0 for the same day. When ``end`` is before ``start`` the count is negative (the working
    days after ``end`` up to and including ``start``).
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day)
    return count


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` calendar months later (earlier when negative).

    A month without that day gives its last day: 31 January + 1 month is 28 (or 29) February,
    31 March + 1 month is 30 April. The result is not moved off a day off; see
    ``add_months_to_working_day``.
    """
    year, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
    month = month_index + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def add_months_to_working_day(start: date, months: int) -> date:
    """A deadline ``months`` months after ``start``: ``add_months``, moved to the next working day
    when it falls on a day off (民法典 第二百零三条)."""
    return add_working_days(add_months(start, months), 0)


# ---- changes to the entered days, and the consumers whose deadlines depend on them ----

CalendarListener = Callable[[date, date], None]
_listeners: list[CalendarListener] = []


def on_calendar_change(listener: CalendarListener) -> CalendarListener:
    """Register ``listener(first, last)``, called after a committed change of the calendar.

    Every day whose working status changed lies between ``first`` and ``last`` (inclusive). A
    deadline computed from ``start`` to ``due`` depends on the days from ``start`` to ``due``, so a
    consumer recomputes the open deadlines with ``start <= last and due >= first``. Not called when
    only names changed. Register in ``AppConfig.ready``; usable as a decorator. Each listener runs
    on its own (a failing one is logged and does not stop the others), in the process that made
    the change; it should enqueue a task when the recomputation is long.
    """
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def calendar_changed(*, year: int, before: YearCalendar) -> None:
    """Call inside the transaction that changed ``year``'s entered days, after the change.

    ``before`` is ``year_calendar(year)`` as read before the change. This process forgets its
    cached days at once; on commit every process is told to, and the listeners are called with the
    range of days whose working status changed.
    """
    forget_cached_days()
    _pending.change = True
    changed = before.exceptions() ^ year_calendar(year).exceptions()
    transaction.on_commit(_forget_everywhere)
    if changed:
        for listener in list(_listeners):
            transaction.on_commit(partial(listener, min(changed), max(changed)), robust=True)


def _forget_everywhere() -> None:
    shared_cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    forget_cached_days()


def forget_cached_days() -> None:
    """Make this thread read the entered days again (after rows were loaded without the services,
    or between tests, whose transactions roll back)."""
    _cache.forget()
    _pending.change = False
