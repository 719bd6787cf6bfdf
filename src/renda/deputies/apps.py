from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from renda.accounts.roles import Role


def _home_mandates(user) -> dict:
    from .selectors import own_mandates

    return {"mandates": list(own_mandates(user))}


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from renda.core import registry

        from . import permissions as may
        from .api import router
        from .records import register_own_kinds

        register_own_kinds()
        for code, label, url_name, order, visible in (
            ("deputies.roster", _("Deputies"), "deputies:roster", 200, may.may_browse_roster),
            ("deputies.leaderboard", _("Points"), "deputies:leaderboard", 210, may.may_browse_roster),
            ("deputies.my_work", _("My work"), "deputies:my_work", 220, may.may_view_own_work),
        ):
            registry.menu.add(
                registry.MenuEntry(code=code, label=label, url_name=url_name, order=order, visible=visible)
            )
        registry.home_cards.add(
            registry.HomeCard(
                code="deputies.mandates",
                template="deputies/home_mandates.html",
                roles=frozenset({Role.DEPUTY}),
                order=100,
                context=_home_mandates,
            )
        )
        registry.api_routers.add(registry.ApiRouter(code="deputies", prefix="/", router=router, order=200))
