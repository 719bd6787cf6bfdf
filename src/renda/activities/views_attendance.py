"""Sign-in and leave at an activity: the QR code for the venue's screen (an SVG served by a scoped
view, drawn by the same code as the stations' posters and the meetings' sign-in), the deputy's
sign-in by it on the phone with one button, staff signing a deputy in or withdrawing a sign-in,
withdrawing a leaked code, a deputy's request for leave and the staff's decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, Action, get_scoped_or_404
from renda.casework import posters
from renda.core.forms import show_refusal
from renda.meetings.forms_attendance import LeaveDecisionForm

from . import permissions as may
from . import rules, selectors, services
from .forms import LeaveRequestForm
from .models import Activity, LeaveState, Participant, ParticipantStatus


def _participant(request, uuid, action: Action) -> Participant:
    rows = Participant.objects.select_related("activity__township", "mandate__person")
    return get_scoped_or_404(rows, request.user, action, uuid=uuid)


def _detail_url(activity: Activity, anchor: str = "participants") -> str:
    return f"{reverse('activities:detail', args=[activity.uuid])}#{anchor}"


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _signin_address(request, activity: Activity) -> str:
    return posters.public_address(reverse("activities:signin", kwargs={"token": activity.signin_token}), request)


def _running(request, uuid) -> Activity:
    activity = selectors.activity_for_page(request.user, uuid)
    require(may.may_run_activity(request.user, activity))
    return activity


# ---------------------------------------------------------------- the code on the venue's screen


def signin_code(request, uuid):
    activity = _running(request, uuid)
    rows = selectors.participants_of(request.user, activity)
    return render(
        request,
        "activities/activities/signin_code.html",
        {
            "activity": activity,
            "address": _signin_address(request, activity),
            "live": activity.state in services.PREPARING,
            "counts": selectors.participant_counts(rows),
            "total": len(rows),
        },
    )


def signin_qr(request, uuid):
    """The code itself, as an SVG image (segno's own drawing; nothing in it comes from a user)."""
    activity = _running(request, uuid)
    response = HttpResponse(posters.qr_svg(_signin_address(request, activity)), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def signin_code_withdraw(request, uuid):
    activity = _running(request, uuid)
    try:
        services.rotate_signin_token(activity, request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The old code no longer signs anyone in. Show this new one at the venue."))
    return redirect("activities:signin_code", uuid=activity.uuid)


# ---------------------------------------------------------------- the deputy's sign-in


def _signin_refused(request, message: str, status: int) -> HttpResponse:
    return render(request, "activities/activities/signin_refused.html", {"message": message}, status=status)


def signin(request, token):
    """The address in the QR code: the deputy (logged in; the login page sends them back here) sees
    the activity and one big button; pressing it signs them in."""
    user = request.user
    try:
        activity = get_scoped_or_404(Activity.objects.select_related("township"), user, VIEW, signin_token=token)
    except Http404:
        # Read around the scope on purpose, after get_scoped_or_404 refused (and audited) it: it only
        # tells "a valid code of an activity you are not invited to" from "no such code any more".
        if Activity.objects.unscoped().filter(signin_token=token).exists():
            return _signin_refused(request, _("You are not invited to this activity."), 403)
        return _signin_refused(
            request,
            _("This sign-in code is not valid any more; scan the code shown at the activity."),
            404,
        )
    own = may.invitation_of(user, activity)
    if own is None:
        return _signin_refused(request, _("You are not invited to this activity."), 403)
    error = ""
    if request.method == "POST":
        try:
            services.sign_in(activity, user, token=token)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            return redirect("activities:signin", token=token)
    return render(
        request,
        "activities/activities/signin.html",
        {
            "activity": activity,
            "own": own,
            "error": error,
            "signed_in": own.status == ParticipantStatus.PRESENT,
            "over": activity.state not in services.PREPARING,
            "open": rules.signin_open(activity.starts_at, activity.ends_at, timezone.now()),
        },
    )


# ---------------------------------------------------------------- staff sign-in and undo


@require_POST
def participant_sign_in(request, uuid):
    row = _participant(request, uuid, CHANGE)
    try:
        services.sign_in(row.activity, request.user, participant=row)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s is signed in.") % {"name": row.mandate.person})
    return redirect(_detail_url(row.activity, f"row-{row.uuid}"))


@require_POST
def participant_undo(request, uuid):
    row = _participant(request, uuid, CHANGE)
    try:
        services.undo_sign_in(row, request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The sign-in of %(name)s is withdrawn.") % {"name": row.mandate.person})
    return redirect(_detail_url(row.activity, f"row-{row.uuid}"))


# ---------------------------------------------------------------- leave


def leave_request(request, uuid):
    """A deputy asks for leave from their phone (staff may enter it for them)."""
    row = _participant(request, uuid, VIEW)
    activity = row.activity
    require(row.mandate.person.user_id == request.user.pk or may.may_run_activity(request.user, activity))
    form = LeaveRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_leave(row, request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your request for leave is sent; you will see the decision here."))
            return redirect("activities:leave_request", uuid=row.uuid)
    return render(
        request,
        "activities/activities/leave.html",
        {
            "activity": activity,
            "row": row,
            "form": form,
            "may_ask": activity.state in services.PREPARING
            and row.status != ParticipantStatus.PRESENT
            and row.leave_state not in (LeaveState.PENDING, LeaveState.APPROVED),
        },
    )


def leave_decide(request, uuid):
    """Approve or refuse a request. The activity's page carries the buttons for each pending
    request; this page shows the form alone (and when a refusal needs its note)."""
    row = _participant(request, uuid, CHANGE)
    activity = row.activity
    require(may.may_run_activity(request.user, activity))
    form = LeaveDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == LeaveDecisionForm.APPROVE
        try:
            services.decide_leave(row, request.user, approve=approve, note=form.cleaned_data["note"])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            name = row.mandate.person
            if approve:
                messages.success(request, _("Leave approved for %(name)s.") % {"name": name})
            else:
                messages.success(request, _("Leave refused for %(name)s.") % {"name": name})
            return redirect(_detail_url(activity, "leave"))
    return render(request, "activities/activities/leave_decide.html", {"activity": activity, "row": row, "form": form})
