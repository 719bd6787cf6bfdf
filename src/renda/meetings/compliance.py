"""Whether each township congress holds its meetings as the rules require, per calendar year
(domain.md §6): the compliance view reads it, and the county's assessment of townships (§9) will.

A pure read in three queries however many townships and meetings (the meetings of the year, the
attendance counts of its sessions, the resolutions with an overdue report), so a whole county is
assessed in one go. The townships are the caller's choice (``scoped`` in a request), hence the
``unscoped()`` reads below: the townships are the scope.

What is checked, each figure from a setting read when the check runs:

- sessions held: closed sessions that started in the year. Once the year has ended, fewer than
  ``RENDA_MEETING_SESSIONS_MIN`` is a breach and fewer than ``RENDA_MEETING_SESSIONS_USUAL`` a
  warning; during the year, fewer than the minimum is a warning (there is still time);
- presidium meetings held (opened or closed) in each quarter: a quarter that has ended with fewer
  than ``RENDA_MEETING_PRESIDIUM_PER_QUARTER`` is a breach; the current quarter is only a warning
  until it ends; quarters to come are not assessed;
- session notices: a notice sent later than seven days ahead, or not sent by then, is a breach
  (``services.notice_check``);
- attendance of each session that opened: present / expected (应到, every deputy on its roster);
  below ``RENDA_MEETING_ATTENDANCE_WARNING`` is a warning;
- resolutions adopted in the year, still being carried out, whose implementation report was due
  before today: a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.organisations.models import CONGRESS_KINDS as TOWNSHIP_KINDS_WITH_CONGRESS
from renda.organisations.models import County, Township

from . import rules
from .models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingState, Resolution
from .selectors_votes import report_overdue
from .services import NoticeCheck, notice_check

HELD_SESSION = frozenset({MeetingState.CLOSED})
# A presidium meeting that opened has been held (as ``services.mark_resolution_done`` counts it).
HELD_PRESIDIUM = frozenset({MeetingState.OPEN, MeetingState.CLOSED})
QUARTERS = (1, 2, 3, 4)


class Level(models.TextChoices):
    BREACH = "breach", gettext_lazy("Breach")
    WARNING = "warning", gettext_lazy("Warning")


@dataclass(frozen=True)
class Flag:
    level: str  # Level
    text: str

    @property
    def is_breach(self) -> bool:
        return self.level == Level.BREACH


class QuarterState(models.TextChoices):
    MET = "met", gettext_lazy("Held")
    SHORT = "short", gettext_lazy("Not held")  # ended without enough meetings: a breach
    RUNNING = "running", gettext_lazy("Not held yet")  # the current quarter, short so far: a warning
    AHEAD = "ahead", gettext_lazy("To come")


@dataclass(frozen=True)
class Quarter:
    number: int
    starts_on: dt.date
    ends_on: dt.date
    held: int
    state: str  # QuarterState


@dataclass(frozen=True)
class SessionFigures:
    uuid: Any
    name: str
    date: dt.date
    state: str
    notice: NoticeCheck
    expected: int  # 应到: the deputies on its roster
    present: int  # 实到
    on_leave: int
    opened: bool  # attendance is assessed once the session has opened

    @property
    def attendance(self) -> Fraction | None:
        return Fraction(self.present, self.expected) if self.opened and self.expected else None

    @property
    def attendance_percent(self) -> float | None:
        return _percent(self.attendance)

    @property
    def attendance_low(self) -> bool:
        return self.attendance is not None and self.attendance < rules.share("RENDA_MEETING_ATTENDANCE_WARNING")


@dataclass(frozen=True)
class OverdueResolution:
    uuid: Any
    title: str
    due_on: dt.date


@dataclass
class TownshipYear:
    township: Township
    year: int
    sessions_held: int
    sessions: list[SessionFigures]
    quarters: list[Quarter]
    overdue_resolutions: list[OverdueResolution]
    flags: list[Flag] = field(default_factory=list)

    @property
    def presidium_held(self) -> int:
        return sum(quarter.held for quarter in self.quarters)

    @property
    def notices_on_time(self) -> int:
        return sum(1 for session in self.sessions if session.notice.on_time)

    @property
    def notices_late(self) -> int:
        return sum(1 for session in self.sessions if session.notice.late)

    @property
    def attendance(self) -> Fraction | None:
        """Present / expected over every session that opened in the year."""
        opened = [session for session in self.sessions if session.opened]
        expected = sum(session.expected for session in opened)
        return Fraction(sum(session.present for session in opened), expected) if expected else None

    @property
    def attendance_percent(self) -> float | None:
        return _percent(self.attendance)

    @property
    def breaches(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.is_breach]

    @property
    def warnings(self) -> list[Flag]:
        return [flag for flag in self.flags if not flag.is_breach]

    @property
    def level(self) -> str:
        """The worst flag: breach, warning, or "" when the township is in order."""
        if self.breaches:
            return Level.BREACH
        return Level.WARNING if self.flags else ""


@dataclass(frozen=True)
class Spread:
    """The lowest and highest figure among the townships: how far apart they are."""

    low: float | int | None
    high: float | int | None


@dataclass
class CountyYear:
    year: int
    townships: list[TownshipYear]

    @property
    def with_breaches(self) -> int:
        return sum(1 for row in self.townships if row.level == Level.BREACH)

    @property
    def with_warnings(self) -> int:
        return sum(1 for row in self.townships if row.level == Level.WARNING)

    @property
    def in_order(self) -> int:
        return sum(1 for row in self.townships if not row.level)

    def spread(self, figure: str) -> Spread:
        values = [value for row in self.townships if (value := getattr(row, figure)) is not None]
        return Spread(min(values), max(values)) if values else Spread(None, None)


def _percent(share: Fraction | None) -> float | None:
    return None if share is None else round(float(share) * 100, 1)


def _quarter_bounds(year: int, number: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * number - 2, 1)
    after = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    return first, after - dt.timedelta(days=1)


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def congress_townships(county: County) -> models.QuerySet[Township]:
    """The county's active townships that have a congress of their own (not the subdistricts)."""
    return Township.objects.unscoped().filter(county=county, kind__in=TOWNSHIP_KINDS_WITH_CONGRESS, is_active=True)


