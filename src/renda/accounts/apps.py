from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "renda.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (deployment checks; audits logins and logouts)
