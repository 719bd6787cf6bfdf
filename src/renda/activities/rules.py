"""The rules of activities and evaluations (domain.md §7) as plain arithmetic on figures the
services and pages pass in; each figure comes from a setting, read when applied.

Satisfaction is counted as the county counts it: satisfied and basically satisfied ballots over
the valid ballots (blank or spoiled papers are not valid). Shares are exact fractions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from django.conf import settings

from renda.core import workdays


def satisfaction_threshold() -> Fraction:
    return Fraction(settings.RENDA_EVALUATION_SATISFACTION_THRESHOLD)


@dataclass(frozen=True)
class UnitResult:
    """One unit's counts in one ballot and the rates derived from them."""

    satisfied: int = 0
    basically: int = 0
    dissatisfied: int = 0
    invalid: int = 0

    @property
    def valid(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied

    @property
    def cast(self) -> int:
        return self.valid + self.invalid

    @property
    def satisfaction(self) -> Fraction | None:
        """满意率: (satisfied + basically satisfied) / valid ballots; None without valid ballots."""
        return Fraction(self.satisfied + self.basically, self.valid) if self.valid else None

    @property
    def fully_satisfied(self) -> Fraction | None:
        return Fraction(self.satisfied, self.valid) if self.valid else None

    @property
    def must_rectify(self) -> bool:
        rate = self.satisfaction
        return rate is not None and rate < satisfaction_threshold()


def ballot_quorum(electorate: int) -> int:
    """Ballots needed before an evaluation ballot may close: more than half of the electorate. Below
    it the results of a few ballots could tell how those few deputies voted."""
    return electorate // 2 + 1


def percent(rate: Fraction | None) -> str:
    """A rate as the pages and exports print it: "58.3%", or "—" when there is nothing to count."""
    return "—" if rate is None else f"{float(rate) * 100:.1f}%"


def rectification_deadline(start: date) -> date:
    """The default deadline of a rectification item: the set number of working days after ``start``."""
    return workdays.add_working_days(start, settings.RENDA_RECTIFICATION_WORKING_DAYS)


def notice_due_by(starts_on: date) -> date:
    """The last day an activity's notice should reach the invited deputies."""
    return starts_on - timedelta(days=settings.RENDA_ACTIVITY_NOTICE_DAYS)


def signin_open(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Deputies may sign in by QR code from shortly before the start until the end."""
    return starts_at - timedelta(minutes=settings.RENDA_ACTIVITY_SIGNIN_OPENS_MINUTES) <= now <= ends_at


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def group_is_silent(activities_in_quarter: int) -> bool:
    """A deputy group with fewer activities in a quarter than the set minimum (at least quarterly)."""
    return activities_in_quarter < settings.RENDA_GROUP_ACTIVITIES_PER_QUARTER


def report_rate(reported: int, serving: int) -> Fraction | None:
    """述职率: deputies who reported to their voters within the term over the deputies serving."""
    return Fraction(reported, serving) if serving else None
