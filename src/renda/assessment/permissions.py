"""Named checks of the assessment. Views, templates and the menu call these, never ``user.role``;
rows are still read through the scope.

Who does what (domain.md §9): the county administrator builds the scheme, enters the scores that are
not computed, adjusts with a reason and publishes; county leaders read everything; a township's
staff and leaders read the scheme, their own score and its evidence, and other townships' scores
only once the county has published (or when ``RENDA_ASSESSMENT_SCORES_OPEN``); deputies and agency
handlers have no part in it."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from renda.accounts.roles import Role, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import Scheme, YearDocument

OFFICE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER, Role.TOWNSHIP_STAFF})
COUNTY_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER})


def may_view_assessment(user: Any) -> bool:
    return has_role(user, OFFICE_ROLES) and role_may(user, VIEW, Scheme)


def is_county_wide(user: Any) -> bool:
    """The county administrator and county leaders (not a township's leader)."""
    return has_role(user, COUNTY_ROLES) and not getattr(user, "township_id", None)


def may_manage_schemes(user: Any) -> bool:
    return role_may(user, CHANGE, Scheme)


def may_edit_scheme(user: Any, scheme: Scheme) -> bool:
    return can(user, CHANGE, scheme) and not scheme.is_published


def may_see_all_townships(user: Any, scheme: Scheme) -> bool:
    """Every township's score: the county always; townships once published, or when the county
    opens the scores during the year."""
    if is_county_wide(user):
        return True
    return may_view_assessment(user) and (scheme.is_published or settings.RENDA_ASSESSMENT_SCORES_OPEN)


def may_view_dashboard(user: Any) -> bool:
    return may_view_assessment(user)


def may_view_documents(user: Any) -> bool:
    return has_role(user, OFFICE_ROLES) and role_may(user, VIEW, YearDocument)


def may_add_documents(user: Any) -> bool:
    return role_may(user, CHANGE, YearDocument)


def may_edit_document(user: Any, document: YearDocument) -> bool:
    return can(user, CHANGE, document) and (document.township_id is not None or is_county_wide(user))
