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


def _home_staff(user) -> dict:
    from .selectors import home_staff

    return home_staff(user)


def _home_deputy(user) -> dict:
    from .selectors import home_deputy

    return home_deputy(user)


def _register_activities() -> None:
    """The activities' points and archive section, the list in the menu (代表活动) and the home
    cards: staff's coming activities, notices due and minutes missing; a deputy's invitations."""
    from renda.accounts.roles import Role
    from renda.core import registry

    from . import permissions as may
    from .records import register_kinds

    register_kinds()
    registry.menu.add(
        registry.MenuEntry(
            code="activities.list",
            label=_("Deputies' activities"),
            url_name="activities:list",
            order=390,
            visible=may.may_browse_activities,
        )
    )
    for code, template, roles, order, context in (
        (
            "activities.staff",
            "activities/activities/home_staff.html",
            {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF},
            86,
            _home_staff,
        ),
        ("activities.deputy", "activities/activities/home_deputy.html", {Role.DEPUTY}, 106, _home_deputy),
    ):
        registry.home_cards.add(
            registry.HomeCard(code=code, template=template, roles=frozenset(roles), order=order, context=context)
        )


class ActivitiesConfig(AppConfig):
    name = "renda.activities"
    verbose_name = _("Activities and supervision")

    def ready(self) -> None:
        from renda.organisations.models import County

        from .types import on_county_saved

        post_save.connect(on_county_saved, sender=County, dispatch_uid="activities.default_types")
        _declare_audit_words()
        _register_activities()
