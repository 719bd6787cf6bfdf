"""Named permission checks for deputies: the roster, people and mandates, liaison, points and the
deputy's own page. Built on the one scoping mechanism and the role sets in ``renda.accounts.roles``;
views and templates call these, never ``user.role``."""

from __future__ import annotations

from typing import Any

from renda.accounts.exports import may_export
from renda.accounts.roles import MANDATE_HOLDER_ROLES, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may
from renda.organisations.models import Township

from .models import DutyRecord, LiaisonAssignment, Mandate, Person, PointContest, PointRule


def may_view_roster(user: Any) -> bool:
    return role_may(user, VIEW, Person)


def may_change_roster(user: Any) -> bool:
    """Add deputies by hand or by importing a file."""
    return role_may(user, CHANGE, Person)


def may_export_roster(user: Any) -> bool:
    """Download the roster as a workbook: the one export permission (S31) decides."""
    return may_export(user)


def may_change_person(user: Any, person: Person) -> bool:
    """Edit a deputy, their mandates and the voters they keep in contact with."""
    return can(user, CHANGE, person)


def may_view_mandates(user: Any) -> bool:
    """The composition of the deputies and the points leaderboard of the mandates in scope."""
    return role_may(user, VIEW, Mandate)


def may_view_liaisons(user: Any) -> bool:
    return role_may(user, VIEW, LiaisonAssignment)


def may_assign_liaisons(user: Any, township: Township) -> bool:
    return role_may(user, CHANGE, LiaisonAssignment) and can(user, VIEW, township)


def may_view_point_rules(user: Any) -> bool:
    return role_may(user, VIEW, PointRule)


def may_manage_points(user: Any) -> bool:
    """Set the county's point rules and settings and recompute its points."""
    return role_may(user, CHANGE, PointRule)


def may_resolve_contests(user: Any) -> bool:
    """Answer the deputies' contests of their point entries."""
    return role_may(user, CHANGE, PointContest)


def is_own_mandate(user: Any, mandate: Mandate) -> bool:
    """The mandate of the deputy signed in as ``user``."""
    return getattr(user, "is_authenticated", False) and user.is_active and mandate.person.user_id == user.pk


def may_contest_points(user: Any, mandate: Mandate) -> bool:
    """Only the deputy whose mandate it is may contest its entries."""
    return is_own_mandate(user, mandate)


def may_download_archive(user: Any, mandate: Mandate) -> bool:
    """The Word archive is an export: for those who may export, and for the deputy's own."""
    return may_export_roster(user) or is_own_mandate(user, mandate)


def may_view_duties(user: Any) -> bool:
    """The other duties recorded in the townships in scope."""
    return role_may(user, VIEW, DutyRecord)


def may_record_duties(user: Any, mandate: Mandate) -> bool:
    """Record, correct or delete a deputy's other duties: the staff who keep the deputy's record."""
    return role_may(user, CHANGE, DutyRecord) and can(user, CHANGE, mandate)


def may_view_own_work(user: Any) -> bool:
    """我的履职: the page of a deputy's own mandates."""
    return has_role(user, MANDATE_HOLDER_ROLES)


def may_browse_roster(user: Any) -> bool:
    """The roster and the leaderboard pages: staff, leaders and the county office. A deputy reads
    their own work on 我的履职 instead."""
    return may_view_roster(user) and not may_view_own_work(user)
