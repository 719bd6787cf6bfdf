"""Account policy by role. ``Role`` itself lives in core (organisations names roles too)."""

from typing import Any

from renda.core.roles import ADMINISTRATOR_ROLES, Role

__all__ = ["ADMINISTRATOR_ROLES", "Role"]

# Roles that work on the data of a county or a township and may see personal information unmasked.
PII_REVEAL_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})

# Roles that may export personal information (S31): the same people who may reveal it.
EXPORT_ROLES = PII_REVEAL_ROLES

# S7: a second factor for the county administrator, the three administrators and everyone who may
# reveal or export personal information.
TWO_FACTOR_ROLES = frozenset({Role.COUNTY_ADMIN, *ADMINISTRATOR_ROLES, *PII_REVEAL_ROLES, *EXPORT_ROLES})

# S2: every role but deputies, who are elected citizens rather than staff of an office.
PASSWORD_EXPIRY_ROLES = frozenset(set(Role) - {Role.DEPUTY})

# Setting up a county for the installation (from its division code) is the system administrator's
# work; the county's own administrator runs it afterwards.
INSTALLATION_SETUP_ROLES = frozenset({Role.SYSTEM_ADMIN})

# 三员分立 (S11): granting or changing a role, an account's scope or its active flag, and every change
# to an administrator account, is the security administrator's act. The system administrator, who
# creates accounts and issues their one-time passwords, grants nothing; so no one person can both
# know an account's password and give it a role.
ROLE_GRANTING_ROLES = frozenset({Role.SECURITY_ADMIN})

# Which scope fields each role uses; the others are cleared when the role is granted, so that a
# former township's or agency's rows do not linger in the account's scope.
SCOPE_FIELDS: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset({"county"}),
    Role.LEADER: frozenset({"county", "township"}),
    Role.TOWNSHIP_STAFF: frozenset({"county", "township"}),
    Role.DEPUTY: frozenset({"county"}),
    Role.AGENCY_HANDLER: frozenset({"county", "agency"}),
    Role.SYSTEM_ADMIN: frozenset(),
    Role.SECURITY_ADMIN: frozenset(),
    Role.AUDIT_ADMIN: frozenset(),
}

# Roles that hold a mandate and work on their own record (我的履职) rather than on others' records.
MANDATE_HOLDER_ROLES = frozenset({Role.DEPUTY})

# The working-day calendar is installation-wide configuration: the system administrator keeps it;
# county administrators read it, to see why a deadline falls where it does.
CALENDAR_KEEPER_ROLES = INSTALLATION_SETUP_ROLES
CALENDAR_READER_ROLES = frozenset({*INSTALLATION_SETUP_ROLES, Role.COUNTY_ADMIN})


def has_role(user: Any, roles: frozenset[str]) -> bool:
    """A signed-in, active account of one of ``roles``: the checks a role set answers alone
    (no rows involved); everything about rows goes through the scoping mechanism."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)
