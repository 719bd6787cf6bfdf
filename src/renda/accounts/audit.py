"""The one audit log. Services call ``record`` inside their own transaction, so an action and its
audit entry are committed together or not at all."""

from __future__ import annotations

from typing import Any

from django.db import models

from renda.core.context import current_request_context

from .models import AuditEntry, AuditOutcome, User

SUCCESS = AuditOutcome.SUCCESS
FAILURE = AuditOutcome.FAILURE
DENIED = AuditOutcome.DENIED


def _place_of(target: models.Model | None) -> tuple[int | None, int | None]:
    """The county and township an audited object belongs to, so entries can be filtered by place.

    A model may define ``audit_place()``; otherwise its ``county_id`` and ``township_id`` are used.
    """
    if target is None:
        return None, None
    if hasattr(target, "audit_place"):
        return target.audit_place()
    return getattr(target, "county_id", None), getattr(target, "township_id", None)


def record(
    event: str,
    *,
    actor: User | None,
    target: models.Model | None = None,
    outcome: str = SUCCESS,
    data: dict[str, Any] | None = None,
    target_label: str = "",
) -> AuditEntry:
    """Write one audit entry. ``data`` must never hold passwords, tokens or unmasked personal data."""
    context = current_request_context()
    county_id, township_id = _place_of(target)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
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
        data=data or {},
    )
