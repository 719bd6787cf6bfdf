"""The one audit log. Services call ``record`` inside their own transaction, so an action and its
audit entry are committed together or not at all.

Entries are append-only at the database level (triggers, migration 0003) and hash-chained: each
entry stores the SHA-256 of its own content and of the entry before it, computed under a lock so
that concurrent writers keep one chain (S17). ``verify_chain`` names the first broken entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from renda.core.context import current_request_context

from .models import AuditAnchor, AuditEntry, AuditOutcome, User

SUCCESS = AuditOutcome.SUCCESS
FAILURE = AuditOutcome.FAILURE
DENIED = AuditOutcome.DENIED

# Any constant will do: it names the one PostgreSQL advisory lock that serialises chain appends.
CHAIN_LOCK_KEY = 4_242_017
# The one-row table the DELETE trigger consults (migration 0003). Fixed SQL, no input in it.
ALLOW_DELETE_SQL = "UPDATE renda_audit_purge_control SET allow_delete = 1 WHERE id = 1"
FORBID_DELETE_SQL = "UPDATE renda_audit_purge_control SET allow_delete = 0 WHERE id = 1"
DELETE_THROUGH_SQL = "DELETE FROM accounts_auditentry WHERE id <= %s"


def _place_of(target: models.Model | None) -> tuple[int | None, int | None]:
    """The county and township an audited object belongs to, so entries can be filtered by place.

    A model may define ``audit_place()``; otherwise its ``county_id`` and ``township_id`` are used.
    """
    if target is None:
        return None, None
    if hasattr(target, "audit_place"):
        return target.audit_place()
    return getattr(target, "county_id", None), getattr(target, "township_id", None)


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's hash covers: every recorded field and the previous entry's hash."""
    at = entry.at.astimezone(UTC).isoformat(timespec="microseconds") if entry.at else ""
    content = [
        at,
        entry.actor_id,
        entry.actor_label,
        entry.actor_role,
        entry.ip_address or "",
        entry.request_id,
        entry.event,
        entry.outcome,
        entry.target_type,
        entry.target_id,
        entry.target_label,
        entry.county_id,
        entry.township_id,
        entry.data,
        entry.prev_hash,
    ]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def hash_of(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def _lock_chain() -> None:
    """Serialise appends. SQLite: the IMMEDIATE transaction already holds the one write lock.
    PostgreSQL: an advisory lock held until the end of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _last_hash() -> str:
    last = AuditEntry.objects.unscoped().order_by("-id").values_list("entry_hash", flat=True).first()
    if last is not None:
        return last
    anchor = AuditAnchor.objects.order_by("-purged_through_id").values_list("last_hash", flat=True).first()
    return anchor or ""


def record(
    event: str,
    *,
    actor: User | None,
    target: models.Model | None = None,
    outcome: str = SUCCESS,
    data: dict[str, Any] | None = None,
    target_label: str = "",
) -> AuditEntry:
    """Write one audit entry. ``data`` must never hold passwords, tokens or unmasked personal data.

    Raises whatever the database raises: callers let it propagate so that the audited action is
    rolled back with it (fail closed, S19).
    """
    context = current_request_context()
    county_id, township_id = _place_of(target)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor,
        actor_label=str(actor) if actor else "",
        actor_role=actor.role if actor else "",
        ip_address=context.ip_address if context else None,
        request_id=context.request_id if context else "",
        event=event,
        outcome=outcome,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(getattr(target, "uuid", None) or getattr(target, "pk", "") or "") if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:200],
        county_id=county_id,
        township_id=township_id,
        data=json.loads(json.dumps(data or {}, default=str)),
    )
    with transaction.atomic():
        _lock_chain()
        entry.prev_hash = _last_hash()
        entry.entry_hash = hash_of(entry)
        entry.save()
    return entry


def record_export(*, actor: User, kind: str, row_count: int, masked: bool = True, target=None, **data) -> AuditEntry:
    """The entry every export writes (S15, S31). Prefer ``accounts.exports.export_authorise``,
    which checks the permission and the row cap before calling this."""
    return record(
        f"export.{kind}",
        actor=actor,
        target=target,
        data={"rows": row_count, "masked": masked, **data},
    )


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    at: datetime | None
    event: str
    reason: str

    def __str__(self) -> str:
        return f"entry #{self.entry_id} ({self.at:%Y-%m-%d %H:%M:%S} {self.event}): {self.reason}"


def verify_chain(*, chunk_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the chain from the first remaining entry; (entries checked, first break or None)."""
    anchor = AuditAnchor.objects.order_by("-purged_through_id").first()
    expected_prev = anchor.last_hash if anchor else ""
    checked = 0
    for entry in AuditEntry.objects.unscoped().order_by("id").iterator(chunk_size=chunk_size):
        checked += 1
        if entry.prev_hash != expected_prev:
            return checked, ChainBreak(entry.pk, entry.at, entry.event, "it does not follow the entry before it")
        if hash_of(entry) != entry.entry_hash:
            return checked, ChainBreak(entry.pk, entry.at, entry.event, "its content does not match its hash")
        expected_prev = entry.entry_hash
    return checked, None


@contextmanager
def privileged_purge() -> Iterator[None]:
    """Within one transaction, let the DELETE trigger pass. The only path that removes entries:
    ``purge_before`` and the test database flush use it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ALLOW_DELETE_SQL)
        try:
            yield
        finally:
            cursor.execute(FORBID_DELETE_SQL)


def retention_cutoff(requested: datetime) -> datetime:
    """The earlier of what was asked and the retention limit: younger entries are never purged."""
    limit = timezone.now() - timedelta(days=settings.RENDA_AUDIT_RETENTION_DAYS)
    return min(requested, limit)


def purge_before(requested: datetime, *, actor: User | None = None) -> int:
    """Remove entries older than ``requested`` but never younger than the retention period (S18).

    Only a prefix of the chain is removed (every entry before the first one that must stay), and
    the hash of the last removed entry is kept as the anchor the remaining chain verifies from.
    """
    cutoff = retention_cutoff(requested)
    with transaction.atomic():
        _lock_chain()
        first_kept = AuditEntry.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
        doomed = AuditEntry.objects.all() if first_kept is None else AuditEntry.objects.filter(id__lt=first_kept)
        last = doomed.order_by("-id").values("id", "entry_hash").first()
        if last is None:
            return 0
        with privileged_purge(), connection.cursor() as cursor:
            cursor.execute(DELETE_THROUGH_SQL, [last["id"]])
            removed = cursor.rowcount
        AuditAnchor.objects.create(purged_through_id=last["id"], last_hash=last["entry_hash"], rows=removed)
        record(
            "audit.purge",
            actor=actor,
            data={"rows": removed, "before": cutoff.isoformat(), "requested": requested.isoformat()},
        )
    return removed
