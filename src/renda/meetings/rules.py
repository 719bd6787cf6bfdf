"""The legal rules of meetings (domain.md §4, §6), as plain arithmetic on figures the services and
pages pass in. Each figure comes from a setting, read when the rule is applied (tests override them).

Shares are exact fractions ("2/3"), never floats: 30 of 45 deputies is exactly two thirds."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from django.conf import settings


def share(setting: str) -> Fraction:
    """A share setting such as RENDA_MEETING_QUORUM = "2/3" (checked at start-up)."""
    return Fraction(getattr(settings, setting))


# ---------------------------------------------------------------- quorum and majorities


def quorum_needed(deputies_total: int) -> int:
    """Deputies who must be present for a session to open: two thirds of all, rounded up."""
    return math.ceil(share("RENDA_MEETING_QUORUM") * deputies_total)


def has_quorum(present: int, deputies_total: int) -> bool:
    return deputies_total > 0 and present >= quorum_needed(deputies_total)


def votes_needed(deputies_total: int) -> int:
    """Votes for that pass a matter: more than half of all deputies (not of those present)."""
    return math.floor(share("RENDA_MEETING_PASS_SHARE") * deputies_total) + 1


def passes(votes_for: int, deputies_total: int) -> bool:
    return deputies_total > 0 and votes_for >= votes_needed(deputies_total)


def extra_session_requesters_needed(deputies_total: int) -> int:
    """Deputies who must sign a request for an extra session: one fifth of all, rounded up."""
    return max(1, math.ceil(share("RENDA_MEETING_EXTRA_SESSION_SHARE") * deputies_total))


def motion_signers_needed() -> int:
    return settings.RENDA_MOTION_MIN_SIGNERS


# ---------------------------------------------------------------- the notice


def notice_due_by(starts_on: date) -> date:
    """The last day the notice may reach the deputies: seven days before the session opens."""
    return starts_on - timedelta(days=settings.RENDA_MEETING_NOTICE_DAYS)


def notice_on_time(sent_at: datetime | date | None, starts_on: date) -> bool:
    if sent_at is None:
        return False
    sent_on = sent_at.date() if isinstance(sent_at, datetime) else sent_at
    return sent_on <= notice_due_by(starts_on)


# ---------------------------------------------------------------- the congress's size


@dataclass(frozen=True)
class Seats:
    legal: int | None  # from the population; None when it is not recorded
    fixed: int | None  # the county's own figure, if it fixed one
    may_be_fewer: bool  # under the small-population limit, fewer than the base seats is lawful

    @property
    def seats(self) -> int | None:
        return self.fixed if self.fixed is not None else self.legal


def legal_seats(population: int | None, fixed: int | None = None) -> Seats:
    """A township congress: 45 seats plus one per 1,500 inhabitants, at most 160; under 2,000
    inhabitants the county may fix fewer than 45 (Electoral Law art. 12)."""
    if population is None:
        return Seats(legal=None, fixed=fixed, may_be_fewer=False)
    legal = min(
        settings.RENDA_CONGRESS_BASE_SEATS + population // settings.RENDA_CONGRESS_INHABITANTS_PER_SEAT,
        settings.RENDA_CONGRESS_MAX_SEATS,
    )
    return Seats(legal=legal, fixed=fixed, may_be_fewer=population < settings.RENDA_CONGRESS_SMALL_POPULATION)


def vacancies_warn(vacancies: int, seats: int | None) -> bool:
    """More seats empty than the share the county tolerates before a by-election."""
    return bool(seats) and Fraction(vacancies, seats) > share("RENDA_CONGRESS_VACANCY_WARNING")  # type: ignore[arg-type]
