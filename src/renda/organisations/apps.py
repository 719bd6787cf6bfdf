from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from renda.accounts.roles import Role


def _home_agency(user) -> dict:
    return {"agency": user.agency}


def _home_terms_ending(user) -> dict:
    from django.utils import timezone

    from .selectors import terms_ending_soon

    return {"ending_soon": terms_ending_soon(user, today=timezone.localdate())}


def _declare_audit_words() -> None:
    from django.utils.text import format_lazy

    from renda.accounts import events

    from .models import Agency, DeputyGroup, Station, Term, Township

    verbs = {
        "create": _("{unit} added"),
        "update": _("{unit} changed"),
        "activate": _("{unit} reactivated"),
        "deactivate": _("{unit} deactivated"),
    }
    events.register_events(
        {
            f"organisations.{model._meta.model_name}.{verb}": format_lazy(label, unit=model._meta.verbose_name)
            for model in (Township, Station, DeputyGroup, Agency, Term)
            for verb, label in verbs.items()
        }
        | {
            "organisations.county.create": _("County set up"),
            "organisations.county.township_terms": _("Township staff's own terms allowed or stopped"),
            "organisations.township.import": _("Townships loaded from the division codes"),
        }
    )
    events.register_details({"allowed": _("Allowed"), "coded": _("From division codes")})


class OrganisationsConfig(AppConfig):
    name = "renda.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from renda.core import registry

        from . import permissions as may
        from . import selectors
        from .api import router

        _declare_audit_words()

        registry.menu.add(
            registry.MenuEntry(
                code="organisations.index",
                label=_("Organisations"),
                url_name="organisations:index",
                order=100,
                visible=may.may_view_organisations,
            )
        )
        registry.menu.add(
            registry.MenuEntry(
                code="organisations.agencies",
                label=_("Agencies"),
                url_name="organisations:agency_list",
                order=300,
                visible=may.may_view_agencies,
            )
        )
        registry.menu.add(
            registry.MenuEntry(
                code="organisations.counties",
                label=_("Counties"),
                url_name="organisations:county_list",
                order=310,
                visible=may.may_set_up_county,
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
