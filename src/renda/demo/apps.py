from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "renda.demo"
    verbose_name = _("Demo county")

    def ready(self) -> None:
        from renda.accounts import events

        from . import checks  # noqa: F401  (deployment check S12)

        events.register_events({"demo.seed": _("Demo county loaded")})
