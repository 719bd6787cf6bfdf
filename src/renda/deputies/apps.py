from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from .records import register_own_kinds

        register_own_kinds()
