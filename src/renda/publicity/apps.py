from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _declare_audit_words() -> None:
    """Every change (services.py) and every download or export (views.py) of publicity."""
    from django.utils.text import format_lazy

    from renda.accounts import events

    from .models import MediaLevel, NewsKind

    events.register_events(
        {
            "publicity.news.create": _("News item written"),
            "publicity.news.update": _("News item changed"),
            "publicity.news.submit": _("News item submitted to the county"),
            "publicity.news.publish": _("News item put on the public page"),
            "publicity.news.withdraw": _("News item taken off the public page"),
            "publicity.news.media": _("News item sent to a medium"),
            "publicity.article.register": _("Article in the media registered"),
            "publicity.article.update": _("Article in the media corrected"),
            "publicity.article.confirm": _("Article in the media confirmed"),
            "publicity.article.reject": _("Article in the media rejected"),
            "export.publicity.photo": _("News item photo viewed"),
            "export.publicity.scan": _("Article scan viewed"),
            "export.publicity.articles": format_lazy("{}：{}", _("Exported"), _("Articles in the media per township")),
        }
    )
    # "kind", "reason", "file", "rows", "townships" are declared already; "kind" gets our words.
    events.register_details(
        {
            "kind": events.Detail(
                _("Kind"), [*NewsKind.choices, ("publicity.articles", _("Articles in the media per township"))]
            ),
            "media_level": events.Detail(_("Media level"), MediaLevel.choices),
            "medium": _("Medium"),
            "news_item": _("News item"),
            "resubmitted": _("Submitted again"),
        }
    )


def _register() -> None:
    """The menu entries 宣传 and 用稿, the county administrator's home card, the API router and the
    assessment's measures."""
    from renda.accounts.roles import Role
    from renda.core import registry

    from . import permissions as may
    from .api import router
    from .measures import register_measures
    from .views import home_county

    for code, label, url_name, order, visible in (
        ("publicity.news", _("Publicity"), "publicity:news", 470, may.may_view_news),
        ("publicity.articles", _("Articles in the media"), "publicity:articles", 475, may.may_view_articles),
    ):
        registry.menu.add(registry.MenuEntry(code=code, label=label, url_name=url_name, order=order, visible=visible))
    registry.home_cards.add(
        registry.HomeCard(
            code="publicity.county",
            template="publicity/home_county.html",
            roles=frozenset({Role.COUNTY_ADMIN}),
            order=150,
            context=home_county,
        )
    )
    registry.api_routers.add(registry.ApiRouter(code="publicity", prefix="/", router=router, order=470))
    register_measures()


class PublicityConfig(AppConfig):
    """Publicity (宣传): townships' work news and deputies' profiles, the county's public page, and
    the articles published in the media (用稿) that the assessment counts."""

    name = "renda.publicity"
    verbose_name = _("Publicity")

    def ready(self) -> None:
        _declare_audit_words()
        _register()
