from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .roles import Role


def _may_view(model_name: str):
    def visible(user) -> bool:
        from . import models
        from .scoping import VIEW, role_may

        return role_may(user, VIEW, getattr(models, model_name))

    return visible


def _has_role(role: Role):
    def visible(user) -> bool:
        return user.role == role

    return visible


def _home_account_counts(user) -> dict:
    from .selectors import accounts_by_role

    return {"account_counts": accounts_by_role(user)}


def _home_security(user) -> dict:
    from .selectors import open_security_notices

    return {
        "security_notices": open_security_notices(user),
        "policy": {"password_min_length": 12, "session_hours": settings.SESSION_COOKIE_AGE // 3600},
    }


def _home_audit(user) -> dict:
    from .selectors import audit_entries

    return {"recent_entries": list(audit_entries(user).select_related("actor")[:15])}


class AccountsConfig(AppConfig):
    name = "renda.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from renda.core import registry

        from . import checks, signals  # noqa: F401  (deployment checks; audits logins and logouts)

        for code, label, url_name, order, visible in (
            ("accounts.users", _("Accounts"), "accounts:user_list", 900, _may_view("User")),
            ("accounts.audit_log", _("Audit log"), "accounts:audit_log", 910, _may_view("AuditEntry")),
            ("accounts.security", _("Security"), "accounts:security_overview", 920, _has_role(Role.SECURITY_ADMIN)),
            (
                "accounts.export_approvals",
                _("Export approvals"),
                "accounts:export_approvals",
                930,
                _has_role(Role.COUNTY_ADMIN),
            ),
        ):
            registry.menu.add(
                registry.MenuEntry(code=code, label=label, url_name=url_name, order=order, visible=visible)
            )
        for code, template, roles, order, context in (
            (
                "accounts.account_counts",
                "accounts/home_account_counts.html",
                {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN},
                100,
                _home_account_counts,
            ),
            ("accounts.security", "accounts/home_security.html", {Role.SECURITY_ADMIN}, 110, _home_security),
            ("accounts.audit", "accounts/home_audit.html", {Role.AUDIT_ADMIN}, 100, _home_audit),
        ):
            registry.home_cards.add(
                registry.HomeCard(code=code, template=template, roles=frozenset(roles), order=order, context=context)
            )
