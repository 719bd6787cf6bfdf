"""The points an article earns by media level (``RENDA_ARTICLE_POINTS``), kept as Decimal."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings

from .models import MediaLevel


def level_points() -> dict[str, Decimal]:
    """Points per article of each media level, as the settings give them."""
    configured = settings.RENDA_ARTICLE_POINTS
    return {level: Decimal(str(configured.get(level, 0))) for level in MediaLevel.values}


def points_of(counts: Mapping[str, int]) -> Decimal:
    """The points of so many articles per level ({"city": 2, ...})."""
    points = level_points()
    return sum((points[level] * count for level, count in counts.items() if level in points), Decimal(0))
