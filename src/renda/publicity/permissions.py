"""Named permission checks for publicity. Views, the API and templates call these, never
``user.role``; rows are still fetched through ``get_scoped_or_404`` (an outsider gets 404).

Who does what: township staff write their township's news and register its articles; the county
administrator does so for any township of the county, selects news for the public page and
confirms or rejects articles; leaders read; deputies and agency handlers see nothing here."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import Role, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import Article, ArticleState, NewsItem, NewsState

COUNTY = frozenset({Role.COUNTY_ADMIN})


def may_view_news(user: Any) -> bool:
    """The menu entry 宣传: staff, the county administrator, leaders."""
    return role_may(user, VIEW, NewsItem)


def may_view_articles(user: Any) -> bool:
    """The menu entry 用稿."""
    return role_may(user, VIEW, Article)


def may_write_news(user: Any) -> bool:
    return role_may(user, CHANGE, NewsItem)


def may_register_articles(user: Any) -> bool:
    return role_may(user, CHANGE, Article)


def may_edit_item(user: Any, item: NewsItem) -> bool:
    """Change the text: while it is not on the public page (withdraw it first)."""
    return item.state != NewsState.PUBLIC and can(user, CHANGE, item)


def may_submit_item(user: Any, item: NewsItem) -> bool:
    return item.state == NewsState.DRAFT and can(user, CHANGE, item)


def may_select_items(user: Any) -> bool:
    """Put items on the public page and take them off: the county administrator."""
    return has_role(user, COUNTY) and may_write_news(user)


def may_publish_item(user: Any, item: NewsItem) -> bool:
    return (
        may_select_items(user) and item.state in {NewsState.SUBMITTED, NewsState.WITHDRAWN} and can(user, CHANGE, item)
    )


def may_withdraw_item(user: Any, item: NewsItem) -> bool:
    return may_select_items(user) and item.state == NewsState.PUBLIC and can(user, CHANGE, item)


def may_record_media(user: Any, item: NewsItem) -> bool:
    """Record the item sent to a medium, and the article once it is published."""
    return can(user, CHANGE, item)


def may_edit_article(user: Any, article: Article) -> bool:
    """Correct an article while it awaits confirmation, or after it was rejected (then resubmitted)."""
    return article.state != ArticleState.CONFIRMED and can(user, CHANGE, article)


def may_decide_articles(user: Any) -> bool:
    return has_role(user, COUNTY) and may_register_articles(user)


def may_decide_article(user: Any, article: Article) -> bool:
    return may_decide_articles(user) and article.state == ArticleState.SUBMITTED and can(user, CHANGE, article)


def may_export_articles(user: Any) -> bool:
    """The year's 用稿统计 per township and level: whoever reads the articles (their own townships)."""
    return may_view_articles(user)


# The services check who may act on the row whatever its state, then the state itself: a step that
# does not fit the state is a conflict (409 from the API), not a refusal of the person.


def may_change_item(user: Any, item: NewsItem) -> bool:
    return can(user, CHANGE, item)


def may_select_item(user: Any, item: NewsItem) -> bool:
    return may_select_items(user) and can(user, CHANGE, item)


def may_change_article(user: Any, article: Article) -> bool:
    return can(user, CHANGE, article)


def may_decide_on(user: Any, article: Article) -> bool:
    return may_decide_articles(user) and can(user, CHANGE, article)
