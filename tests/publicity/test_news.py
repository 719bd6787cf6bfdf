"""News items and deputies' profiles: written and submitted by the township, put on the public page
and taken off by the county administrator; a profile without the deputy's consent never goes public;
sent to a medium and recorded as published (an article to confirm); the public page needs no login
and shows nothing personal beyond the deputy's name."""

from datetime import date

import pytest

from renda.accounts.models import AuditEntry
from renda.publicity import services
from renda.publicity.models import Article, NewsItem
from tests.publicity import helpers

pytestmark = pytest.mark.django_db


def test_lifecycle_from_draft_to_public_page_and_back(client_for, world):
    client = client_for(world.staff_a)
    response = client.post(
        "/publicity/news/new/",
        {
            "township": world.township_a.pk,
            "kind": "work_news",
            "title": "甲镇人大开展代表接待日活动",
            "body": "代表们接待选民二十余人次。",
            "photo": helpers.png(),
        },
    )
    item = NewsItem.objects.unscoped().get(title="甲镇人大开展代表接待日活动")
    assert response.status_code == 302 and item.state == "draft" and item.photo
    assert client.post(f"/publicity/news/{item.uuid}/submit/").status_code == 302
    item.refresh_from_db()
    assert item.state == "submitted"
    # Staff may not put it on the public page.
    assert client.post(f"/publicity/news/{item.uuid}/publish/").status_code == 403

    admin = client_for(world.county_admin)
    admin.post(f"/publicity/news/{item.uuid}/publish/")
    item.refresh_from_db()
    assert item.state == "public" and item.published_at is not None

    client.logout()
    public = f"/public/{world.county.uuid}/"
    assert "甲镇人大开展代表接待日活动" in client.get(public).content.decode()
    assert client.get(f"{public}{item.uuid}/").status_code == 200
    assert client.get(f"{public}{item.uuid}/photo/").status_code == 200

    admin = client_for(world.county_admin)
    admin.post(f"/publicity/news/{item.uuid}/withdraw/")
    item.refresh_from_db()
    assert item.state == "withdrawn"
    client.logout()
    assert "甲镇人大开展代表接待日活动" not in client.get(public).content.decode()
    assert client.get(f"{public}{item.uuid}/").status_code == 404
    assert client.get(f"{public}{item.uuid}/photo/").status_code == 404
    # Selected again.
    services.news_publish(item=item, actor=world.county_admin)
    assert client.get(f"{public}{item.uuid}/").status_code == 200
    events = set(AuditEntry.objects.filter(event__startswith="publicity.news").values_list("event", flat=True))
    assert {
        "publicity.news.create",
        "publicity.news.submit",
        "publicity.news.publish",
        "publicity.news.withdraw",
    } <= events


