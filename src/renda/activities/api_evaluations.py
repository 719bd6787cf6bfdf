"""The evaluations JSON API under /api/v1/: the same scoping and services as the pages.

Evaluations with their units and the results of closed ballots (counts only: no individual ballot
exists to show); a deputy casts a ballot with their Bearer token; rectification items and progress
reports. Refusals: the workflow's (``EvaluationRefused``, a second vote) and ``StaleEdit`` 409,
``ValidationError`` 422, ``PermissionDenied`` 403; outside the caller's scope 404."""

from datetime import date
from uuid import UUID

from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Schema, Status

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core import api_refusals as refusals
from renda.core.api_refusals import REFUSALS

from . import selectors_evaluations as selectors
from . import services_evaluations as services
from .models import BallotRound, Evaluation, RectificationItem

router = Router(tags=["evaluations"])
answers_refusals = refusals.answers_refusals(
    gettext_lazy("You may not take this step in this evaluation."), conflicts=(services.EvaluationRefused,)
)


class UnitOut(Schema):
    uuid: UUID
    agency: str
    survey_findings: str
    demands: str
    report_summary: str


class UnitResultOut(Schema):
    unit: UUID
    agency: str
    satisfied: int
    basically: int
    dissatisfied: int
    invalid: int
    satisfaction: str
    must_rectify: bool


class RoundOut(Schema):
    uuid: UUID
    number: int
    kind: str
    state: str
    electorate: int
    voted: int
    turnout: str
    results: list[UnitResultOut]  # empty while the ballot is open


class EvaluationListOut(Schema):
    uuid: UUID
    township: str
    year: int
    title: str
    state: str


class EvaluationOut(EvaluationListOut):
    meeting_on: date | None
    units: list[UnitOut]
    rounds: list[RoundOut]


class BallotIn(Schema):
    # Unit uuid → satisfied / basically / dissatisfied; every unit of the ballot (checked by the service
    # after the ballot is found, so that an outsider gets 404 whatever the body).
    choices: dict[UUID, str] = {}


class BallotOut(Schema):
    round: UUID
    voted: bool


class ItemOut(Schema):
    uuid: UUID
    agency: str
    evaluation: str
    demand: str
    deadline: date
    state: str
    overdue: bool


class ProgressIn(Schema):
    text: str
    completes: bool = False


def _round_out(view: selectors.RoundView) -> dict:
    return {
        "uuid": view.round.uuid,
        "number": view.round.number,
        "kind": view.round.kind,
        "state": view.round.state,
        "electorate": view.round.electorate,
        "voted": view.voted,
        "turnout": view.turnout,
        "results": [
            {
                "unit": row.unit.uuid,
                "agency": row.unit.agency.name,
                "satisfied": row.result.satisfied,
                "basically": row.result.basically,
                "dissatisfied": row.result.dissatisfied,
                "invalid": row.result.invalid,
                "satisfaction": row.satisfaction,
                "must_rectify": row.result.must_rectify,
            }
            for row in view.rows
        ],
    }


def _evaluation_out(evaluation: Evaluation, detail: bool) -> dict:
    out = {
        "uuid": evaluation.uuid,
        "township": evaluation.township.name,
        "year": evaluation.year,
        "title": evaluation.title,
        "state": evaluation.state,
    }
    if detail:
        out["meeting_on"] = evaluation.meeting_on
        out["units"] = [
            {
                "uuid": u.uuid,
                "agency": u.agency.name,
                "survey_findings": u.survey_findings,
                "demands": u.demands,
                "report_summary": u.report_summary,
            }
            for u in selectors.units_of(evaluation)
        ]
        out["rounds"] = [_round_out(v) for v in selectors.round_views(selectors.rounds_of(evaluation))]
    return out


def _item_out(item: RectificationItem) -> dict:
    return {
        "uuid": item.uuid,
        "agency": item.unit.agency.name,
        "evaluation": item.unit.evaluation.title,
        "demand": item.demand,
        "deadline": item.deadline,
        "state": item.state,
        "overdue": selectors.is_overdue(item),
    }


@router.get("/evaluations", response=list[EvaluationListOut])
def list_evaluations(request):
    return [_evaluation_out(e, False) for e in selectors.evaluations_for(request.auth)[:200]]


@router.get("/evaluations/{uuid}", response=EvaluationOut)
def get_evaluation(request, uuid: UUID):
    evaluation = get_scoped_or_404(
        Evaluation.objects.unscoped().select_related("township"), request.auth, VIEW, uuid=uuid
    )
    return _evaluation_out(evaluation, True)


@router.post("/ballots/{uuid}/vote", response={201: BallotOut, **REFUSALS})
@answers_refusals
def cast_ballot(request, uuid: UUID, payload: BallotIn):
    """A deputy's vote on every unit of the ballot, in one submission; a second one is refused (409)."""
    ballot = get_scoped_or_404(
        BallotRound.objects.unscoped().select_related("evaluation__township"), request.auth, VIEW, uuid=uuid
    )
    by_uuid = dict(ballot.units.values_list("uuid", "pk"))
    unknown = [u for u in payload.choices if u not in by_uuid]
    if unknown:
        raise services.EvaluationRefused(gettext("Give your opinion on every unit of the ballot, and on no other."))
    services.cast_ballot(ballot, request.auth, choices={by_uuid[u]: c for u, c in payload.choices.items()})
    return Status(201, {"round": ballot.uuid, "voted": True})


@router.get("/rectifications", response=list[ItemOut])
def list_rectifications(request):
    return [_item_out(i) for i in selectors.rectifications_for(request.auth)[:200]]


@router.post("/rectifications/{uuid}/progress", response={201: ItemOut, **REFUSALS})
@answers_refusals
def report_progress(request, uuid: UUID, payload: ProgressIn):
    item = get_scoped_or_404(
        RectificationItem.objects.unscoped().select_related("unit__agency", "unit__evaluation__township"),
        request.auth,
        VIEW,
        uuid=uuid,
    )
    services.report_progress(item, request.auth, text=payload.text, completes=payload.completes)
    item = (
        scoped(RectificationItem, request.auth, VIEW).select_related("unit__agency", "unit__evaluation").get(pk=item.pk)
    )
    return Status(201, _item_out(item))
