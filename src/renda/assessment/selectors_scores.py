"""Reads of the scheme and score pages: a scheme's outline with each rule in words, the county's
table of townships by section, one township's lines with the adjustments and evidence behind them.

Live scores while the scheme is a draft (``scoring.score``), the results stored at
publication once published (``selectors.published_results``). Each read is a fixed number of
queries whatever the number of records; the reasons of adjustments and the evidence of entered
points are read through the viewer's scope (a township sees another's points once published, not
the county's notes on it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.scoping import scoped
from renda.core.periods import Period

from . import permissions as may
from . import rules, scoring, selectors
from .measures import Measure, measures
from .models import Adjustment, EnteredScore, Formula, Indicator, IndicatorKind, Result, Scheme, Section

ZERO = Decimal(0)
FULL = Decimal(100)


def number(value: Decimal | None) -> str:
    """A figure without trailing zeros (95, 1.5, 100 — never 1E+2)."""
    if value is None:
        return "—"
    return format(value.normalize(), "f")


def rule_text(indicator: Indicator, measure: Measure | None) -> str:
    """The rule of a computed indicator in words: "≥95% full marks, ≤60% no marks, in proportion
    between"; empty for an entered one."""
    if indicator.kind != IndicatorKind.COMPUTED:
        return ""
    unit = str(measure.unit) if measure else ""
    full, zero = indicator.full_at, indicator.zero_at
    values = {"full": number(full), "zero": number(zero), "unit": unit, "per": number(indicator.per_unit)}
    if indicator.formula == Formula.PER_UNIT:
        return _("%(per)s points for each unit (%(unit)s), up to the maximum") % values
    less_is_better = full is not None and zero is not None and full < zero
    if indicator.formula == Formula.STEP:
        if less_is_better:
            return _("≤ %(full)s%(unit)s full marks, otherwise none") % values
        return _("≥ %(full)s%(unit)s full marks, otherwise none") % values
    if zero is None:
        values["zero"] = "0"
    if less_is_better:
        return _("≤ %(full)s%(unit)s full marks, ≥ %(zero)s%(unit)s no marks, in proportion between") % values
    return _("≥ %(full)s%(unit)s full marks, ≤ %(zero)s%(unit)s no marks, in proportion between") % values


# --- the scheme -----------------------------------------------------------------------------------


@dataclass
class OutlineIndicator:
    indicator: Indicator
    measure: Measure | None
    rule: str


@dataclass
class OutlineSection:
    section: Section
    indicators: list[OutlineIndicator] = field(default_factory=list)


@dataclass
class Outline:
    sections: list[OutlineSection]
    counted_max: Decimal  # the non-bonus indicators' counted maxima, which should make 100
    bonus_max: Decimal

    @property
    def adds_up(self) -> bool:
        return self.counted_max == FULL

    @property
    def counted_max_text(self) -> str:
        return number(self.counted_max)


def outline(scheme: Scheme) -> Outline:
    """The scheme's sections and indicators (two queries), each rule in words."""
    sections = {s.pk: OutlineSection(s) for s in Section.objects.unscoped().filter(scheme=scheme)}
    counted, bonus = ZERO, ZERO
    for indicator in scoring.indicators_of(scheme):
        measure = measures.get(indicator.measure) if indicator.measure else None
        sections[indicator.section_id].indicators.append(
            OutlineIndicator(indicator, measure, rule_text(indicator, measure))
        )
        if indicator.is_bonus:
            bonus += indicator.counted_max
        else:
            counted += indicator.counted_max
    return Outline(list(sections.values()), counted, bonus)


def measure_guide() -> list[Measure]:
    """Every measure an indicator may be computed from, with its unit and definition."""
    return list(measures)


# --- the scores table -----------------------------------------------------------------------------


@dataclass
class Row:
    township: Any
    sections: list[Decimal]
    bonus: Decimal
    total: Decimal
    grade_label: Any
    rank: int


@dataclass
class Table:
    columns: list[Section]  # the sections with points under 100 (bonus points have a column of their own)
    rows: list[Row]
    published: bool
    show_ranks: bool
    period: Period | None  # None once published: the stored results


def _columns(indicators: list[Indicator]) -> list[Section]:
    seen: dict[int, Section] = {}
    for indicator in indicators:
        if not indicator.is_bonus:
            seen.setdefault(indicator.section_id, indicator.section)
    return list(seen.values())


def _by_section(columns: list[Section], points: list[tuple[Indicator, Decimal]]) -> list[Decimal]:
    sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for indicator, value in points:
        if not indicator.is_bonus:
            sums[indicator.section_id] += value
    return [sums[section.pk] for section in columns]


def _stored(result: Result, indicator: Indicator, key: str) -> Decimal | None:
    value = (result.lines or {}).get(str(indicator.uuid), {}).get(key)
    return None if value in (None, "") else Decimal(value)


