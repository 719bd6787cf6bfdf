"""How capabilities contribute to a deputy's archive (履职档案) and points (履职积分).

A capability (meetings, activities, casework…) declares each kind of record it keeps, once, in its
AppConfig.ready()::

    from renda.deputies.contributions import RecordKind, register
    register(RecordKind(
        code="activities.inspection_attended",
        label=_("Inspection attended"),
        default_points=Decimal(3),
        records=inspections_attended,   # QuerySet[Mandate] -> Iterable[Contribution]
    ))

``records`` receives the mandates to look at (one for an archive, a whole county for points) and
yields one ``Contribution`` per record and mandate, with the record itself as ``source`` so every
point links back to it. The deputies app never imports the capabilities: they import this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Contribution:
    mandate_id: int
    date: date
    source: Model  # the record; must have a ``uuid``
    title: str
    outcome: str = ""
    url: str = ""
    # Points are amount × quantity (e.g. half-days of leave); 1 for most records.
    quantity: Decimal = Decimal(1)


@dataclass(frozen=True)
class RecordKind:
    code: str  # "app.what", unique
    label: str | Promise
    records: Callable[[QuerySet[Any]], Iterable[Contribution]]
    default_points: Decimal = Decimal(0)
    in_archive: bool = True
    description: str | Promise = ""


_registry: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    if kind.code in _registry and _registry[kind.code] is not kind:
        raise ValueError(f"record kind {kind.code!r} is declared twice")
    _registry[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    """For tests that declare a kind of their own."""
    _registry.pop(code, None)


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
