"""Who may see and change the working-day calendar.

The calendar is installation-wide configuration, not any county's data: the system administrator
keeps it (三员分立: configuring the system is that role's work, and the calendar reveals no domain
data). County administrators may read it, to see why a deadline falls where it does.
"""

from typing import Any

from renda.accounts.roles import CALENDAR_KEEPER_ROLES, CALENDAR_READER_ROLES, has_role


def may_view_calendar(user: Any) -> bool:
    return has_role(user, CALENDAR_READER_ROLES)


def may_change_calendar(user: Any) -> bool:
    return has_role(user, CALENDAR_KEEPER_ROLES)