def scores_table(user: Any, scheme: Scheme, end: date) -> Table:
    indicators = scoring.indicators_of(scheme)
    columns = _columns(indicators)
    show_ranks = may.may_see_all_townships(user, scheme)
    if scheme.is_published:
        rows = [
            Row(
                r.township,
                _by_section(columns, [(i, _stored(r, i, "points") or ZERO) for i in indicators]),
                r.bonus,
                r.total,
                rules.grade_label(r.grade),
                r.rank,
            )
            for r in selectors.published_results(user, scheme)
        ]
        return Table(columns, rows, True, show_ranks, None)
    period = selectors.period_of(scheme, end)
    scores = scoring.score(scheme, selectors.townships_for(user, scheme), period, indicators)
    rows = [
        Row(
            s.township,
            _by_section(columns, [(line.indicator, line.points) for line in s.lines]),
            s.bonus,
            s.total,
            s.grade_label,
            s.rank,
        )
        for s in scores
    ]
    return Table(columns, rows, False, show_ranks, period)


# --- one township ---------------------------------------------------------------------------------


@dataclass
class TownshipLine:
    indicator: Indicator
    measure: Measure | None
    value: Decimal | None
    base: Decimal
    adjustment: Decimal
    points: Decimal
    adjustments: list[Adjustment]  # those the viewer may read, with their reasons
    entered: EnteredScore | None  # the evidence, when the viewer may read it

    @property
    def is_computed(self) -> bool:
        return self.indicator.kind == IndicatorKind.COMPUTED

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "—"
        return f"{number(self.value)}{self.measure.unit if self.measure else ''}"


@dataclass
class TownshipPage:
    township: Any
    lines: list[TownshipLine]
    total: Decimal
    bonus: Decimal
    grade_label: Any
    rank: int | None  # None when the viewer does not see every township
    period: Period | None
    published_on: date | None


def visible_townships(user: Any, scheme: Scheme) -> list[Any]:
    return selectors.townships_for(user, scheme)


def _details(user: Any, scheme: Scheme, township: Any):
    adjustments: dict[int, list[Adjustment]] = defaultdict(list)
    for a in scoped(Adjustment, user).filter(indicator__section__scheme=scheme, township=township):
        adjustments[a.indicator_id].append(a)
    entered = {
        e.indicator_id: e
        for e in scoped(EnteredScore, user).filter(indicator__section__scheme=scheme, township=township)
    }
    return adjustments, entered


def township_page(user: Any, scheme: Scheme, township: Any, end: date) -> TownshipPage | None:
    """``township`` is one of ``visible_townships(user, scheme)``; None when a published scheme
    has no result for it (a township added after publication)."""
    indicators = scoring.indicators_of(scheme)
    adjustments, entered = _details(user, scheme, township)
    show_rank = may.may_see_all_townships(user, scheme)

    def line(indicator, value, base, adjustment, points) -> TownshipLine:
        measure = measures.get(indicator.measure) if indicator.measure else None
        return TownshipLine(
            indicator,
            measure,
            value,
            base,
            adjustment,
            points,
            adjustments.get(indicator.pk, []),
            entered.get(indicator.pk),
        )

    if scheme.is_published:
        result = next((r for r in selectors.published_results(user, scheme) if r.township_id == township.pk), None)
        if result is None:
            return None
        lines = [
            line(
                i,
                _stored(result, i, "value"),
                _stored(result, i, "base") or ZERO,
                _stored(result, i, "adjustment") or ZERO,
                _stored(result, i, "points") or ZERO,
            )
            for i in indicators
        ]
        published_on = timezone.localtime(scheme.published_at).date() if scheme.published_at else None
        return TownshipPage(
            township,
            lines,
            result.total,
            result.bonus,
            rules.grade_label(result.grade),
            result.rank if show_rank else None,
            None,
            published_on,
        )
    period = selectors.period_of(scheme, end)
    # Every visible township is scored so that the rank means the county's rank (same queries).
    scores = scoring.score(scheme, visible_townships(user, scheme), period, indicators)
    own = next((s for s in scores if s.township.pk == township.pk), None)
    if own is None:
        return None
    lines = [line(x.indicator, x.value, x.base, x.adjustment, x.points) for x in own.lines]
    return TownshipPage(
        township, lines, own.total, own.bonus, own.grade_label, own.rank if show_rank else None, period, None
    )


def evidence_period(scheme: Scheme, end: date) -> Period:
    """The period a figure's records are read over: up to ``end`` while a draft, up to the day of
    publication once published."""
    if scheme.is_published and scheme.published_at:
        return selectors.period_of(scheme, timezone.localtime(scheme.published_at).date())
    return selectors.period_of(scheme, end)
