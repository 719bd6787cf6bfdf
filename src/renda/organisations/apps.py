from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from renda.accounts.roles import Role


def _may_view_townships(user) -> bool:
    from renda.accounts.scoping import VIEW, role_may

    from .models import Township

    return role_may(user, VIEW, Township)


def _may_view_agencies(user) -> bool:
    from renda.accounts.scoping import VIEW, role_may

    from .models import Agency

    return role_may(user, VIEW, Agency)


def _is_system_admin(user) -> bool:
    return user.role == Role.SYSTEM_ADMIN


def _home_agency(user) -> dict:
    return {"agency": user.agency}


def _home_terms_ending(user) -> dict:
    from django.utils import timezone

    from .selectors import terms_ending_soon

    return {"ending_soon": terms_ending_soon(user, today=timezone.localdate())}


class OrganisationsConfig(AppConfig):
    name = "renda.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from renda.core import registry

        from . import selectors
        from .api import router

        registry.menu.add(
            registry.MenuEntry(
                code="organisations.index",
                label=_("Organisations"),
                url_name="organisations:index",
                order=100,
                visible=_may_view_townships,
            )
        )
        registry.menu.add(
            registry.MenuEntry(
                code="organisations.agencies",
                label=_("Agencies"),
                url_name="organisations:agency_list",
                order=300,
                visible=_may_view_agencies,
            )
        )
        registry.menu.add(
            registry.MenuEntry(
                code="organisations.counties",
                label=_("Counties"),
                url_name="organisations:county_list",
                order=310,
                visible=_is_system_admin,
            )
        )
        registry.home_cards.add(
            registry.HomeCard(
                code="organisations.townships",
                template="organisations/home_townships.html",
                roles=frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.LEADER}),
                order=100,
                context=selectors.home_overview,
            )
        )
        registry.home_cards.add(
            registry.HomeCard(
                code="organisations.terms_ending",
                template="organisations/home_terms_ending.html",
                roles=frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.LEADER}),
                order=90,
                context=_home_terms_ending,
            )
        )
        registry.home_cards.add(
            registry.HomeCard(
                code="organisations.agency",
                template="organisations/home_agency.html",
                roles=frozenset({Role.AGENCY_HANDLER}),
                order=100,
                context=_home_agency,
            )
        )
        registry.api_routers.add(registry.ApiRouter(code="organisations", prefix="/", router=router, order=100))
