"""The navigation bar: what each role works on. Entries are links only; every page enforces its own scope."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from renda.accounts.models import AuditEntry, User
from renda.accounts.roles import Role
from renda.accounts.scoping import VIEW, role_may
from renda.deputies.models import Person
from renda.organisations.models import Agency, Township


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = [NavItem(_("Home"), "home")]
    if role_may(user, VIEW, Township):
        items.append(NavItem(_("Organisations"), "organisations:index"))
    if role_may(user, VIEW, Person) and user.role != Role.DEPUTY:
        items.append(NavItem(_("Deputies"), "deputies:roster"))
        items.append(NavItem(_("Points"), "deputies:leaderboard"))
    if user.role == Role.DEPUTY:
        items.append(NavItem(_("My work"), "deputies:my_work"))
    if role_may(user, VIEW, Agency):
        items.append(NavItem(_("Agencies"), "organisations:agency_list"))
    if user.role == Role.SYSTEM_ADMIN:
        items.append(NavItem(_("Counties"), "organisations:county_list"))
    if role_may(user, VIEW, User):
        items.append(NavItem(_("Accounts"), "accounts:user_list"))
    if role_may(user, VIEW, AuditEntry):
        items.append(NavItem(_("Audit log"), "accounts:audit_log"))
    if user.role == Role.SECURITY_ADMIN:
        items.append(NavItem(_("Security"), "accounts:security_overview"))
    if user.role == Role.COUNTY_ADMIN:
        items.append(NavItem(_("Export approvals"), "accounts:export_approvals"))
    return items


def navigation(request):
    return {"nav_items": items_for(getattr(request, "user", None))}
