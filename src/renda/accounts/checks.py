"""Deployment checks (``manage.py check --deploy``) for accounts: no active superuser (S11) and
the production profile's security settings. The demo's own check (S12) lives in renda.demo."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


def skipped_without_database(check_id: str) -> list[checks.CheckMessage]:
    # No database yet (before ``migrate``) means no accounts to check; the app cannot serve either.
    return [checks.Info("The accounts could not be checked: the database is not ready.", id=check_id)]


@checks.register(checks.Tags.security, deploy=True)
def no_active_superuser(app_configs=None, **kwargs):
    from .models import User

    try:
        names = list(
            User.objects.unscoped().filter(is_active=True, is_superuser=True).values_list("username", flat=True)[:5]
        )
    except DatabaseError:
        return skipped_without_database("renda.I001")
    if not names:
        return []
    return [
        checks.Error(
            f"Active superuser accounts: {', '.join(names)}.",
            hint="三员分立: use the system, security and audit administrator roles. Disable the "
            "break-glass account with `manage.py break_glass --disable USERNAME`.",
            id="renda.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def security_settings_in_production(app_configs=None, **kwargs):
    """Production must not run with the second factor off or administrator pages open to all."""
    if not settings.PRODUCTION:
        return []
    messages = []
    if not settings.RENDA_REQUIRE_2FA:
        messages.append(
            checks.Warning("RENDA_REQUIRE_2FA is off: privileged roles log in with a password only.", id="renda.W001")
        )
    if any(network.endswith("/0") for network in settings.RENDA_ADMIN_NETWORKS):
        messages.append(
            checks.Warning(
                "RENDA_ADMIN_NETWORKS admits every address: administrator pages are reachable from anywhere.",
                id="renda.W002",
            )
        )
    return messages
