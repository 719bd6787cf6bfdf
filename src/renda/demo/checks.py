"""The demo's deployment check (S12): no account of the demo county keeps the published password
in the production profile. Here rather than in accounts, which knows nothing of the demo."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from renda.accounts.checks import skipped_without_database


@checks.register(checks.Tags.security, deploy=True)
def no_demo_password_in_production(app_configs=None, **kwargs):
    if not settings.PRODUCTION:
        return []
    from renda.accounts.models import User

    from .management.commands.demo_accounts import DEMO_USERNAMES
    from .management.commands.seed_demo import DEMO_PASSWORD

    try:
        accounts = list(User.objects.unscoped().filter(is_active=True, username__in=DEMO_USERNAMES))
    except DatabaseError:
        return skipped_without_database("renda.I002")
    weak = [user.username for user in accounts if user.check_password(DEMO_PASSWORD)]
    if not weak:
        return []
    return [
        checks.Error(
            f"Accounts with the published demo password: {', '.join(weak)}.",
            hint="Change their passwords or disable them before going live.",
            id="renda.E002",
        )
    ]
