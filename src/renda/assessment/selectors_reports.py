"""The year-end reports' reading of a scheme (domain.md §9): every visible township's points on every
indicator with the figure, the adjustments and their reasons and the entered evidence, its section
subtotals, total, grade and rank — from the results stored at publication once the county has
published, from the records up to a day otherwise. The Excel table, the Word report and the API all
read this one ``Standings``; the sentences of the report (strengths, gaps, spread) are chosen here
from the figures, never typed.

Scope: the townships are ``selectors.townships_for`` (every township of the county for the county,
and for the townships once published or when the scores are open; a township's own otherwise).
Ranks are given only when every township is there: a rank among one township means nothing, and a
rank among all would tell a township how the others stand before publication.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.periods import Period

from . import permissions as may
from . import rules, scoring, selectors
from .measures import measures
from .models import Adjustment, EnteredScore, Indicator, IndicatorKind, Result, Scheme, Section

ZERO = Decimal(0)


@dataclass(frozen=True)
class Cell:
    """One indicator of one township: the figure, the points before and after adjustment."""

    indicator: Indicator
    value: Decimal | None
    base: Decimal
    adjustment: Decimal
    points: Decimal  # counted ``weight`` times, as in the total
    reasons: tuple[str, ...] = ()
    evidence: str = ""

    @property
    def share(self) -> Decimal:
        counted = self.indicator.counted_max
        return self.points / counted if counted else ZERO

    @property
    def unit(self) -> str:
        measure = measures.get(self.indicator.measure) if self.indicator.kind == IndicatorKind.COMPUTED else None
        return str(measure.unit) if measure else ""

    @property
    def figure(self) -> str:
        """The measure's figure with its unit ("75.0%", "2次"), empty for an entered indicator and
        "—" when there was nothing to count."""
        if self.indicator.kind != IndicatorKind.COMPUTED:
            return ""
        return "—" if self.value is None else f"{self.value}{self.unit}"


@dataclass
class Standing:
    township: Any
    cells: list[Cell]
    total: Decimal
    bonus: Decimal
    grade: str
    rank: int | None

    @property
    def base_total(self) -> Decimal:
        return self.total - self.bonus

    @property
    def grade_label(self) -> str:
        return str(rules.grade_label(self.grade))

    def subtotal(self, section: Section) -> Decimal:
        return sum((c.points for c in self.cells if c.indicator.section_id == section.pk), ZERO)


@dataclass
class Standings:
    scheme: Scheme
    indicators: list[Indicator]
    rows: list[Standing]
    period: Period
    published: bool  # the stored results (``period`` then ends on the day of publication)
    complete: bool  # every township the county assesses, ranked
    sections: list[tuple[Section, list[Indicator]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        grouped: dict[int, tuple[Section, list[Indicator]]] = {}
        for indicator in self.indicators:
            grouped.setdefault(indicator.section_id, (indicator.section, []))[1].append(indicator)
        self.sections = list(grouped.values())

    def section_max(self, section: Section) -> Decimal:
        return sum((i.counted_max for i in self.indicators if i.section_id == section.pk), ZERO)

    @property
    def base_max(self) -> Decimal:
        return sum((i.counted_max for i in self.indicators if not i.is_bonus), ZERO)

    @property
    def bonus_max(self) -> Decimal:
        return sum((i.counted_max for i in self.indicators if i.is_bonus), ZERO)


def check_end(scheme: Scheme, end: date | None) -> None:
    """The last day counted must fall within the scheme's year."""
    if end is not None and end.year != scheme.year:
        raise ValidationError({"end": _("Choose a day of %(year)s to count up to.") % {"year": scheme.year}})


def published_on(scheme: Scheme) -> date | None:
    return timezone.localdate(scheme.published_at) if scheme.published_at else None


def standings(user: Any, scheme: Scheme, today: date, end: date | None = None) -> Standings:
    """The townships ``user`` may see on ``scheme``: the published results, or, before publication
    or when ``end`` asks for another day, the scores computed from the records up to ``end`` (today
    while the year runs). Raises ValidationError for an ``end`` outside the year."""
    check_end(scheme, end)
    townships = selectors.townships_for(user, scheme)
    complete = may.may_see_all_townships(user, scheme)
    indicators = scoring.indicators_of(scheme)
    if scheme.is_published and end is None:
        day = published_on(scheme) or today
        rows = _published(scheme, townships, indicators, complete)
        return Standings(scheme, indicators, _notes_for(user, rows), selectors.period_of(scheme, day), True, complete)
    period = selectors.period_of(scheme, end or today)
    scores = scoring.score(scheme, townships, period, indicators)
    rows = [
        Standing(
            township=s.township,
            cells=[_live_cell(line) for line in s.lines],
            total=s.total,
            bonus=s.bonus,
            grade=s.grade,
            rank=s.rank if complete else None,
        )
        for s in scores
    ]
    return Standings(scheme, indicators, _notes_for(user, rows), period, False, complete)


