"""Measures: the figures an assessment indicator can be computed from (domain.md §9).

Each capability declares the measures its records give — casework the share of cases answered on
time, meetings the sessions held, publicity the articles' points — with two functions:

- ``values(townships, period)``: the figure of every township at once, a few grouped queries
  whatever the number of records;
- ``evidence(user, township, period)``: the records behind one township's figure, read through the
  user's scope, so that every computed number on a score page can be clicked and checked.

Measures that read the same tables may share a ``source``: one function counting several measures'
figures in one query, ``{measure code: {township id: figure}}``. The pages that score call each
source once (``figures_of``) instead of one query per measure; ``values`` still gives one measure's.

A measure's figure is a ``Decimal`` or ``None`` when there is nothing to count (no case answered
yet: no on-time share). The scheme chooses a measure, a formula and thresholds
(``rules.achievement``); the measure knows nothing of points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from renda.core.periods import Period
from renda.core.registry import Registry


@dataclass(frozen=True)
class EvidenceRow:
    cells: tuple[Any, ...]
    url: str = ""  # the record's own page, when the viewer may open it


@dataclass(frozen=True)
class Evidence:
    """The records behind a figure: a table with a sentence saying how the figure follows from it."""

    headers: tuple[str, ...]
    rows: Sequence[EvidenceRow]
    explanation: str = ""


Figures = dict[int, Decimal | None]
Source = Callable[[Sequence[Any], Period], dict[str, Figures]]


@dataclass(frozen=True)
class Measure:
    code: str
    label: Any  # lazy text: the measure's name in the scheme editor
    unit: Any  # lazy text: "%", "次", "人次/人", "分"…
    definition: Any  # lazy text: how the figure is counted, shown beside it
    values: Callable[[Sequence[Any], Period], Figures] = field(compare=False)
    evidence: Callable[[Any, Any, Period], Evidence] = field(compare=False)
    order: int = 100
    # Sensible defaults for the scheme editor: full marks at ``full_at``, none at ``zero_at``.
    full_at: Decimal | None = None
    zero_at: Decimal | None = None
    source: Source | None = field(default=None, compare=False)


measures: Registry[Measure] = Registry("assessment measures")


def register(*entries: Measure) -> None:
    for entry in entries:
        measures.add(entry)


def sourced(source: Source, code: str) -> Callable[[Sequence[Any], Period], Figures]:
    """The ``values`` of a measure counted by ``source`` with others."""

    def values(townships: Sequence[Any], period: Period) -> Figures:
        return source(townships, period)[code]

    return values


def figures_of(codes: Iterable[str], townships: Sequence[Any], period: Period) -> dict[str, Figures]:
    """The figures of the measures ``codes`` (unknown codes left out), calling each source once."""
    figures: dict[str, Figures] = {}
    for code in codes:
        measure = measures.get(code)
        if measure is None or code in figures:
            continue
        if measure.source is None:
            figures[code] = measure.values(townships, period)
        else:
            figures.update(measure.source(townships, period))
    return figures


def choices() -> list[tuple[str, Any]]:
    return [(measure.code, measure.label) for measure in measures]


def percent(part: int, whole: int) -> Decimal | None:
    """A share in percent with one decimal, or None when there is nothing to share."""
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.01")) if whole else None
