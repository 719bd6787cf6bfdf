"""The county's list of case categories (财政经济, 农业农村…), kept by the county administrator:
add, rename, reorder, deactivate and reactivate. Each change is audited in its transaction. A
category in use is never deleted: cases keep it, new cases no longer offer it once deactivated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from renda.accounts import audit

from . import permissions as may
from . import services
from .models import CaseCategory

if TYPE_CHECKING:
    from renda.accounts.models import User
    from renda.organisations.models import County

AUDIT_EVENTS = ("create", "rename", "move", "activate", "deactivate", "defaults")


def _require(user: User, county_id: int) -> None:
    if not may.may_manage_categories(user) or getattr(user, "county_id", None) != county_id:
        raise PermissionDenied


def _clean_name(county_id: int, name: str, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    taken = CaseCategory.objects.unscoped().filter(county_id=county_id, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": _("This county has a category of this name already.")})
    return name


@transaction.atomic
def category_create(*, county: County, name: str, actor: User) -> CaseCategory:
    _require(actor, county.pk)
    name = _clean_name(county.pk, name)
    last = CaseCategory.objects.unscoped().filter(county=county).aggregate(last=Max("order"))["last"] or 0
    category = CaseCategory.objects.create(county=county, name=name, order=last + 1)
    audit.record("casework.category.create", actor=actor, target=category, data={"name": name})
    return category


@transaction.atomic
def category_rename(*, category: CaseCategory, name: str, actor: User) -> CaseCategory:
    _require(actor, category.county_id)
    name = _clean_name(category.county_id, name, exclude=category.pk)
    before = category.name
    category.name = name
    category.save(update_fields=["name"])
    audit.record("casework.category.rename", actor=actor, target=category, data={"before": before, "name": name})
    return category


@transaction.atomic
def category_move(*, category: CaseCategory, up: bool, actor: User) -> CaseCategory:
    """Swap the category with its neighbour above (``up``) or below; the list is renumbered 1…n
    first, so equal orders left by earlier edits do not make a move do nothing."""
    _require(actor, category.county_id)
    siblings = list(CaseCategory.objects.unscoped().select_for_update().filter(county_id=category.county_id))
    siblings.sort(key=lambda row: (row.order, row.name))
    index = next(i for i, row in enumerate(siblings) if row.pk == category.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, row in enumerate(siblings, 1):
        row.order = position
    CaseCategory.objects.unscoped().bulk_update(siblings, ["order"])
    moved = siblings[other if 0 <= other < len(siblings) else index]
    audit.record("casework.category.move", actor=actor, target=moved, data={"name": moved.name, "order": moved.order})
    return moved


@transaction.atomic
def category_set_active(*, category: CaseCategory, active: bool, actor: User) -> CaseCategory:
    _require(actor, category.county_id)
    category.is_active = active
    category.save(update_fields=["is_active"])
    event = "casework.category.activate" if active else "casework.category.deactivate"
    audit.record(event, actor=actor, target=category, data={"name": category.name})
    return category


@transaction.atomic
def category_defaults(*, county: County, actor: User) -> list[CaseCategory]:
    """The usual six categories, for a county that has none yet (safe to run twice)."""
    _require(actor, county.pk)
    had = CaseCategory.objects.unscoped().filter(county=county).exists()
    categories = services.ensure_default_categories(county)
    if not had:
        audit.record("casework.category.defaults", actor=actor, target=county, data={"count": len(categories)})
    return categories
