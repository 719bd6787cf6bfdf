"""The one export-control mechanism (S31). Every export of personal information calls
``export_authorise`` before it builds its file, and stamps ``grant.footer`` into the file.

- permission: only roles in ``EXPORT_ROLES`` (who also pass the second factor, S7);
- scope: the caller builds its rows with ``scoped()``, as every read does;
- masked by default: a caller exports full values only when it asks (``masked=False``) and the
  role may reveal; the grant records which;
- row cap: above ``RENDA_EXPORT_ROW_CAP`` rows an approval by a county administrator is needed;
- audited, fail closed: the audit entry is committed before the grant is returned;
- no temporary files: exports are built as bytes in memory and streamed to the response.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import alerts, audit
from .models import AuditEntry, ExportApproval, User
from .roles import EXPORT_ROLES, PII_REVEAL_ROLES, Role


class ExportNeedsApproval(PermissionDenied):
    """More rows than the cap and no valid approval: ask a county administrator."""


@dataclass(frozen=True)
class ExportGrant:
    actor: User
    kind: str
    row_count: int
    masked: bool
    at: datetime
    entry: AuditEntry

    @property
    def footer(self) -> str:
        """The line every exported file carries: who exported it, when, and the audit reference."""
        local = timezone.localtime(self.at)
        return _("Exported by %(who)s on %(when)s · %(rows)d rows · %(masking)s · reference %(ref)s") % {
            "who": str(self.actor),
            "when": local.strftime("%Y-%m-%d %H:%M"),
            "rows": self.row_count,
            "masking": _("masked") if self.masked else _("unmasked"),
            "ref": self.entry.entry_hash[:12],
        }


def may_export(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and user.role in EXPORT_ROLES


def export_authorise(
    *, actor: User, kind: str, row_count: int, masked: bool = True, approval: ExportApproval | None = None
) -> ExportGrant:
    """Check and record one export. Raises PermissionDenied (role, or unmasked without the right
    to reveal) or ExportNeedsApproval (above the cap without a valid approval). The approval, if
    used, is spent. The audit entry is written in the grant's transaction: if it fails, no grant.
    A refusal is audited too (committed, since the refusal itself raises)."""
    if not may_export(actor) or (not masked and actor.role not in PII_REVEAL_ROLES):
        audit.record(f"export.{kind}", actor=actor, outcome=audit.DENIED, data={"rows": row_count, "masked": masked})
        raise PermissionDenied(_("You may not export this information."))
    return _export_grant(actor=actor, kind=kind, row_count=row_count, masked=masked, approval=approval)


@transaction.atomic
def _export_grant(*, actor: User, kind: str, row_count: int, masked: bool, approval: ExportApproval | None):
    if row_count > settings.RENDA_EXPORT_ROW_CAP:
        if approval is None:
            raise ExportNeedsApproval(
                _("Exports of more than %(cap)d rows need the approval of a county administrator.")
                % {"cap": settings.RENDA_EXPORT_ROW_CAP}
            )
        approval = ExportApproval.objects.select_for_update().get(pk=approval.pk)
        if not approval.is_valid_for(user=actor, kind=kind, row_count=row_count):
            raise ExportNeedsApproval(_("This approval is not valid for this export: it is used, expired or smaller."))
        approval.used_at = timezone.now()
        approval.save(update_fields=["used_at"])
    entry = audit.record_export(
        actor=actor,
        kind=kind,
        row_count=row_count,
        masked=masked,
        target=approval,
        approval=str(approval.uuid) if approval else "",
    )
    transaction.on_commit(lambda: alerts.note_export(actor, row_count))
    return ExportGrant(actor=actor, kind=kind, row_count=row_count, masked=masked, at=entry.at, entry=entry)


@transaction.atomic
def export_approval_request(*, actor: User, kind: str, row_count: int, reason: str) -> ExportApproval:
    if not may_export(actor):
        raise PermissionDenied(_("You may not export this information."))
    approval = ExportApproval.objects.create(
        requested_by=actor,
        county_id=actor.county_id,
        township_id=actor.township_id,
        kind=kind,
        row_count=row_count,
        reason=reason,
    )
    audit.record("export.approval.request", actor=actor, target=approval, data={"kind": kind, "rows": row_count})
    return approval


def export_approval_grant(*, approval: ExportApproval, actor: User) -> ExportApproval:
    """A county administrator of the requester's county approves; nobody approves their own.
    A refusal is audited (committed, since the refusal itself raises)."""
    if actor.role != Role.COUNTY_ADMIN or actor.county_id != approval.county_id or actor.pk == approval.requested_by_id:
        audit.record("export.approval.grant", actor=actor, target=approval, outcome=audit.DENIED)
        raise PermissionDenied(_("Only a county administrator of the same county may approve this export."))
    return _approve(approval=approval, actor=actor)


@transaction.atomic
def _approve(*, approval: ExportApproval, actor: User) -> ExportApproval:
    now = timezone.now()
    approval.approved_by = actor
    approval.approved_at = now
    approval.expires_at = now + timedelta(hours=settings.RENDA_EXPORT_APPROVAL_HOURS)
    approval.save(update_fields=["approved_by", "approved_at", "expires_at"])
    audit.record("export.approval.grant", actor=actor, target=approval, data={"rows": approval.row_count})
    return approval
