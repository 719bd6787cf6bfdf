"""Account policy by role. ``Role`` itself lives in core (organisations names roles too)."""

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
