"""Named permission checks for organisations: who may see and set up counties, townships, their
stations, deputy groups, agencies and terms. Built on the one scoping mechanism and the role sets in
``renda.accounts.roles``; views and templates call these, never ``user.role``."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import INSTALLATION_SETUP_ROLES
from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import Agency, County, DeputyGroup, Station, Township


def may_view_organisations(user: Any) -> bool:
    """The townships overview and a township's units."""
    return role_may(user, VIEW, Township)


def may_view_counties(user: Any) -> bool:
    return role_may(user, VIEW, County)


def may_set_up_county(user: Any) -> bool:
    """Set up a new county with its townships from its division code (the system administrator)."""
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in INSTALLATION_SETUP_ROLES


def may_change_township(user: Any, township: Township) -> bool:
    """Edit the township itself and record its terms."""
    return can(user, CHANGE, township)


def may_change_units(user: Any) -> bool:
    """Add, edit, open and close stations and deputy groups of the townships the user works on
    (the township itself is fetched within the user's scope first)."""
    return role_may(user, CHANGE, Station) and role_may(user, CHANGE, DeputyGroup)


def may_view_agencies(user: Any) -> bool:
    return role_may(user, VIEW, Agency)


def may_add_agencies(user: Any) -> bool:
    return role_may(user, CHANGE, Agency)
