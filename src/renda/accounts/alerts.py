"""Burst alerts for the security administrator (S26).

Counters live in the cache (Redis in production), one per kind, subject and clock hour, so a
check costs one cache round trip and no database query. When a counter first passes its
threshold within the hour, one audited ``security.alert`` entry and one ``SecurityNotice`` are
written; further events in the same hour add nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import SecurityNotice, SecurityNoticeKind

WINDOW_SECONDS = 3600


def _hour() -> int:
    return int(timezone.now().timestamp() // WINDOW_SECONDS)


def count(kind: str, subject: str, amount: int = 1) -> int:
    """Add ``amount`` to this hour's counter and return the new total."""
    key = f"alert:{kind}:{subject}:{_hour()}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout=WINDOW_SECONDS + 60)
        return amount


def note(kind: str, subject: str, *, threshold: int, amount: int = 1) -> SecurityNotice | None:
    """Count an event; raise the alert once when the hour's total reaches ``threshold``."""
    total = count(kind, subject, amount)
    if total < threshold or not cache.add(f"alert-raised:{kind}:{subject}:{_hour()}", 1, WINDOW_SECONDS + 60):
        return None
    from . import audit

    with transaction.atomic():
        notice = SecurityNotice.objects.create(kind=kind, subject=subject[:150], count=total)
        audit.record(
            "security.alert",
            actor=None,
            target=notice,
            outcome=audit.FAILURE,
            data={"kind": kind, "subject": subject[:150], "count": total, "threshold": threshold},
        )
    return notice


def note_failed_login(address: str | None) -> SecurityNotice | None:
    return note(
        SecurityNoticeKind.FAILED_LOGINS,
        address or "unknown",
        threshold=settings.RENDA_ALERT_FAILED_LOGINS_PER_HOUR,
    )


def note_denied_access(user) -> SecurityNotice | None:
    return note(SecurityNoticeKind.DENIED_ACCESS, user.username, threshold=settings.RENDA_ALERT_DENIED_PER_HOUR)


def note_export(user, rows: int) -> SecurityNotice | None:
    return note(
        SecurityNoticeKind.EXPORT_VOLUME,
        user.username,
        threshold=settings.RENDA_ALERT_EXPORT_ROWS_PER_HOUR,
        amount=rows,
    )
