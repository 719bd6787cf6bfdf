from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _declare_audit_words() -> None:
    from renda.accounts import events

    events.register_events(
        {
            "notices.notice.post": _("Notice posted"),
            "notices.notice.read": _("Notice read"),
            "notices.notice.withdraw": _("Notice withdrawn"),
        }
    )


def _home_card(user) -> dict:
    from .selectors import home_card

    return home_card(user)


def _register() -> None:
    """The board in the menu, the home card (unread notices; staff: their latest with who has not
    read them) and the API."""
    from renda.core import registry
    from renda.core.roles import ADMINISTRATOR_ROLES, Role

    from . import permissions as may
    from .api import router

    registry.menu.add(
        registry.MenuEntry(
            code="notices.board",
            label=_("Notice board"),
            url_name="notices:board",
            order=350,
            visible=may.may_view_board,
        )
    )
    registry.home_cards.add(
        registry.HomeCard(
            code="notices.card",
            template="notices/home_card.html",
            roles=frozenset(set(Role.values) - set(ADMINISTRATOR_ROLES)),
            order=80,
            context=_home_card,
        )
    )
    registry.api_routers.add(registry.ApiRouter(code="notices", prefix="/", router=router, order=450))


class NoticesConfig(AppConfig):
    name = "renda.notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        _declare_audit_words()
        _register()