def _notes_for(user: Any, rows: list[Standing]) -> list[Standing]:
    """A township sees the others' points once published, not the county's notes on them (the
    reasons of adjustments, the evidence of entered points): those are the county's and its own."""
    if may.is_county_wide(user):
        return rows
    own = getattr(user, "township_id", None)
    return [
        row
        if row.township.pk == own
        else dataclasses.replace(row, cells=[dataclasses.replace(c, reasons=(), evidence="") for c in row.cells])
        for row in rows
    ]


def _live_cell(line: scoring.Line) -> Cell:
    return Cell(
        indicator=line.indicator,
        value=line.value,
        base=line.base,
        adjustment=line.adjustment,
        points=line.points,
        reasons=tuple(a.reason for a in line.adjustments),
        evidence=line.entered.evidence if line.entered else "",
    )


def _decimal(text: Any) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def _published(scheme: Scheme, townships: Sequence[Any], indicators: list[Indicator], complete: bool) -> list[Standing]:
    """The stored results with the reasons and evidence behind them (frozen with the scheme)."""
    ids = [t.pk for t in townships]
    by_township = {t.pk: t for t in townships}
    # The townships were chosen through the caller's scope (selectors.townships_for).
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    for indicator_id, township_id, reason in (
        Adjustment.objects.unscoped()
        .filter(indicator__section__scheme=scheme, township__in=ids)
        .order_by("created_at", "id")
        .values_list("indicator_id", "township_id", "reason")
    ):
        reasons[(indicator_id, township_id)].append(reason)
    evidence = {
        (indicator_id, township_id): text
        for indicator_id, township_id, text in EnteredScore.objects.unscoped()
        .filter(indicator__section__scheme=scheme, township__in=ids)
        .values_list("indicator_id", "township_id", "evidence")
    }
    results = Result.objects.unscoped().filter(scheme=scheme, township__in=ids).order_by("rank", "township__name")
    rows = []
    for result in results:
        cells = []
        for indicator in indicators:
            line = result.lines.get(str(indicator.uuid), {})
            key = (indicator.pk, result.township_id)
            cells.append(
                Cell(
                    indicator=indicator,
                    value=_decimal(line.get("value")),
                    base=_decimal(line.get("base")) or ZERO,
                    adjustment=_decimal(line.get("adjustment")) or ZERO,
                    points=_decimal(line.get("points")) or ZERO,
                    reasons=tuple(reasons[key]),
                    evidence=evidence.get(key, ""),
                )
            )
        rows.append(
            Standing(
                township=by_township[result.township_id],
                cells=cells,
                total=result.total,
                bonus=result.bonus,
                grade=result.grade,
                rank=result.rank if complete else None,
            )
        )
    return rows


# --- What the report says of each township, chosen from the figures --------------------------------


def highlights(standing: Standing) -> tuple[list[Cell], list[Cell]]:
    """A township's strengths and gaps: the 2–3 base indicators where it earned the largest share of
    the maximum, and the 2–3 where it earned the smallest (full marks are no gap, nothing earned no
    strength). Three of each from six base indicators, two below."""
    cells = [c for c in standing.cells if not c.indicator.is_bonus and c.indicator.counted_max > 0]
    size = 3 if len(cells) >= 6 else 2
    order = {c.indicator.pk: n for n, c in enumerate(cells)}
    best = sorted((c for c in cells if c.share > 0), key=lambda c: (-c.share, order[c.indicator.pk]))[:size]
    chosen = {c.indicator.pk for c in best}
    rest = [c for c in cells if c.share < 1 and c.indicator.pk not in chosen]
    worst = sorted(rest, key=lambda c: (c.share, order[c.indicator.pk]))[:size]
    return best, worst


@dataclass(frozen=True)
class Spread:
    indicator: Indicator
    high: Cell
    low: Cell
    high_township: Any
    low_township: Any

    @property
    def gap(self) -> Decimal:
        return self.high.share - self.low.share


def widest_spreads(table: Standings, count: int = 3) -> list[Spread]:
    """The indicators whose share of the maximum differs most between townships (the imbalance the
    county looks for), widest first; none when every township earned the same."""
    spreads = []
    for index, indicator in enumerate(table.indicators):
        if indicator.counted_max <= 0 or len(table.rows) < 2:
            continue
        cells = [(row.cells[index], row.township) for row in table.rows]
        high = max(cells, key=lambda pair: pair[0].share)
        low = min(cells, key=lambda pair: pair[0].share)
        if high[0].share > low[0].share:
            spreads.append(Spread(indicator, high[0], low[0], high[1], low[1]))
    spreads.sort(key=lambda s: -s.gap)
    return spreads[:count]


def grade_counts(table: Standings) -> list[tuple[str, int]]:
    """(grade label, how many townships) for every grade, best first."""
    counts: dict[str, int] = defaultdict(int)
    for row in table.rows:
        counts[row.grade] += 1
    return [(str(label), counts[code]) for code, label in rules.GRADE_LABELS.items()]
