"""A throwaway capability that plugs into the menu, the home page, the API, the archive and the
points through the registries alone (tests/test_plugins.py); no other app's file names it."""

from decimal import Decimal

from django.apps import AppConfig

from renda.accounts.roles import Role

STAFF = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


def _is_township_staff(user) -> bool:
    return user.role == Role.TOWNSHIP_STAFF


def _home_card(user) -> dict:
    from renda.accounts.scoping import VIEW, scoped
    from renda.deputies.models import Mandate

    from .models import Visit

    return {"visits": Visit.objects.filter(mandate__in=scoped(Mandate, user, VIEW)).count()}


class PluginProbeConfig(AppConfig):
    name = "tests.plugin_probe"
    label = "plugin_probe"

    def ready(self) -> None:
        from renda.core import registry
        from renda.deputies.contributions import ArchiveSection, RecordKind, register, register_section

        from .api import router
        from .models import Visit
        from .records import visits

        registry.menu.add(
            registry.MenuEntry(
                code="plugin_probe.visits",
                label="接待来访",
                url_name="api:plugin_probe_visits",
                order=500,
                visible=_is_township_staff,
            )
        )
        registry.home_cards.add(
            registry.HomeCard(
                code="plugin_probe.visits",
                template="plugin_probe/home_card.html",
                roles=frozenset({Role.TOWNSHIP_STAFF}),
                order=500,
                context=_home_card,
            )
        )
        registry.api_routers.add(registry.ApiRouter(code="plugin_probe", prefix="/probe", router=router, order=500))
        register_section(ArchiveSection(code="plugin_probe.reception", label="接待来访记录", order=150))
        register(
            RecordKind(
                code="plugin_probe.visit",
                label="接待选民",
                records=visits,
                section="plugin_probe.reception",
                default_points=Decimal(2),
                models=(Visit,),
                audience=STAFF,
            )
        )