def test_public_page_needs_no_login_and_shows_only_public_items(client, world):
    helpers.item(world, title="公开的动态", public=True)
    draft = helpers.item(world, title="草稿动态")
    submitted = services.news_submit(item=helpers.item(world, title="已报送动态"), actor=world.staff_a)
    helpers.item(world, township=world.township_b, title="乙镇公开动态", public=True)
    page = client.get(f"/public/{world.county.uuid}/").content.decode()
    assert "公开的动态" in page and "乙镇公开动态" in page
    assert "草稿动态" not in page and "已报送动态" not in page
    for row in (draft, submitted):
        assert client.get(f"/public/{world.county.uuid}/{row.uuid}/").status_code == 404
    # Filters by township and kind.
    page = client.get(f"/public/{world.county.uuid}/?township={world.township_b.uuid}").content.decode()
    assert "乙镇公开动态" in page and "公开的动态" not in page
    page = client.get(f"/public/{world.county.uuid}/?kind=deputy_profile").content.decode()
    assert "公开的动态" not in page
    # Another county's page does not show this county's items; an unknown county is 404.
    assert "公开的动态" not in client.get(f"/public/{world.other_county.uuid}/").content.decode()
    assert client.get("/public/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get(f"/public/{world.county.uuid}/?page=x&kind=<script>").status_code == 200


def test_profile_shows_the_deputys_name_and_nothing_personal(client, world):
    person = world.person_a
    item = helpers.item(world, kind="deputy_profile", title="代表风采：扎根基层", public=True, photo=helpers.png())
    page = client.get(f"/public/{world.county.uuid}/{item.uuid}/").content.decode()
    assert person.full_name in page and "甲镇" in page
    for personal in ("13912345678", person.id_number, "11010519491231002X"):
        assert personal not in page
    if person.address:
        assert person.address not in page


def test_profile_without_consent_never_goes_public(client_for, world):
    item = helpers.item(world, kind="deputy_profile", title="未同意的风采", consent=False)
    services.news_submit(item=item, actor=world.staff_a)
    admin = client_for(world.county_admin)
    response = admin.post(f"/publicity/news/{item.uuid}/publish/", follow=True)
    assert "代表尚未同意公开" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "submitted"


def test_profile_needs_a_deputy_of_the_township_and_the_form_keeps_input(client_for, world):
    client = client_for(world.staff_a)
    response = client.post(
        "/publicity/news/new/",
        {"township": world.township_a.pk, "kind": "deputy_profile", "title": "保留的风采标题", "body": "正文"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "请选择风采介绍的代表" in page and "保留的风采标题" in page
    # Another township's deputy is refused (not a choice for township A's staff).
    response = client.post(
        "/publicity/news/new/",
        {
            "township": world.township_a.pk,
            "kind": "deputy_profile",
            "title": "保留的风采标题",
            "body": "正文",
            "mandate": world.mandate_b.pk,
        },
    )
    assert response.status_code == 200 and not NewsItem.objects.unscoped().exists()
    # A bad photo.
    response = client.post(
        "/publicity/news/new/",
        {
            "township": world.township_a.pk,
            "kind": "work_news",
            "title": "保留",
            "body": "正文",
            "photo": helpers.pdf("a.pdf"),
        },
    )
    assert "照片只接受 JPG 或 PNG 格式" in response.content.decode()


def test_sent_to_media_and_recorded_as_published_becomes_an_article(client_for, world):
    item = helpers.item(world, title="甲镇代表视察水利工程")
    client = client_for(world.staff_a)
    assert (
        client.post(f"/publicity/news/{item.uuid}/media/", {"medium": "龙游通", "sent_on": "2026-03-01"}).status_code
        == 302
    )
    response = client.post(
        f"/publicity/news/{item.uuid}/published/",
        {"medium": "龙游通", "level": "county", "published_on": "2026-03-03", "link": ""},
    )
    article = Article.objects.unscoped().get(news_item=item)
    assert response.status_code == 302 and article.title == "甲镇代表视察水利工程" and article.state == "submitted"
    assert (article.medium, article.level, article.published_on) == ("龙游通", "county", date(2026, 3, 3))
    assert AuditEntry.objects.filter(event="publicity.news.media").exists()


def test_scope_of_news_pages(client_for, world):
    own = helpers.item(world, title="甲镇动态", photo=helpers.png())
    other = helpers.item(world, township=world.township_b, title="乙镇动态")
    page = client_for(world.staff_a).get("/publicity/news/").content.decode()
    assert "甲镇动态" in page and "乙镇动态" not in page
    staff = client_for(world.staff_a)
    for url in (
        f"/publicity/news/{other.uuid}/",
        f"/publicity/news/{other.uuid}/edit/",
        f"/publicity/news/{other.uuid}/media/",
    ):
        assert staff.get(url).status_code == 404
    assert staff.post(f"/publicity/news/{other.uuid}/submit/").status_code == 404
    assert client_for(world.other_county_admin).get(f"/publicity/news/{own.uuid}/").status_code == 404
    for username in ("deputy_a", "handler_x"):
        client = client_for(world.users[username])
        assert client.get("/publicity/news/").status_code == 403
        assert client.get(f"/publicity/news/{own.uuid}/photo/").status_code == 404
    # The staff's photo is audited; a draft's photo is not public.
    assert client_for(world.staff_a).get(f"/publicity/news/{own.uuid}/photo/").status_code == 200
    assert AuditEntry.objects.filter(event="export.publicity.photo").exists()
    client = client_for(world.staff_a)
    client.logout()
    assert client.get(f"/public/{world.county.uuid}/{own.uuid}/photo/").status_code == 404


def test_home_card_for_the_county_administrator(client_for, world):
    services.news_submit(item=helpers.item(world), actor=world.staff_a)
    helpers.article(world, confirm=False)
    page = client_for(world.county_admin).get("/").content.decode()
    assert "1 篇稿件待确认" in page and "1 条宣传信息已报送" in page
    assert "publicity-card" not in client_for(world.staff_a).get("/").content.decode()


def test_lists_queries_are_bounded(client, client_for, world, django_assert_max_num_queries):
    for n in range(30):
        helpers.item(world, kind="deputy_profile" if n % 3 == 0 else "work_news", title=f"动态{n}", public=n % 2 == 0)
    staff = client_for(world.county_admin)
    with django_assert_max_num_queries(14):
        assert staff.get("/publicity/news/").status_code == 200
    client.logout()
    with django_assert_max_num_queries(6):
        assert client.get(f"/public/{world.county.uuid}/").status_code == 200
