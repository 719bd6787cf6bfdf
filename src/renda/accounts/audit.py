"""The one audit log. Services call ``record`` inside their own transaction, so an action and its
audit entry are committed together or not at all (S19).

Entries are append-only at the database level (triggers, migrations 0003 and 0005) and
hash-chained (S17): each sealed entry stores its place in the chain (``seq``) and the SHA-256 of
its own content and of the entry before it. ``record`` inserts the entry unsealed and takes no
lock, so audited transactions never wait for each other nor deadlock over the chain. Right after
the transaction commits, ``seal_pending`` seals every committed unsealed entry in a short
transaction of its own, which alone holds the chain lock. Entries whose sealing did not happen
(the process died between commit and seal) are sealed by the next seal, by ``seal_audit`` run
from cron, and by ``verify_audit_chain``. ``anchor_head`` records the chain's head outside the
table (log and anchor table) so that removing the newest entries shows. ``verify_chain`` names the
first broken entry, missing newest entries, and an entry left unsealed longer than ``SEAL_GRACE``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import textwrap
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from renda.core.context import after_request, current_request_context

from .models import AuditAnchor, AuditEntry, AuditHeadAnchor, AuditOutcome, User

logger = logging.getLogger(__name__)

SUCCESS = AuditOutcome.SUCCESS
FAILURE = AuditOutcome.FAILURE
DENIED = AuditOutcome.DENIED

# Any constant will do: it names the one PostgreSQL advisory lock that serialises sealing.
CHAIN_LOCK_KEY = 4_242_017
# Sealing follows each commit within milliseconds; an entry still unsealed after this long means
# sealing is failing (or the entry was slipped in behind the application) and is reported.
SEAL_GRACE = timedelta(minutes=5)
# Entries sealed per transaction, so a sweep after an outage holds the lock only briefly at a time.
SEAL_BATCH = 500
SEAL_FIELDS = ["seq", "prev_hash", "entry_hash"]
# How often each process that seals records the chain's head outside the audit table.
ANCHOR_EVERY = timedelta(minutes=5)
_anchored_at = float("-inf")  # this process's last anchor, on the monotonic clock
# The one-row table the DELETE trigger consults (migration 0003). Fixed SQL, no input in it.
ALLOW_DELETE_SQL = "UPDATE renda_audit_purge_control SET allow_delete = 1 WHERE id = 1"
FORBID_DELETE_SQL = "UPDATE renda_audit_purge_control SET allow_delete = 0 WHERE id = 1"
DELETE_THROUGH_SQL = "DELETE FROM accounts_auditentry WHERE seq <= %s"
SEAL_LOCK_SQL = "SELECT pg_advisory_xact_lock(%s), set_config('synchronous_commit', 'off', true)"
SEAL_TRY_LOCK_SQL = "SELECT pg_try_advisory_xact_lock(%s), set_config('synchronous_commit', 'off', true)"


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
    """The bytes an entry's hash covers: every recorded field and the previous entry's hash.

    ``seq`` is left out, as it was before sealing existed, so older entries still verify: the
    order is carried by the links (a moved entry no longer follows the one before it)."""
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
    """Keep seals out while purging. SQLite: the IMMEDIATE transaction already holds the one
    write lock. PostgreSQL: the chain's advisory lock until the end of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _take_seal_lock(*, wait: bool) -> bool:
    """The chain lock for one seal; without ``wait``, False when another seal holds it.

    On PostgreSQL the seal's commit does not wait for the disk, which would keep the next seal
    waiting: the entries it seals were committed durably by their own transactions, and a seal
    lost in a crash is done again by the next one.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(SEAL_LOCK_SQL if wait else SEAL_TRY_LOCK_SQL, [CHAIN_LOCK_KEY])
        return wait or bool(cursor.fetchone()[0])


def _await_running_seal() -> None:
    """Return once the seal running now has ended. Waiters share the lock, so they are released
    together instead of queueing for it one by one."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [CHAIN_LOCK_KEY])


def _chain_head() -> tuple[int, str]:
    """The position and hash of the last sealed entry (or of the last purged one)."""
    last = (
        AuditEntry.objects.unscoped()
        .filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "entry_hash")
        .first()
    )
    if last is not None:
        return cast(tuple[int, str], last)  # sealed entries have a position
    anchor = AuditAnchor.objects.order_by("-purged_through_seq").values_list("purged_through_seq", "last_hash").first()
    return anchor or (0, "")


