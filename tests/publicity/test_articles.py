"""Articles in the media (用稿): township staff register and correct them, the county
administrator confirms or rejects (with a reason); totals by level with points; the year's Excel;
township staff see only their township, deputies and handlers nothing, another county 404."""

from datetime import date

import pytest
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.publicity import services
from renda.publicity.models import Article
from tests.publicity import helpers

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {
        "township": "",
        "title": "甲镇代表走访企业",
        "medium": "衢州日报",
        "level": "city",
        "published_on": "2026-03-02",
        "link": "https://example.com/news/1",
    }
    return {**data, **extra}


def test_register_confirm_reject_and_resubmit(client_for, world):
    client = client_for(world.staff_a)
    response = client.post("/publicity/articles/new/", _form(township=world.township_a.pk, scan=helpers.pdf()))
    article = Article.objects.unscoped().get(title="甲镇代表走访企业")
    assert response.status_code == 302 and article.state == "submitted" and article.township == world.township_a
    assert article.scan_name == "版面.pdf" and not article.scan.name.endswith("版面.pdf")  # a random stored name
    # The scan is downloaded through the scope, audited.
    assert client.get(f"/publicity/articles/{article.uuid}/scan/").status_code == 200
    assert AuditEntry.objects.filter(event="export.publicity.scan").exists()
    # Staff may not decide.
    assert client.post(f"/publicity/articles/{article.uuid}/confirm/").status_code == 403

    admin = client_for(world.county_admin)
    page = admin.post(f"/publicity/articles/{article.uuid}/reject/", {"reason": "", "version": article.version})
    assert page.status_code == 200 and "请填写驳回的理由" in page.content.decode()
    admin.post(f"/publicity/articles/{article.uuid}/reject/", {"reason": "链接打不开", "version": article.version})
    article.refresh_from_db()
    assert article.state == "rejected" and article.decision_note == "链接打不开"

    # The township corrects it: submitted again.
    client = client_for(world.staff_a)
    page = client.get(f"/publicity/articles/{article.uuid}/edit/").content.decode()
    assert "链接打不开" in page
    data = _form(link="https://example.com/news/2", version=article.version)
    data.pop("township")
    assert client.post(f"/publicity/articles/{article.uuid}/edit/", data).status_code == 302
    article.refresh_from_db()
    assert article.state == "submitted" and article.link.endswith("/2")

    admin = client_for(world.county_admin)
    assert admin.post(f"/publicity/articles/{article.uuid}/confirm/").status_code == 302
    article.refresh_from_db()
    assert article.state == "confirmed" and article.decided_by == world.county_admin
    # Confirmed: no longer editable.
    assert client_for(world.staff_a).get(f"/publicity/articles/{article.uuid}/edit/").status_code == 403
    events = set(AuditEntry.objects.filter(event__startswith="publicity.article").values_list("event", flat=True))
    assert events == {
        "publicity.article.register",
        "publicity.article.reject",
        "publicity.article.update",
        "publicity.article.confirm",
    }


def test_bad_input_gives_chinese_errors_and_keeps_the_input(client_for, world):
    client = client_for(world.staff_a)
    fake = helpers.png("版面.pdf")  # a PNG pretending to be a PDF
    response = client.post(
        "/publicity/articles/new/",
        _form(township=world.township_a.pk, title="保留的标题", link="ftp://x", scan=fake),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "保留的标题" in page
    assert not Article.objects.unscoped().exists()
    response = client.post(
        "/publicity/articles/new/",
        _form(township=world.township_a.pk, title="保留的标题", scan=helpers.png("x.exe")),
    )
    page = response.content.decode()
    assert "扫描件只接受 PDF、JPG 或 PNG 文件" in page and "保留的标题" in page
    response = client.post(
        "/publicity/articles/new/",
        _form(township=world.township_a.pk, title="保留的标题", scan=helpers.png("版面.pdf")),
    )
    assert "文件内容与类型不符" in response.content.decode()
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    response = client.post("/publicity/articles/new/", _form(township=world.township_a.pk, published_on=future))
    assert "刊发日期不能晚于今天" in response.content.decode()
    response = client.post("/publicity/articles/new/", _form(township=world.township_a.pk, level="moon"))
    assert "请选择媒体级别" in response.content.decode()


def test_totals_by_level_count_points_of_confirmed_articles(client_for, world, settings):
    settings.RENDA_ARTICLE_POINTS = {"county": 0.5, "city": 1, "provincial": 2, "national": 3}
    year = timezone.localdate().year
    day = date(year, 1, 1)
    helpers.article(world, level="county", published_on=day)
    helpers.article(world, level="provincial", published_on=day)
    helpers.article(world, level="national", published_on=day, confirm=False)
    page = client_for(world.county_admin).get("/publicity/articles/").content.decode()
    assert "2.5" in page  # 0.5 + 2; the unconfirmed national article earns nothing yet


def test_township_staff_see_only_their_township_and_others_nothing(client_for, world):
    own = helpers.article(world, title="甲镇稿件")
    other = helpers.article(world, township=world.township_b, title="乙镇稿件")
    page = client_for(world.staff_a).get("/publicity/articles/?year=").content.decode()
    assert "甲镇稿件" in page and "乙镇稿件" not in page
    assert client_for(world.staff_a).get(f"/publicity/articles/{other.uuid}/").status_code == 404
    assert client_for(world.other_county_admin).get(f"/publicity/articles/{own.uuid}/").status_code == 404
    for username in ("deputy_a", "handler_x"):
        client = client_for(world.users[username])
        assert client.get("/publicity/articles/").status_code == 403
        assert client.get(f"/publicity/articles/{own.uuid}/").status_code == 404
    leader = client_for(world.leader)
    page = leader.get(f"/publicity/articles/{own.uuid}/").content.decode()
    assert "甲镇稿件" in page and "/confirm/" not in page


def test_year_export_per_township_and_level(client_for, world):
    year = timezone.localdate().year
    helpers.article(world, level="city", published_on=date(year, 1, 2))
    helpers.article(world, township=world.township_b, level="national", published_on=date(year, 1, 2))
    response = client_for(world.county_admin).get(f"/publicity/articles/export/?year={year}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = AuditEntry.objects.get(event="export.publicity.articles")
    assert sorted(entry.data["townships"]) == ["乙镇", "甲镇"]
    response = client_for(world.staff_a).get(f"/publicity/articles/export/?year={year}")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(event="export.publicity.articles").latest("id").data["townships"] == ["甲镇"]
    assert client_for(world.deputy_a).get("/publicity/articles/export/").status_code == 403


def test_article_list_queries_are_bounded(client_for, world, django_assert_max_num_queries):
    for n in range(40):
        helpers.article(world, title=f"稿件{n}", confirm=n % 2 == 0)
    client = client_for(world.county_admin)
    with django_assert_max_num_queries(14):
        assert client.get("/publicity/articles/?year=").status_code == 200


def test_service_refusals(world):
    row = helpers.article(world)
    with pytest.raises(services.Conflict):
        services.article_confirm(article=row, actor=world.county_admin)
    with pytest.raises(Exception, match="请填写驳回的理由"):
        services.article_reject(article=row, actor=world.county_admin, reason="  ")
