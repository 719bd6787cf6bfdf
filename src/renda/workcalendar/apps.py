from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "renda.workcalendar"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from renda.core import registry

        from .permissions import may_view_calendar

        registry.menu.add(
            registry.MenuEntry(
                code="workcalendar.overview",
                label=_("Working-day calendar"),
                url_name="workcalendar:overview",
                order=320,
                visible=may_view_calendar,
            )
        )
