"""The case list's filters, one function for the staff list page and for its Excel export.

``filter_cases(queryset, params)`` reads the GET parameters ``state``, ``source``, ``category``,
``township``, ``agency`` (UUIDs for the last three), ``year`` and ``q`` (case number, title or
content) from any mapping (``request.GET``) and narrows an already scoped queryset. A value that
is not one of the choices or not a UUID is ignored, as an unknown parameter is: a hand-edited
address shows the unfiltered list rather than an error page.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import CaseAssignment, CaseSigner, CaseSource, CaseState

FILTER_PARAMS = ("state", "source", "category", "township", "agency", "year", "q")
# The four-digit years a filter accepts; anything else is ignored.
MIN_YEAR, MAX_YEAR = 2000, 2100


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _uuid(params: Mapping[str, Any], name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(_text(params, name))
    except ValueError:
        return None


def _year(params: Mapping[str, Any]) -> int | None:
    text = _text(params, "year")
    if not text.isdigit():
        return None
    year = int(text)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def filter_cases(queryset: QuerySet, params: Mapping[str, Any]) -> QuerySet:
    """``queryset`` (cases the user may read) narrowed by the list's GET parameters."""
    state = _text(params, "state")
    if state in CaseState.values:
        queryset = queryset.filter(state=state)
    source = _text(params, "source")
    if source in CaseSource.values:
        queryset = queryset.filter(source=source)
    if (category := _uuid(params, "category")) is not None:
        queryset = queryset.filter(category__uuid=category)
    if (township := _uuid(params, "township")) is not None:
        queryset = queryset.filter(township__uuid=township)
    if (agency := _uuid(params, "agency")) is not None:
        live = CaseAssignment.objects.filter(case=OuterRef("pk"), agency__uuid=agency, handed_back_at__isnull=True)
        queryset = queryset.filter(Exists(live))
    if (year := _year(params)) is not None:
        queryset = queryset.filter(received_on__year=year)
    if q := _text(params, "q")[:100]:
        queryset = queryset.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(content__icontains=q))
    return queryset


def export_queryset(queryset: QuerySet) -> QuerySet:
    """The rows the Excel list needs, in a fixed number of queries. The related rows follow the
    scoped cases in hand, so their own reads are not scoped again."""
    return queryset.select_related("township", "category").prefetch_related(
        Prefetch("signers", queryset=CaseSigner.objects.unscoped().select_related("mandate__person")),
        Prefetch("assignments", queryset=CaseAssignment.objects.unscoped().select_related("agency")),
        "replies",
    )
