"""Named permission checks for organisations: who may see and set up counties, townships, their
stations, deputy groups, agencies and terms. Built on the one scoping mechanism and the role sets in
``renda.accounts.roles``; views and templates call these, never ``user.role``."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import INSTALLATION_SETUP_ROLES, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import Agency, County, DeputyGroup, Station, Term, Township


def may_view_organisations(user: Any) -> bool:
    """The townships overview and a township's units."""
    return role_may(user, VIEW, Township)


def may_view_counties(user: Any) -> bool:
    return role_may(user, VIEW, County)


def may_set_up_county(user: Any) -> bool:
    """Set up a new county with its townships from its division code (the system administrator)."""
    return has_role(user, INSTALLATION_SETUP_ROLES)


def may_change_township(user: Any, township: Township) -> bool:
    """Edit the township itself."""
    return can(user, CHANGE, township)


def may_change_units(user: Any) -> bool:
    """Add, edit, open and close stations and deputy groups of the townships the user works on
    (the township itself is fetched within the user's scope first)."""
    return role_may(user, CHANGE, Station) and role_may(user, CHANGE, DeputyGroup)


def may_view_agencies(user: Any) -> bool:
    return role_may(user, VIEW, Agency)


def may_add_agencies(user: Any) -> bool:
    return role_may(user, CHANGE, Agency)


def may_set_terms(user: Any) -> bool:
    """The county office records the terms of congresses (for the counties it may change)."""
    return role_may(user, CHANGE, Term)


def may_set_county_terms(user: Any, county: County) -> bool:
    """The county office records the terms of the county congress and of all its townships."""
    return may_set_terms(user) and can(user, CHANGE, county)


def may_register_term(user: Any, township: Township) -> bool:
    """A township congress's term: the county office always, the township's own staff where the
    county lets townships record their own terms. Subdistricts have no congress, hence no term."""
    if not township.has_congress:
        return False
    if role_may(user, CHANGE, Term) and can(user, VIEW, township):
        return True
    # The township's own staff: those who may change the units of this township and belong to it.
    return (
        township.county.townships_register_terms
        and role_may(user, CHANGE, Station)
        and getattr(user, "township_id", None) == township.pk
    )
