from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .roles import Role


def _home_account_counts(user) -> dict:
    from .selectors import accounts_by_role

    return {"account_counts": accounts_by_role(user)}


def _home_security(user) -> dict:
    from .selectors import open_security_notices, security_policy

    return {"security_notices": open_security_notices(user), "policy": security_policy()}


def _home_audit(user) -> dict:
    from .selectors import audit_entries

    return {"recent_entries": list(audit_entries(user).select_related("actor")[:15])}


def _declare_audit_words() -> None:
    from . import events
    from .models import SecurityNoticeKind

    events.register_events(
        {
            "access.denied": _("Access refused"),
            "accounts.api_token.create": _("API token issued"),
            "accounts.api_token.revoke": _("API token revoked"),
            "accounts.password.change": _("Password changed"),
            "accounts.two_factor.enrol": _("Second factor set up"),
            "accounts.two_factor.reset": _("Second factor reset"),
            "accounts.user.create": _("Account created"),
            "accounts.user.update": _("Account changed"),
            "accounts.user.activate": _("Account enabled"),
            "accounts.user.deactivate": _("Account disabled"),
            "accounts.user.role_change": _("Role granted or changed"),
            "accounts.user.password_reset": _("One-time password issued"),
            "accounts.user.person_link": _("Deputy account linked to the deputy's record"),
            "accounts.api_token.refused": _("API token refused outside the administrators' network"),
            "accounts.api_token.revoke_all": _("All API tokens of the account revoked"),
            "accounts.user.password_set": _("Password set by an administrator"),
            "accounts.user.disable_dormant": _("Dormant account disabled"),
            "audit.purge": _("Old audit entries removed"),
            "auth.login": _("Logged in"),
            "auth.login_failed": _("Login failed"),
            "auth.logout": _("Logged out"),
            "auth.locked": _("Locked out after failed logins"),
            "auth.two_factor": _("Second factor checked"),
            "export.approval.request": _("Export approval requested"),
            "export.approval.grant": _("Export approved"),
            "export.approval.refuse": _("Export refused"),
            "pii.reveal": _("Personal information revealed"),
            "security.alert": _("Security alert"),
            "security.break_glass.enable": _("Emergency access switched on"),
            "security.break_glass.disable": _("Emergency access switched off"),
            "security.field_key.rotate": _("Encryption key rotated"),
            "security.lockout.reset": _("Lock lifted"),
            "security.notice.acknowledge": _("Security alert acknowledged"),
            "security.sessions.end": _("Sessions ended"),
            "system.backup.create": _("Backup made"),
            "system.backup.restore": _("Backup restored"),
        }
    )
    events.register_details(
        {
            "action": events.Detail(_("Action"), [("view", _("View")), ("change", _("Change"))]),
            "address": _("Address"),
            "after": _("After"),
            "approval": _("Approval"),
            "attempts": _("Attempts"),
            "before": _("Before"),
            "count": _("Count"),
            "device": _("Device"),
            "devices": _("Devices removed"),
            "field": _("Field"),
            "fields": _("Fields"),
            "filter": _("Filter"),
            "from": events.Detail(_("Role before"), Role.choices),
            "people": _("People"),
            "person": _("Deputy's record"),
            "person_uuids": _("Records of the people"),
            "previous": _("Record linked before"),
            "kind": events.Detail(_("Kind"), SecurityNoticeKind.choices),
            "last_login": _("Last login"),
            "bytes": _("Size in bytes"),
            "checksum": _("Checksum of the cases"),
            "engine": _("Database"),
            "media": _("Uploaded files"),
            "mismatches": _("Differences from the manifest"),
            "masked": _("Masked"),
            "name": _("Name"),
            "query": _("Filter"),
            "reason": _("Reason"),
            "requested": _("Requested"),
            "role": events.Detail(_("Role"), Role.choices),
            "rows": _("Rows"),
            "sessions": _("Sessions"),
            "subject": _("About"),
            "threshold": _("Threshold"),
            "to": events.Detail(_("Role after"), Role.choices),
            "tokens": _("Tokens"),
            "townships": _("Townships"),
            "username": _("Account name"),
            "via": _("Through"),
        }
    )


class AccountsConfig(AppConfig):
    name = "renda.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from renda.core import registry

        from . import checks, signals  # noqa: F401  (deployment checks; audits logins and logouts)
        from . import permissions as may

        _declare_audit_words()

        for code, label, url_name, order, visible in (
            ("accounts.users", _("Accounts"), "accounts:user_list", 900, may.may_view_accounts),
            ("accounts.audit_log", _("Audit log"), "accounts:audit_log", 910, may.may_view_audit_log),
            ("accounts.security", _("Security"), "accounts:security_overview", 920, may.may_manage_security),
            (
                "accounts.export_approvals",
                _("Export approvals"),
                "accounts:export_approvals",
                930,
                may.may_approve_exports,
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