def county_year(county: County, year: int, today: dt.date) -> CountyYear:
    """Every township congress of the county, side by side."""
    return townships_year(congress_townships(county), year, today)


def township_year(township: Township, year: int, today: dt.date) -> TownshipYear:
    return townships_year([township], year, today).townships[0]


def townships_year(townships: Iterable[Township], year: int, today: dt.date) -> CountyYear:
    """The figures and flags of each of ``townships`` for ``year`` as they stand on ``today``, in
    the order given (three queries)."""
    chosen = list(townships)
    ids = [township.pk for township in chosen]
    start, end = _year_bounds(year)
    meetings = list(
        Meeting.objects.unscoped()
        .filter(township_id__in=ids, kind__in=[MeetingKind.SESSION, MeetingKind.PRESIDIUM])
        .filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(state=MeetingState.CANCELLED)
        .select_related("township", "term")
        .order_by("starts_at", "id")
    )
    session_ids = [m.pk for m in meetings if m.kind == MeetingKind.SESSION]
    counts = {
        row["meeting_id"]: row
        for row in Attendance.objects.unscoped()
        .filter(meeting_id__in=session_ids)
        .values("meeting_id")
        .annotate(
            expected=Count("id"),
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            on_leave=Count("id", filter=Q(status=AttendanceStatus.LEAVE)),
        )
        .order_by()
    }
    overdue = list(
        Resolution.objects.unscoped()
        .filter(meeting__township_id__in=ids, adopted_on__year=year)
        .filter(report_overdue(today))
        .values("meeting__township_id", "uuid", "title", "next_report_due_on")
        .order_by("next_report_due_on", "id")
    )
    rows = []
    for township in chosen:
        own = [m for m in meetings if m.township_id == township.pk]
        sessions = [_session_figures(m, counts.get(m.pk, {}), today) for m in own if m.kind == MeetingKind.SESSION]
        presidium_days = [m.date for m in own if m.kind == MeetingKind.PRESIDIUM and m.state in HELD_PRESIDIUM]
        row = TownshipYear(
            township=township,
            year=year,
            sessions_held=sum(1 for m in own if m.kind == MeetingKind.SESSION and m.state in HELD_SESSION),
            sessions=sessions,
            quarters=[_quarter(year, number, presidium_days, today) for number in QUARTERS],
            overdue_resolutions=[
                OverdueResolution(uuid=r["uuid"], title=r["title"], due_on=r["next_report_due_on"])
                for r in overdue
                if r["meeting__township_id"] == township.pk
            ],
        )
        row.flags = _flags(row, today)
        rows.append(row)
    return CountyYear(year=year, townships=rows)


