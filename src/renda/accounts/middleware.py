"""Account security enforced on every request, whatever the page: session limits (S4), the
second factor (S7), password age (S2) and the administrators' networks (S13)."""

import ipaddress
from datetime import timedelta
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.middleware import client_ip

from .roles import ADMINISTRATOR_ROLES, PASSWORD_EXPIRY_ROLES, TWO_FACTOR_ROLES
from .sessions import session_expired

SIGN_OUT = "accounts:logout"
TWO_FACTOR_PAGES = frozenset({"accounts:two_factor_setup", "accounts:two_factor_verify", SIGN_OUT})
PASSWORD_PAGES = frozenset({"accounts:password_change", "accounts:password_change_done", SIGN_OUT})


def _is_static(request) -> bool:
    return request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _signed_in(request) -> bool:
    return getattr(getattr(request, "user", None), "is_authenticated", False)


class SessionTimeoutMiddleware:
    """Ends a session idle for 30 minutes (15 for the three administrators) or 12 hours old."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request) and session_expired(request):
            logout(request)
            if _is_api(request):
                return JsonResponse({"detail": _("Your session has ended. Please log in again.")}, status=401)
            messages.info(request, _("Your session has ended. Please log in again."))
            return redirect(f"{reverse('accounts:login')}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class _GateMiddleware:
    """Lets a signed-in user who must do something first reach only the pages that do it."""

    allowed: frozenset[str] = frozenset()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def must_act(self, request) -> bool:
        raise NotImplementedError

    def destination(self, request) -> str:
        raise NotImplementedError

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _signed_in(request) or _is_static(request) or not self.must_act(request):
            return None
        if request.resolver_match and request.resolver_match.view_name in self.allowed:
            return None
        if _is_api(request):
            return JsonResponse({"detail": self.api_message}, status=403)
        return redirect(f"{self.destination(request)}?next={quote(request.get_full_path())}")


class TwoFactorMiddleware(_GateMiddleware):
    """A privileged user who has not confirmed a second factor in this session reaches only the
    enrolment and verification pages and logout (S7)."""

    allowed = TWO_FACTOR_PAGES
    api_message = gettext_lazy("A second factor is required.")

    def must_act(self, request) -> bool:
        user = request.user
        return settings.RENDA_REQUIRE_2FA and user.role in TWO_FACTOR_ROLES and not user.is_verified()

    def destination(self, request) -> str:
        from django_otp import user_has_device

        if user_has_device(request.user, confirmed=True):
            return reverse("accounts:two_factor_verify")
        return reverse("accounts:two_factor_setup")


class PasswordExpiryMiddleware(_GateMiddleware):
    """Once a password is older than the limit (S2), or while it is a one-time password an
    administrator issued (S11), only the change page, its result and logout."""

    allowed = PASSWORD_PAGES | TWO_FACTOR_PAGES
    api_message = gettext_lazy("Your password must be changed.")

    def must_act(self, request) -> bool:
        return request.user.password_must_change or password_expired(request.user)

    def destination(self, request) -> str:
        if request.user.password_must_change:
            messages.warning(request, _("You signed in with a one-time password. Please choose your own password."))
        else:
            messages.warning(request, _("Your password has expired. Please choose a new one."))
        return reverse("accounts:password_change")


def password_expired(user) -> bool:
    if user.role not in PASSWORD_EXPIRY_ROLES:
        return False
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > timedelta(days=settings.RENDA_PASSWORD_MAX_AGE_DAYS)


@cache
def _networks(spec: tuple[str, ...]):
    return [ipaddress.ip_network(item, strict=False) for item in spec]


def from_admin_network(request) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.RENDA_ADMIN_NETWORKS)))


class AdminNetworkMiddleware:
    """Django's admin, and every page for the three administrators, answer only to the configured
    networks; elsewhere they do not exist (404) (S13). Logging out always works."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name == SIGN_OUT:
            return None
        if match.app_name == "admin" and not from_admin_network(request):
            raise Http404
        if _signed_in(request):
            require_admin_network(request, request.user)
        return None


def require_admin_network(request, user) -> None:
    """Raise Http404 when one of the three administrators acts from outside their networks (S13).
    The session is checked above; an API token, which reaches the API without a session, is
    checked by ``services.api_token_authenticate`` with the same rule."""
    if user.role in ADMINISTRATOR_ROLES and not from_admin_network(request):
        raise Http404
