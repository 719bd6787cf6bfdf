from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from renda.accounts.roles import Role


def _reads_the_roster(user) -> bool:
    """Staff, leaders and the county read the roster and the points; a deputy has their own page."""
    from renda.accounts.scoping import VIEW, role_may

    from .models import Person

    return user.role != Role.DEPUTY and role_may(user, VIEW, Person)


def _is_deputy(user) -> bool:
    return user.role == Role.DEPUTY


def _home_mandates(user) -> dict:
    from .selectors import own_mandates

    return {"mandates": list(own_mandates(user))}


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from renda.core import registry

        from .api import router
        from .records import register_own_kinds

        register_own_kinds()
        for code, label, url_name, order, visible in (
            ("deputies.roster", _("Deputies"), "deputies:roster", 200, _reads_the_roster),
            ("deputies.leaderboard", _("Points"), "deputies:leaderboard", 210, _reads_the_roster),
            ("deputies.my_work", _("My work"), "deputies:my_work", 220, _is_deputy),
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
