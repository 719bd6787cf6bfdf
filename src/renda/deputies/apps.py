from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from renda.accounts.roles import Role


def _home_mandates(user) -> dict:
    from .selectors import own_mandates

    return {"mandates": list(own_mandates(user))}


def _declare_audit_words() -> None:
    from renda.accounts import events

    from . import contributions
    from .models import MandateEventKind, MandateLevel

    events.register_events(
        {
            "deputies.person.create": _("Deputy added"),
            "deputies.person.update": _("Deputy changed"),
            "deputies.mandate.create": _("Mandate added"),
            "deputies.mandate.update": _("Mandate changed"),
            "deputies.mandate_event.create": _("Mandate event recorded"),
            "deputies.liaison.create": _("Liaison added"),
            "deputies.liaison.delete": _("Liaison removed"),
            "deputies.voter_contact.create": _("Voter contact recorded"),
            "deputies.voter_contact.update": _("Voter contact changed"),
            "deputies.voter_contact.delete": _("Voter contact removed"),
            "deputies.settings.update": _("Points settings changed"),
            "deputies.point_rule.initialise": _("Points rules set up"),
            "deputies.point_rule.create": _("Points rule added"),
            "deputies.point_rule.update": _("Points rule changed"),
            "deputies.points.recompute": _("Points recomputed"),
            "deputies.point_contest.create": _("Points contested"),
            "deputies.point_contest.accept": _("Points contest accepted"),
            "deputies.point_contest.reject": _("Points contest rejected"),
            "deputies.roster.import_upload": _("Roster file uploaded"),
            "deputies.roster.import_mapping": _("Roster columns mapped"),
            "deputies.roster.import_confirm": _("Roster import confirmed"),
            "deputies.roster.import_cancel": _("Roster import cancelled"),
            "deputies.roster.import": _("Roster imported"),
            "deputies.duty.create": _("Other duty recorded"),
            "deputies.duty.update": _("Other duty changed"),
            "deputies.duty.delete": _("Other duty removed"),
            "deputies.person.id_elsewhere": _("ID number found recorded by another township"),
            "export.deputies.roster": _("Roster exported"),
            "export.deputies.composition": _("Composition exported"),
            "export.deputies.archive": _("Deputy archive exported"),
            "export.deputies.archive.own": _("Own archive exported"),
        }
    )
    event_kinds = MandateEventKind.choices
    export_kinds = [
        ("deputies.roster", _("Roster")),
        ("deputies.composition", _("Composition")),
        ("deputies.archive", _("Deputy archive")),
        ("deputies.archive.own", _("Own archive")),
    ]

    def kind_words():
        return [*event_kinds, *export_kinds, *((k.code, k.label) for k in contributions.kinds())]

    events.register_details(
        {
            "kind": events.Detail(_("Kind"), kind_words),
            "kinds": events.Detail(_("Kinds"), kind_words),
            "start": events.Detail(_("Start"), event_kinds),
            "level": events.Detail(_("Level"), MandateLevel.choices),
            "date": _("Date"),
            "document": _("Document number"),
            "leader": _("Leader"),
            "amount": _("Points"),
            "cap": _("Yearly cap"),
            "corrected": _("Corrected points"),
            "created": _("Created"),
            "updated": _("Updated"),
            "deleted": _("Deleted"),
            "entries": _("Entries"),
            "partial": _("Some mandates only"),
            "year": _("Year"),
            "new_people": _("New people"),
            "term": _("Term"),
            "columns": _("Columns"),
            "file": _("File"),
            "changes": _("Changes"),
        }
    )


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from renda.core import registry

        from . import permissions as may
        from .api import router
        from .records import register_own_kinds

        register_own_kinds()
        _declare_audit_words()
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
