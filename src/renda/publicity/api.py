"""The publicity JSON API under /api/v1/: articles (用稿) and news items, with the same scope and
services as the pages. A row outside the caller's scope is 404; a step the row's state does not
allow 409 with the Chinese message; bad input 422 per field; a step the caller's role may not take
403 (core/api_refusals). Files (scans, photos) are uploaded on the pages."""

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core import api_refusals as refusals
from renda.core.api_refusals import REFUSALS, error_response
from renda.deputies.models import Mandate
from renda.organisations.models import Township

from . import permissions as may
from . import selectors, services
from .models import Article, ArticleState, MediaLevel, NewsItem, NewsKind, NewsState

router = Router(tags=["publicity"])

answers_refusals = refusals.answers_refusals(
    gettext_lazy("You may not take this step here."), conflicts=(services.Conflict,)
)


# ---------------------------------------------------------------- schemas


class ArticleFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    township: UUID | None = None
    level: str = Field("", max_length=20)
    state: str = Field("", max_length=20)
    q: str = Field("", max_length=200)


class ArticleOut(Schema):
    uuid: UUID
    township: UUID = Field(..., alias="township.uuid")
    township_name: str = Field(..., alias="township.name")
    title: str
    medium: str
    level: str
    level_label: str
    published_on: date
    link: str
    state: str
    state_label: str
    decision_note: str
    decided_at: datetime | None = None
    news_item: UUID | None = None
    version: int

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_news_item(obj) -> UUID | None:
        return obj.news_item.uuid if obj.news_item_id else None


class ArticleIn(Schema):
    township: UUID | None = None
    title: str = Field("", max_length=1000)
    medium: str = Field("", max_length=1000)
    level: str = Field("", max_length=20)
    published_on: date | None = None
    link: str = Field("", max_length=1000)


class RejectIn(Schema):
    reason: str = Field("", max_length=1000)


class NewsFilters(Schema):
    kind: str = Field("", max_length=20)
    township: UUID | None = None
    state: str = Field("", max_length=20)
    q: str = Field("", max_length=200)


class NewsOut(Schema):
    uuid: UUID
    township: UUID = Field(..., alias="township.uuid")
    township_name: str = Field(..., alias="township.name")
    kind: str
    kind_label: str
    title: str
    body: str
    deputy_name: str = ""
    consent: bool
    state: str
    state_label: str
    submitted_at: datetime | None = None
    published_at: datetime | None = None
    sent_to_medium: str
    sent_on: date | None = None
    has_photo: bool = False
    version: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_deputy_name(obj) -> str:
        return obj.mandate.person.full_name if obj.mandate_id else ""

    @staticmethod
    def resolve_has_photo(obj) -> bool:
        return bool(obj.photo)


class NewsIn(Schema):
    township: UUID | None = None
    kind: str = Field(NewsKind.WORK_NEWS, max_length=20)
    title: str = Field("", max_length=1000)
    body: str = Field("", max_length=40000)
    mandate: UUID | None = None
    consent: bool = False


# ---------------------------------------------------------------- helpers


def _township(user, uuid: UUID | None) -> Township | None:
    if uuid is None:
        return None
    found = scoped(Township, user, VIEW).filter(uuid=uuid).first()
    if found is None:
        raise ValidationError({"township": _("Choose the township.")})
    return found


def _article(request, uuid: UUID) -> Article:
    return get_scoped_or_404(
        Article.objects.unscoped().select_related("township", "news_item"), request.auth, VIEW, uuid=uuid
    )


def _item(request, uuid: UUID) -> NewsItem:
    return get_scoped_or_404(
        NewsItem.objects.unscoped().select_related("township", "mandate__person"), request.auth, VIEW, uuid=uuid
    )


# ---------------------------------------------------------------- articles


