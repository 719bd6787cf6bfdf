"""The shapes of the assessment API (api.py). Points and figures are decimals, as stored."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import Schema


class SchemeListOut(Schema):
    uuid: UUID
    year: int
    title: str
    state: str
    published_at: datetime | None


class IndicatorOut(Schema):
    uuid: UUID
    name: str
    guidance: str
    order: int
    max_score: Decimal
    weight: Decimal
    is_bonus: bool
    rule: str  # computed / entered
    formula: str  # linear / step / per_unit; empty for an entered indicator
    measure: str  # the measure's code
    measure_label: str
    unit: str
    full_at: Decimal | None
    zero_at: Decimal | None
    per_unit: Decimal | None


class SectionOut(Schema):
    uuid: UUID
    name: str
    order: int
    indicators: list[IndicatorOut]


class SchemeOut(SchemeListOut):
    notes: str
    sections: list[SectionOut]


class LineOut(Schema):
    indicator: UUID
    figure: Decimal | None  # the measure's figure; none for an entered indicator or nothing to count
    base: Decimal  # points from the figure, or as entered
    adjustment: Decimal
    points: Decimal  # after adjustment, counted ``weight`` times


class TownshipScoreOut(Schema):
    township: UUID
    name: str
    rank: int | None  # only when every township is listed
    base_total: Decimal
    bonus: Decimal
    total: Decimal
    grade: str
    grade_label: str
    lines: list[LineOut]


class ScoresOut(Schema):
    scheme: UUID
    source: str  # "published": the stored results; "live": computed from the records up to ``end``
    end: date
    complete: bool  # every township of the county (else the caller's own)
    townships: list[TownshipScoreOut]


class EvidenceRowOut(Schema):
    cells: list[str]
    url: str


class AdjustmentOut(Schema):
    uuid: UUID
    points: Decimal
    reason: str


class EvidenceOut(Schema):
    indicator: UUID
    township: UUID
    end: date
    headers: list[str]
    rows: list[EvidenceRowOut]
    explanation: str
    adjustments: list[AdjustmentOut]


class EnteredIn(Schema):
    # Optional so that a caller outside the scope gets 404 whatever the body; the service checks them.
    township: UUID | None = None
    points: Decimal | None = None
    evidence: str = ""


class AdjustmentIn(Schema):
    township: UUID | None = None
    points: Decimal | None = None
    reason: str = ""


class EnteredOut(Schema):
    indicator: UUID
    township: UUID
    points: Decimal
    evidence: str
