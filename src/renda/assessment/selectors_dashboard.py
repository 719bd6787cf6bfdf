"""The assessment's dashboards (domain.md §9, issue 13 point 5): per township at a glance, the heat
map of townships × indicators that shows the imbalance between them, and the trends by month.

Every figure is counted for all the townships shown at once — a few grouped queries whatever the
number of townships and records: the measures' figures where a measure exists (``figures_of``, once
for the score and the table together, so no figure is counted twice), and grouped counts of our own
read through the viewer's scope otherwise. The townships are the viewer's: the county administrator
and the county leaders all the county's, township staff and township leaders their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.activities.models import Activity, ActivityState
from renda.casework.models import Case, CaseReply, CaseState, ReceptionDay, ReceptionState
from renda.core.periods import Period
from renda.deputies.models import Mandate, MandateLevel
from renda.deputies.selectors import serving_on
from renda.meetings.models import Meeting, MeetingKind
from renda.organisations.models import CONGRESS_KINDS, Township

from . import permissions as may
from . import scoring
from . import selectors as assessment
from .measures import Figures, Measure, figures_of, measures
from .models import DocumentKind, Indicator, Scheme, YearDocument
from .platform_measures import HELD_MEETING, in_period

# The measures the per-township table shows; the other figures are counts of our own.
ON_TIME, SATISFACTION, OVERDUE = "casework.on_time", "casework.satisfaction", "casework.overdue"
TABLE_MEASURES = (ON_TIME, SATISFACTION, OVERDUE)
# Without a scheme, the heat map's columns: the measures of the township congress's own work (the
# roster's completeness and the evaluations are left out, and so the page stays within its queries).
HEAT_MAP_MEASURES = (
    "meetings.sessions",
    "meetings.presidium",
    ON_TIME,
    SATISFACTION,
    OVERDUE,
    "casework.reception",
    "activities.per_deputy",
    "activities.voter_reports",
    "activities.groups",
    "activities.plans",
)
# Received and not yet closed: neither refused, merged, handled on the spot nor closed.
NOT_OPEN = (CaseState.DRAFT, CaseState.REJECTED, CaseState.MERGED, CaseState.HANDLED_ON_SPOT, CaseState.CLOSED)
# The heat map's five bands of the share earned, lowest first (Bootstrap's background classes).
BAND_CLASSES = ("bg-danger-subtle", "bg-warning-subtle", "bg-body-secondary", "bg-info-subtle", "bg-success-subtle")
BAND_COLOURS = ("#f8d7da", "#fff3cd", "#e9ecef", "#cff4fc", "#d1e7dd")
DASH = "—"


def _figure(value: Decimal | None, unit: Any = "") -> str:
    if value is None:
        return DASH
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return f"{text}{unit}" if str(unit) == "%" else f"{text} {unit}".strip()


def _percent(value: Decimal | None) -> str:
    return DASH if value is None else f"{value}%"


# --- who sees which townships ----------------------------------------------------------------------


def county_townships(user: Any) -> list[Township]:
    """The townships of the county dashboard: all the county's active townships for the county,
    none for anyone else (township people are sent to their own township's dashboard)."""
    if not may.is_county_wide(user):
        return []
    return list(
        scoped(Township, user, VIEW).filter(county_id=user.county_id, is_active=True).order_by("division_code", "name")
    )


def own_township(user: Any) -> Township | None:
    """A township's staff and leaders: their own township (their dashboard)."""
    township_id = getattr(user, "township_id", None)
    if not township_id:
        return None
    return scoped(Township, user, VIEW).filter(pk=township_id).first()


def township_for_page(user: Any, uuid: Any) -> Township:
    """A township the user may see the dashboard of (404 otherwise): any of the county's for the
    county, their own for a township's people."""
    return get_scoped_or_404(Township.objects.select_related("county"), user, VIEW, uuid=uuid)


# --- the pieces ------------------------------------------------------------------------------------


@dataclass
class TownshipFigures:
    """One row of the per-township table."""

    township: Township
    deputies: int = 0
    activities: int = 0
    received: int = 0
    open: int = 0
    on_time: Decimal | None = None
    overdue: int = 0
    satisfaction: Decimal | None = None
    sessions: int = 0
    presidium: int = 0
    score: scoring.TownshipScore | None = None

    @property
    def total(self) -> Decimal | None:
        return self.score.total if self.score else None

    @property
    def grade(self) -> str:
        return str(self.score.grade_label) if self.score else DASH

    @property
    def cells(self) -> list[object]:
        """The row's figures in the order of ``table_headers()``: the page and the export print these."""
        return [
            self.deputies,
            self.activities,
            self.received,
            self.open,
            _percent(self.on_time),
            self.overdue,
            _percent(self.satisfaction),
            self.sessions,
            self.presidium,
            DASH if self.total is None else f"{self.total}",
            self.grade,
        ]


def table_headers() -> list[str]:
    return [
        _("Serving deputies"),
        _("Activities held"),
        _("Cases received"),
        _("Cases open"),
        _("On-time rate"),
        _("Overdue"),
        _("Satisfaction with result"),
        _("Sessions held"),
        _("Presidium meetings held"),
        _("Score so far"),
        _("Grade"),
    ]


@dataclass
class Cell:
    share: float | None  # 0–1: the colour
    text: str  # the figure, in the tooltip and the table

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)

    @property
    def band(self) -> int | None:
        return None if self.share is None else min(len(BAND_CLASSES) - 1, int(self.share * len(BAND_CLASSES)))

    @property
    def css(self) -> str:
        return "text-muted" if self.band is None else BAND_CLASSES[self.band]


