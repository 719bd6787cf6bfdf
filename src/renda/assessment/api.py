"""The assessment API under /api/v1/assessment/: the same scope and services as the pages.

Reads: the schemes, a scheme with its sections and indicators (rule, measure, thresholds), the
scores of a scheme (published, or computed from the records up to ``?end=``) for the townships the
caller may see (``selectors.townships_for``), and the records behind one township's figure on an
indicator. Writes, for the county administrator: points entered with evidence, and adjustments with
a reason. Answers: outside the caller's scope 404; a role with no part in the assessment (deputies,
agency handlers) or no right to the step 403; bad input 422 with the field named; a refusal of the
scheme's state (results published, a computed indicator entered by hand, an edit overtaken) 409 with
the Chinese message."""

import functools
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core.api_refusals import REFUSALS, answers_refusals, error_response
from renda.organisations.models import Township

from . import permissions as may
from . import scoring, selectors, selectors_reports, services
from .api_schemas import (
    AdjustmentIn,
    AdjustmentOut,
    EnteredIn,
    EnteredOut,
    EvidenceOut,
    IndicatorOut,
    SchemeListOut,
    SchemeOut,
    ScoresOut,
)
from .measures import measures
from .models import Adjustment, EnteredScore, Indicator, IndicatorKind, Scheme, Section

router = Router(tags=["assessment"])
NOT_YOURS = _("You have no part in the assessment of townships.")
NOT_EDITOR = _("Only the county administrator enters and adjusts assessment points.")


