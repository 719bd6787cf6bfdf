from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "renda.workcalendar"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from renda.accounts import events
        from renda.core import registry

        from .permissions import may_view_calendar

        events.register_events(
            {"calendar.notice_saved": _("Holiday notice saved"), "calendar.notice_removed": _("Holiday notice removed")}
        )

        registry.menu.add(
            registry.MenuEntry(
                code="workcalendar.overview",
                label=_("Working-day calendar"),
                url_name="workcalendar:overview",
                order=320,
                visible=may_view_calendar,
            )
        )
