"""Authentication events come from Django's and django-axes' signals; each writes one audit entry."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from renda.core.middleware import client_ip

from . import alerts, audit
from .models import SessionRecord
from .sessions import start_session_clock


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session_clock(request, user)
        if not request.session.session_key:
            request.session.save()
        SessionRecord.objects.create(
            user=user,
            key_digest=SessionRecord.digest_of(request.session.session_key),
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        )
    audit.record("auth.login", actor=user, target=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        SessionRecord.objects.filter(
            key_digest=SessionRecord.digest_of(request.session.session_key), ended_at__isnull=True
        ).update(ended_at=timezone.now())
    if user is not None:
        audit.record("auth.logout", actor=user, target=user)


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs):
    # Django already strips the password from ``credentials``; only the name tried is kept.
    username = str(credentials.get("username", ""))[:150]
    audit.record("auth.login_failed", actor=None, outcome=audit.FAILURE, data={"username": username})
    alerts.note_failed_login(client_ip(request) if request is not None else None)


@receiver(user_locked_out)
def audit_lockout(sender, request, username=None, ip_address=None, **kwargs):
    audit.record(
        "auth.locked",
        actor=None,
        outcome=audit.DENIED,
        data={"username": str(username or "")[:150], "address": ip_address or ""},
    )
