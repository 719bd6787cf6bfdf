"""Pages of the annual plans: a township's plans of a year, a plan with plan versus done, its text,
items, approval and revision, an item with the activities counted against it, the county's view
per township, and the Excel of a plan. Thin: scope, named check, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import preselect_only_choice, show_refusal
from renda.core.locking import StaleEdit
from renda.documents.excel import Sheet, workbook
from renda.organisations.models import CONGRESS_KINDS, Township

from . import permissions_plans as may
from . import selectors_plans as selectors
from . import services_plans as services
from .forms_plans import ApproveForm, LinkForm, PlanForm, PlanItemForm, PlanTextForm, ReviseForm, YearForm
from .models import Activity, ActivityState, PlanItem, PlanState, WorkPlan

REFUSALS = (ValidationError, StaleEdit)


def _townships(user):
    return (
        scoped(Township, user, VIEW).filter(kind__in=CONGRESS_KINDS, is_active=True).order_by("division_code", "name")
    )


def _plan(request, uuid, action=VIEW) -> WorkPlan:
    require(may.may_view_plans(request.user))
    return get_scoped_or_404(
        WorkPlan.objects.select_related("township", "approved_at"), request.user, action, uuid=uuid
    )


def _item(request, uuid, action=VIEW) -> PlanItem:
    require(may.may_view_plans(request.user))
    return get_scoped_or_404(PlanItem.objects.select_related("plan__township"), request.user, action, uuid=uuid)


def plan_list(request):
    require(may.may_view_plans(request.user))
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    plans = scoped(WorkPlan, request.user, VIEW).filter(year=year).select_related("township", "approved_at")
    return render(
        request,
        "activities/plans/list.html",
        {
            "form": form,
            "year": year,
            "plans": plans.order_by("township__division_code", "township__name", "kind"),
            "may_create": may.may_keep_plans(request.user),
            "may_county": may.may_view_county_plans(request.user),
        },
    )


def plan_new(request):
    require(may.may_keep_plans(request.user))
    form = PlanForm(
        request.POST or None, townships=_townships(request.user), initial={"year": timezone.localdate().year}
    )
    preselect_only_choice(form, "township")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                data["township"],
                request.user,
                year=data["year"],
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The plan is created; add its items."))
            return redirect("activities:plan_detail", uuid=plan.uuid)
    return render(request, "activities/plans/form.html", {"form": form, "heading": _("New annual plan")})


def plan_detail(request, uuid):
    plan = _plan(request, uuid)
    may_edit = may.may_edit_plan(request.user, plan)
    return render(
        request,
        "activities/plans/detail.html",
        {
            "plan": plan,
            "progress": selectors.plan_progress(plan, timezone.localdate()),
            "may_edit": may_edit,
            "draft": plan.state == PlanState.DRAFT,
        },
    )


def plan_edit(request, uuid):
    plan = _plan(request, uuid, CHANGE)
    form = PlanTextForm(request.POST or None, initial={"title": plan.title, "text": plan.text, "version": plan.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_plan(
                plan, request.user, expected_version=data["version"], title=data["title"], text=data["text"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("activities:plan_detail", uuid=plan.uuid)
    return render(request, "activities/plans/form.html", {"form": form, "plan": plan, "heading": _("Edit the plan")})


def plan_approve(request, uuid):
    plan = _plan(request, uuid, CHANGE)
    meetings = services.approval_meetings(plan.township).order_by("-starts_at")
    meetings = scoped(meetings, request.user, VIEW)
    form = ApproveForm(request.POST or None, meetings=meetings, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.approve_plan(plan, request.user, expected_version=data["version"], meeting=data["meeting"])
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The plan is approved."))
            return redirect("activities:plan_detail", uuid=plan.uuid)
    return render(request, "activities/plans/form.html", {"form": form, "plan": plan, "heading": _("Approve the plan")})


def plan_revise(request, uuid):
    plan = _plan(request, uuid, CHANGE)
    form = ReviseForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.revise_plan(plan, request.user, expected_version=data["version"], reason=data["reason"])
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The plan is back to draft; its changes need a new approval."))
            return redirect("activities:plan_detail", uuid=plan.uuid)
    return render(
        request, "activities/plans/form.html", {"form": form, "plan": plan, "heading": _("Revise the approved plan")}
    )


def _item_values(form: PlanItemForm) -> dict:
    return {name: form.cleaned_data[name] for name in services.ITEM_FIELDS}


def plan_item_add(request, uuid):
    plan = _plan(request, uuid, CHANGE)
    form = PlanItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(plan, request.user, **_item_values(form))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The item is added."))
            return redirect("activities:plan_detail", uuid=plan.uuid)
    return render(request, "activities/plans/form.html", {"form": form, "plan": plan, "heading": _("Add an item")})


def plan_item_edit(request, uuid):
    item = _item(request, uuid, CHANGE)
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    form = PlanItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item, request.user, **_item_values(form))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The item is saved."))
            return redirect("activities:plan_detail", uuid=item.plan.uuid)
    return render(
        request, "activities/plans/form.html", {"form": form, "plan": item.plan, "heading": _("Edit the item")}
    )


def plan_item_remove(request, uuid):
    item = _item(request, uuid, CHANGE)
    error = ""
    if request.method == "POST":
        try:
            services.remove_item(item, request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("The item is removed."))
            return redirect("activities:plan_detail", uuid=item.plan.uuid)
    return render(request, "activities/plans/remove_item.html", {"item": item, "plan": item.plan, "error": error})


def plan_item(request, uuid):
    item = _item(request, uuid)
    user = request.user
    may_link = may.may_link_activities(user, item)
    activities = scoped(Activity, user, VIEW)
    form = LinkForm(request.POST or None, activities=selectors.linkable_activities(activities, item))
    if request.method == "POST":
        require(may_link)
        if form.is_valid():
            try:
                services.link_activity(form.cleaned_data["activity"], item, user)
            except REFUSALS as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The activity is counted towards the item."))
                return redirect("activities:plan_item", uuid=item.uuid)
    linked = activities.filter(plan_item=item).select_related("township").order_by("starts_at")
    progress = selectors.ItemProgress(
        item,
        sum(1 for activity in linked if activity.state == ActivityState.HELD),
        item.plan.year,
        timezone.localdate(),
    )
    return render(
        request,
        "activities/plans/item.html",
        {"item": item, "plan": item.plan, "linked": linked, "progress": progress, "form": form, "may_link": may_link},
    )


def plans_county(request):
    require(may.may_view_county_plans(request.user))
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    result = selectors.county_year(
        _townships(request.user), scoped(PlanItem, request.user, VIEW), year, timezone.localdate()
    )
    return render(request, "activities/plans/county.html", {"form": form, "result": result})


def plan_export(request, uuid):
    plan = _plan(request, uuid)
    require(may.may_export_plan(request.user))
    progress = selectors.plan_progress(plan, timezone.localdate())
    headers = [
        _("Planned work"),
        _("Category"),
        _("By month"),
        _("Times planned"),
        _("Held"),
        _("Still to do"),
        _("Overdue"),
    ]
    rows = [
        [
            row.item.title,
            row.item.get_category_display(),
            row.item.due_month or "",
            row.planned,
            row.done,
            row.to_do,
            _("Yes") if row.overdue else "",
        ]
        for row in progress.items
    ]
    rows.append(
        [_("Total"), "", "", progress.planned, progress.done, progress.planned - progress.done, progress.overdue]
    )
    caption = _("%(title)s: plan versus done (%(share)s done)") % {"title": plan.title, "share": progress.share_text}
    return export_response(
        request,
        kind="activities.plan",
        filename=f"计划完成情况_{plan.township.name}_{plan.year}.xlsx",
        row_count=len(rows),
        subjects=ExportSubjects(townships=[plan.township.name]),
        build=lambda grant: workbook(
            sheets=[Sheet(title=str(plan.year), headers=headers, rows=rows, caption=caption, footer_note=grant.footer)]
        ),
        personal=False,
    )
