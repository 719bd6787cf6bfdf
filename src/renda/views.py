"""The home page of each role. It composes read-only selectors of the apps; it changes nothing."""

from django.conf import settings
from django.shortcuts import render

from renda.accounts.models import SecurityNotice, User
from renda.accounts.roles import Role
from renda.accounts.scoping import VIEW, scoped
from renda.accounts.selectors import audit_entries
from renda.deputies import selectors as deputy_selectors
from renda.organisations import selectors as organisation_selectors


def home(request):
    user = request.user
    context: dict = {"role": user.role}
    if user.role in {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.LEADER}:
        townships = list(organisation_selectors.townships_overview(user))
        context["townships"] = townships
        context["totals"] = {
            "townships": sum(1 for t in townships if t.is_active),
            "deputies": sum(t.deputy_count for t in townships),
            "stations": sum(t.station_count for t in townships),
            "groups": sum(t.group_count for t in townships),
            "agencies": organisation_selectors.agencies_visible(user).filter(is_active=True).count(),
        }
    elif user.role == Role.DEPUTY:
        context["mandates"] = list(deputy_selectors.own_mandates(user))
    elif user.role == Role.AGENCY_HANDLER:
        context["agency"] = user.agency
    elif user.role == Role.SYSTEM_ADMIN:
        context["account_counts"] = _accounts_by_role(user)
    elif user.role == Role.SECURITY_ADMIN:
        context["account_counts"] = _accounts_by_role(user)
        context["security_notices"] = list(
            scoped(SecurityNotice, user, VIEW).filter(acknowledged_at__isnull=True).order_by("-at")[:10]
        )
        context["policy"] = {
            "password_min_length": 12,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        }
    elif user.role == Role.AUDIT_ADMIN:
        context["recent_entries"] = list(audit_entries(user).select_related("actor")[:15])
    return render(request, "home.html", context)


def _accounts_by_role(user) -> list[tuple[str, int, int]]:
    """(role label, active accounts, inactive accounts) for every role, in role order."""
    counts = {(role, active): 0 for role in Role.values for active in (True, False)}
    for role, active in scoped(User, user, VIEW).values_list("role", "is_active"):
        counts[(role, active)] += 1
    return [(label, counts[(value, True)], counts[(value, False)]) for value, label in Role.choices]
