"""The agency's and the deputy's casework pages: the inbox (待办件) and the agency's steps on a case
(签收, 申请改交, 办理进展, 协办意见, 延期申请, 答复), attachments, a deputy's own suggestions
(我的建议) and their rating (满意度测评). Thin: fetch the case through the scope, check the named
permission, call the service, and on a refusal show its Chinese message with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, get_scoped_or_404
from renda.core.forms import show_refusal

from . import deadlines, inbox, services
from . import permissions as may
from .form_errors import REFUSALS
from .forms_agency import (
    AcceptForm,
    AnswerForm,
    AttachmentForm,
    CaseStepForm,
    CoViewForm,
    ExtensionForm,
    HandBackForm,
    NoteForm,
    RateForm,
    rate_choices,
)
from .models import Case, CaseAttachment
from .workflow import IllegalTransition, Step, allowed


def _case(request, uuid) -> Case:
    return get_scoped_or_404(
        Case.objects.select_related("township", "category", "merged_into"), request.user, VIEW, uuid=uuid
    )


def _next_url(request, default: str) -> str:
    """Where to go after a step: the page the form came from (the detail page, the inbox), if it is ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _case_page(case: Case) -> str:
    return reverse("casework:agency_case", args=[case.uuid])


def _way_back(request, case: Case) -> str:
    """The page the user came from, else the handler's page of the case (staff, who may note
    progress and add attachments too, come from their detail page and have no handler's page)."""
    return _next_url(request, _case_page(case) if may.live_assignment(request.user, case) is not None else "")


