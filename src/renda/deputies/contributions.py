"""How capabilities contribute to a deputy's archive (履职档案) and points (履职积分).

A capability (meetings, activities, casework…) declares its archive section and each kind of record
it keeps, once, in its AppConfig.ready()::

    from renda.deputies.contributions import ArchiveSection, RecordKind, register, register_section
    register_section(ArchiveSection(code="activities", label=_("Activities"), order=300))
    register(RecordKind(
        code="activities.inspection_attended",
        label=_("Inspection attended"),
        section="activities",
        default_points=Decimal(3),
        records=inspections_attended,   # QuerySet[Mandate] -> Iterable[Contribution]
        models=(Attendance,),           # saving or deleting one updates points
        mandates_of=lambda attendance: [attendance.mandate_id],
    ))

``records`` receives the mandates to look at (one for an archive, a whole county for points) and
yields one ``Contribution`` per record and mandate, with the record itself as ``source`` so every
point links back to it. Saving or deleting a row of one of ``models`` enqueues a recomputation of
the points of the mandates ``mandates_of(row)`` names (and of those the row earned points before),
so new work scores without any rule edit. A kind whose lines not every reader of an archive may see
(a ballot, a citizen's name) sets ``audience``; the archive filters lines in ``visible_to``.
The deputies app never imports the capabilities: they import this module.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise

from renda.core.models import UUIDModel
from renda.core.registry import Registry

# Who may see a line: ``None`` is every reader of the archive (whoever may see the mandate);
# otherwise only users whose role is in the set.
Audience = frozenset[str] | None


@dataclass(frozen=True)
class Contribution:
    mandate_id: int
    date: date
    source: UUIDModel  # the record
    title: str
    outcome: str = ""
    url: str = ""
    # Points are amount × quantity (e.g. half-days of leave); 1 for most records.
    quantity: Decimal = Decimal(1)
    # Narrows the kind's audience for this one line (e.g. one confidential record of a public kind).
    audience: Audience = None


@dataclass(frozen=True)
class ArchiveSection:
    """A part of the archive (e.g. meetings, activities) holding the lines of some record kinds."""

    code: str
    label: str | Promise
    order: int


def _own_mandate(record: Model) -> Iterable[int]:
    return [record.mandate_id]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RecordKind:
    code: str  # "app.what", unique
    label: str | Promise
    records: Callable[[QuerySet[Any]], Iterable[Contribution]]
    section: str  # an ArchiveSection code
    default_points: Decimal = Decimal(0)
    in_archive: bool = True
    description: str | Promise = ""
    # The models whose rows are this kind's records, and the mandates (primary keys) a row counts for.
    models: tuple[type[Model], ...] = ()
    mandates_of: Callable[[Any], Iterable[int]] = _own_mandate
    audience: Audience = None

    def audience_of(self, line: Contribution) -> Audience:
        """The line's audience: the kind's, narrowed by the line's own."""
        if self.audience is None:
            return line.audience
        return self.audience if line.audience is None else self.audience & line.audience


# Rows several kinds read from one query (the attendances behind "attended", "leave" and
# "absent"), loaded once per mandates queryset: the archive and the points computation pass one
# queryset object to every kind, so each family of kinds costs one query, not one per kind.
_shared: weakref.WeakKeyDictionary[QuerySet[Any], dict[str, list[Any]]] = weakref.WeakKeyDictionary()


def shared_rows(mandates: QuerySet[Any], key: str, load: Callable[[QuerySet[Any]], Iterable[Any]]) -> list[Any]:
    """``load(mandates)`` as a list, computed once for this queryset object and ``key``."""
    loaded = _shared.setdefault(mandates, {})
    if key not in loaded:
        loaded[key] = list(load(mandates))
    return loaded[key]


_registry: dict[str, RecordKind] = {}
sections: Registry[ArchiveSection] = Registry("archive sections")


def register_section(section: ArchiveSection) -> ArchiveSection:
    return sections.add(section)


def register(kind: RecordKind) -> RecordKind:
    if kind.code in _registry and _registry[kind.code] is not kind:
        raise ValueError(f"record kind {kind.code!r} is declared twice")
    if sections.get(kind.section) is None:
        raise ValueError(f"record kind {kind.code!r}: register its archive section {kind.section!r} first")
    if kind.mandates_of is _own_mandate:
        for model in kind.models:
            if not any(field.name == "mandate" for field in model._meta.get_fields()):
                raise ValueError(f"record kind {kind.code!r}: {model._meta.label} has no mandate; give mandates_of")
    _registry[kind.code] = kind
    for model in kind.models:
        # One receiver per model, whatever number of kinds it feeds.
        uid = f"deputies.points.{model._meta.label}"
        post_save.connect(_record_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_record_changed, sender=model, dispatch_uid=uid)
    return kind


def unregister(code: str) -> None:
    """For tests that declare a kind of their own."""
    kind = _registry.pop(code, None)
    for model in kind.models if kind else ():
        if not any(model in other.models for other in _registry.values()):
            uid = f"deputies.points.{model._meta.label}"
            post_save.disconnect(sender=model, dispatch_uid=uid)
            post_delete.disconnect(sender=model, dispatch_uid=uid)


def kinds() -> list[RecordKind]:
    return sorted(_registry.values(), key=lambda kind: kind.code)


def get(code: str) -> RecordKind | None:
    return _registry.get(code)


def label_of(code: str) -> str:
    from django.utils.translation import gettext as _

    if code == BASE_KIND:
        return _("Yearly base")
    kind = _registry.get(code)
    return str(kind.label) if kind else code


# The yearly base (DeputySettings.yearly_base_points) is an entry of its own kind, one per mandate
# and year, linked to the mandate.
BASE_KIND = "deputies.yearly_base"


def visible_to(kind: RecordKind, line: Contribution, viewer) -> bool:
    """Whether ``viewer`` (who may see the mandate) may see this line of its archive. ``None`` is
    the system itself (the points computation), which reads every line."""
    audience = kind.audience_of(line)
    return audience is None or viewer is None or viewer.role in audience


_deferred: ContextVar[bool] = ContextVar("points_refresh_deferred", default=False)


@contextmanager
def points_refresh_deferred() -> Iterator[None]:
    """For bulk work (the demo seed) that recomputes the county's points itself at the end: no
    refresh is enqueued meanwhile for a row of any declared kind saved or deleted."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def _record_changed(sender, instance, raw=False, **kwargs) -> None:
    """A record of a declared kind was saved or deleted: recompute the points it counts for, once
    the change is committed. Only enqueues; the work is ``services.points_refresh``."""
    if raw or _deferred.get():  # loaddata: fixtures bring their own ledger; a deferred bulk seed
        return
    from django.contrib.contenttypes.models import ContentType

    from .tasks import points_refresh

    mandate_pks = sorted(
        {pk for kind in _registry.values() if sender in kind.models for pk in kind.mandates_of(instance) if pk}
    )
    source_type_pk = ContentType.objects.get_for_model(sender).pk
    source_uuid = str(instance.uuid)
    # robust: the record is committed already; a failed enqueue must not turn the user's save into
    # an error page. The nightly ``recompute_points`` repairs what a lost task missed.
    transaction.on_commit(
        lambda: points_refresh.enqueue(mandate_pks, source_type_pk, source_uuid),
        robust=True,
    )
