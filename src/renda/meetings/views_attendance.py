"""The attendance pages of a meeting: who is expected and who signed in, the live quorum panel with
the open and close buttons, the sign-in QR code for the venue's screen and the deputy's sign-in by
it, leave requests and their decisions, and the attendance part of the meeting's page.

Thin: scope, form, service. A service's refusal is shown beside what was typed (forms) or as a
message at the top of the page it came from (buttons)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, Action, get_scoped_or_404, scoped
from renda.casework import posters
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit

from . import permissions as may
from . import services
from .forms_attendance import LeaveDecisionForm, LeaveRequestForm, MeetingStepForm
from .models import Attendance, AttendanceStatus, LeaveRequest, LeaveState, Meeting, MeetingState, Observer

# The meeting's name is made of its township's name and its term's number.
MEETING_NAME = ("township", "term")


def _meeting(request, uuid, action: Action = VIEW) -> Meeting:
    return get_scoped_or_404(Meeting.objects.select_related(*MEETING_NAME), request.user, action, uuid=uuid)


def _attendance(request, uuid, action: Action) -> Attendance:
    rows = Attendance.objects.select_related("meeting__township", "meeting__term", "mandate__person")
    return get_scoped_or_404(rows, request.user, action, uuid=uuid)


def _page_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:attendance", kwargs={"uuid": meeting.uuid})
    return f"{url}#{anchor}" if anchor else url


def _quorum_context(meeting: Meeting) -> dict[str, Any]:
    return {"meeting": meeting, "count": services.quorum(meeting), "live": meeting.state in services.ATTENDING}


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# ---------------------------------------------------------------- the attendance page


def _page_context(request, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    user = request.user
    runs = may.may_run_meeting(user, meeting)
    # Each list goes through the scope: staff and leaders read the whole meeting, a deputy their own row.
    # In the roster's order (by surname strokes), as on the paper sign-in sheet.
    rows = list(scoped(Attendance, user, VIEW).filter(meeting=meeting).select_related("mandate__person"))
    leave = list(
        scoped(LeaveRequest, user, VIEW)
        .filter(attendance__meeting=meeting)
        .select_related("attendance__mandate__person")
        .order_by("-created_at", "-id")
    )
    return {
        "meeting": meeting,
        **_quorum_context(meeting),
        "rows": rows,
        "leave_rows": may.rows_open_to_leave(user, meeting, rows),
        "pending": [item for item in leave if item.state == LeaveState.REQUESTED],
        "decided": [item for item in leave if item.state != LeaveState.REQUESTED],
        "observers": list(scoped(Observer, user, VIEW).filter(meeting=meeting)),
        "runs": runs,
        "attending": meeting.state in services.ATTENDING,
        "may_open": runs and meeting.state in services.PREPARING,
        "may_close": runs and meeting.state == MeetingState.OPEN,
        "open_form": forms.get("open_form") or MeetingStepForm(meeting=meeting, prefix="open"),
        "close_form": forms.get("close_form") or MeetingStepForm(meeting=meeting, prefix="close"),
        "decision_form": LeaveDecisionForm(),
    }


def attendance(request, uuid):
    meeting = _meeting(request, uuid)
    return render(request, "meetings/attendance/page.html", _page_context(request, meeting))


def attendance_quorum(request, uuid):
    """The quorum panel alone: the page polls it every few seconds while sign-in is taken."""
    meeting = _meeting(request, uuid)
    return render(request, "meetings/attendance/_quorum.html", _quorum_context(meeting))


def _meeting_step(request, uuid, step: str):
    meeting = _meeting(request, uuid, CHANGE)
    require(may.may_run_meeting(request.user, meeting))
    form = MeetingStepForm(request.POST, meeting=meeting, prefix=step)
    if form.is_valid():
        action = services.open_meeting if step == "open" else services.close_meeting
        try:
            action(meeting, request.user, expected_version=form.cleaned_data["version"])
        except (ValidationError, StaleEdit) as error:
            show_refusal(form, error)
        else:
            if step == "open":
                messages.success(request, _("The meeting is open."))
            else:
                messages.success(request, _("The meeting is closed; those who did not sign in are recorded absent."))
            return redirect(_page_url(meeting))
    return render(request, "meetings/attendance/page.html", _page_context(request, meeting, **{f"{step}_form": form}))


@require_POST
def attendance_open(request, uuid):
    return _meeting_step(request, uuid, "open")


@require_POST
def attendance_close(request, uuid):
    return _meeting_step(request, uuid, "close")


@require_POST
def attendance_sign_in(request, uuid):
    """Staff sign a deputy in (a deputy without a phone, or the code failing)."""
    row = _attendance(request, uuid, CHANGE)
    try:
        services.sign_in(row.meeting, request.user, attendance=row)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s is signed in.") % {"name": row.mandate.person})
    return redirect(_page_url(row.meeting, f"row-{row.uuid}"))


@require_POST
def attendance_undo(request, uuid):
    row = _attendance(request, uuid, CHANGE)
    try:
        services.undo_sign_in(row, request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The sign-in of %(name)s is withdrawn.") % {"name": row.mandate.person})
    return redirect(_page_url(row.meeting, f"row-{row.uuid}"))


# ---------------------------------------------------------------- leave


def leave_request(request, uuid):
    """A deputy asks for leave from a meeting on their phone (staff may enter it for them), and
    sees what became of their requests."""
    row = _attendance(request, uuid, VIEW)
    meeting = row.meeting
    require(may.may_ask_for_leave(request.user, row))
    form = LeaveRequestForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_leave(
                row,
                request.user,
                first_day=data["first_day"],
                first_half=data["first_half"],
                half_days=data["half_days"],
                reason=data["reason"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your request for leave is sent; you will see the decision here."))
            return redirect("meetings:leave_request", uuid=row.uuid)
    return render(
        request,
        "meetings/attendance/leave.html",
        {
            "meeting": meeting,
            "row": row,
            "form": form,
            "requests": list(row.leave_requests.order_by("-created_at", "-id")),
            "attending": meeting.state in services.ATTENDING,
        },
    )


def leave_decide(request, uuid):
    """Approve or refuse a request. The attendance page carries the form for each pending request;
    this page shows it alone (without JavaScript, and when a refusal needs its note)."""
    rows = LeaveRequest.objects.select_related(
        "attendance__meeting__township", "attendance__meeting__term", "attendance__mandate__person"
    )
    leave = get_scoped_or_404(rows, request.user, CHANGE, uuid=uuid)
    meeting = leave.attendance.meeting
    require(may.may_run_meeting(request.user, meeting))
    form = LeaveDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == LeaveDecisionForm.APPROVE
        try:
            services.decide_leave(leave, request.user, approve=approve, note=form.cleaned_data["note"])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            name = leave.attendance.mandate.person
            if approve:
                messages.success(request, _("Leave approved for %(name)s.") % {"name": name})
            else:
                messages.success(request, _("Leave refused for %(name)s.") % {"name": name})
            return redirect(_page_url(meeting, "leave"))
    return render(request, "meetings/attendance/leave_decide.html", {"meeting": meeting, "leave": leave, "form": form})


# ---------------------------------------------------------------- the sign-in QR code


def signin_code(request, uuid):
    """The code for the venue's screen, with the live count beside it."""
    meeting = _meeting(request, uuid, CHANGE)
    require(may.may_run_meeting(request.user, meeting))
    address = posters.public_address(reverse("meetings:signin", kwargs={"token": meeting.signin_token}), request)
    # Inline, without its own size: it takes the width the page gives it, on a phone or a wall screen.
    svg = posters.qr(address).svg_inline(scale=1, omitsize=True, dark="#000", light="#fff")
    return render(
        request,
        "meetings/attendance/signin_code.html",
        # segno's own SVG: nothing in it comes from a user.
        {**_quorum_context(meeting), "address": address, "qr_svg": mark_safe(svg)},
    )