def _step(
    request,
    case: Case,
    *,
    step: Step,
    form: CaseStepForm,
    perform: Callable[[dict[str, Any]], object],
    done: str,
    template: str = "casework/agency/step.html",
    default_next: str | None = None,
    follow_next: bool = True,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """One step's page: the form on GET; on POST the service, and back to where the user came
    from, or the form again with the service's message and the user's input."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, done)
            default = default_next or _case_page(case)
            return redirect(_next_url(request, default) if follow_next else default)
    blocked = None if allowed(case, step) else IllegalTransition(step, case.state).message
    return render(
        request,
        template,
        {
            "case": case,
            "form": form,
            "blocked": blocked if request.method != "POST" else None,
            "back": _way_back(request, case),
            "due": deadlines.due_of(case, timezone.localdate()),
            **(context or {}),
        },
    )


def _initial(request, case: Case) -> dict[str, Any]:
    return {"version": case.version, "next": request.GET.get("next", "")}


# ---------------------------------------------------------------- the inbox


def inbox_page(request):
    require(may.may_use_inbox(request.user))
    sections = inbox.inbox(request.user)
    return render(
        request,
        "casework/inbox.html",
        {"sections": sections, "total": sum(len(section.cards) for section in sections)},
    )


def agency_case(request, uuid):
    """The handler's page of one case (phone first): the matter, the deadlines, the steps."""
    case = _case(request, uuid)
    actions = inbox.case_actions(request.user, case)
    require(actions.lead or actions.co)
    signers = case.signers.select_related("mandate__person")
    notes = case.notes.select_related("agency")
    assignments = case.assignments.filter(handed_back_at__isnull=True).select_related("agency")
    return render(
        request,
        "casework/agency/case.html",
        {
            "case": case,
            "actions": actions,
            "due": deadlines.due_of(case, timezone.localdate()),
            "signers": signers,
            "notes": notes,
            "assignments": assignments,
            "replies": case.replies.order_by("round"),
            "extensions": case.extensions.order_by("requested_at"),
        },
    )


# ---------------------------------------------------------------- the agency's steps


def accept_assignment(request, uuid):
    case = _case(request, uuid)
    require(may.may_act_as_lead(request.user, case))
    form = AcceptForm(request.POST or None, initial=_initial(request, case))
    return _step(
        request,
        case,
        step=Step.AGENCY_ACCEPT,
        form=form,
        perform=lambda data: services.agency_accept(case, request.user, version=data["version"]),
        done=_("The case is accepted: your agency handles it."),
        template="casework/agency/accept.html",
    )


def hand_back(request, uuid):
    case = _case(request, uuid)
    assignment = may.live_assignment(request.user, case)
    require(assignment is not None)
    assert assignment is not None
    form = HandBackForm(request.POST or None, initial=_initial(request, case))
    return _step(
        request,
        case,
        step=Step.HAND_BACK if assignment.is_lead else Step.CO_HAND_BACK,
        form=form,
        perform=lambda data: services.hand_back(case, request.user, version=data["version"], reason=data["reason"]),
        done=_("Re-assignment asked for: the case went back to the township's staff."),
        template="casework/agency/hand_back.html",
        # The case leaves the agency: back to the inbox.
        default_next=reverse("casework:inbox"),
        follow_next=False,
        context={"assignment": assignment, "today": timezone.localdate()},
    )


def note(request, uuid):
    case = _case(request, uuid)
    require(may.may_note_progress(request.user, case))
    form = NoteForm(request.POST or None, initial=_initial(request, case))
    return _step(
        request,
        case,
        step=Step.NOTE,
        form=form,
        perform=lambda data: services.add_note(case, request.user, text=data["text"]),
        done=_("Progress noted."),
        context={"title": _("Note progress"), "submit": _("Save the progress note")},
    )


def co_view(request, uuid):
    case = _case(request, uuid)
    assignment = may.live_assignment(request.user, case, lead=False)
    require(assignment is not None)
    assert assignment is not None
    form = CoViewForm(request.POST or None, initial={**_initial(request, case), "text": assignment.view_text})
    return _step(
        request,
        case,
        step=Step.CO_VIEW,
        form=form,
        perform=lambda data: services.co_agency_view(case, request.user, text=data["text"]),
        done=_("Your view was sent to the lead agency."),
        context={
            "title": _("Co-agency's view"),
            "submit": _("Send to the lead agency"),
            "hint": assignment.view_due_on,
            "hint_label": _("View due on"),
        },
    )


def extension(request, uuid):
    case = _case(request, uuid)
    require(may.may_act_as_lead(request.user, case))
    form = ExtensionForm(request.POST or None, initial=_initial(request, case))
    cap = deadlines.answer_cap(case.assigned_on) if case.assigned_on else None
    return _step(
        request,
        case,
        step=Step.EXTENSION_REQUEST,
        form=form,
        perform=lambda data: services.request_extension(case, request.user, until=data["until"], reason=data["reason"]),
        done=_("Extension requested; the township's staff decide on it."),
        context={
            "title": _("Ask for more time"),
            "submit": _("Send the request"),
            "hint": cap,
            "hint_label": _("An extension may reach at the latest"),
            "pending": case.extensions.filter(approved__isnull=True).first(),
        },
    )


def answer(request, uuid):
    case = _case(request, uuid)
    require(may.may_act_as_lead(request.user, case))
    form = AnswerForm(request.POST or None, initial=_initial(request, case))
    return _step(
        request,
        case,
        step=Step.ANSWER,
        form=form,
        perform=lambda data: services.answer(case, request.user, version=data["version"], **form.reply()),
        done=_("The answer is sent; the deputies and the citizen are asked to rate it."),
        template="casework/agency/answer.html",
        context={"co_views": case.assignments.filter(is_lead=False).exclude(view_text="").select_related("agency")},
    )


# ---------------------------------------------------------------- attachments


def attachment_add(request, uuid):
    """The upload form of the attachments partial posts here; its errors are shown on this page."""
    case = _case(request, uuid)
    may_add = may.may_add_attachment(request.user, case)
    if request.method == "POST":
        require(may_add)
    form = AttachmentForm(request.POST or None, request.FILES or None, initial=_initial(request, case))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(case, request.user, upload=form.cleaned_data["file"])
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Attachment added."))
            return redirect(_next_url(request, reverse("casework:attachment_add", args=[case.uuid])))
    return render(
        request,
        "casework/agency/attachments.html",
        {
            "case": case,
            "form": form if may_add else None,
            "attachments": inbox.attachments_of(request.user, case),
            "back": _way_back(request, case),
        },
    )


def attachment_download(request, uuid):
    """An attachment, only through the scope and never from a public address; every download is
    audited (an audited read, like an export)."""
    attachment = get_scoped_or_404(CaseAttachment.objects.select_related("case"), request.user, VIEW, uuid=uuid)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit.record(
        "export.casework.attachment",
        actor=request.user,
        target=attachment.case,
        data={"file": attachment.name, "attachment": str(attachment.uuid)},
    )
    return FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)


# ---------------------------------------------------------------- the deputy's side


def my_cases(request):
    require(may.may_view_own_suggestions(request.user))
    return render(request, "casework/my_cases.html", {"cases": inbox.own_suggestions(request.user)})


def rate(request, uuid):
    """满意度测评 by a signing deputy, once per mandate signed; for a case merged into another, the
    deputy rates their own case against that case's answer."""
    case = _case(request, uuid)
    require(may.may_rate(request.user, case))
    state = inbox.rating_state(request.user, case)
    if not state.awaiting:
        if state.is_open:
            closed = _("This answer has already been rated.")
        else:
            closed = IllegalTransition(Step.RATE, state.main.state).message
        if request.method == "POST":
            messages.error(request, closed)
        return render(request, "casework/rate.html", {"case": case, "state": state, "form": None, "closed": closed})
    mandates = {str(signer.mandate.uuid): signer.mandate for signer in state.unrated}
    form = RateForm(request.POST or None, initial=_initial(request, case), mandates=rate_choices(state))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rate(
                case,
                request.user,
                mandate=mandates[data["mandate"]],
                handling=data["handling"],
                result=data["result"],
                comment=data["comment"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Thank you: your rating is recorded."))
            return redirect(_next_url(request, reverse("casework:my_cases")))
    return render(request, "casework/rate.html", {"case": case, "state": state, "form": form})
