"""What the votes and resolutions pages and the home cards read: the figures beside a vote's
tally, and which resolutions need an implementation report (due soon, overdue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from . import rules
from .models import Meeting, Resolution, ResolutionState
from .services import quorum

# A report falls "due soon" this many days ahead: the handler's home card lists it from then on.
RESOLUTION_REPORT_NEAR_DAYS = 15


@dataclass(frozen=True)
class VoteFigures:
    """What the vote form shows beside the tally: the matter passes with ``needed`` votes for,
    a majority of ALL the deputies (应到), however many are present (实到)."""

    deputies_total: int
    present: int
    needed: int


def vote_figures(meeting: Meeting) -> VoteFigures:
    count = quorum(meeting)
    return VoteFigures(
        deputies_total=count.deputies_total,
        present=count.present,
        needed=rules.votes_needed(count.deputies_total),
    )


def report_overdue(today: date) -> Q:
    """Resolutions being carried out whose next implementation report is past its day (a Q)."""
    return Q(state=ResolutionState.IMPLEMENTING, next_report_due_on__lt=today)


def report_due_soon(today: date) -> Q:
    return Q(
        state=ResolutionState.IMPLEMENTING,
        next_report_due_on__gte=today,
        next_report_due_on__lte=today + timedelta(days=RESOLUTION_REPORT_NEAR_DAYS),
    )


def with_follow_up(resolutions: QuerySet[Resolution], today: date) -> QuerySet[Resolution]:
    """The resolutions with ``report_overdue`` (the red badge) computed by the database."""
    return resolutions.annotate(report_overdue=ExpressionWrapper(report_overdue(today), output_field=BooleanField()))


@dataclass(frozen=True)
class FollowUp:
    """The home cards' figures on resolutions being carried out, and the first ones needing a report."""

    implementing: int
    due_soon: int
    overdue: int
    needing_report: list[Resolution]


def resolution_follow_up(resolutions: QuerySet[Resolution], today: date, *, limit: int = 5) -> FollowUp:
    """``resolutions`` is the reader's scoped queryset; two queries whatever its size."""
    counts = resolutions.aggregate(
        implementing=Count("id", filter=Q(state=ResolutionState.IMPLEMENTING)),
        due_soon=Count("id", filter=report_due_soon(today)),
        overdue=Count("id", filter=report_overdue(today)),
    )
    needing = (
        with_follow_up(resolutions, today)
        .filter(report_overdue(today) | report_due_soon(today))
        .select_related("meeting__township", "meeting__term")
        .order_by("next_report_due_on", "id")[:limit]
    )
    return FollowUp(needing_report=list(needing), **counts)
