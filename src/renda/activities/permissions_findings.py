"""Named checks for an activity's photos, findings, documents and the county's activity types.
Rows are still read through the scope (an outsider gets 404); these answer "may this user take this
step on a row they see"."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import Role, has_role

from .models import Activity, ActivityState, Finding
from .permissions import invitation_of, may_manage_types, may_run_activity

__all__ = [
    "may_add_finding",
    "may_add_photos",
    "may_download_signin_sheet",
    "may_manage_types",
    "may_turn_into_case",
]


def may_add_photos(user: Any, activity: Activity) -> bool:
    """Photos are the organisers' record of the activity: the staff who run it."""
    return activity.state != ActivityState.CANCELLED and may_run_activity(user, activity)


def may_add_finding(user: Any, activity: Activity) -> bool:
    """The staff who run the activity, or a deputy invited to it (for themselves)."""
    if activity.state == ActivityState.CANCELLED:
        return False
    return may_run_activity(user, activity) or invitation_of(user, activity) is not None


def may_turn_into_case(user: Any, finding: Finding, *, runs_activity: bool | None = None) -> bool:
    """Once only: the staff who run the activity, or the deputy who raised the finding (it becomes
    their suggestion, as a case they file themselves). A page listing many findings of one activity
    passes ``runs_activity``, checked once."""
    if finding.case_id is not None:
        return False
    if runs_activity if runs_activity is not None else may_run_activity(user, finding.activity):
        return True
    raised = finding.raised_by
    return (
        raised is not None
        and has_role(user, frozenset({Role.DEPUTY}))
        and raised.person.user_id is not None
        and raised.person.user_id == user.pk
    )


def may_download_signin_sheet(user: Any, activity: Activity) -> bool:
    """The sign-in sheet lists each deputy's attendance: the organisers who may export."""
    from renda.accounts.exports import may_export

    return may_run_activity(user, activity) and may_export(user)
