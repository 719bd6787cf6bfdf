"""Publicity's reads: the staff's lists through the user's scope, the totals by media level, the
year's figures per township (用稿统计), the county administrator's home card, and the public page's
reads, which have no user and so say explicitly which rows are public."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Value

from renda.accounts.scoping import VIEW, scoped
from renda.organisations.models import County, Township

from . import permissions as may
from . import rules
from .models import Article, ArticleState, MediaLevel, NewsItem, NewsState

# ---------------------------------------------------------------- articles


@dataclass(frozen=True)
class ArticleFilters:
    year: int | None = None
    township: Township | None = None
    level: str = ""
    state: str = ""
    q: str = ""


def articles(user: Any, filters: ArticleFilters | None = None) -> QuerySet[Article]:
    filters = filters or ArticleFilters()
    rows = scoped(Article, user, VIEW).select_related("township")
    if filters.year:
        rows = rows.filter(published_on__year=filters.year)
    if filters.township is not None:
        rows = rows.filter(township=filters.township)
    if filters.level:
        rows = rows.filter(level=filters.level)
    if filters.state:
        rows = rows.filter(state=filters.state)
    text = (filters.q or "").strip()[:50]
    if text:
        rows = rows.filter(Q(title__icontains=text) | Q(medium__icontains=text))
    return rows.order_by("-published_on", "-id")


@dataclass(frozen=True)
class LevelTotal:
    level: str
    label: Any
    count: int
    confirmed: int
    points_each: Decimal
    points: Decimal


def totals_by_level(rows: QuerySet[Article]) -> tuple[list[LevelTotal], Decimal]:
    """Each media level's articles among ``rows`` and the points of the confirmed ones: one query."""
    grouped = {
        row["level"]: row
        for row in rows.order_by()
        .values("level")
        .annotate(count=Count("id"), confirmed=Count("id", filter=Q(state=ArticleState.CONFIRMED)))
    }
    points = rules.level_points()
    totals = []
    for level, label in MediaLevel.choices:
        row = grouped.get(level, {})
        confirmed = row.get("confirmed", 0)
        totals.append(
            LevelTotal(level, label, row.get("count", 0), confirmed, points[level], points[level] * confirmed)
        )
    return totals, sum((total.points for total in totals), Decimal(0))


def article_for_page(user: Any, uuid: Any) -> Article:
    from renda.accounts.scoping import get_scoped_or_404

    return get_scoped_or_404(
        Article.objects.unscoped().select_related("township", "decided_by", "created_by", "news_item"),
        user,
        VIEW,
        uuid=uuid,
    )


@dataclass
class TownshipYear:
    township: Township
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def points(self) -> Decimal:
        return rules.points_of(self.counts)


def year_by_township(user: Any, year: int) -> list[TownshipYear]:
    """The year's confirmed articles of each township the user reads, per media level: two queries."""
    townships = list(scoped(Township, user, VIEW))
    table = {township.pk: TownshipYear(township) for township in townships}
    grouped = (
        scoped(Article, user, VIEW)
        .filter(state=ArticleState.CONFIRMED, published_on__year=year)
        .order_by()
        .values("township", "level")
        .annotate(count=Count("id"))
    )
    for row in grouped:
        if row["township"] in table:
            table[row["township"]].counts[row["level"]] = row["count"]
    return list(table.values())


# ---------------------------------------------------------------- news items


@dataclass(frozen=True)
class NewsFilters:
    kind: str = ""
    township: Township | None = None
    state: str = ""
    q: str = ""


def news_items(user: Any, filters: NewsFilters | None = None) -> QuerySet[NewsItem]:
    filters = filters or NewsFilters()
    rows = scoped(NewsItem, user, VIEW).select_related("township", "mandate__person")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.township is not None:
        rows = rows.filter(township=filters.township)
    if filters.state:
        rows = rows.filter(state=filters.state)
    text = (filters.q or "").strip()[:50]
    if text:
        rows = rows.filter(Q(title__icontains=text) | Q(body__icontains=text))
    return rows.order_by("-created_at", "-id")


def news_for_page(user: Any, uuid: Any) -> NewsItem:
    from renda.accounts.scoping import get_scoped_or_404

    return get_scoped_or_404(
        NewsItem.objects.unscoped().select_related("township", "mandate__person", "created_by"),
        user,
        VIEW,
        uuid=uuid,
    )


# ---------------------------------------------------------------- home card


def home_county(user: Any) -> dict:
    """The county administrator's card: articles awaiting confirmation and news submitted (two counts)."""
    if not may.may_decide_articles(user):
        return {}

    def waiting(model, state, label):
        return (
            scoped(model, user, VIEW)
            .filter(state=state)
            .order_by()
            .annotate(what=Value(label))
            .values("what")
            .annotate(n=Count("id"))
            .values_list("what", "n")
        )

    # One query: the home page reads many apps' cards.
    counts = dict(
        waiting(Article, ArticleState.SUBMITTED, "articles").union(waiting(NewsItem, NewsState.SUBMITTED, "news"))
    )
    return {"articles": counts.get("articles", 0), "news": counts.get("news", 0)}


# ---------------------------------------------------------------- the public page (no user)


def public_county(uuid: Any) -> County | None:
    # No user on the public page: the county is named by its UUID, which the county hands out.
    return County.objects.unscoped().filter(uuid=uuid).first()


def public_items(county: County, *, kind: str = "", township: Township | None = None) -> QuerySet[NewsItem]:
    """The items the county administrator put on the county's public page, newest first. A system
    read (``for_county``): the public page has no user, and the state filter is what makes a row
    public — never drop it."""
    rows = (
        NewsItem.objects.for_county(county).filter(state=NewsState.PUBLIC).select_related("township", "mandate__person")
    )
    if kind:
        rows = rows.filter(kind=kind)
    if township is not None:
        rows = rows.filter(township=township)
    return rows.order_by("-published_at", "-id")


def public_item(county: County, uuid: Any) -> NewsItem | None:
    """One public item of the county, or None (unknown, not yet public, withdrawn)."""
    try:
        return public_items(county).filter(uuid=uuid).first()
    except (ValueError, TypeError):
        return None


def public_townships(county: County) -> list[Township]:
    # The county's townships by name for the filter: names of places, nothing personal.
    return list(Township.objects.for_county(county))


# ---------------------------------------------------------------- the assessment's figures


def confirmed_per_level(townships: list[Any], start: date, end: date) -> dict[int, dict[str, int]]:
    """Confirmed articles per township and level published in [start, end]: one grouped query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Article.objects.unscoped()  # system figures for the townships the assessment names
        .filter(township__in=[t.pk for t in townships], state=ArticleState.CONFIRMED)
        .filter(published_on__gte=start, published_on__lte=end)
        .order_by()
        .values("township", "level")
        .annotate(count=Count("id"))
    )
    for row in rows:
        counts[row["township"]][row["level"]] = row["count"]
    return counts