@dataclass
class Column:
    label: str
    code: str = ""  # the measure's code, or the indicator's uuid
    unit: str = ""
    lowest: tuple[str, str] | None = None  # (township, figure) earning the least
    highest: tuple[str, str] | None = None


@dataclass
class HeatMap:
    columns: list[Column]
    rows: list[tuple[Township, list[Cell]]]
    normalised: bool  # no scheme: each measure between its lowest and highest township

    def chart_data(self) -> dict[str, Any]:
        """What assessment_dashboard.js draws: columns × townships, the share in percent (None
        for no figure) and the tooltip's text."""
        return {
            "kind": "heatmap",
            "columns": [column.label for column in self.columns],
            "rows": [township.name for township, _cells in self.rows],
            "cells": [
                [x, y, cell.percent, cell.text]
                for y, (_township, cells) in enumerate(self.rows)
                for x, cell in enumerate(cells)
            ],
            "bands": list(BAND_COLOURS),
        }


@dataclass
class Trends:
    months: list[int]
    series: list[tuple[str, list[int]]]

    @property
    def labels(self) -> list[str]:
        return [_("Month %(month)s") % {"month": month} for month in self.months]

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """The table: one row per month, one column per series."""
        return [(label, [counts[i] for _name, counts in self.series]) for i, label in enumerate(self.labels)]

    def chart_data(self) -> dict[str, Any]:
        return {
            "kind": "lines",
            "labels": self.labels,
            "series": [{"name": name, "data": counts} for name, counts in self.series],
        }


@dataclass
class Dashboard:
    year: int
    period: Period
    scheme: Scheme | None
    townships: list[Township]
    rows: list[TownshipFigures] = field(default_factory=list)
    trends: Trends | None = None
    heat_map: HeatMap | None = None

    @property
    def scores(self) -> list[scoring.TownshipScore]:
        return [row.score for row in self.rows if row.score]


# --- counting --------------------------------------------------------------------------------------


def _scores(
    scheme: Scheme | None,
    townships: Sequence[Township],
    period: Period,
    indicators: list[Indicator],
    figures: dict[str, Figures],
) -> list[scoring.TownshipScore]:
    """The scores of the townships the county assesses (those with a congress: a subdistrict's row
    has no score), as published once the scheme is, live before."""
    assessed = [t for t in townships if t.kind in CONGRESS_KINDS]
    if scheme is None or not assessed:
        return []
    if scheme.is_published:
        return scoring.published(scheme, assessed, indicators)
    return scoring.score(scheme, assessed, period, indicators, figures)