@router.get("/articles", response=list[ArticleOut])
@paginate
def list_articles(request, filters: Query[ArticleFilters]):
    """The articles the caller reads, latest first: ``year``, ``township``, ``level``, ``state`` and ``q``."""
    user = request.auth
    if not may.may_view_articles(user):
        return scoped(Article, user, VIEW).none()
    township = scoped(Township, user, VIEW).filter(uuid=filters.township).first() if filters.township else None
    if filters.township and township is None:
        return scoped(Article, user, VIEW).none()
    chosen = selectors.ArticleFilters(
        year=filters.year,
        township=township,
        level=filters.level if filters.level in MediaLevel.values else "",
        state=filters.state if filters.state in ArticleState.values else "",
        q=filters.q,
    )
    return selectors.articles(user, chosen).select_related("news_item")


@router.post("/articles", response={201: ArticleOut, **REFUSALS})
@answers_refusals
def register_article(request, payload: ArticleIn):
    """Register an article the media published; the county administrator confirms it."""
    user = request.auth
    if not may.may_register_articles(user):
        return error_response(403, _("You may not register articles."))
    article = services.article_register(
        actor=user,
        township=_township(user, payload.township),
        title=payload.title,
        medium=payload.medium,
        level=payload.level,
        published_on=payload.published_on,
        link=payload.link,
    )
    return Status(201, _article(request, article.uuid))


@router.post("/articles/{uuid}/confirm", response={200: ArticleOut, **REFUSALS})
@answers_refusals
def confirm_article(request, uuid: UUID):
    article = services.article_confirm(article=_article(request, uuid), actor=request.auth)
    return _article(request, article.uuid)


@router.post("/articles/{uuid}/reject", response={200: ArticleOut, **REFUSALS})
@answers_refusals
def reject_article(request, uuid: UUID, payload: RejectIn):
    article = services.article_reject(article=_article(request, uuid), actor=request.auth, reason=payload.reason)
    return _article(request, article.uuid)


# ---------------------------------------------------------------- news items


@router.get("/news", response=list[NewsOut])
@paginate
def list_news(request, filters: Query[NewsFilters]):
    """The news items and profiles the caller reads, latest first: ``kind``, ``township``, ``state``, ``q``."""
    user = request.auth
    if not may.may_view_news(user):
        return scoped(NewsItem, user, VIEW).none()
    township = scoped(Township, user, VIEW).filter(uuid=filters.township).first() if filters.township else None
    if filters.township and township is None:
        return scoped(NewsItem, user, VIEW).none()
    chosen = selectors.NewsFilters(
        kind=filters.kind if filters.kind in NewsKind.values else "",
        township=township,
        state=filters.state if filters.state in NewsState.values else "",
        q=filters.q,
    )
    return selectors.news_items(user, chosen)


@router.post("/news", response={201: NewsOut, **REFUSALS})
@answers_refusals
def create_news(request, payload: NewsIn):
    """A draft news item, or a deputy's profile (``mandate``, and ``consent`` once the deputy agreed)."""
    user = request.auth
    if not may.may_write_news(user):
        return error_response(403, _("You may not write news items."))
    mandate = None
    if payload.mandate is not None:
        mandate = scoped(Mandate, user, VIEW).select_related("person").filter(uuid=payload.mandate).first()
        if mandate is None:
            raise ValidationError({"mandate": _("Choose a deputy of the township.")})
    item = services.news_create(
        actor=user,
        township=_township(user, payload.township),
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        mandate=mandate,
        consent=payload.consent,
    )
    return Status(201, _item(request, item.uuid))


@router.post("/news/{uuid}/submit", response={200: NewsOut, **REFUSALS})
@answers_refusals
def submit_news(request, uuid: UUID):
    item = services.news_submit(item=_item(request, uuid), actor=request.auth)
    return _item(request, item.uuid)


@router.post("/news/{uuid}/publish", response={200: NewsOut, **REFUSALS})
@answers_refusals
def publish_news(request, uuid: UUID):
    """Put the item on the county's public page (the county administrator)."""
    item = services.news_publish(item=_item(request, uuid), actor=request.auth)
    return _item(request, item.uuid)