def seal_pending(*, wait: bool = True, anchor: bool = True) -> list[AuditEntry] | None:
    """Seal every committed, unsealed entry in id order; the entries sealed, or None when told
    not to ``wait`` and another seal is running. The head is anchored when it is due, unless the
    caller anchors it itself (``anchor=False``: verification anchors only a chain it checked).

    Call it outside any transaction (on commit, from a command): the lock it takes lasts as long
    as the transaction around it, which should be its own.
    """
    sealed: list[AuditEntry] = []
    while True:
        with transaction.atomic():
            if not _take_seal_lock(wait=wait):
                return None
            batch = list(AuditEntry.objects.unscoped().filter(seq__isnull=True).order_by("id")[:SEAL_BATCH])
            if batch:
                seq, prev_hash = _chain_head()
                for entry in batch:
                    seq += 1
                    entry.seq, entry.prev_hash = seq, prev_hash
                    entry.entry_hash = prev_hash = hash_of(entry)
                AuditEntry.objects.bulk_update(batch, SEAL_FIELDS)
        sealed += batch
        if len(batch) < SEAL_BATCH:
            if anchor and time.monotonic() - _anchored_at >= ANCHOR_EVERY.total_seconds():
                anchor_head()
            return sealed


def anchor_head() -> AuditHeadAnchor | None:
    """Record the chain's head (position and hash) outside the audit table: in the application log,
    which operators ship to another host, and in the head anchor table that verification checks.
    Removing the newest entries then shows. None while the chain is empty."""
    global _anchored_at
    _anchored_at = time.monotonic()
    seq, entry_hash = _chain_head()
    if not entry_hash:
        return None
    latest = AuditHeadAnchor.objects.order_by("-seq").first()
    if latest is None or latest.seq < seq:
        # Its commit also makes the (asynchronously committed) seal of this head durable.
        latest = AuditHeadAnchor.objects.create(seq=seq, entry_hash=entry_hash)
    # Grouped so that no run of digits in the hash looks like a phone number to the log filter.
    logger.info("audit chain head: position %d, hash %s", seq, ":".join(textwrap.wrap(entry_hash, 8)))
    return latest


# The entries this thread recorded whose seal has not reached them yet (weakly: an entry whose
# transaction rolled back is forgotten with its caller). One seal covers every entry committed
# before it, so the first seal after a commit hands the result to all of that commit's entries and
# their own callbacks then have nothing left to do.
_unsealed = threading.local()


def _held_entries() -> weakref.WeakSet[AuditEntry]:
    held = getattr(_unsealed, "entries", None)
    if held is None:
        held = _unsealed.entries = weakref.WeakSet()
    return held


def _seal_after_commit(entry: AuditEntry) -> None:
    """Seal the entry just committed. While another seal runs, wait for it: it usually takes this
    entry along (it was committed before that seal looked), so most writers never seal at all.
    The caller keeps the entry it was given, and with it its hash, which exports print."""
    if entry.seq is not None:  # sealed with an entry of the same commit
        _held_entries().discard(entry)
        return
    while (sealed := seal_pending(wait=False)) is None:
        _await_running_seal()
        entry.refresh_from_db(fields=SEAL_FIELDS)
        if entry.seq is not None:
            _held_entries().discard(entry)
            return
    done_by_pk = {done.pk: done for done in sealed}
    held = _held_entries()
    for other in list(held):
        done = done_by_pk.get(other.pk)
        if done is not None:
            other.seq, other.prev_hash, other.entry_hash = done.seq, done.prev_hash, done.entry_hash
            held.discard(other)
    if entry.seq is None:  # sealed by a seal that ended before this one began
        entry.refresh_from_db(fields=SEAL_FIELDS)
    held.discard(entry)


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
    rolled back with it (fail closed, S19). The entry is sealed once the transaction commits; a
    failure then is logged, not raised, as the action has happened: the sweep seals it later.
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
    entry.save()
    _held_entries().add(entry)
    transaction.on_commit(lambda: _seal_after_commit(entry), robust=True)
    return entry


