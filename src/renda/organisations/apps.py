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

        for code, label, url_name, order, visible in (
            ("organisations.index", _("Organisations"), "organisations:index", 100, may.may_view_organisations),
            ("organisations.agencies", _("Agencies"), "organisations:agency_list", 300, may.may_view_agencies),
            ("organisations.counties", _("Counties"), "organisations:county_list", 310, may.may_set_up_county),
        ):
            registry.menu.add(
                registry.MenuEntry(code=code, label=label, url_name=url_name, order=order, visible=visible)
            )
        county_and_township = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.LEADER})
        for code, template, roles, order, context in (
            (
                "organisations.terms_ending",
                "organisations/home_terms_ending.html",
                county_and_township,
                90,
                _home_terms_ending,
            ),
            (
                "organisations.townships",
                "organisations/home_townships.html",
                county_and_township,
                100,
                selectors.home_overview,
            ),
            (
                "organisations.agency",
                "organisations/home_agency.html",
                frozenset({Role.AGENCY_HANDLER}),
                100,
                _home_agency,
            ),
        ):
            registry.home_cards.add(
                registry.HomeCard(code=code, template=template, roles=roles, order=order, context=context)
            )
        registry.api_routers.add(registry.ApiRouter(code="organisations", prefix="/", router=router, order=100))
