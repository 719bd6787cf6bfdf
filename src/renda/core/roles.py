"""The roles an account can hold. Here in core so that organisations (below accounts in the
dependency order) can name them in its scope declarations without importing accounts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("County administrator")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    DEPUTY = "deputy", _("Deputy")
    AGENCY_HANDLER = "agency_handler", _("Agency handler")
    LEADER = "leader", _("Leader")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# 三员分立: the three administrator roles see no domain data and each only its own function.
ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
