"""Named permission checks for reports to voters (述职). Staff schedule and record their township's
deputies' reports (the county administrator every township's); leaders read; a deputy reads their own."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import Role, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import VoterReport

OVERSEERS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.LEADER})


def may_view_reports(user: Any) -> bool:
    return role_may(user, VIEW, VoterReport)


def may_browse_reports(user: Any) -> bool:
    """The menu entry 代表述职 and the rates: staff, the county administrator, leaders."""
    return may_view_reports(user) and has_role(user, OVERSEERS)


def may_schedule_reports(user: Any) -> bool:
    return role_may(user, CHANGE, VoterReport)


def may_run_report(user: Any, report: VoterReport) -> bool:
    """Change, record held / missed, cancel: the staff of the report's township, the county administrator."""
    return can(user, CHANGE, report)
