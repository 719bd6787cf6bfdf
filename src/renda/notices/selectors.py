"""Reads of the notice board: the board, a notice's recipients, the home card."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped

from . import permissions as may
from .models import Notice, Recipient

HOME_CARD_ROWS = 5


def board(user: Any, kind: str = "", *, unread_only: bool = False) -> QuerySet[Notice]:
    """The notices the user may see, newest first, with ``my_unread`` (addressed to the user and not
    yet read) and, for those who post, ``unread_count``/``recipient_count``. Withdrawn notices are
    kept for those who may manage them only."""
    notices = scoped(Notice, user, VIEW).select_related("township", "posted_by")
    if not may.may_post(user):
        notices = notices.filter(withdrawn_at__isnull=True)
    if kind:
        notices = notices.filter(kind=kind)
    mine = Recipient.objects.unscoped().filter(notice=OuterRef("pk"), user=user, read_at__isnull=True)
    notices = notices.annotate(my_unread=Exists(mine))
    if unread_only:
        notices = notices.filter(my_unread=True)
    if may.may_post(user):
        notices = notices.annotate(
            recipient_count=Count("recipients", distinct=True),
            unread_count=Count("recipients", filter=Q(recipients__read_at__isnull=True), distinct=True),
        )
    return notices.order_by("-posted_at", "-id")


def notice_for_page(user: Any, uuid: Any) -> Notice:
    return get_scoped_or_404(
        Notice.objects.unscoped().select_related("township", "county", "posted_by"), user, VIEW, uuid=uuid
    )


def recipients_of(notice: Notice) -> list[Recipient]:
    """Who the notice is for, the unread first, by name."""
    rows = Recipient.objects.unscoped().filter(notice=notice).select_related("user")
    return sorted(rows, key=lambda r: (r.read_at is not None, r.user.full_name or r.user.username, r.pk))


def my_recipient(notice: Notice, user: Any) -> Recipient | None:
    return Recipient.objects.unscoped().filter(notice=notice, user=user).first()


def unread_for(user: Any) -> QuerySet[Recipient]:
    """The user's own unread notices (not withdrawn), newest first."""
    return (
        Recipient.objects.unscoped()
        .filter(user=user, read_at__isnull=True, notice__withdrawn_at__isnull=True)
        .select_related("notice")
        .order_by("-notice__posted_at", "-id")
    )


def home_card(user: Any) -> dict:
    """The home card: the user's unread notices; for staff also their latest notices with how many
    recipients have not read them."""
    unread = list(unread_for(user)[:HOME_CARD_ROWS])
    posted: list[Notice] = []
    if may.may_post(user):
        posted = list(
            scoped(Notice, user, CHANGE)
            .filter(withdrawn_at__isnull=True)
            .annotate(unread_count=Count("recipients", filter=Q(recipients__read_at__isnull=True)))
            .order_by("-posted_at", "-id")[:HOME_CARD_ROWS]
        )
    return {"unread": unread, "posted": posted, "show": bool(unread or posted or may.may_post(user))}