def _session_figures(meeting: Meeting, counts: dict, today: dt.date) -> SessionFigures:
    return SessionFigures(
        uuid=meeting.uuid,
        name=meeting.name,
        date=meeting.date,
        state=meeting.state,
        notice=notice_check(meeting, today),
        expected=counts.get("expected", 0),
        present=counts.get("present", 0),
        on_leave=counts.get("on_leave", 0),
        opened=meeting.state in {MeetingState.OPEN, MeetingState.CLOSED},
    )


def _quarter(year: int, number: int, held_on: list[dt.date], today: dt.date) -> Quarter:
    first, last = _quarter_bounds(year, number)
    held = sum(1 for day in held_on if first <= day <= last)
    if held >= settings.RENDA_MEETING_PRESIDIUM_PER_QUARTER:
        state = QuarterState.MET
    elif last < today:
        state = QuarterState.SHORT
    elif first <= today:
        state = QuarterState.RUNNING
    else:
        state = QuarterState.AHEAD
    return Quarter(number=number, starts_on=first, ends_on=last, held=held, state=state)


def _flags(row: TownshipYear, today: dt.date) -> list[Flag]:
    flags: list[Flag] = []
    year_over = dt.date(row.year, 12, 31) < today
    minimum, usual = settings.RENDA_MEETING_SESSIONS_MIN, settings.RENDA_MEETING_SESSIONS_USUAL
    held = {"held": row.sessions_held, "minimum": minimum, "usual": usual}
    if dt.date(row.year, 1, 1) <= today:
        if row.sessions_held < minimum:
            if year_over:
                text = _("%(held)s congress sessions held in the year; at least %(minimum)s are required.")
                flags.append(Flag(Level.BREACH, text % held))
            else:
                text = _("%(held)s congress sessions held so far this year; at least %(minimum)s are required.")
                flags.append(Flag(Level.WARNING, text % held))
        elif year_over and row.sessions_held < usual:
            text = _("%(held)s congress sessions held in the year; %(usual)s are usual.")
            flags.append(Flag(Level.WARNING, text % held))
    needed = settings.RENDA_MEETING_PRESIDIUM_PER_QUARTER
    for quarter in row.quarters:
        figures = {"quarter": quarter.number, "held": quarter.held, "needed": needed}
        if quarter.state == QuarterState.SHORT:
            text = _("Quarter %(quarter)s: %(held)s presidium meetings held; at least %(needed)s are required.")
            flags.append(Flag(Level.BREACH, text % figures))
        elif quarter.state == QuarterState.RUNNING:
            text = _("Quarter %(quarter)s: no presidium meeting held yet; at least %(needed)s before it ends.")
            if quarter.held:
                text = _(
                    "Quarter %(quarter)s: %(held)s presidium meetings held so far; at least %(needed)s before it ends."
                )
            flags.append(Flag(Level.WARNING, text % figures))
    for session in row.sessions:
        if session.notice.late:
            if session.notice.sent_on is None:
                text = _("%(name)s: the notice was due by %(due)s and has not been sent.")
            else:
                text = _("%(name)s: the notice was due by %(due)s and was sent on %(sent)s.")
            flags.append(
                Flag(
                    Level.BREACH,
                    text % {"name": session.name, "due": session.notice.due_by, "sent": session.notice.sent_on},
                )
            )
        if session.attendance_low:
            text = _("%(name)s: %(present)s of %(expected)s deputies attended (%(percent)s%%).")
            flags.append(
                Flag(
                    Level.WARNING,
                    text
                    % {
                        "name": session.name,
                        "present": session.present,
                        "expected": session.expected,
                        "percent": session.attendance_percent,
                    },
                )
            )
    if row.overdue_resolutions:
        text = _("%(count)s resolutions have an implementation report overdue.")
        flags.append(Flag(Level.WARNING, text % {"count": len(row.overdue_resolutions)}))
    return flags
