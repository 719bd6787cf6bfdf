"""Reads of evaluations for the pages, the API and the exports, in a bounded number of queries.

Results come only from the counts of a closed round; while a round is open only the turnout (the
number of receipts) is read. Nothing here reads who voted what: no row holds it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from renda.accounts.scoping import VIEW, scoped

from . import rules
from .models import (
    BallotReceipt,
    BallotRound,
    BallotTally,
    Evaluation,
    EvaluationUnit,
    RectificationItem,
    RectificationState,
    RoundState,
)


@dataclass(frozen=True)
class UnitRow:
    unit: EvaluationUnit
    result: rules.UnitResult

    @property
    def satisfaction(self) -> str:
        return rules.percent(self.result.satisfaction)

    @property
    def satisfied_share(self) -> str:
        return rules.percent(self.result.fully_satisfied)

    @property
    def basically_share(self) -> str:
        r = self.result
        return rules.percent(Fraction(r.basically, r.valid) if r.valid else None)

    @property
    def dissatisfied_share(self) -> str:
        r = self.result
        return rules.percent(Fraction(r.dissatisfied, r.valid) if r.valid else None)


@dataclass(frozen=True)
class RoundView:
    round: BallotRound
    voted: int
    rows: list[UnitRow]  # empty while the round is open

    @property
    def turnout(self) -> str:
        return rules.percent(Fraction(self.voted, self.round.electorate) if self.round.electorate else None)

    @property
    def closed(self) -> bool:
        return self.round.state == RoundState.CLOSED


def round_views(rounds: list[BallotRound]) -> list[RoundView]:
    """Each round with its turnout and, once closed, its per-unit results (three queries in all)."""
    if not rounds:
        return []
    voted = dict(
        BallotReceipt.objects.unscoped()
        .filter(round__in=rounds)
        .values_list("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )
    closed = [r.pk for r in rounds if r.state == RoundState.CLOSED]
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for tally in BallotTally.objects.unscoped().filter(round_id__in=closed):
        counts.setdefault((tally.round_id, tally.unit_id), {})[tally.choice] = tally.count
    views = []
    for ballot in rounds:
        rows = []
        if ballot.state == RoundState.CLOSED:
            for unit in ballot.units.all():
                c = counts.get((ballot.pk, unit.pk), {})
                rows.append(
                    UnitRow(
                        unit,
                        rules.UnitResult(
                            **{k: c.get(k, 0) for k in ("satisfied", "basically", "dissatisfied", "invalid")}
                        ),
                    )
                )
        views.append(RoundView(ballot, voted.get(ballot.pk, 0), rows))
    return views


def _with_units() -> Any:
    return Prefetch(
        "units", queryset=EvaluationUnit.objects.unscoped().select_related("agency").order_by("order", "id")
    )


def rounds_of(evaluation: Evaluation) -> list[BallotRound]:
    return list(evaluation.rounds.prefetch_related(_with_units()).order_by("number"))


def with_units(ballot: BallotRound) -> BallotRound:
    """The round with its units (and their agencies) read once."""
    prefetch_related_objects([ballot], _with_units())
    return ballot


def units_of(evaluation: Evaluation) -> list[EvaluationUnit]:
    items = RectificationItem.objects.unscoped().order_by("deadline", "id")
    return list(evaluation.units.select_related("agency").prefetch_related(Prefetch("rectifications", queryset=items)))


def evaluations_for(user) -> QuerySet[Evaluation]:
    return (
        scoped(Evaluation, user, VIEW)
        .select_related("township")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("-year", "-created_at", "-id")
    )


def is_overdue(item: RectificationItem, today: date | None = None) -> bool:
    return item.state == RectificationState.OPEN and item.deadline < (today or timezone.localdate())


def rectifications_for(user) -> QuerySet[RectificationItem]:
    return (
        scoped(RectificationItem, user, VIEW)
        .select_related("unit__agency", "unit__evaluation__township")
        .order_by("state", "deadline", "id")
    )


def overdue_q(today: date) -> Q:
    return Q(state=RectificationState.OPEN, deadline__lt=today)


def open_rounds_to_vote(user) -> list[BallotRound]:
    """The open rounds of the deputy's township the deputy has not voted in (home card): two queries
    however many rounds are open."""
    from . import permissions_evaluations as may
    from .services_evaluations import elector_among, voter_mandates

    if not may.may_vote(user):
        return []
    own = voter_mandates(user)
    voted = BallotReceipt.objects.unscoped().filter(round=OuterRef("pk"), mandate__person__user=user)
    rounds = (
        scoped(BallotRound, user, VIEW)
        .filter(state=RoundState.OPEN)
        .annotate(voted=Exists(voted))
        .select_related("evaluation__township")[:10]
    )
    return [ballot for ballot in rounds if not ballot.voted and elector_among(own, ballot) is not None]


def home_rectifications(user) -> dict[str, Any]:
    """Handlers: their unit's open items due within a month or overdue; staff: overdue items."""
    from datetime import timedelta

    from . import permissions_evaluations as may

    today = timezone.localdate()
    items = rectifications_for(user).filter(state=RectificationState.OPEN)
    if may.is_unit_handler(user):
        items = items.filter(deadline__lte=today + timedelta(days=30))
    else:
        items = items.filter(deadline__lt=today)
    shown = list(items[:10])
    return {"items": shown, "today": today, "handler": may.is_unit_handler(user)}


def home_ballots(user) -> dict[str, Any]:
    return {"rounds": open_rounds_to_vote(user)}
