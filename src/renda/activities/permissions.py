"""Named permission checks for activities. Views, the API and templates call these, never
``user.role``; rows are still fetched through ``get_scoped_or_404`` (an outsider gets 404).

Who does what (domain.md §2, §7): township staff organise their township's activities (the county
administrator may too, and alone organises the county's joint activities across townships); deputies
read the activities they are invited to, sign in, ask for leave and raise findings; leaders read."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import MANDATE_HOLDER_ROLES, Role, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may, scoped

from .models import Activity, ActivityType, Participant


def may_view_activities(user: Any) -> bool:
    return role_may(user, VIEW, Activity)


def may_browse_activities(user: Any) -> bool:
    """The activities list in the menu: staff, leaders and deputies (their own activities)."""
    return may_view_activities(user) and not has_role(user, frozenset({Role.AGENCY_HANDLER}))


def may_plan_activities(user: Any) -> bool:
    return role_may(user, CHANGE, Activity)


def may_run_township(user: Any, township: Any) -> bool:
    """Organise activities of this township: its staff, or the county administrator."""
    from renda.organisations.models import Township

    return may_plan_activities(user) and scoped(Township, user, VIEW).filter(pk=township.pk).exists()


def may_plan_joint(user: Any) -> bool:
    """Joint activities across townships are the county's (县镇联动)."""
    return may_plan_activities(user) and has_role(user, frozenset({Role.COUNTY_ADMIN}))


def may_run_activity(user: Any, activity: Activity) -> bool:
    """Change the plan, invite, notify, sign in for others, decide leave, record it held: the
    township's staff for a township's activity, the county administrator for every one."""
    if activity.is_joint and not has_role(user, frozenset({Role.COUNTY_ADMIN})):
        return False
    return can(user, CHANGE, activity)


def may_manage_types(user: Any) -> bool:
    return role_may(user, CHANGE, ActivityType)


def invitation_of(user: Any, activity: Activity) -> Participant | None:
    """The user's own participant row, if they hold a mandate invited to the activity."""
    if not has_role(user, MANDATE_HOLDER_ROLES):
        return None
    return (
        Participant.objects.unscoped()
        .filter(activity=activity, mandate__person__user=user)
        .select_related("mandate__person")
        .first()
    )
