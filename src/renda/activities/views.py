"""The activities' own pages: the list, planning (a township's activity; the county's joint activity
across townships), the activity's page (its plan, notice, invited deputies with their status and
leave, then the parts the other areas declare in ``sections``) and the forms behind it. Thin: scope,
form, service. A refused form is shown again on a page of its own, with the service's reason beside
what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.permissions import require
from renda.core.forms import preselect_only_choice, show_refusal
from renda.core.locking import StaleEdit

from . import permissions as may
from . import selectors, services
from .forms import (
    ActivityEditForm,
    ActivityFilterForm,
    ActivityPlanForm,
    CancelForm,
    HeldForm,
    JointPlanForm,
    MinutesForm,
    NoticeForm,
    ParticipantsForm,
)
from .models import Activity, ActivityType, LeaveState
from .sections import parts

PAGE_SIZE = 30
REFUSALS = (StaleEdit, ValidationError)


# ---------------------------------------------------------------- the list


def activity_list(request):
    user = request.user
    require(may.may_browse_activities(user))
    choices = selectors.filter_choices(user)
    form = ActivityFilterForm(request.GET or None, years=selectors.activity_years(user), **choices)
    filters = selectors.ActivityFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ActivityFilters(
            township=data["township"],
            category=data["category"],
            type=data["type"],
            state=data["state"],
            year=data["year"],
            month=data["month"],
            group=data["group"],
        )
    page = Paginator(selectors.activity_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/activities/list.html",
        {
            "page": page,
            "form": form,
            "show_township": len(choices["townships"][:2]) > 1,
            "can_plan": may.may_plan_activities(user),
            "can_plan_joint": may.may_plan_joint(user),
        },
    )


# ---------------------------------------------------------------- planning


def activity_new(request):
    user = request.user
    require(may.may_plan_activities(user))
    townships = selectors.planning_townships(user)
    groups, stations = selectors.township_parts(user, townships)
    initial: dict[str, Any] = {}
    group_uuid = request.GET.get("group", "")
    if request.method == "GET" and group_uuid:
        group = groups.filter(uuid=group_uuid).first() if _is_uuid(group_uuid) else None
        if group is not None:
            initial = {"township": group.township, "group": group}
    form = ActivityPlanForm(
        request.POST or None,
        initial=initial,
        townships=townships,
        types=selectors.plan_types(user),
        groups=groups,
        stations=stations,
    )
    preselect_only_choice(form, "township")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        township = data["township"]
        try:
            activity = services.plan_activity(
                user,
                county=township.county,
                township=township,
                **_plan_values(data),
                group=data["group"],
                station=data["station"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Activity planned: %(title)s") % {"title": activity.title})
            return redirect("activities:detail", uuid=activity.uuid)
    return render(request, "activities/activities/new.html", {"form": form, "title": gettext_lazy("Plan an activity")})


def joint_new(request):
    """A joint activity of the county across some of its townships (县镇联动)."""
    user = request.user
    require(may.may_plan_joint(user))
    townships = selectors.planning_townships(user)
    form = JointPlanForm(request.POST or None, townships=townships, types=selectors.plan_types(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["townships"])
        try:
            activity = services.plan_activity(
                user, county=chosen[0].county, township=None, townships=chosen, **_plan_values(data)
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Activity planned: %(title)s") % {"title": activity.title})
            return redirect("activities:detail", uuid=activity.uuid)
    return render(
        request, "activities/activities/new.html", {"form": form, "title": gettext_lazy("Plan a joint activity")}
    )


def _plan_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data[name]
        for name in ("type", "title", "purpose", "starts_at", "ends_at", "place", "organiser", "other_participants")
    }


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _plan_initial(activity: Activity) -> dict[str, Any]:
    return {
        "version": activity.version,
        "type": activity.type,
        "title": activity.title,
        "purpose": activity.purpose,
        "starts_at": timezone.localtime(activity.starts_at).replace(second=0, microsecond=0),
        "ends_at": timezone.localtime(activity.ends_at).replace(second=0, microsecond=0),
        "place": activity.place,
        "organiser": activity.organiser,
        "other_participants": activity.other_participants,
        "group": activity.group,
        "station": activity.station,
    }


def activity_edit(request, uuid):
    user = request.user
    activity = selectors.activity_for_page(user, uuid)
    require(may.may_run_activity(user, activity))
    types = ActivityType.objects.unscoped().filter(Q(active=True) | Q(pk=activity.type_id), county=activity.county_id)
    if activity.township_id:
        groups, stations = selectors.township_parts(
            user, selectors.planning_townships(user).filter(pk=activity.township_id)
        )
    else:
        groups, stations = selectors.township_parts(user, selectors.planning_townships(user).none())
    form = ActivityEditForm(
        request.POST or None,
        initial=_plan_initial(activity),
        joint=activity.is_joint,
        types=types.order_by("order", "id"),
        groups=groups,
        stations=stations,
    )
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        if not changed:
            messages.info(request, _("Nothing was changed."))
            return redirect("activities:detail", uuid=activity.uuid)
        try:
            services.update_activity(activity, user, expected_version=_version(form), **changed)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("activities:detail", uuid=activity.uuid)
    return _form_page(request, activity, form, title=gettext_lazy("Change the plan"), button=gettext_lazy("Save"))


def activity_cancel(request, uuid):
    user = request.user
    activity = selectors.activity_for_page(user, uuid)
    require(may.may_run_activity(user, activity))
    form = CancelForm(request.POST or None, initial={"version": activity.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_activity(
                activity, user, expected_version=_version(form), reason=form.cleaned_data["reason"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The activity is cancelled."))
            return redirect("activities:detail", uuid=activity.uuid)
    return _form_page(
        request,
        activity,
        form,
        title=gettext_lazy("Cancel the activity"),
        button=gettext_lazy("Cancel the activity"),
        css="danger",
    )


# ---------------------------------------------------------------- the activity's page


def activity_detail(request, uuid):
    activity = selectors.activity_for_page(request.user, uuid)
    return render(request, "activities/activities/detail.html", _detail_context(request, activity))


def _detail_context(request, activity: Activity) -> dict[str, Any]:
    user = request.user
    controls = selectors.controls(user, activity)
    rows = selectors.participants_of(user, activity)
    context: dict[str, Any] = {
        "activity": activity,
        "townships": list(activity.townships.order_by("division_code", "name")) if activity.is_joint else [],
        "controls": controls,
        "notice": services.notice_check(activity),
        "participants": rows,
        "counts": selectors.participant_counts(rows),
        "pending": [row for row in rows if row.leave_state == LeaveState.PENDING],
        "own": next((row for row in rows if row.mandate.person.user_id == user.pk), None),
        "preparing": activity.state in services.PREPARING,
        "sections": _sections(request, activity),
    }
    if controls.notify:
        text = activity.notice_text or services.default_notice_text(activity)
        context["notice_form"] = NoticeForm(initial={"version": activity.version, "text": text})
    if controls.held:
        context["held_form"] = HeldForm(initial={"version": activity.version})
    return context


def _sections(request, activity: Activity) -> list[dict[str, Any]]:
    """The other areas' parts of the page, each rendered from its template with its own context
    (plus ``activity`` and ``section``), in the order they declared."""
    return [
        {
            "section": section,
            "html": render_to_string(
                section.template, {"activity": activity, "section": section, **context}, request=request
            ),
        }
        for section, context in parts.for_object(activity, request.user)
    ]


def activity_notice(request, uuid):
    """Send the notice: the form is on the activity's page; a refusal is shown here."""
    user = request.user
    activity = selectors.activity_for_page(user, uuid)
    require(may.may_run_activity(user, activity))
    text = activity.notice_text or services.default_notice_text(activity)
    form = NoticeForm(request.POST or None, initial={"version": activity.version, "text": text})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.send_notice(
                activity, user, expected_version=_version(form), text=form.cleaned_data["text"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            check = services.notice_check(activity)
            if check.on_time is False:
                messages.warning(
                    request, _("The notice is sent, but late: it was due by %(day)s.") % {"day": check.due_by}
                )
            else:
                messages.success(request, _("The notice is sent to the invited deputies."))
            return redirect(_detail_url(activity, "notice"))
    return _form_page(
        request, activity, form, title=gettext_lazy("Send the notice"), button=gettext_lazy("Send the notice")
    )


def activity_participants(request, uuid):
    """Invite the deputies: those of the township (or the townships taking part); a group activity
    starts from the group's members."""
    user = request.user
    activity = selectors.activity_for_page(user, uuid)
    require(may.may_run_activity(user, activity))
    choices = selectors.participant_choices(activity)
    chosen = [row.mandate.uuid for row in selectors.participants_of(user, activity)]
    if not chosen and activity.group_id:
        chosen = list(choices.filter(group=activity.group_id).values_list("uuid", flat=True))
    form = ParticipantsForm(request.POST or None, initial={"mandates": chosen}, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_participants(activity, user, mandates=list(form.cleaned_data["mandates"]))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The invited deputies are saved."))
            return redirect(_detail_url(activity, "participants"))
    return _form_page(request, activity, form, title=gettext_lazy("Invite the deputies"), button=gettext_lazy("Save"))


def activity_held(request, uuid):
    user = request.user
    activity = selectors.activity_for_page(user, uuid)
    require(may.may_run_activity(user, activity))
    form = HeldForm(request.POST or None, initial={"version": activity.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_held(activity, user, expected_version=_version(form))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("The activity is recorded as held; those invited who neither signed in nor had leave are absent."),
            )
            return redirect(_detail_url(activity, "participants"))
    return _form_page(
        request,
        activity,
        form,
        title=gettext_lazy("Record the activity as held"),
        button=gettext_lazy("Record as held"),
        subtitle=gettext_lazy("The invited deputies who neither signed in nor had leave are recorded absent."),
    )


def activity_minutes(request, uuid):
    user = request.user
    activity = selectors.activity_for_page(user, uuid)
    require(may.may_run_activity(user, activity))
    form = MinutesForm(request.POST or None, initial={"version": activity.version, "minutes": activity.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(activity, user, expected_version=_version(form), minutes=form.cleaned_data["minutes"])
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(_detail_url(activity, "minutes"))
    return _form_page(request, activity, form, title=gettext_lazy("Minutes"), button=gettext_lazy("Save"))


# ---------------------------------------------------------------- helpers


def _version(form) -> int:
    # A form that lost its version is out of date: 0 matches no row, so the service says so.
    return form.cleaned_data.get("version") or 0


def _detail_url(activity: Activity, anchor: str) -> str:
    return f"{reverse('activities:detail', args=[activity.uuid])}#{anchor}"


def _form_page(request, activity: Activity, form, *, title, button, css="primary", subtitle=""):
    return render(
        request,
        "activities/activities/form.html",
        {"activity": activity, "form": form, "title": title, "subtitle": subtitle, "button": button, "css": css},
    )
