"""The demo's publicity: per township 10–25 news items and 3–8 articles, mostly confirmed, one
rejected with a reason, a national article in the county; the same for the same seed."""

import random

import pytest

from renda.demo.publicity import seed_publicity
from renda.publicity.models import Article, NewsItem

pytestmark = pytest.mark.django_db


def _snapshot():
    news = list(NewsItem.objects.unscoped().order_by("id").values_list("township__name", "title", "state", "kind"))
    articles = list(
        Article.objects.unscoped()
        .order_by("id")
        .values_list("township__name", "title", "level", "state", "published_on")
    )
    return news, articles


def test_demo_publicity_is_realistic_and_repeatable(world):
    counts = seed_publicity(world.county, random.Random(7))
    for township in (world.township_a, world.township_b):
        assert 10 <= NewsItem.objects.unscoped().filter(township=township).count() <= 25
        assert 3 <= Article.objects.unscoped().filter(township=township).count() <= 8
    articles = Article.objects.unscoped()
    assert articles.filter(level="national").exists()
    assert articles.filter(state="confirmed").count() > articles.count() / 2
    rejected = articles.filter(state="rejected")
    assert rejected.count() <= 1 and all(row.decision_note for row in rejected)
    assert NewsItem.objects.unscoped().filter(state="public").exists()
    profiles = NewsItem.objects.unscoped().filter(kind="deputy_profile")
    assert all(profile.consent and profile.mandate_id for profile in profiles)
    first = _snapshot()
    NewsItem.objects.unscoped().all().delete()
    Article.objects.unscoped().all().delete()
    assert seed_publicity(world.county, random.Random(7)) == counts
    assert _snapshot() == first
