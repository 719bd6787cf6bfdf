"""The assessment's arithmetic (domain.md §9): from a measure's figure to points, and from a total to
a grade. Pure functions over numbers, so that a scheme's result can be worked out by hand."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Formula

TENTH = Decimal("0.1")
ZERO = Decimal(0)
ONE = Decimal(1)

GRADE_LABELS = {
    "excellent": _("Excellent"),
    "pass": _("Pass"),
    "criticised": _("Criticised"),
}


def round_points(points: Decimal) -> Decimal:
    return points.quantize(TENTH, rounding=ROUND_HALF_UP)


def achievement(formula: str, value: Decimal | None, full_at: Decimal | None, zero_at: Decimal | None) -> Decimal:
    """The share of the maximum a figure earns, 0 to 1.

    - linear: nothing at ``zero_at``, everything at ``full_at``, in proportion between; when
      ``full_at`` is below ``zero_at`` less is better (overdue cases);
    - step: everything once ``full_at`` is reached (or, less being better, not exceeded).
    No figure (nothing to count: no case answered yet) earns nothing; the county may adjust.
    """
    if value is None or full_at is None:
        return ZERO
    if formula == Formula.STEP:
        reached = value <= full_at if zero_at is not None and full_at < zero_at else value >= full_at
        return ONE if reached else ZERO
    zero_at = ZERO if zero_at is None else zero_at
    if full_at == zero_at:
        return ONE if value >= full_at else ZERO
    share = (value - zero_at) / (full_at - zero_at)
    return min(ONE, max(ZERO, share))


def computed_points(
    formula: str,
    value: Decimal | None,
    *,
    max_score: Decimal,
    full_at: Decimal | None = None,
    zero_at: Decimal | None = None,
    per_unit: Decimal | None = None,
) -> Decimal:
    """The points a figure earns on an indicator worth ``max_score``, to a tenth."""
    if formula == Formula.PER_UNIT:
        if value is None or per_unit is None:
            return ZERO
        return round_points(min(max_score, max(ZERO, value * per_unit)))
    return round_points(max_score * achievement(formula, value, full_at, zero_at))


def grade(total: Decimal) -> str:
    """excellent, pass or criticised by the thresholds in ``RENDA_ASSESSMENT_GRADES``."""
    thresholds = settings.RENDA_ASSESSMENT_GRADES
    if total >= Decimal(str(thresholds["excellent"])):
        return "excellent"
    if total >= Decimal(str(thresholds["pass"])):
        return "pass"
    return "criticised"


def grade_label(code: str):
    return GRADE_LABELS.get(code, code)


def ranks(totals: list[Decimal]) -> list[int]:
    """Competition ranking (1, 2, 2, 4) of totals, highest first, in the order given."""
    ordered = sorted(totals, reverse=True)
    return [ordered.index(total) + 1 for total in totals]