@require_POST
def signin_code_withdraw(request, uuid):
    meeting = _meeting(request, uuid, CHANGE)
    require(may.may_run_meeting(request.user, meeting))
    try:
        services.rotate_signin_token(meeting, request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The old code no longer signs anyone in. Show this new one at the venue."))
    return redirect("meetings:signin_code", uuid=meeting.uuid)


def _code_in_use(token: str) -> bool:
    # Read around the scope on purpose, after get_scoped_or_404 refused (and audited) the lookup:
    # it only tells "a valid code of a meeting you are not expected at" from "no such code any
    # more", and the page says nothing of the meeting.
    return Meeting.objects.unscoped().filter(signin_token=token).exists()


def _signin_refused(request, message: str, status: int) -> HttpResponse:
    return render(request, "meetings/attendance/signin_refused.html", {"message": message}, status=status)


def signin(request, token):
    """The address in the QR code: the deputy (logged in; the login page sends them back here) sees
    the meeting's name and one big button; pressing it signs them in."""
    user = request.user
    try:
        meeting = get_scoped_or_404(Meeting.objects.select_related(*MEETING_NAME), user, VIEW, signin_token=token)
    except Http404:
        if _code_in_use(token):
            return _signin_refused(request, _not_expected(), 403)
        return _signin_refused(request, _withdrawn(), 404)
    own = may.is_expected_deputy(user, meeting)
    if own is None:
        return _signin_refused(request, _not_expected(), 403)
    error = ""
    if request.method == "POST":
        try:
            services.sign_in(meeting, user, token=token)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            return redirect("meetings:signin", token=token)
    return render(
        request,
        "meetings/attendance/signin.html",
        {
            "meeting": meeting,
            "own": own,
            "error": error,
            "signed_in": own.status == AttendanceStatus.PRESENT,
            "over": meeting.state not in services.ATTENDING,
            "early": meeting.state in services.ATTENDING and not services.signin_open(meeting),
            "opens_minutes": settings.RENDA_MEETING_SIGNIN_OPENS_MINUTES,
        },
    )


def _not_expected() -> str:
    return _(
        "You are not one of the deputies expected at this meeting, so there is nothing to sign. "
        "If you attend as an observer, register with the meeting's staff."
    )


def _withdrawn() -> str:
    return _(
        "This sign-in code is not valid: the staff may have withdrawn it. "
        "Scan the code shown on the screen at the venue now."
    )


# ---------------------------------------------------------------- the part on the meeting's page


def attendance_section(meeting: Meeting, user: Any) -> dict | None:
    """The quorum in brief and the way to the attendance page; for an expected deputy, their own
    status, whether sign-in is open and their leave requests. Four queries at most."""
    if meeting.state == MeetingState.CANCELLED:
        return None
    own = may.is_expected_deputy(user, meeting)
    return {
        "meeting": meeting,
        "count": services.quorum(meeting),
        "own": own,
        "own_requests": list(own.leave_requests.order_by("-created_at", "-id")[:3]) if own else [],
        "attending": meeting.state in services.ATTENDING,
        "signin_open": own is not None and services.signin_open(meeting),
        "runs": may.may_run_meeting(user, meeting),
    }
