"""The demo county's publicity (宣传与用稿).

Every township gets 10–25 news items over the past year — work news about sessions, inspections and
reception days, and a few deputies' profiles written with the deputy's consent — of which about half
were submitted and a selection is on the county's public page (one withdrawn). Each township has
3–8 articles in the media, mostly county and city level, a few provincial, and one or two national
articles in the county; mostly confirmed, a few awaiting confirmation, one rejected with a reason,
some recorded from a news item the medium published. Called by ``seed_demo`` as
``seed_publicity(county, rng)``; deterministic for a seed; dates relative to the day it runs.
Rows are written in bulk (no audit entries, as for the other seeded history)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.deputies.models import Mandate, MandateLevel
from renda.deputies.selectors import serving_on
from renda.organisations.models import County, Township
from renda.publicity.models import Article, ArticleState, MediaLevel, NewsItem, NewsKind, NewsState

WORK_NEWS = [
    ("{t}召开人民代表大会会议", "{t}第{n}次人民代表大会会议召开，代表们听取审议了政府工作报告，票决了民生实事项目。"),
    ("{t}人大组织代表视察农村公路建设", "代表们实地察看了农村公路建设和养护情况，提出了加强路面维护的建议。"),
    ("{t}开展“代表接待日”活动", "代表在联络站接待选民，收集到道路、饮水、养老等方面的意见建议，现场答复一批。"),
    ("{t}人大主席团召开会议", "会议研究了本季度代表活动安排，听取了民生实事项目推进情况汇报。"),
    ("{t}人大开展代表集中学习", "代表们集中学习了代表法和地方组织法，交流了履职体会。"),
    ("{t}人大组织代表开展执法检查", "代表们对食品安全法贯彻实施情况开展检查，走访了农贸市场和餐饮单位。"),
    ("{t}代表小组开展专题调研", "代表小组围绕农村养老服务开展调研，形成调研报告并提出建议。"),
    ("{t}人大开展站所评议", "代表对镇属站所进行满意度测评，并对评议中发现的问题提出整改要求。"),
]
PROFILES = [
    "扎根基层二十年，{name}代表牵头建起村级养老服务站。",
    "{name}代表坚持每月进站接待选民，推动解决村道硬化等实事。",
    "{name}代表带领村民发展特色种植，带动增收致富。",
]
MEDIA = {
    MediaLevel.COUNTY: ["龙游通", "今日龙游", "龙游县融媒体中心"],
    MediaLevel.CITY: ["衢州日报", "衢州新闻网", "衢州发布"],
    MediaLevel.PROVINCIAL: ["浙江日报", "浙江人大", "潮新闻"],
    MediaLevel.NATIONAL: ["人民日报", "中国人大网"],
}


def _when(today: date, rng: random.Random) -> date:
    return today - timedelta(days=rng.randint(3, 360))


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45)))))


def seed_publicity(county: County, rng: random.Random, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    townships = list(Township.objects.for_county(county).order_by("division_code", "id"))
    staff = {
        user.township_id: user
        for user in User.objects.unscoped().filter(role=Role.TOWNSHIP_STAFF, township__in=townships).order_by("id")
    }
    admin = User.objects.unscoped().filter(role=Role.COUNTY_ADMIN, county=county).order_by("id").first()
    mandates: dict[int, list[Mandate]] = {}
    for mandate in (
        Mandate.objects.unscoped()
        .filter(serving_on(today), level=MandateLevel.TOWNSHIP, person__township__in=townships)
        .select_related("person")
        .order_by("id")
    ):
        mandates.setdefault(mandate.person.township_id, []).append(mandate)

    items: list[NewsItem] = []
    for township in townships:
        author = staff.get(township.pk)
        short = township.name
        for index in range(rng.randint(10, 25)):
            day = _when(today, rng)
            deputies = mandates.get(township.pk, [])
            if deputies and rng.random() < 0.15:
                mandate = rng.choice(deputies)
                name = mandate.person.full_name
                kind, title = NewsKind.DEPUTY_PROFILE, f"代表风采：{name}"
                body = rng.choice(PROFILES).format(name=name)
            else:
                mandate = None
                title, body = rng.choice(WORK_NEWS)
                kind, title, body = NewsKind.WORK_NEWS, title.format(t=short), body.format(t=short, n=index % 3 + 1)
            roll = rng.random()
            state = NewsState.DRAFT if roll < 0.2 else NewsState.SUBMITTED if roll < 0.55 else NewsState.PUBLIC
            item = NewsItem(
                county=county,
                township=township,
                kind=kind,
                title=title,
                body=body,
                mandate=mandate,
                consent=mandate is not None,
                state=state,
                created_by=author,
            )
            if state != NewsState.DRAFT:
                item.submitted_at = _at(day, rng)
            if state == NewsState.PUBLIC:
                item.published_at = _at(min(day + timedelta(days=rng.randint(0, 2)), today), rng)
            if rng.random() < 0.3:
                item.sent_to_medium = rng.choice(MEDIA[MediaLevel.COUNTY] + MEDIA[MediaLevel.CITY])
                item.sent_on = day
            items.append(item)
    # One item taken off the public page again.
    public = [item for item in items if item.state == NewsState.PUBLIC]
    if public:
        rng.choice(public).state = NewsState.WITHDRAWN
    NewsItem.objects.bulk_create(items)

    articles: list[Article] = []
    national_left = rng.randint(1, 2)
    for township in townships:
        author = staff.get(township.pk)
        sent = [item for item in items if item.township_id == township.pk and item.sent_to_medium]
        for _n in range(rng.randint(3, 8)):
            roll = rng.random()
            level = MediaLevel.COUNTY if roll < 0.45 else MediaLevel.CITY if roll < 0.85 else MediaLevel.PROVINCIAL
            if national_left and rng.random() < 0.1:
                level, national_left = MediaLevel.NATIONAL, national_left - 1
            source = sent.pop() if sent and rng.random() < 0.5 else None
            day = (
                min((source.sent_on or today) + timedelta(days=rng.randint(1, 5)), today)
                if source
                else _when(today, rng)
            )
            title = source.title if source else rng.choice(WORK_NEWS)[0].format(t=township.name)
            article_state = ArticleState.CONFIRMED if rng.random() < 0.8 else ArticleState.SUBMITTED
            article = Article(
                county=county,
                township=township,
                title=title,
                medium=source.sent_to_medium if source else rng.choice(MEDIA[level]),
                level=level,
                published_on=day,
                link=f"https://news.example.cn/{township.division_code}/{day:%Y%m%d}{_n}",
                state=article_state,
                news_item=source,
                created_by=author,
            )
            if article_state == ArticleState.CONFIRMED:
                article.decided_by, article.decided_at = admin, _at(min(day + timedelta(days=3), today), rng)
            articles.append(article)
    if national_left and articles:
        # The county's national article(s), if chance gave none.
        for article in rng.sample(articles, min(national_left, len(articles))):
            article.level, article.medium = MediaLevel.NATIONAL, rng.choice(MEDIA[MediaLevel.NATIONAL])
    submitted = [a for a in articles if a.state == ArticleState.SUBMITTED]
    if submitted:
        rejected = rng.choice(submitted)
        rejected.state, rejected.decided_by = ArticleState.REJECTED, admin
        rejected.decided_at = _at(today, rng)
        rejected.decision_note = "链接无法打开，请补充版面扫描件后重新报送。"
    Article.objects.bulk_create(articles)
    return {"news": len(items), "articles": len(articles)}
