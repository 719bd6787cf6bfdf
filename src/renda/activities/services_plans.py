"""Every change to the annual plans: a township's plan for a year (one of each kind), its text and
items while a draft, its approval at a closed presidium meeting of the township (the approval date is
the meeting's), its return to draft to be revised, and the link of a held or coming activity to an
item. Each service checks who may act (PermissionDenied), checks the rules (ValidationError in
Chinese, keyed by the form field), locks what it changes and writes one audit entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.permissions import require as _require
from renda.core.locking import StaleEdit
from renda.meetings.models import Meeting, MeetingKind, MeetingState
from renda.organisations.models import Township

from . import permissions as activity_may
from . import permissions_plans as may
from .models import Activity, ActivityState, PlanItem, PlanKind, PlanState, WorkPlan

ITEM_FIELDS = ("title", "category", "target_count", "due_month", "notes")



def _lock(plan: WorkPlan, expected_version: int | None = None) -> WorkPlan:
    locked = WorkPlan.objects.unscoped().select_for_update(of=("self",)).select_related("township").get(pk=plan.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    return locked


def _bump(plan: WorkPlan, *fields: str) -> None:
    plan.version += 1
    plan.save(update_fields=[*fields, "version", "updated_at"])


def _require_draft(plan: WorkPlan) -> None:
    if plan.state != PlanState.DRAFT:
        raise ValidationError(_("The plan has been approved: its text and items are frozen. Revise it to change them."))


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})


@transaction.atomic
def create_plan(township: Township, actor: User, *, year: int, kind: str, title: str, text: str = "") -> WorkPlan:
    _require(may.may_keep_plans(actor) and activity_may.may_run_township(actor, township))
    _check_year(year)
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Choose a kind of plan.")})
    if WorkPlan.objects.unscoped().filter(township=township, year=year, kind=kind).exists():
        raise ValidationError({"kind": _("The township has a plan of this kind for this year already.")})
    plan = WorkPlan.objects.create(
        township=township, year=year, kind=kind, title=title.strip(), text=text.strip(), created_by=actor
    )
    audit.record("activities.plan.create", actor=actor, target=plan, data={"year": year, "kind": kind})
    return plan


@transaction.atomic
def update_plan(plan: WorkPlan, actor: User, *, expected_version: int, title: str, text: str) -> WorkPlan:
    _require(may.may_edit_plan(actor, plan))
    plan = _lock(plan, expected_version)
    _require_draft(plan)
    changed = [
        name for name, value in (("title", title.strip()), ("text", text.strip())) if getattr(plan, name) != value
    ]
    plan.title, plan.text = title.strip(), text.strip()
    _bump(plan, "title", "text")
    audit.record("activities.plan.update", actor=actor, target=plan, data={"fields": changed})
    return plan


def _item_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = _("Say what is planned.")
    target = values.get("target_count")
    if target is None or target < 1 or target > 999:
        errors["target_count"] = _("Plan the work at least once (at most 999 times).")
    month = values.get("due_month")
    if month is not None and not 1 <= month <= 12:
        errors["due_month"] = _("Choose a month from 1 to 12.")
    return errors


@transaction.atomic
def add_item(plan: WorkPlan, actor: User, **values: Any) -> PlanItem:
    _require(may.may_edit_plan(actor, plan))
    plan = _lock(plan)
    _require_draft(plan)
    errors = _item_errors(values)
    if errors:
        raise ValidationError(errors)
    order = plan.items.count() + 1
    item = PlanItem.objects.create(
        plan=plan, order=order, **{name: values.get(name) for name in ITEM_FIELDS if name in values}
    )
    _bump(plan)
    audit.record("activities.plan.item_add", actor=actor, target=plan, data={"title": item.title})
    return item


@transaction.atomic
def update_item(item: PlanItem, actor: User, **values: Any) -> PlanItem:
    _require(may.may_edit_plan(actor, item.plan))
    plan = _lock(item.plan)
    _require_draft(plan)
    errors = _item_errors(values)
    if errors:
        raise ValidationError(errors)
    changed = [name for name in ITEM_FIELDS if name in values and getattr(item, name) != values[name]]
    for name in changed:
        setattr(item, name, values[name])
    item.save(update_fields=[*changed, "updated_at"])
    _bump(plan)
    audit.record("activities.plan.item_update", actor=actor, target=plan, data={"title": item.title, "fields": changed})
    return item


@transaction.atomic
def remove_item(item: PlanItem, actor: User) -> None:
    _require(may.may_edit_plan(actor, item.plan))
    plan = _lock(item.plan)
    _require_draft(plan)
    title = item.title
    # Its activities stay; they are no longer counted against a plan.
    Activity.objects.unscoped().filter(plan_item=item).update(plan_item=None)
    item.delete()
    _bump(plan)
    audit.record("activities.plan.item_remove", actor=actor, target=plan, data={"title": title})


def approval_meetings(township: Township):
    """The meetings a plan of ``township`` may be approved at: its closed presidium meetings."""
    return Meeting.objects.unscoped().filter(township=township, kind=MeetingKind.PRESIDIUM, state=MeetingState.CLOSED)


@transaction.atomic
def approve_plan(plan: WorkPlan, actor: User, *, expected_version: int, meeting: Meeting) -> WorkPlan:
    _require(may.may_edit_plan(actor, plan))
    plan = _lock(plan, expected_version)
    _require_draft(plan)
    if not approval_meetings(plan.township).filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": _("Choose a presidium meeting of the township that has been held.")})
    if not plan.items.exists():
        raise ValidationError(_("Add the plan's items before it is approved."))
    plan.state, plan.approved_at, plan.approved_on = PlanState.APPROVED, meeting, meeting.date
    _bump(plan, "state", "approved_at", "approved_on")
    audit.record(
        "activities.plan.approve",
        actor=actor,
        target=plan,
        data={"meeting": meeting.name, "date": plan.approved_on.isoformat()},
    )
    return plan


@transaction.atomic
def revise_plan(plan: WorkPlan, actor: User, *, expected_version: int, reason: str) -> WorkPlan:
    """An approved plan back to draft: its changes will need a new approval."""
    _require(may.may_edit_plan(actor, plan))
    plan = _lock(plan, expected_version)
    if plan.state != PlanState.APPROVED:
        raise ValidationError(_("Only an approved plan is revised; a draft is changed directly."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the approved plan is revised.")})
    meeting = plan.approved_at.name if plan.approved_at else ""
    plan.state, plan.approved_at, plan.approved_on = PlanState.DRAFT, None, None
    _bump(plan, "state", "approved_at", "approved_on")
    audit.record(
        "activities.plan.revise", actor=actor, target=plan, data={"reason": reason.strip(), "meeting": meeting}
    )
    return plan


@transaction.atomic
def link_activity(activity: Activity, item: PlanItem, actor: User) -> Activity:
    """Count ``activity`` against ``item``: an activity of the item's township (or one it takes
    part in), of the plan's year, not cancelled. An approved plan's items still take activities."""
    _require(may.may_link_activities(actor, item) and activity_may.may_run_activity(actor, activity))
    locked = Activity.objects.unscoped().select_for_update(of=("self",)).get(pk=activity.pk)
    township = item.plan.township_id
    ours = locked.township_id == township or (
        locked.township_id is None and locked.townships.filter(pk=township).exists()
    )
    errors: dict[str, str] = {}
    if not ours:
        errors["activity"] = _("The activity is not one of the township's.")
    elif locked.state == ActivityState.CANCELLED:
        errors["activity"] = _("A cancelled activity does not count towards a plan.")
    elif timezone.localtime(locked.starts_at).year != item.plan.year:
        errors["activity"] = _("The activity is not of the plan's year.")
    if errors:
        raise ValidationError(errors)
    locked.plan_item = item
    locked.version += 1
    locked.save(update_fields=["plan_item", "version", "updated_at"])
    audit.record("activities.plan.link", actor=actor, target=locked, data={"plan_item": item.title})
    return locked