def _values_from_scores(scores: Iterable[scoring.TownshipScore]) -> dict[str, dict[int, Decimal | None]]:
    """The measures' figures the live score has counted already, by measure and township."""
    values: dict[str, dict[int, Decimal | None]] = defaultdict(dict)
    for result in scores:
        for line in result.lines:
            if line.is_computed:
                values[line.indicator.measure][result.township.pk] = line.value
    return values


def _per_month(rows: Iterable[dict[str, Any]], key: str, count: str = "n") -> dict[int, dict[int, int]]:
    """{township: {month: count}} from grouped rows."""
    result: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row[key] is not None and row["month"] is not None:
            result[row[key]][row["month"]] += row[count]
    return result


def _monthly_counts(user: Any, ids: list[int], period: Period) -> dict[str, dict[int, dict[int, int]]]:
    """Cases received (and of them still open), first answers given, reception days and activities
    held, per township and month: one grouped query each."""
    cases = (
        scoped(Case, user, VIEW)
        .filter(~Q(state=CaseState.DRAFT), in_period("received_on", period), township__in=ids)
        .annotate(month=ExtractMonth("received_on"))
        .values("township", "month")
        .annotate(n=Count("pk"), open=Count("pk", filter=~Q(state__in=NOT_OPEN)))
        .order_by()
    )
    cases = list(cases)
    answers = (
        scoped(CaseReply, user, VIEW)
        .filter(in_period("answered_at__date", period), round=0, case__township__in=ids)
        .annotate(month=ExtractMonth("answered_at"))
        .values("case__township", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    receptions = (
        scoped(ReceptionDay, user, VIEW)
        .filter(in_period("date", period), state=ReceptionState.HELD, station__township__in=ids)
        .annotate(month=ExtractMonth("date"))
        .values("station__township", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # A township's own activities, and the county's joint activities it took part in.
    activities = (
        scoped(Activity, user, VIEW)
        .filter(in_period("starts_at__date", period), state=ActivityState.HELD)
        .filter(Q(township__in=ids) | Q(townships__in=ids))
        .annotate(key=Coalesce("township", "townships"), month=ExtractMonth("starts_at"))
        .values("key", "month")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {
        "received": _per_month(cases, "township"),
        "open": _per_month(cases, "township", "open"),
        "answered": _per_month(answers, "case__township"),
        "receptions": _per_month(receptions, "station__township"),
        "activities": _per_month(activities, "key"),
    }


def _county_activities_per_month(user: Any, ids: list[int], period: Period) -> dict[int, int]:
    """Activities held in the townships by month, a joint activity once however many take part."""
    rows = (
        scoped(Activity, user, VIEW)
        .filter(in_period("starts_at__date", period), state=ActivityState.HELD)
        .filter(Q(township__in=ids) | Q(townships__in=ids))
        .annotate(month=ExtractMonth("starts_at"))
        .values("month")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row["month"]: row["n"] for row in rows}


def _serving_deputies(user: Any, ids: list[int], day: date) -> dict[int, int]:
    rows = (
        scoped(Mandate, user, VIEW)
        .filter(serving_on(day), level=MandateLevel.TOWNSHIP, person__township__in=ids)
        .values("person__township")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["person__township"]: row["n"] for row in rows}


def _meetings_held(user: Any, ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    rows = (
        scoped(Meeting, user, VIEW)
        .filter(in_period("starts_at__date", period), state__in=HELD_MEETING, township__in=ids)
        .values("township")
        .annotate(
            sessions=Count("pk", filter=Q(kind=MeetingKind.SESSION)),
            presidium=Count("pk", filter=Q(kind=MeetingKind.PRESIDIUM)),
        )
        .order_by()
    )
    return {row["township"]: row for row in rows}


def _trends(period: Period, per_month: dict[str, dict[int, dict[int, int]]], county_activities=None) -> Trends:
    months = [month for year, month in period.months() if year == period.start.year]

    def total(kind: str) -> list[int]:
        return [sum(by_month.get(month, 0) for by_month in per_month[kind].values()) for month in months]

    activities = (
        [county_activities.get(month, 0) for month in months] if county_activities is not None else total("activities")
    )
    return Trends(
        months=months,
        series=[
            (_("Cases received"), total("received")),
            (_("Cases answered"), total("answered")),
            (_("Activities held"), activities),
            (_("Reception days held"), total("receptions")),
        ],
    )


# --- the heat map ----------------------------------------------------------------------------------


def _spread(column: Column, cells: list[tuple[Township, Cell]]) -> Column:
    known = [(township, cell) for township, cell in cells if cell.share is not None]
    if known:
        low = min(known, key=lambda pair: pair[1].share or 0.0)
        high = max(known, key=lambda pair: pair[1].share or 0.0)
        column.lowest = (low[0].name, low[1].text)
        column.highest = (high[0].name, high[1].text)
    return column


def _scheme_heat_map(townships: Sequence[Township], scores: list[scoring.TownshipScore]) -> HeatMap:
    """Cells are the share of each indicator's counted maximum earned (``Line.share``)."""
    by_township = {s.township.pk: s for s in scores}
    ordered = [by_township[t.pk] for t in townships if t.pk in by_township]
    indicators = [line.indicator for line in ordered[0].lines] if ordered else []
    rows = []
    for result in ordered:
        cells = []
        for line in result.lines:
            measure = measures.get(line.indicator.measure) if line.is_computed else None
            text = _("%(points)s of %(max)s points") % {
                "points": line.points,
                "max": scoring.rules.round_points(line.indicator.counted_max),
            }
            if measure is not None:
                text = f"{_figure(line.value, measure.unit)} · {text}"
            cells.append(Cell(line.share, text))
        rows.append((result.township, cells))
    columns = [
        _spread(Column(indicator.name, str(indicator.uuid)), [(township, cells[i]) for township, cells in rows])
        for i, indicator in enumerate(indicators)
    ]
    return HeatMap(columns=columns, rows=rows, normalised=False)


def _less_is_better(measure: Measure) -> bool:
    return measure.full_at is not None and measure.zero_at is not None and measure.full_at < measure.zero_at


def _normalised(measure: Measure, values: dict[int, Decimal | None], township: Township) -> Cell:
    value = values.get(township.pk)
    text = _figure(value, measure.unit)
    known = [v for v in values.values() if v is not None]
    if value is None:
        return Cell(None, text)
    low, high = min(known), max(known)
    if high == low:
        return Cell(1.0, text)
    share = float((value - low) / (high - low))
    return Cell(1.0 - share if _less_is_better(measure) else share, text)


def _measures_heat_map(townships: Sequence[Township], values: dict[str, dict[int, Decimal | None]]) -> HeatMap:
    """Without a scheme: each measure's figure, between the lowest and the highest township."""
    chosen = [measure for measure in measures if measure.code in HEAT_MAP_MEASURES and measure.code in values]
    rows = [
        (township, [_normalised(measure, values[measure.code], township) for measure in chosen])
        for township in townships
    ]
    columns = [
        _spread(
            Column(str(measure.label), measure.code, str(measure.unit)),
            [(township, cells[i]) for township, cells in rows],
        )
        for i, measure in enumerate(chosen)
    ]
    return HeatMap(columns=columns, rows=rows, normalised=True)


# --- the dashboards --------------------------------------------------------------------------------


def dashboard(
    user: Any,
    townships: Sequence[Township],
    year: int,
    today: date,
    *,
    figures: bool = True,
    trends: bool = True,
    heat_map: bool = False,
    county: bool = True,
) -> Dashboard:
    """The dashboard of ``townships`` (chosen through the user's scope) for ``year``, up to today
    while it runs: the per-township figures and live score, the trends by month and the heat map,
    each part only when asked for. A fixed number of queries whatever the townships and records."""
    townships = list(townships)
    period = Period.year_to_date(year, today)
    scheme = assessment.scheme_of_year(user, year) if townships else None
    result = Dashboard(year=year, period=period, scheme=scheme, townships=townships)
    if not townships:
        return result
    ids = [t.pk for t in townships]
    # Every measure the page shows counted at once, so that a source read for the score is not read
    # again for the table; once published, the published figures replace the live ones.
    indicators = scoring.indicators_of(scheme) if scheme is not None and (figures or heat_map) else []
    codes = set(TABLE_MEASURES if figures else ())
    if heat_map and scheme is None:
        codes.update(HEAT_MAP_MEASURES)
    if scheme is not None and not scheme.is_published:
        codes.update(scoring.computed_measures(indicators))
    values = figures_of(codes, townships, period)
    scores = _scores(scheme, townships, period, indicators, values) if (figures or heat_map) else []
    if scheme is not None and scheme.is_published:
        values.update(_values_from_scores(scores))
    if figures or trends:
        per_month = _monthly_counts(user, ids, period)
    if figures:
        deputies = _serving_deputies(user, ids, period.end)
        meetings = _meetings_held(user, ids, period)
        by_township = {s.township.pk: s for s in scores}
        for township in townships:
            pk = township.pk
            held = meetings.get(pk, {})
            overdue = values.get(OVERDUE, {}).get(pk)
            result.rows.append(
                TownshipFigures(
                    township=township,
                    deputies=deputies.get(pk, 0),
                    activities=sum(per_month["activities"].get(pk, {}).values()),
                    received=sum(per_month["received"].get(pk, {}).values()),
                    open=sum(per_month["open"].get(pk, {}).values()),
                    on_time=values.get(ON_TIME, {}).get(pk),
                    overdue=int(overdue) if overdue is not None else 0,
                    satisfaction=values.get(SATISFACTION, {}).get(pk),
                    sessions=held.get("sessions", 0),
                    presidium=held.get("presidium", 0),
                    score=by_township.get(pk),
                )
            )
    if trends:
        county_activities = _county_activities_per_month(user, ids, period) if county and len(ids) > 1 else None
        result.trends = _trends(period, per_month, county_activities)
    if heat_map:
        if scheme is not None:
            result.heat_map = _scheme_heat_map(townships, scores)
        else:
            result.heat_map = _measures_heat_map(townships, values)
    return result


# --- the township's links ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def record_links(township: Township) -> list[Link]:
    """The records behind the figures: the township's activities, cases and meetings."""
    return [
        Link(str(label), f"{reverse(name)}?township={township.uuid}")
        for label, name in (
            (gettext_lazy("The township's activities"), "activities:list"),
            (gettext_lazy("The township's suggestions and opinions"), "casework:list"),
            (gettext_lazy("The township's meetings"), "meetings:list"),
        )
    ]


@dataclass(frozen=True)
class DocumentLink:
    kind: str
    title: str
    url: str


def year_documents(user: Any, township: Township, year: int) -> list[DocumentLink]:
    """The county's guidance and the township's plan and summary for the year, as the user may read
    them; linked to their page when the site has it."""
    documents = (
        scoped(YearDocument, user, VIEW)
        .filter(Q(township__isnull=True) | Q(township=township), county_id=township.county_id, year=year)
        .order_by("kind", "title")
    )
    order = {DocumentKind.GUIDANCE: 0, DocumentKind.PLAN: 1, DocumentKind.SUMMARY: 2}
    return [
        DocumentLink(document.get_kind_display(), document.title, reverse("assessment:document", args=[document.uuid]))
        for document in sorted(documents, key=lambda d: (order.get(d.kind, 9), d.title))
    ]


def score_url(township: Township, scheme: Scheme | None) -> str:
    """The township's score page on the year's scheme, when there is one and it assesses the township."""
    if scheme is None or township.kind not in CONGRESS_KINDS:
        return ""
    return reverse("assessment:township_score", args=[scheme.uuid, township.uuid])
