"""Publicity's measures for the county's assessment of townships (domain.md §9), registered from
``PublicityConfig.ready``:

- ``publicity.article_points``: the points of the township's confirmed articles published in the
  period, each by the level of its medium (``RENDA_ARTICLE_POINTS``);
- ``publicity.public_items``: the township's news items the county put on the public page in the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.scoping import VIEW, scoped
from renda.assessment.measures import Evidence, EvidenceRow, Measure, register
from renda.core.periods import Period

from . import rules, selectors
from .models import Article, ArticleState, NewsItem, NewsState


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's days as aware datetimes [start, end of the last day]."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(period.start, time.min), tz),
        timezone.make_aware(datetime.combine(period.end, time.max), tz),
    )


def article_points(townships: Sequence[Any], period: Period) -> dict[int, Decimal | None]:
    counts = selectors.confirmed_per_level(list(townships), period.start, period.end)
    return {township.id: rules.points_of(counts.get(township.id, {})) for township in townships}


def article_evidence(user: Any, township: Any, period: Period) -> Evidence:
    points = rules.level_points()
    rows = (
        scoped(Article, user, VIEW)
        .filter(township=township, state=ArticleState.CONFIRMED)
        .filter(published_on__gte=period.start, published_on__lte=period.end)
        .order_by("published_on", "id")
    )
    evidence_rows = [
        EvidenceRow(
            cells=(
                article.title,
                article.medium,
                article.get_level_display(),
                article.published_on,
                points[article.level],
            ),
            url=reverse("publicity:article", args=[article.uuid]),
        )
        for article in rows
    ]
    per_level = ", ".join(
        f"{label} {points[level]}"
        for level, label in Article._meta.get_field("level").choices  # type: ignore[union-attr]
    )
    return Evidence(
        headers=(_("Title"), _("Medium"), _("Media level"), _("Published on"), _("Points earned")),
        rows=evidence_rows,
        explanation=_("Confirmed articles published in the period, points per article by media level: %(levels)s.")
        % {"levels": per_level},
    )


def public_items(townships: Sequence[Any], period: Period) -> dict[int, Decimal | None]:
    start, end = _bounds(period)
    counts = dict(
        NewsItem.objects.unscoped()  # system figures for the townships the assessment names
        .filter(township__in=[t.pk for t in townships], published_at__gte=start, published_at__lte=end)
        .exclude(state__in=[NewsState.DRAFT, NewsState.SUBMITTED])
        .order_by()
        .values("township")
        .annotate(count=Count("id"))
        .values_list("township", "count")
    )
    return {township.id: Decimal(counts.get(township.id, 0)) for township in townships}


def public_items_evidence(user: Any, township: Any, period: Period) -> Evidence:
    start, end = _bounds(period)
    rows = (
        scoped(NewsItem, user, VIEW)
        .filter(township=township, published_at__gte=start, published_at__lte=end)
        .exclude(state__in=[NewsState.DRAFT, NewsState.SUBMITTED])
        .order_by("published_at", "id")
    )
    return Evidence(
        headers=(_("Title"), _("Kind"), _("Put on the public page"), _("State")),
        rows=[
            EvidenceRow(
                cells=(
                    item.title,
                    item.get_kind_display(),
                    timezone.localdate(item.published_at),
                    item.get_state_display(),
                ),
                url=reverse("publicity:news_item", args=[item.uuid]),
            )
            for item in rows
        ],
        explanation=_("News items of the township the county put on its public page in the period."),
    )


def register_measures() -> None:
    register(
        Measure(
            code="publicity.article_points",
            label=gettext_lazy("Points of articles in the media"),
            unit=gettext_lazy("points (score)"),
            definition=gettext_lazy(
                "The sum of the points of the township's confirmed articles published in the period, "
                "each by the level of the medium."
            ),
            values=article_points,
            evidence=article_evidence,
            order=700,
        ),
        Measure(
            code="publicity.public_items",
            label=gettext_lazy("News items on the public page"),
            unit=gettext_lazy("items (count)"),
            definition=gettext_lazy(
                "The township's news items the county put on its public page in the period "
                "(an item withdrawn later still counts)."
            ),
            values=public_items,
            evidence=public_items_evidence,
            order=710,
        ),
    )
