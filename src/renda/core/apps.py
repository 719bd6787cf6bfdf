from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "renda.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .scopes import check_scoped_models

        checks.register(check_scoped_models)
