"""Authentication events come from Django's own signals; each writes one audit entry."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record("auth.login", actor=user, target=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.logout", actor=user, target=user)


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs):
    # Django already strips the password from ``credentials``; only the name tried is kept.
    username = str(credentials.get("username", ""))[:150]
    audit.record("auth.login_failed", actor=None, outcome=audit.FAILURE, data={"username": username})
