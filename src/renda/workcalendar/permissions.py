"""Who may see and change the working-day calendar.

The calendar is installation-wide configuration, not any county's data: the system administrator
keeps it (三员分立: configuring the system is that role's work, and the calendar reveals no domain
data). County administrators may read it, to see why a deadline falls where it does.
"""

from renda.accounts.roles import Role


def may_view_calendar(user) -> bool:
    return getattr(user, "role", None) in {Role.SYSTEM_ADMIN, Role.COUNTY_ADMIN}


def may_change_calendar(user) -> bool:
    return getattr(user, "role", None) == Role.SYSTEM_ADMIN
