"""The notice board's JSON API under /api/v1/notices: the same scoping and services as the pages.
A notice outside the caller's scope is 404; a refused step 403/422 (core/api_refusals)."""

from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from renda.accounts.scoping import VIEW, scoped
from renda.core import api_refusals as refusals
from renda.core.api_refusals import REFUSALS
from renda.organisations.models import Township

from . import permissions as may
from . import selectors, services

router = Router(tags=["notices"])
answers_refusals = refusals.answers_refusals(gettext_lazy("You may not take this step on this notice."))


class NoticeOut(Schema):
    uuid: UUID
    kind: str
    title: str
    body: str
    link: str
    township: str | None
    posted_at: datetime
    withdrawn_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_township(obj) -> str | None:
        return obj.township.name if obj.township_id else None

    @staticmethod
    def resolve_unread(obj) -> bool:
        return bool(getattr(obj, "my_unread", False))


class NoticeIn(Schema):
    title: str
    body: str
    kind: str = "general"
    townships: list[UUID] = []


class RecipientOut(Schema):
    uuid: UUID
    name: str
    read_at: datetime | None
    delivered_at: datetime | None
    delivery_error: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.full_name or obj.user.username


class ReadOut(Schema):
    uuid: UUID
    read_at: datetime | None


@router.get("/notices", response=list[NoticeOut])
@paginate
def list_notices(request, unread: bool = False, kind: str = ""):
    """The notices the caller may see, newest first; ``unread`` only those addressed to the caller
    and not yet confirmed."""
    return selectors.board(request.auth, kind, unread_only=unread)


@router.post("/notices", response={201: NoticeOut, **REFUSALS})
@answers_refusals
def post_notice(request, payload: NoticeIn):
    """Staff: post a notice to their township's deputies; the county administrator to every
    township's (``townships`` empty) or the chosen townships' deputies."""
    if not may.may_post(request.auth):
        raise PermissionDenied
    chosen = list(scoped(Township, request.auth, VIEW).filter(uuid__in=payload.townships))
    if len(chosen) != len(set(payload.townships)):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"townships": _("Choose townships of your county.")})
    notice = services.compose(request.auth, title=payload.title, body=payload.body, kind=payload.kind, townships=chosen)
    return Status(201, notice)


@router.post("/notices/{uuid}/read", response={200: ReadOut, **REFUSALS})
@answers_refusals
def confirm_read(request, uuid: UUID):
    """The recipient confirms reading (the first time counts)."""
    notice = selectors.notice_for_page(request.auth, uuid)
    recipient = services.confirm_read(notice, request.auth)
    return {"uuid": notice.uuid, "read_at": recipient.read_at}


@router.get("/notices/{uuid}/recipients", response={200: list[RecipientOut], **REFUSALS})
@answers_refusals
def recipients(request, uuid: UUID):
    """Staff: who the notice is for, whether they have read it and whether it was delivered."""
    notice = selectors.notice_for_page(request.auth, uuid)
    if not may.may_manage(request.auth, notice):
        raise PermissionDenied
    return selectors.recipients_of(notice)
