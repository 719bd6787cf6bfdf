"""Login lockout (S3): django-axes counts failures per account name *and* address together, and
this handler adds a second, higher limit per address alone.

Why two limits (the trade-off, also in the README's security section and in settings):

- Counting an account name alone would let anyone who knows a user's name lock that user out from
  anywhere, for the whole cool-off, as often as they like. Counting the name together with the
  address limits a stranger to locking the name *at the stranger's own address*: the user, at the
  office, logs in as usual.
- Counting an address alone would lock a whole office behind one NAT address when one person
  mistypes five times. With the pair, only that person's name is locked at that address; colleagues
  at the same address are not affected.
- What the pair gives up: a guesser who moves between addresses gets five guesses per name per
  address, and one address can try five passwords on every name (password spraying). The per-address
  limit (``RENDA_LOCKOUT_ADDRESS_FAILURES``, 30 in the cool-off by default, well above what an office
  mistypes) stops spraying from one address; guessing from many addresses is met by the password
  rules (12 characters, three classes), the second factor for every role that sees personal data,
  and the security administrator's failed-login alerts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def _recent_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-address limit: an address with that many failures in
    the cool-off, over any names, is refused for every name until the cool-off has passed."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_failures(request) >= (
            settings.RENDA_LOCKOUT_ADDRESS_FAILURES
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Record the failure as axes does; then, like axes for its own limit, turn this request into
        the lockout page when the address has reached its limit."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.address_failures(request) >= settings.RENDA_LOCKOUT_ADDRESS_FAILURES:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    @staticmethod
    def address_failures(request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        failures = _recent_attempts().filter(ip_address=address).aggregate(total=Sum("failures_since_start"))
        return failures["total"] or 0


@dataclass(frozen=True)
class Lock:
    """One lock in force: an account name at an address, or an address for every name."""

    username: str
    ip_address: str
    failures: int
    last_attempt: datetime

    @property
    def whole_address(self) -> bool:
        return not self.username


def current_locks() -> list[Lock]:
    """Every lock in force now, newest first: names locked at an address, and whole addresses."""
    pairs = (
        _recent_attempts()
        .exclude(username__isnull=True)
        .exclude(username="")
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    addresses = (
        _recent_attempts()
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.RENDA_LOCKOUT_ADDRESS_FAILURES)
    )
    locks = [Lock(row["username"], row["ip_address"] or "", row["failures"], row["last"]) for row in pairs]
    locks += [Lock("", row["ip_address"] or "", row["failures"], row["last"]) for row in addresses]
    return sorted(locks, key=lambda lock: lock.last_attempt, reverse=True)
