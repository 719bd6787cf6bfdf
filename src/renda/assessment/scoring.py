"""Scores of townships on a scheme, for any period (the year to date while it runs).

One call scores every township given: one query for the indicators, one call per source of the
measures the scheme uses (``measures.figures_of``: the measures reading the same records share one
grouped query), one for the entered points and one for the adjustments — however many records the
townships hold. Each computed line keeps its measure's figure, so the score page can show it and
link to the records behind it (``measures.Evidence``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from renda.core.periods import Period

from . import rules
from .measures import Figures, figures_of
from .models import Adjustment, EnteredScore, Indicator, IndicatorKind, Result, Scheme

ZERO = Decimal(0)


@dataclass
class Line:
    """One indicator of one township."""

    indicator: Indicator
    value: Decimal | None = None  # the measure's figure (computed indicators)
    base: Decimal = ZERO  # points from the figure, or as entered
    entered: EnteredScore | None = None
    adjustments: list[Adjustment] = field(default_factory=list)

    @property
    def adjustment(self) -> Decimal:
        return sum((a.points for a in self.adjustments), ZERO)

    @property
    def points(self) -> Decimal:
        """Points on the indicator (0 to its maximum once adjusted), counted ``weight`` times."""
        raw = min(self.indicator.max_score, max(ZERO, self.base + self.adjustment))
        return rules.round_points(raw * self.indicator.weight)

    @property
    def share(self) -> float | None:
        """How much of the indicator was earned, 0–1: the heat map's colour."""
        counted = self.indicator.counted_max
        return float(self.points / counted) if counted else None

    @property
    def is_computed(self) -> bool:
        return self.indicator.kind == IndicatorKind.COMPUTED


@dataclass
class TownshipScore:
    township: Any
    lines: list[Line]
    rank: int = 0

    @property
    def base_total(self) -> Decimal:
        return sum((line.points for line in self.lines if not line.indicator.is_bonus), ZERO)

    @property
    def bonus(self) -> Decimal:
        return sum((line.points for line in self.lines if line.indicator.is_bonus), ZERO)

    @property
    def total(self) -> Decimal:
        return self.base_total + self.bonus

    @property
    def grade(self) -> str:
        return rules.grade(self.total)

    @property
    def grade_label(self) -> Any:
        return rules.grade_label(self.grade)

    def line_for(self, indicator: Indicator) -> Line:
        return next(line for line in self.lines if line.indicator.pk == indicator.pk)


def indicators_of(scheme: Scheme) -> list[Indicator]:
    return list(Indicator.objects.unscoped().filter(section__scheme=scheme).select_related("section"))


def computed_measures(indicators: Sequence[Indicator]) -> set[str]:
    return {i.measure for i in indicators if i.kind == IndicatorKind.COMPUTED}


def score(
    scheme: Scheme,
    townships: Sequence[Any],
    period: Period,
    indicators: list[Indicator] | None = None,
    figures: dict[str, Figures] | None = None,
) -> list[TownshipScore]:
    """Every township's lines and total on ``scheme`` over ``period``, ranked among ``townships``.
    The townships were chosen through the caller's scope. ``figures``: the measures' figures the
    caller counted already over the same period (for these townships or more), not counted again."""
    indicators = indicators_of(scheme) if indicators is None else indicators
    townships = list(townships)
    known = figures or {}
    missing = computed_measures(indicators) - set(known)
    values = {**figures_of(missing, townships, period), **known}
    township_ids = [t.pk for t in townships]
    entered = {
        (e.indicator_id, e.township_id): e
        for e in EnteredScore.objects.unscoped().filter(indicator__section__scheme=scheme, township__in=township_ids)
    }
    adjustments: dict[tuple[int, int], list[Adjustment]] = defaultdict(list)
    for a in Adjustment.objects.unscoped().filter(indicator__section__scheme=scheme, township__in=township_ids):
        adjustments[(a.indicator_id, a.township_id)].append(a)
    scores = []
    for township in townships:
        lines = []
        for indicator in indicators:
            line = Line(indicator, adjustments=adjustments[(indicator.pk, township.pk)])
            if indicator.kind == IndicatorKind.COMPUTED:
                line.value = values.get(indicator.measure, {}).get(township.pk)
                line.base = rules.computed_points(
                    indicator.formula,
                    line.value,
                    max_score=indicator.max_score,
                    full_at=indicator.full_at,
                    zero_at=indicator.zero_at,
                    per_unit=indicator.per_unit,
                )
            else:
                line.entered = entered.get((indicator.pk, township.pk))
                line.base = line.entered.points if line.entered else ZERO
            lines.append(line)
        scores.append(TownshipScore(township, lines))
    for result, rank in zip(scores, rules.ranks([s.total for s in scores]), strict=True):
        result.rank = rank
    return sorted(scores, key=lambda s: (s.rank, s.township.name))


def _decimal(text: Any) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def published(
    scheme: Scheme, townships: Sequence[Any], indicators: list[Indicator] | None = None
) -> list[TownshipScore]:
    """The scores as the county published them (``Result.lines``), in the shape of live scores, so
    that what reads scores (the dashboards) shows the frozen figures once the scheme is published.
    The townships were chosen through the caller's scope."""
    indicators = indicators_of(scheme) if indicators is None else indicators
    by_id = {t.pk: t for t in townships}
    scores = []
    for result in Result.objects.unscoped().filter(scheme=scheme, township__in=list(by_id)).order_by("rank"):
        lines = []
        for indicator in indicators:
            stored = result.lines.get(str(indicator.uuid), {})
            adjustment = _decimal(stored.get("adjustment")) or ZERO
            lines.append(
                Line(
                    indicator,
                    value=_decimal(stored.get("value")),
                    base=_decimal(stored.get("base")) or ZERO,
                    # The adjustments' sum as published (their reasons are on the score pages).
                    adjustments=[Adjustment(points=adjustment)] if adjustment else [],
                )
            )
        scores.append(TownshipScore(by_id[result.township_id], lines, rank=result.rank))
    return sorted(scores, key=lambda s: (s.rank, s.township.name))