def record_denied(*, actor: User, target: models.Model, data: dict[str, Any]) -> None:
    """Record a refused access (S15) and count it towards the burst alert (S26).

    A refusal usually unwinds the caller's transaction (Http404 out of an ``atomic()`` block),
    which would take an entry written inside it along. In a request the entry is therefore written
    once the response is ready, after every transaction the view opened has ended; elsewhere
    (commands, tasks) at once.
    """

    def write() -> None:
        from . import alerts

        record("access.denied", actor=actor, target=target, outcome=DENIED, data=data)
        alerts.note_denied_access(actor)

    if not after_request(write):
        write()


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
    entry_id: int | None  # None: entries are missing from the end of the chain
    at: datetime | None
    event: str
    reason: str | Promise

    def __str__(self) -> str:
        where = f"entry #{self.entry_id}" if self.entry_id is not None else "the end of the chain"
        return f"{where} ({self.at:%Y-%m-%d %H:%M:%S} {self.event}): {self.reason}"


def verify_chain(*, chunk_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the sealed chain from the first remaining entry; (entries checked, first break or None).

    Reads only. The chain must reach the latest anchored head with the hash recorded there, so
    removing the newest entries shows. Entries are sealed within moments of their commit, so one
    still unsealed after ``SEAL_GRACE`` is reported too: nothing would show if it were removed.
    """
    anchor = AuditAnchor.objects.order_by("-purged_through_seq").first()
    expected_prev = anchor.last_hash if anchor else ""
    head = AuditHeadAnchor.objects.filter(seq__gt=anchor.purged_through_seq if anchor else 0).first()
    last_seq: int | None = anchor.purged_through_seq if anchor else 0
    head_entry: AuditEntry | None = None
    checked = 0
    for entry in (
        AuditEntry.objects.unscoped().filter(seq__isnull=False).order_by("seq").iterator(chunk_size=chunk_size)
    ):
        checked += 1
        if entry.prev_hash != expected_prev:
            return checked, ChainBreak(entry.pk, entry.at, entry.event, _("It does not follow the entry before it."))
        if hash_of(entry) != entry.entry_hash:
            return checked, ChainBreak(entry.pk, entry.at, entry.event, _("Its content does not match its hash."))
        expected_prev, last_seq = entry.entry_hash, entry.seq
        if head is not None and entry.seq == head.seq:
            head_entry = entry
    if head is not None and head_entry is None:
        reason = _("The chain ends at position %(last)d, but position %(head)d was recorded on %(when)s.") % {
            "last": last_seq,
            "head": head.seq,
            "when": f"{timezone.localtime(head.at):%Y-%m-%d %H:%M}",
        }
        return checked, ChainBreak(None, head.at, "", reason)
    if head is not None and head_entry is not None and head_entry.entry_hash != head.entry_hash:
        reason = _("Its hash is not the one recorded for its position on %(when)s.") % {
            "when": f"{timezone.localtime(head.at):%Y-%m-%d %H:%M}"
        }
        return checked, ChainBreak(head_entry.pk, head_entry.at, head_entry.event, reason)
    stale = (
        AuditEntry.objects.unscoped()
        .filter(seq__isnull=True, at__lt=timezone.now() - SEAL_GRACE)
        .order_by("id")
        .first()
    )
    if stale is not None:
        return checked, ChainBreak(stale.pk, stale.at, stale.event, _("It has not been sealed into the chain in time."))
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
    Pending entries are sealed first, so only sealed entries are ever purged.
    """
    cutoff = retention_cutoff(requested)
    seal_pending()
    with transaction.atomic():
        _lock_chain()
        sealed = AuditEntry.objects.unscoped().filter(seq__isnull=False)
        first_kept = sealed.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        doomed = sealed if first_kept is None else sealed.filter(seq__lt=first_kept)
        last = doomed.order_by("-seq").values("seq", "entry_hash").first()
        if last is None:
            return 0
        with privileged_purge(), connection.cursor() as cursor:
            cursor.execute(DELETE_THROUGH_SQL, [last["seq"]])
            removed = cursor.rowcount
        AuditAnchor.objects.create(
            purged_through_seq=cast(int, last["seq"]), last_hash=last["entry_hash"], rows=removed
        )
        record(
            "audit.purge",
            actor=actor,
            data={"rows": removed, "before": cutoff.isoformat(), "requested": requested.isoformat()},
        )
    return removed
