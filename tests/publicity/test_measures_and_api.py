"""The assessment's measures (points of confirmed articles by level; items put on the public page),
with evidence read through the user's scope; and the JSON API."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from renda.assessment.measures import measures
from renda.core.periods import Period
from renda.publicity import services
from renda.publicity.models import Article, NewsItem
from tests.publicity import helpers

pytestmark = pytest.mark.django_db


def test_article_points_count_confirmed_articles_in_the_period_by_level(world, settings, django_assert_num_queries):
    settings.RENDA_ARTICLE_POINTS = {"county": 0.5, "city": 1, "provincial": 2, "national": 3}
    for level in ("county", "county", "city", "provincial", "national"):
        helpers.article(world, level=level, published_on=date(2025, 5, 1))
    helpers.article(world, level="national", published_on=date(2025, 6, 1), confirm=False)  # not confirmed
    helpers.article(world, level="national", published_on=date(2024, 12, 31))  # outside the period
    rejected = helpers.article(world, level="city", published_on=date(2025, 5, 1), confirm=False)
    services.article_reject(article=rejected, actor=world.county_admin, reason="重复登记")
    helpers.article(world, township=world.township_b, level="city", published_on=date(2025, 2, 1))
    measure = measures.get("publicity.article_points")
    assert measure is not None and str(measure.unit) == "分"
    with django_assert_num_queries(1):
        values = measure.values([world.township_a, world.township_b], Period.year(2025))
    assert values == {world.township_a.id: Decimal("7.0"), world.township_b.id: Decimal("1")}

    evidence = measure.evidence(world.county_admin, world.township_a, Period.year(2025))
    assert len(evidence.rows) == 5
    assert [row.cells[4] for row in evidence.rows] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("1"),
        Decimal("2"),
        Decimal("3"),
    ]
    assert all(row.url.startswith("/publicity/articles/") for row in evidence.rows)
    # Read through the user's scope: another township's staff see no rows.
    assert measure.evidence(world.staff_b, world.township_a, Period.year(2025)).rows == []


def test_public_items_measure(world):
    helpers.item(world, public=True)
    helpers.item(world, public=True)
    helpers.item(world)  # a draft
    measure = measures.get("publicity.public_items")
    year = timezone.localdate().year
    values = measure.values([world.township_a, world.township_b], Period.year(year))
    assert values == {world.township_a.id: Decimal(2), world.township_b.id: Decimal(0)}
    assert len(measure.evidence(world.county_admin, world.township_a, Period.year(year)).rows) == 2
    assert measure.values([world.township_a], Period.year(year - 1)) == {world.township_a.id: Decimal(0)}


def test_api_articles(client_for, world):
    client = client_for(world.staff_a)
    response = client.post(
        "/api/v1/articles",
        {
            "township": str(world.township_a.uuid),
            "title": "接口登记的稿件",
            "medium": "浙江日报",
            "level": "provincial",
            "published_on": "2026-01-05",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert client.post(f"/api/v1/articles/{uuid}/confirm").status_code == 403
    bad = client.post("/api/v1/articles", {"township": str(world.township_a.uuid)}, content_type="application/json")
    assert bad.status_code == 422 and "请填写标题" in bad.json()["errors"]["title"][0]

    admin = client_for(world.county_admin)
    assert (
        admin.post(f"/api/v1/articles/{uuid}/reject", {"reason": ""}, content_type="application/json").status_code
        == 422
    )
    assert admin.post(f"/api/v1/articles/{uuid}/confirm").status_code == 200
    again = admin.post(f"/api/v1/articles/{uuid}/confirm")
    assert again.status_code == 409 and "待确认" in again.json()["detail"]
    listed = admin.get("/api/v1/articles?level=provincial").json()
    assert [row["title"] for row in listed["items"]] == ["接口登记的稿件"]

    # Outsiders: 404.
    for username in ("staff_b", "other_county_admin"):
        outsider = client_for(world.users[username])
        assert (
            outsider.post(
                f"/api/v1/articles/{uuid}/reject", {"reason": "x"}, content_type="application/json"
            ).status_code
            == 404
        )
    assert client_for(world.deputy_a).get("/api/v1/articles").json()["items"] == []
    assert Article.objects.unscoped().get(uuid=uuid).state == "confirmed"


def test_api_news(client_for, world):
    client = client_for(world.staff_a)
    response = client.post(
        "/api/v1/news",
        {
            "township": str(world.township_a.uuid),
            "kind": "deputy_profile",
            "title": "接口风采",
            "body": "正文",
            "mandate": str(world.mandate_a.uuid),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert client.post(f"/api/v1/news/{uuid}/submit").status_code == 200
    assert client.post(f"/api/v1/news/{uuid}/publish").status_code == 403
    admin = client_for(world.county_admin)
    refused = admin.post(f"/api/v1/news/{uuid}/publish")
    assert refused.status_code == 409 and "代表尚未同意公开" in refused.json()["detail"]
    assert NewsItem.objects.unscoped().get(uuid=uuid).state == "submitted"
    assert client_for(world.staff_b).post(f"/api/v1/news/{uuid}/submit").status_code == 404
    assert client_for(world.other_county_admin).post(f"/api/v1/news/{uuid}/publish").status_code == 404
    assert [row["title"] for row in client_for(world.staff_b).get("/api/v1/news").json()["items"]] == []
