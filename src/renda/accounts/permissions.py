"""Named permission checks for accounts, security and the audit log: who may do what, in one place.

Every check is a small function of the user (and, where a row is concerned, the row), built on the
one scoping mechanism (``scoping``) and the role sets in ``roles``. Views, the API and templates
call these, never ``user.role`` (tests/test_permissions.py enforces it). Rows are still fetched
through ``get_scoped_or_404``: a check says whether a page or a button is for this user at all.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from .models import AuditEntry, ExportApproval, SecurityNotice, User
from .pii_register import REVEAL, Reveal
from .roles import MANDATE_HOLDER_ROLES, PII_REVEAL_ROLES, ROLE_GRANTING_ROLES, has_role
from .scoping import CHANGE, VIEW, can, role_may
from .selectors import person_model


def require(allowed: bool) -> None:
    """Refuse the request (403) unless the check passed."""
    if not allowed:
        raise PermissionDenied


def may_view_accounts(user: User | Any) -> bool:
    return role_may(user, VIEW, User)


def may_manage_accounts(user: User | Any) -> bool:
    """Create accounts and issue one-time passwords (the system administrator, 三员分立)."""
    return role_may(user, CHANGE, User)


def may_edit_account(user: User | Any, account: User) -> bool:
    """Edit an account's own details (user name, full name, phone): the system administrator, but
    never their own account nor an administrator's, which are the security administrator's."""
    return may_manage_accounts(user) and account.pk != user.pk and not account.is_administrator


def may_reset_password(user: User | Any, account: User) -> bool:
    """Issue a one-time password to someone else. Kept with the system administrator even for
    administrator accounts: whoever grants roles must never also learn a password, or one person
    could make an administrator alone."""
    return may_manage_accounts(user) and account.pk != user.pk


def may_grant_roles(user: User | Any) -> bool:
    """Grant and change roles, scopes and the active flag (the security administrator)."""
    return has_role(user, ROLE_GRANTING_ROLES)


def may_change_authorisation(user: User | Any, account: User) -> bool:
    """Nobody changes their own role or activates themselves."""
    return may_grant_roles(user) and account.pk != user.pk


def may_link_people(user: User | Any) -> bool:
    """Link deputies' accounts to their records: staff who may change people's records and see
    accounts (a county administrator, for their county). Administrators see no records."""
    return role_may(user, CHANGE, person_model()) and may_view_accounts(user)


def is_mandate_holder_account(account: User) -> bool:
    """A deputy's account, which belongs with the deputy's record."""
    return account.role in MANDATE_HOLDER_ROLES


def may_link_person(user: User | Any, account: User) -> bool:
    return is_mandate_holder_account(account) and may_link_people(user) and can(user, VIEW, account)


def may_view_audit_log(user: User | Any) -> bool:
    """Read, search and verify the audit log (the audit administrator only)."""
    return role_may(user, VIEW, AuditEntry)


def may_manage_security(user: User | Any) -> bool:
    """The security administrator's work: lockouts, alerts, ending sessions, resetting a second
    factor. Whoever may acknowledge security notices holds it."""
    return role_may(user, CHANGE, SecurityNotice)


def may_follow_exports(user: User | Any) -> bool:
    """The export approvals page: the county's requests, or one's township's."""
    return role_may(user, VIEW, ExportApproval)


def may_approve_exports(user: User | Any) -> bool:
    """Approve another's export above the row cap (a county administrator, for their county)."""
    return role_may(user, CHANGE, ExportApproval)


def may_reveal(user: User | Any, obj: Model, field: str) -> bool:
    """Whether ``user`` may see ``obj.<field>`` in full, as the register says (``pii_register``).

    The holder may always see their own values; beyond them, the field's ``Reveal`` policy decides,
    and a field missing from the register is revealed to nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(obj, "user_id", None) == user.pk or obj == user:
        return True
    policy = REVEAL.get(f"{obj._meta.label_lower}.{field}")
    if policy == Reveal.RECORD_STAFF:
        return user.role in PII_REVEAL_ROLES and can(user, VIEW, obj)
    if policy == Reveal.ACCOUNT_RECOVERY:
        return may_manage_security(user) and can(user, VIEW, obj)
    if policy == Reveal.CASE_HANDLERS:
        return can(user, VIEW, obj) and bool(obj.reveals_contact_to(user))  # type: ignore[attr-defined]
    return False
