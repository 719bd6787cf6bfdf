"""The county's activity types: the county administrator adds, renames, retires (no longer offered;
the activities keep their type), offers again and reorders them. Names are unique per county."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.permissions import require as _require
from renda.accounts.scoping import CHANGE, can
from renda.organisations.models import County

from .models import ActivityCategory, ActivityType
from .permissions import may_manage_types


def _clean_name(county: County, name: str, *, exclude: ActivityType | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the type a name.")})
    if len(name) > 60:
        raise ValidationError({"name": _("Keep the name under 60 characters.")})
    others = ActivityType.objects.unscoped().filter(county=county, name=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"name": _("The county has a type of this name already.")})
    return name


def _lock_county_types(county: County) -> list[ActivityType]:
    return list(ActivityType.objects.unscoped().select_for_update().filter(county=county).order_by("order", "id"))


@transaction.atomic
def add_type(county: County, actor: User, *, name: str, category: str) -> ActivityType:
    _require(may_manage_types(actor) and county.pk in _counties_of(actor))
    _lock_county_types(county)
    if category not in ActivityCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    name = _clean_name(county, name)
    last = ActivityType.objects.unscoped().filter(county=county).aggregate(last=Max("order"))["last"] or 0
    kind = ActivityType.objects.create(county=county, name=name, category=category, order=last + 1)
    audit.record("activities.type.add", actor=actor, target=kind, data={"name": name, "kind": category})
    return kind


def _counties_of(actor: User) -> set[int]:
    from renda.accounts.scoping import VIEW, scoped

    return set(scoped(County, actor, VIEW).values_list("pk", flat=True))


def _locked(kind: ActivityType, actor: User) -> ActivityType:
    _require(may_manage_types(actor) and can(actor, CHANGE, kind))
    return ActivityType.objects.unscoped().select_for_update().get(pk=kind.pk)


@transaction.atomic
def rename_type(kind: ActivityType, actor: User, *, name: str) -> ActivityType:
    """Rename a type; activities already held keep their record (their category is their own)."""
    kind = _locked(kind, actor)
    name = _clean_name(kind.county, name, exclude=kind)
    if name != kind.name:
        before = kind.name
        kind.name = name
        kind.save(update_fields=["name", "updated_at"])
        audit.record("activities.type.rename", actor=actor, target=kind, data={"before": before, "name": name})
    return kind


@transaction.atomic
def set_type_offered(kind: ActivityType, actor: User, *, offered: bool) -> ActivityType:
    kind = _locked(kind, actor)
    if kind.active != offered:
        kind.active = offered
        kind.save(update_fields=["active", "updated_at"])
        event = "activities.type.offer" if offered else "activities.type.retire"
        audit.record(event, actor=actor, target=kind, data={"name": kind.name})
    return kind


@transaction.atomic
def move_type(kind: ActivityType, actor: User, *, up: bool) -> ActivityType:
    """Move a type one place up or down the county's list (the list is numbered again 1, 2, 3…)."""
    kind = _locked(kind, actor)
    types = _lock_county_types(kind.county)
    index = next(i for i, t in enumerate(types) if t.pk == kind.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(types):
        types[index], types[other] = types[other], types[index]
        for position, row in enumerate(types, start=1):
            if row.order != position:
                row.order = position
                row.save(update_fields=["order", "updated_at"])
        audit.record("activities.type.move", actor=actor, target=kind, data={"name": kind.name})
    return next(t for t in types if t.pk == kind.pk)
