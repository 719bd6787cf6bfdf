"""The one export-control mechanism (S31). Every Excel or Word download of records goes through
``export_response``, which authorises the export, stamps ``grant.footer`` into the file and returns
the download; ``export_authorise`` is the check and audit entry underneath it.

- permission: only roles in ``EXPORT_ROLES`` (who also pass the second factor, S7) export personal
  information; a file of figures or of the user's own record needs only the view's own access check;
- scope: the caller builds its rows with ``scoped()``, as every read does;
- masked by default: a caller exports full values only when it asks (``?unmasked=1``), the role
  may reveal, and the request is a POST giving a reason (``ExportReasonForm``), which the audit
  entry keeps; a link, a bookmark or a prefetch (a GET) gets the form that asks for the reason, not
  the file. An approved export (below) carries the reason given in its request;
- row cap: above ``RENDA_EXPORT_ROW_CAP`` rows an approval by a county administrator is needed. The
  refused user is sent to a form to request one (``export_approval_request``); once approved, the
  same export (same page, kind and filter, no more rows) runs once, by a POST of ``approval=<uuid>``
  to the export's URL;
- audited, fail closed: one entry per export, committed before the file is built, naming the
  filter, the row count, the masking and whose records the file holds (``ExportSubjects``);
- no temporary files: exports are built as bytes in memory and streamed to the response.

Blank templates (e.g. the roster import template) hold nobody's records: they are served with
``documents.http.download_response`` directly and not audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.documents.http import download_response

from . import alerts, audit
from .forms import ExportReasonForm
from .models import AuditEntry, ExportApproval, User
from .roles import EXPORT_ROLES, PII_REVEAL_ROLES, Role, has_role
from .scoping import VIEW, scoped

# An audit entry lists the UUIDs of at most this many people; beyond it, the count and the filter
# (which re-runs the same query) say whose records left.
AUDIT_SUBJECT_LIMIT = 200
REQUEST_SALT = "renda.accounts.export-approval-request"
# A refused export's request form stays valid this long (seconds): long enough to write a reason.
REQUEST_TOKEN_AGE = 24 * 3600


class ExportNeedsApproval(PermissionDenied):
    """More rows than the cap and no valid approval: ask a county administrator."""


class ExportApprovalError(Exception):
    """An approval that cannot be approved or refused (any more); the message says why."""


@dataclass(frozen=True)
class ExportSubjects:
    """Whose records a file holds, for its audit entry: townships by name, people by UUID."""

    townships: Iterable[str] = ()
    people: Iterable[UUID | str] = ()

    def audit_data(self) -> dict:
        people = list(dict.fromkeys(str(uuid) for uuid in self.people))
        return {
            "townships": sorted({str(name) for name in self.townships}),
            "people": len(people),
            "person_uuids": people[:AUDIT_SUBJECT_LIMIT],
        }


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
    return has_role(user, EXPORT_ROLES)


def may_export_unmasked(user) -> bool:
    """Full values in a file: those who may export and may reveal personal information."""
    return may_export(user) and user.role in PII_REVEAL_ROLES


def export_query(request) -> str:
    """The export's filter as it is compared with an approval: the query string without empty
    fields, in a fixed order."""
    pairs = sorted((key, value) for key in request.GET for value in request.GET.getlist(key) if value != "")
    return urlencode(pairs)


def export_response(
    request,
    *,
    kind: str,
    filename: str,
    row_count: int,
    build: Callable[[ExportGrant], bytes],
    subjects: ExportSubjects | None = None,
    personal: bool = True,
) -> HttpResponse:
    """Authorise, audit, build and return one Excel or Word download (``filename`` ends in .xlsx or
    .docx). ``build(grant)`` makes the file's bytes: it masks unless ``grant.masked`` is false and
    puts ``grant.footer`` into the file. ``personal=False`` for figures without anyone's personal
    information and for the user's own record: audited and stamped, but no export role, no full
    values and no cap. Raises PermissionDenied (403) for a user who may not export or reveal; above
    the cap without a valid approval, redirects to the form that requests one."""
    query = export_query(request)
    masked = request.GET.get("unmasked") != "1"
    approval = _approval_in(request)
    reason = approval.reason if approval else ""
    if not masked and approval is None and may_export_unmasked(request.user):
        form = ExportReasonForm(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            return render(
                request,
                "accounts/export_reason.html",
                {"form": form, "action": request.get_full_path(), "kind": kind, "row_count": row_count},
            )
        reason = form.cleaned_data["reason"]
    try:
        grant = export_authorise(
            actor=request.user,
            kind=kind,
            row_count=row_count,
            masked=masked,
            approval=approval,
            query=query,
            subjects=subjects,
            personal=personal,
            reason=reason,
        )
    except ExportNeedsApproval as refusal:
        messages.error(request, str(refusal))
        token = signing.dumps(
            {"kind": kind, "rows": row_count, "query": query, "path": request.path}, salt=REQUEST_SALT
        )
        return redirect(f"{reverse('accounts:export_approval_request')}?{urlencode({'export': token})}")
    return download_response(build(grant), filename)


def _approval_in(request) -> ExportApproval | None:
    """The approval POSTed with the export (the approvals page's "run" button); a GET never spends one."""
    if request.method != "POST":
        return None
    try:
        uuid = UUID(request.POST.get("approval", ""))
    except ValueError:
        return None
    return scoped(ExportApproval, request.user, VIEW).filter(uuid=uuid, requested_by=request.user).first()


def export_authorise(
    *,
    actor: User,
    kind: str,
    row_count: int,
    masked: bool = True,
    approval: ExportApproval | None = None,
    query: str = "",
    subjects: ExportSubjects | None = None,
    personal: bool = True,
    reason: str = "",
) -> ExportGrant:
    """Check and record one export. Raises PermissionDenied (role, or unmasked without the right
    to reveal) or ExportNeedsApproval (above the cap without a valid approval). The approval, if
    used, is spent; below the cap it is not needed and stays unspent. The audit entry is written in
    the grant's transaction: if it fails, no grant. A refusal is audited too (committed, since the
    refusal itself raises). ``personal=False`` (figures, one's own record) skips the role check
    and the cap, unless full values are asked for. ``reason`` is why full values are exported (kept
    in the audit entry of an unmasked export)."""
    details = {"filter": query, **(subjects or ExportSubjects()).audit_data()}
    if not masked:
        details["reason"] = reason
    checked = personal or not masked
    if checked and not (may_export_unmasked(actor) if not masked else may_export(actor)):
        data = {"rows": row_count, "masked": masked, **details}
        audit.record(f"export.{kind}", actor=actor, outcome=audit.DENIED, data=data)
        raise PermissionDenied(_("You may not export this information."))
    try:
        return _export_grant(
            actor=actor,
            kind=kind,
            row_count=row_count,
            masked=masked,
            approval=approval if checked else None,
            capped=checked,
            details=details,
        )
    except ExportNeedsApproval:
        # After the grant's transaction rolled back, so the refusal stays on record.
        data = {"rows": row_count, "masked": masked, "approval": str(approval.uuid) if approval else "", **details}
        audit.record(f"export.{kind}", actor=actor, outcome=audit.DENIED, target=approval, data=data)
        raise


@transaction.atomic
def _export_grant(
    *,
    actor: User,
    kind: str,
    row_count: int,
    masked: bool,
    approval: ExportApproval | None,
    capped: bool,
    details: dict,
) -> ExportGrant:
    if not capped or row_count <= settings.RENDA_EXPORT_ROW_CAP:
        approval = None
    elif approval is None:
        raise ExportNeedsApproval(
            _("Exports of more than %(cap)d rows need the approval of a county administrator.")
            % {"cap": settings.RENDA_EXPORT_ROW_CAP}
        )
    else:
        approval = ExportApproval.objects.unscoped().select_for_update().get(pk=approval.pk)
        if not approval.is_valid_for(user=actor, kind=kind, row_count=row_count, query=details["filter"]):
            raise ExportNeedsApproval(
                _("This approval is not valid for this export: it is used, expired, smaller or for another filter.")
            )
        approval.used_at = timezone.now()
        approval.save(update_fields=["used_at"])
    entry = audit.record_export(
        actor=actor,
        kind=kind,
        row_count=row_count,
        masked=masked,
        target=approval,
        approval=str(approval.uuid) if approval else "",
        **details,
    )
    transaction.on_commit(lambda: alerts.note_export(actor, row_count))
    return ExportGrant(actor=actor, kind=kind, row_count=row_count, masked=masked, at=entry.at, entry=entry)


# --- Approvals ----------------------------------------------------------------------------------


def export_request_details(token: str) -> dict:
    """The refused export a request form carries: kind, rows, query and path, signed by
    ``export_response`` so they cannot be edited. Raises ``signing.BadSignature`` (or its subclass
    ``SignatureExpired``)."""
    return signing.loads(token, salt=REQUEST_SALT, max_age=REQUEST_TOKEN_AGE)


@transaction.atomic
def export_approval_request(
    *, actor: User, kind: str, row_count: int, reason: str, query: str = "", path: str = ""
) -> ExportApproval:
    if not may_export(actor):
        raise PermissionDenied(_("You may not export this information."))
    approval = ExportApproval.objects.create(
        requested_by=actor,
        county_id=actor.county_id,
        township_id=actor.township_id,
        kind=kind,
        row_count=row_count,
        reason=reason,
        query=query,
        path=path,
    )
    audit.record(
        "export.approval.request",
        actor=actor,
        target=approval,
        data={"kind": kind, "rows": row_count, "filter": query},
    )
    return approval


def _check_decider(*, approval: ExportApproval, actor: User, event: str) -> None:
    """A county administrator of the requester's county decides; nobody decides their own.
    A refusal is audited (committed, since the refusal itself raises)."""
    if actor.role != Role.COUNTY_ADMIN or actor.county_id != approval.county_id or actor.pk == approval.requested_by_id:
        audit.record(event, actor=actor, target=approval, outcome=audit.DENIED)
        raise PermissionDenied(_("Only a county administrator of the same county may decide on this export."))


def export_approval_grant(*, approval: ExportApproval, actor: User) -> ExportApproval:
    """Approve a pending request: valid for ``RENDA_EXPORT_APPROVAL_HOURS``, once. Raises
    PermissionDenied (see ``_check_decider``) or ExportApprovalError (already decided)."""
    _check_decider(approval=approval, actor=actor, event="export.approval.grant")
    return _approve(approval=approval, actor=actor)


def _lock_pending(approval: ExportApproval) -> ExportApproval:
    """The request, locked for the decision; ExportApprovalError if someone decided it already."""
    approval = ExportApproval.objects.unscoped().select_for_update().get(pk=approval.pk)
    if not approval.is_pending:
        raise ExportApprovalError(_("This request has been decided already."))
    return approval


@transaction.atomic
def _approve(*, approval: ExportApproval, actor: User) -> ExportApproval:
    approval = _lock_pending(approval)
    now = timezone.now()
    approval.approved_by = actor
    approval.approved_at = now
    approval.expires_at = now + timedelta(hours=settings.RENDA_EXPORT_APPROVAL_HOURS)
    approval.save(update_fields=["approved_by", "approved_at", "expires_at"])
    audit.record("export.approval.grant", actor=actor, target=approval, data={"rows": approval.row_count})
    return approval


def export_approval_refuse(*, approval: ExportApproval, actor: User, reason: str) -> ExportApproval:
    """Refuse a pending request, with the reason the requester will read. Raises PermissionDenied
    (see ``_check_decider``) or ExportApprovalError (already decided)."""
    _check_decider(approval=approval, actor=actor, event="export.approval.refuse")
    return _refuse(approval=approval, actor=actor, reason=reason)


@transaction.atomic
def _refuse(*, approval: ExportApproval, actor: User, reason: str) -> ExportApproval:
    approval = _lock_pending(approval)
    approval.refused_by = actor
    approval.refused_at = timezone.now()
    approval.refusal_reason = reason
    approval.save(update_fields=["refused_by", "refused_at", "refusal_reason"])
    audit.record("export.approval.refuse", actor=actor, target=approval, data={"reason": reason})
    return approval
