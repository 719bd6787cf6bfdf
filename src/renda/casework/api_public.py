"""The public JSON API under /api/v1/public/ (no account, no token): submit a citizen's opinion to a
station and look up its progress by tracking code — the same services, checks, rate limits and
idempotency as the public pages.

Idempotency: the client sends an ``Idempotency-Key`` header (or ``idempotency_key`` in the body),
e.g. a UUID it made for this opinion; a retry with the same key and the same opinion gets the same
tracking code and files nothing. The key is bound to the station and the text, so one client's key
can never return another client's code."""

from __future__ import annotations

import datetime as dt
import hashlib
from uuid import UUID

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status

from renda.core.submission import SALT, InvalidSubmissionToken

from . import public

router = Router(tags=["public"], auth=None)


class OpinionIn(Schema):
    station: UUID
    content: str = Field(..., max_length=5000)
    title: str = Field("", max_length=120)
    name: str = Field("", max_length=30)
    phone: str = Field("", max_length=20)
    idempotency_key: str = Field("", max_length=100)


class OpinionOut(Schema):
    tracking_code: str
    created: bool
    status_url: str


class StepOut(Schema):
    on: dt.date
    label: str


class StatusOut(Schema):
    tracking_code: str
    title: str
    received_on: dt.date | None
    state: str
    finished: bool
    steps: list[StepOut]
    reply_text: str
    reply_class: str
    answered_on: dt.date | None
    may_rate: bool


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _too_many(response: HttpResponse, seconds: int) -> Status:
    response["Retry-After"] = str(seconds)
    message = _("Too many requests at the moment. Please wait %(seconds)s seconds and try again.")
    return Status(429, {"detail": message % {"seconds": seconds}})


def _token_for(key: str, station: UUID, content: str) -> str:
    """A submission token (core.submission) whose nonce is the key bound to this opinion."""
    nonce = hashlib.sha256(f"{key}\n{station}\n{content.strip()}".encode()).hexdigest()[:40]
    return signing.dumps(nonce, salt=SALT)


@router.post(
    "/opinions",
    response={200: OpinionOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Submit a citizen's opinion to a station",
)
def submit_opinion(
    request: HttpRequest,
    response: HttpResponse,
    payload: OpinionIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    station = public.active_station(payload.station)
    seconds = public.over_limit(request, kind="submit", station=station)
    if seconds:
        return _too_many(response, seconds)
    if station is None:
        return Status(404, {"detail": _("No station has this identifier.")})
    key = (idempotency_key or payload.idempotency_key or "").strip()
    if not key:
        return Status(400, {"detail": _("Send an Idempotency-Key header (e.g. a UUID made for this opinion).")})
    opinion = public.Opinion(
        content=payload.content, title=payload.title, citizen_name=payload.name, citizen_phone=payload.phone
    )
    try:
        code, created = public.submit_opinion(
            _token_for(key, station.uuid, payload.content), station=station, opinion=opinion, via="api"
        )
    except InvalidSubmissionToken:  # pragma: no cover - the token is made here
        return Status(400, {"detail": _("The idempotency key cannot be used.")})
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        return Status(422, {"detail": _("The opinion was not accepted."), "errors": errors})
    return Status(
        200,
        {
            "tracking_code": code,
            "created": created,
            "status_url": request.build_absolute_uri(reverse("public:status", args=[code])),
        },
    )


@router.get(
    "/status/{code}",
    response={200: StatusOut, 404: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Progress of an opinion by its tracking code",
)
def opinion_status(request: HttpRequest, response: HttpResponse, code: str):
    seconds = public.over_limit(request, kind="lookup")
    if seconds:
        return _too_many(response, seconds)
    case = public.find_by_code(code)
    if case is None:
        return Status(404, {"detail": _("No opinion has this tracking code. Check the code and try again.")})
    status = public.public_status(case)
    return Status(
        200,
        {
            "tracking_code": status.code,
            "title": status.title,
            "received_on": status.received_on,
            "state": status.state,
            "finished": status.finished,
            "steps": [{"on": step.on, "label": step.label} for step in status.steps],
            "reply_text": status.reply_text,
            "reply_class": status.reply_class,
            "answered_on": status.answered_on,
            "may_rate": status.may_rate,
        },
    )
