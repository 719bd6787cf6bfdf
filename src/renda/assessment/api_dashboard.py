"""The dashboards in the JSON API: ``GET /api/v1/dashboard?year=`` — the per-township figures and
live score, the heat map matrix and the trends by month, as the pages show them and with their
scope: the county administrator and county leaders every township of the county, a township's
staff and leaders their own (``township=<uuid>`` one township they may see, 404 otherwise);
deputies and agency handlers are refused (403)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from renda.core.api_refusals import REFUSALS, error_response

from . import permissions as may
from . import selectors_dashboard as selectors

router = Router(tags=["assessment"])


class TownshipFiguresOut(Schema):
    township: UUID
    township_name: str
    deputies: int
    activities: int
    cases_received: int
    cases_open: int
    on_time_percent: Decimal | None
    overdue: int
    satisfaction_percent: Decimal | None
    sessions: int
    presidium_meetings: int
    score: Decimal | None
    grade: str | None
    grade_label: str | None


class HeatCellOut(Schema):
    share: float | None
    text: str


class HeatRowOut(Schema):
    township: UUID
    township_name: str
    cells: list[HeatCellOut]


class HeatColumnOut(Schema):
    label: str
    lowest_township: str | None
    highest_township: str | None


class HeatMapOut(Schema):
    normalised: bool
    columns: list[HeatColumnOut]
    rows: list[HeatRowOut]


class SeriesOut(Schema):
    name: str
    counts: list[int]


class TrendsOut(Schema):
    months: list[int]
    series: list[SeriesOut]


class DashboardOut(Schema):
    year: int
    start: date
    end: date
    scheme: UUID | None
    townships: list[TownshipFiguresOut]
    heat_map: HeatMapOut | None
    trends: TrendsOut | None


def _figures(row: selectors.TownshipFigures) -> dict:
    return {
        "township": row.township.uuid,
        "township_name": row.township.name,
        "deputies": row.deputies,
        "activities": row.activities,
        "cases_received": row.received,
        "cases_open": row.open,
        "on_time_percent": row.on_time,
        "overdue": row.overdue,
        "satisfaction_percent": row.satisfaction,
        "sessions": row.sessions,
        "presidium_meetings": row.presidium,
        "score": row.total,
        "grade": row.score.grade if row.score else None,
        "grade_label": str(row.score.grade_label) if row.score else None,
    }


def _heat_map(heat: selectors.HeatMap | None) -> dict | None:
    if heat is None:
        return None
    return {
        "normalised": heat.normalised,
        "columns": [
            {
                "label": column.label,
                "lowest_township": column.lowest[0] if column.lowest else None,
                "highest_township": column.highest[0] if column.highest else None,
            }
            for column in heat.columns
        ],
        "rows": [
            {
                "township": township.uuid,
                "township_name": township.name,
                "cells": [{"share": cell.share, "text": cell.text} for cell in cells],
            }
            for township, cells in heat.rows
        ],
    }


@router.get("/dashboard", response={200: DashboardOut, **REFUSALS})
def dashboard(request, year: int | None = None, township: UUID | None = None):
    """The dashboard of ``year`` (this year by default) up to today while it runs."""
    user = request.auth
    if not may.may_view_dashboard(user):
        return error_response(403, gettext_lazy("The dashboards are for the county and township offices."))
    today = timezone.localdate()
    year = year if year is not None and 2000 <= year <= 2100 else today.year
    if township is not None:
        townships = [selectors.township_for_page(user, township)]
    else:
        townships = selectors.county_townships(user)
        if not townships and not may.is_county_wide(user):
            own = selectors.own_township(user)
            townships = [own] if own is not None else []
    result = selectors.dashboard(user, townships, year, today, heat_map=True, county=len(townships) > 1)
    trends = result.trends
    return {
        "year": result.year,
        "start": result.period.start,
        "end": result.period.end,
        "scheme": result.scheme.uuid if result.scheme else None,
        "townships": [_figures(row) for row in result.rows],
        "heat_map": _heat_map(result.heat_map),
        "trends": {"months": trends.months, "series": [{"name": n, "counts": c} for n, c in trends.series]}
        if trends
        else None,
    }