def _refusals(view: Callable[..., Any]) -> Callable[..., Any]:
    """A refusal of the scheme's state (a ValidationError naming no field) is a 409; a field's is
    a 422, a StaleEdit 409, a PermissionDenied 403 (``answers_refusals``)."""

    @functools.wraps(view)
    def state(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            return error_response(409, exc.messages[0])

    return answers_refusals(NOT_EDITOR)(state)


def _scheme(user, uuid: UUID) -> Scheme:
    return get_scoped_or_404(Scheme.objects.select_related("county"), user, VIEW, uuid=uuid)


def _indicator(user, uuid: UUID) -> Indicator:
    return get_scoped_or_404(Indicator.objects.select_related("section__scheme__county"), user, VIEW, uuid=uuid)


def _scheme_out(scheme: Scheme) -> dict:
    return {
        "uuid": scheme.uuid,
        "year": scheme.year,
        "title": scheme.title,
        "state": scheme.state,
        "published_at": scheme.published_at,
    }


def _indicator_out(indicator: Indicator) -> dict:
    measure = measures.get(indicator.measure) if indicator.kind == IndicatorKind.COMPUTED else None
    return IndicatorOut(
        uuid=indicator.uuid,
        name=indicator.name,
        guidance=indicator.guidance,
        order=indicator.order,
        max_score=indicator.max_score,
        weight=indicator.weight,
        is_bonus=indicator.is_bonus,
        rule=indicator.kind,
        formula=indicator.formula,
        measure=indicator.measure,
        measure_label=str(measure.label) if measure else "",
        unit=str(measure.unit) if measure else "",
        full_at=indicator.full_at,
        zero_at=indicator.zero_at,
        per_unit=indicator.per_unit,
    ).dict()


@router.get("/schemes", response={200: list[SchemeListOut], **REFUSALS})
def list_schemes(request):
    if not may.may_view_assessment(request.auth):
        return error_response(403, NOT_YOURS)
    return [_scheme_out(s) for s in selectors.schemes(request.auth)[:100]]


@router.get("/schemes/{uuid}", response={200: SchemeOut, **REFUSALS})
def get_scheme(request, uuid: UUID):
    user = request.auth
    scheme = _scheme(user, uuid)
    if not may.may_view_assessment(user):
        return error_response(403, NOT_YOURS)
    indicators = scoring.indicators_of(scheme)
    sections = scoped(Section, user).filter(scheme=scheme).order_by("order", "id")
    return {
        **_scheme_out(scheme),
        "notes": scheme.notes,
        "sections": [
            {
                "uuid": section.uuid,
                "name": section.name,
                "order": section.order,
                "indicators": [_indicator_out(i) for i in indicators if i.section_id == section.pk],
            }
            for section in sections
        ],
    }


@router.get("/schemes/{uuid}/scores", response={200: ScoresOut, **REFUSALS})
@answers_refusals(NOT_YOURS)
def get_scores(request, uuid: UUID, end: date | None = None):
    """The published results, or with ``end`` (a day of the scheme's year) or before publication
    the scores computed from the records up to that day (today while the year runs)."""
    user = request.auth
    scheme = _scheme(user, uuid)
    if not may.may_view_assessment(user):
        return error_response(403, NOT_YOURS)
    table = selectors_reports.standings(user, scheme, timezone.localdate(), end)
    return {
        "scheme": scheme.uuid,
        "source": "published" if table.published else "live",
        "end": table.period.end,
        "complete": table.complete,
        "townships": [
            {
                "township": row.township.uuid,
                "name": row.township.name,
                "rank": row.rank,
                "base_total": row.base_total,
                "bonus": row.bonus,
                "total": row.total,
                "grade": row.grade,
                "grade_label": row.grade_label,
                "lines": [
                    {
                        "indicator": cell.indicator.uuid,
                        "figure": cell.value,
                        "base": cell.base,
                        "adjustment": cell.adjustment,
                        "points": cell.points,
                    }
                    for cell in row.cells
                ],
            }
            for row in table.rows
        ],
    }


def _visible_township(user, scheme: Scheme, uuid: UUID | None) -> Township | None:
    """A township whose score ``user`` may see (their own when none is named)."""
    townships = selectors.townships_for(user, scheme)
    wanted = uuid or getattr(getattr(user, "township", None), "uuid", None)
    return next((t for t in townships if t.uuid == wanted), None)


@router.get("/indicators/{uuid}/evidence", response={200: EvidenceOut, **REFUSALS})
@answers_refusals(NOT_YOURS)
def get_evidence(request, uuid: UUID, township: UUID | None = None, end: date | None = None):
    """The records behind a township's figure on an indicator (the points entered and their evidence
    for an entered one), and the adjustments with their reasons. ``township`` defaults to the
    caller's own; ``end`` to the day of publication, or today."""
    user = request.auth
    indicator = _indicator(user, uuid)
    if not may.may_view_assessment(user):
        return error_response(403, NOT_YOURS)
    scheme = indicator.section.scheme
    selectors_reports.check_end(scheme, end)
    place = _visible_township(user, scheme, township)
    if place is None:
        if township is None:
            raise ValidationError({"township": gettext("Choose the township.")})
        return error_response(404, gettext("No such township in your view of the assessment."))
    day = end or (selectors_reports.published_on(scheme) if scheme.is_published else None) or timezone.localdate()
    period = selectors.period_of(scheme, day)
    measure = measures.get(indicator.measure) if indicator.kind == IndicatorKind.COMPUTED else None
    if measure is not None:
        evidence = measure.evidence(user, place, period)
        headers = [str(h) for h in evidence.headers]
        rows = [{"cells": [str(c) for c in row.cells], "url": row.url} for row in evidence.rows]
        explanation = str(evidence.explanation)
    else:
        entered = scoped(EnteredScore, user).filter(indicator=indicator, township=place)
        headers = [gettext("Points"), gettext("Evidence")]
        rows = [{"cells": [str(e.points), e.evidence], "url": ""} for e in entered]
        explanation = str(indicator.guidance)
    adjustments = scoped(Adjustment, user).filter(indicator=indicator, township=place).order_by("created_at", "id")
    return {
        "indicator": indicator.uuid,
        "township": place.uuid,
        "end": period.end,
        "headers": headers,
        "rows": rows,
        "explanation": explanation,
        "adjustments": [{"uuid": a.uuid, "points": a.points, "reason": a.reason} for a in adjustments],
    }


def _editable(user, uuid: UUID, township: UUID | None) -> tuple[Indicator, Township]:
    indicator = _indicator(user, uuid)
    if not may.may_manage_schemes(user):
        raise PermissionDenied
    place = scoped(Township, user).filter(uuid=township, county=indicator.section.scheme.county_id).first()
    if township is None or place is None:
        raise ValidationError({"township": gettext("Choose a township of the county.")})
    return indicator, place


@router.post("/indicators/{uuid}/score", response={201: EnteredOut, **REFUSALS})
@_refusals
def enter_score(request, uuid: UUID, payload: EnteredIn):
    """The county administrator's points for a township on an entered indicator, with the evidence;
    entering again replaces them."""
    indicator, place = _editable(request.auth, uuid, payload.township)
    entry = services.enter_score(indicator, place, request.auth, points=payload.points, evidence=payload.evidence)
    return Status(
        201, {"indicator": indicator.uuid, "township": place.uuid, "points": entry.points, "evidence": entry.evidence}
    )


@router.post("/indicators/{uuid}/adjustments", response={201: AdjustmentOut, **REFUSALS})
@_refusals
def adjust(request, uuid: UUID, payload: AdjustmentIn):
    """Points added (or taken, negative) on a township's indicator, with the reason."""
    indicator, place = _editable(request.auth, uuid, payload.township)
    adjustment = services.adjust(indicator, place, request.auth, points=payload.points, reason=payload.reason)
    return Status(201, {"uuid": adjustment.uuid, "points": adjustment.points, "reason": adjustment.reason})
