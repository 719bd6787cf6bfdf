"""Session limits (S4): the login time and the last activity are kept in the session itself."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .roles import ADMINISTRATOR_ROLES

LOGIN_AT = "renda.login_at"
SEEN_AT = "renda.seen_at"
GENERATION = "renda.generation"
# Recording activity at most once a minute keeps most requests from writing the session.
SEEN_RESOLUTION = 60


def _now() -> float:
    return timezone.now().timestamp()


def start_session_clock(request, user=None) -> None:
    now = _now()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[GENERATION] = getattr(user or request.user, "session_generation", 0)


def idle_limit(user) -> timedelta:
    minutes = settings.RENDA_ADMIN_IDLE_MINUTES if user.role in ADMINISTRATOR_ROLES else settings.RENDA_IDLE_MINUTES
    return timedelta(minutes=minutes)


def session_expired(request) -> bool:
    """Whether the signed-in session is past its idle or absolute limit; records activity if not."""
    session = request.session
    now = _now()
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        # A session from before these limits existed: its clock starts now.
        start_session_clock(request)
        return False
    if session.get(GENERATION, 0) != request.user.session_generation:
        return True  # ended by the security administrator
    if now - login_at > settings.RENDA_SESSION_MAX_HOURS * 3600:
        return True
    if now - seen_at > idle_limit(request.user).total_seconds():
        return True
    if now - seen_at >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
    return False
