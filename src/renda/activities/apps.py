from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _declare_audit_words() -> None:
    """The activity lifecycle's events (services.py); each area declares its own beside it."""
    from renda.accounts import events

    from .models import ActivityCategory, SigninMethod

    events.register_events(
        {
            "activities.activity.create": _("Activity planned"),
            "activities.activity.update": _("Activity plan changed"),
            "activities.activity.cancel": _("Activity cancelled"),
            "activities.activity.notify": _("Activity notice sent"),
            "activities.activity.held": _("Activity recorded as held"),
            "activities.activity.minutes": _("Activity minutes saved"),
            "activities.participants.set": _("Activity participants chosen"),
            "activities.participant.sign_in": _("Signed in at an activity"),
            "activities.participant.undo": _("Activity sign-in withdrawn"),
            "activities.leave.request": _("Leave from an activity requested"),
            "activities.leave.decide": _("Leave from an activity decided"),
            "activities.signin_code.withdraw": _("Activity sign-in code withdrawn"),
        }
    )
    # "kind", "via", "count", "fields", "reason", "deputy", "approved", "on_time", "due_by", "present",
    # "absent", "starts" are declared already (meetings, casework); "kind" and "via" get our words.
    events.register_details(
        {
            "kind": events.Detail(_("Kind"), ActivityCategory.choices),
            "via": events.Detail(_("Through"), SigninMethod.choices),
        }
    )


def _register_findings() -> None:
    """Photos, findings and documents: their parts of the activity page, their audit words, the
    county's activity types in the menu, and the activities API."""
    from django.utils.text import format_lazy

    from renda.accounts import events
    from renda.core import registry

    from . import views_findings
    from .api import router
    from .permissions import may_manage_types
    from .sections import parts

    events.register_events(
        {
            "activities.photo.add": _("Activity photo added"),
            "activities.photo.delete": _("Activity photo deleted"),
            "export.activities.photo": _("Activity photo viewed"),
            "activities.finding.add": _("Activity finding recorded"),
            "activities.finding.to_case": _("Activity finding turned into a case"),
            "activities.type.add": _("Activity type added"),
            "activities.type.rename": _("Activity type renamed"),
            "activities.type.retire": _("Activity type no longer offered"),
            "activities.type.offer": _("Activity type offered again"),
            "activities.type.move": _("Activity type moved"),
        }
    )
    export_kinds = [
        ("activities.notice", _("Activity notice")),
        ("activities.signin_sheet", _("Activity sign-in sheet")),
    ]
    events.register_events(
        {f"export.{code}": format_lazy("{}：{}", _("Exported"), label) for code, label in export_kinds}
    )
    events.register_details({"kind": events.Detail(_("Kind"), export_kinds)})
    for code, label, template, order, context in (
        ("photos", _("Photos"), "activities/photos/part.html", 500, views_findings.photos_part),
        ("findings", _("Findings"), "activities/findings/part.html", 600, views_findings.findings_part),
        ("documents", _("Documents"), "activities/findings/documents_part.html", 700, views_findings.documents_part),
    ):
        parts.add(registry.PagePart(code=code, label=label, template=template, order=order, context=context))
    registry.menu.add(
        registry.MenuEntry(
            code="activities.types",
            label=_("Activity types"),
            url_name="activities:types",
            order=995,
            visible=may_manage_types,
        )
    )
    registry.api_routers.add(registry.ApiRouter(code="activities", prefix="/", router=router, order=450))


class ActivitiesConfig(AppConfig):
    name = "renda.activities"
    verbose_name = _("Activities and supervision")

    def ready(self) -> None:
        from renda.organisations.models import County

        from .types import on_county_saved

        post_save.connect(on_county_saved, sender=County, dispatch_uid="activities.default_types")
        _declare_audit_words()
        _register_findings()
