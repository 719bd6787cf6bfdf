"""Named checks of the annual plans, the study library and the deputy groups' frequency. Views,
templates and the menu call these, never ``user.role``; rows are still read through the scope.

Who does what (domain.md §7): township staff keep their township's plans, its work rules and its
study records (the county administrator may too, and alone adds the county's documents); leaders
read; deputies read the study library."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import Role, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import Activity, LibraryDocument, PlanItem, WorkPlan

OFFICE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.LEADER})
COUNTY_ROLES = frozenset({Role.COUNTY_ADMIN, Role.LEADER})


def may_view_plans(user: Any) -> bool:
    return role_may(user, VIEW, WorkPlan) and has_role(user, OFFICE_ROLES)


def may_keep_plans(user: Any) -> bool:
    """Create plans: the township's staff, or the county administrator."""
    return role_may(user, CHANGE, WorkPlan)


def may_edit_plan(user: Any, plan: WorkPlan) -> bool:
    return can(user, CHANGE, plan)


def may_view_county_plans(user: Any) -> bool:
    """Plan versus done across the county's townships: the county administrator and county leaders."""
    return has_role(user, COUNTY_ROLES) and not getattr(user, "township_id", None) and may_view_plans(user)


def may_link_activities(user: Any, item: PlanItem) -> bool:
    return role_may(user, CHANGE, Activity) and can(user, CHANGE, item)


def may_export_plan(user: Any) -> bool:
    return may_view_plans(user)


def may_read_library(user: Any) -> bool:
    """Staff, leaders and deputies read the study library."""
    return role_may(user, VIEW, LibraryDocument)


def may_add_library(user: Any) -> bool:
    return role_may(user, CHANGE, LibraryDocument)


def may_add_county_documents(user: Any) -> bool:
    """The county's own documents (read in every township): its administrator, who may also add one
    for a township of the county."""
    return may_add_library(user) and has_role(user, frozenset({Role.COUNTY_ADMIN}))


def may_edit_library(user: Any, document: LibraryDocument) -> bool:
    return can(user, CHANGE, document)


def may_view_study_attendance(user: Any) -> bool:
    return role_may(user, VIEW, Activity) and has_role(user, OFFICE_ROLES)


def may_view_groups(user: Any) -> bool:
    return role_may(user, VIEW, Activity) and has_role(user, OFFICE_ROLES)
