"""The meetings' own pages: the list, planning a meeting, the meeting's page (its plan, notice,
agenda and documents, participants and observers, then the parts the other areas declare in
``sections``) and the forms behind it. Thin: scope, form, service. A refused form is shown again
on a page of its own, with the service's reason beside what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.accounts import audit
from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core.forms import preselect_only_choice, show_refusal
from renda.core.locking import StaleEdit
from renda.organisations.models import Township

from . import permissions as may
from . import sections, services
from . import selectors_sessions as selectors
from .forms_sessions import (
    AgendaDocumentForm,
    AgendaItemForm,
    CancelForm,
    MeetingEditForm,
    MeetingFilterForm,
    MeetingPlanForm,
    NoticeForm,
    ObserverForm,
    ParticipantsForm,
)
from .models import AgendaDocument, AgendaItem, Meeting, Observer

PAGE_SIZE = 30
REFUSALS = (StaleEdit, ValidationError)


# ---------------------------------------------------------------- the list


def meeting_list(request):
    user = request.user
    require(may.may_browse_meetings(user))
    today = timezone.localdate()
    townships = scoped(Township, user, VIEW).order_by("division_code", "name")
    form = MeetingFilterForm(request.GET or None, townships=townships, years=selectors.meeting_years(user))
    filters = selectors.MeetingFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.MeetingFilters(
            township=data["township"], kind=data["kind"], year=data["year"], state=data["state"]
        )
    page = Paginator(selectors.meeting_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_warnings(page.object_list, today)
    return render(
        request,
        "meetings/sessions/list.html",
        {
            "page": page,
            "form": form,
            "show_township": len(townships[:2]) > 1,
            "can_plan": may.may_plan_meetings(user),
        },
    )


# ---------------------------------------------------------------- planning


def meeting_new(request):
    user = request.user
    require(may.may_plan_meetings(user))
    today = timezone.localdate()
    townships = selectors.planning_townships(user)
    data = request.POST if request.method == "POST" else None
    # The deputies on offer follow the township chosen (htmx reloads the form when it changes).
    township = selectors.chosen_township(townships, (data or request.GET).get("township") or "")
    initial: dict[str, Any] = {}
    if data is None and request.GET:
        # The form reloaded for another township keeps what was typed.
        initial = {key: value for key, value in request.GET.items() if key != "extra_requesters"}
        initial["extra_requesters"] = request.GET.getlist("extra_requesters")
    form = MeetingPlanForm(
        data,
        initial=initial,
        townships=townships,
        requesters=selectors.requester_choices(user, today, township),
    )
    preselect_only_choice(form, "township")
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            meeting = services.plan_meeting(
                user,
                township=cleaned["township"],
                kind=cleaned["kind"],
                starts_at=cleaned["starts_at"],
                ends_on=cleaned["ends_on"],
                number=cleaned["number"],
                title=cleaned["title"],
                venue=cleaned["venue"],
                extra_basis=cleaned["extra_basis"],
                extra_requesters=list(cleaned["extra_requesters"]),
                motion_deadline=cleaned["motion_deadline"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Meeting planned: %(name)s") % {"name": meeting.name})
            return redirect("meetings:detail", uuid=meeting.uuid)
    template = (
        "meetings/sessions/new.html#plan-form"
        if request.htmx and request.method == "GET"
        else "meetings/sessions/new.html"
    )
    return render(request, template, {"form": form})


def _plan_initial(meeting: Meeting) -> dict[str, Any]:
    """The plan as the edit form shows it, to the minute (so an untouched field is not "changed")."""
    initial: dict[str, Any] = {
        "version": meeting.version,
        "starts_at": timezone.localtime(meeting.starts_at).replace(second=0, microsecond=0),
        "ends_on": meeting.ends_on,
        "venue": meeting.venue,
        "title": meeting.title,
    }
    if meeting.motion_deadline:
        initial["motion_deadline"] = timezone.localtime(meeting.motion_deadline).replace(second=0, microsecond=0)
    return initial


def meeting_edit(request, uuid):
    user = request.user
    meeting = selectors.meeting_for_page(user, uuid)
    require(may.may_run_meeting(user, meeting))
    form = MeetingEditForm(request.POST or None, initial=_plan_initial(meeting), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        if not changed:
            messages.info(request, _("Nothing was changed."))
            return redirect("meetings:detail", uuid=meeting.uuid)
        try:
            services.update_meeting(meeting, user, expected_version=_version(form), **changed)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("meetings:detail", uuid=meeting.uuid)
    return _form_page(request, meeting, form, title=gettext_lazy("Change the plan"), button=gettext_lazy("Save"))


def meeting_cancel(request, uuid):
    user = request.user
    meeting = selectors.meeting_for_page(user, uuid)
    require(may.may_run_meeting(user, meeting))
    form = CancelForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(meeting, user, expected_version=_version(form), reason=form.cleaned_data["reason"])
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The meeting is cancelled."))
            return redirect("meetings:detail", uuid=meeting.uuid)
    return _form_page(
        request,
        meeting,
        form,
        title=gettext_lazy("Cancel the meeting"),
        button=gettext_lazy("Cancel the meeting"),
        css="danger",
    )


# ---------------------------------------------------------------- the meeting's page


def meeting_detail(request, uuid):
    meeting = selectors.meeting_for_page(request.user, uuid)
    return render(request, "meetings/sessions/detail.html", _detail_context(request, meeting))


def _detail_context(request, meeting: Meeting) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    controls = selectors.controls(user, meeting)
    agenda = selectors.agenda_of(user, meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "controls": controls,
        "notice": services.notice_check(meeting, today),
        "notice_warning": selectors.notice_warning(meeting, today),
        "agenda": agenda,
        # A session's participants are its roster: the attendance part shows them.
        "participants": [] if meeting.is_session else selectors.participants_of(user, meeting),
        "observers": list(scoped(Observer, user, VIEW).filter(meeting=meeting).order_by("id")),
        "sections": _sections(request, meeting),
    }
    if controls.notify:
        text = meeting.notice_text or selectors.default_notice_text(meeting, agenda)
        context["notice_form"] = NoticeForm(initial={"version": meeting.version, "text": text})
    if controls.edit_agenda:
        context["agenda_form"] = AgendaItemForm()
    if controls.add_observers:
        context["observer_form"] = ObserverForm()
    return context


def _sections(request, meeting: Meeting) -> list[dict[str, Any]]:
    """The other areas' parts of the page, each rendered from its template with its own context
    (plus ``meeting`` and ``section``), in the order they declared. The page gives each part its
    heading (``section.label``) and its anchor (``#<code>``); the part's template holds the rest."""
    return [
        {
            "section": section,
            "html": render_to_string(
                section.template, {"meeting": meeting, "section": section, **context}, request=request
            ),
        }
        for section, context in sections.for_meeting(meeting, request.user)
    ]


def meeting_notice(request, uuid):
    """Send the notice: the form is on the meeting's page; a refusal is shown here."""
    user = request.user
    meeting = selectors.meeting_for_page(user, uuid)
    require(may.may_run_meeting(user, meeting))
    initial = {"version": meeting.version, "text": meeting.notice_text}
    if not meeting.notice_text:
        initial["text"] = selectors.default_notice_text(meeting, selectors.agenda_of(user, meeting))
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.send_notice(
                meeting, user, expected_version=_version(form), text=form.cleaned_data["text"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            check = services.notice_check(meeting)
            if check.late:
                messages.warning(
                    request, _("The notice is sent, but late: it was due by %(day)s.") % {"day": check.due_by}
                )
            else:
                messages.success(request, _("The notice is sent to the expected deputies."))
            return redirect("meetings:detail", uuid=meeting.uuid)
    return _form_page(
        request, meeting, form, title=gettext_lazy("Send the notice"), button=gettext_lazy("Send the notice")
    )


# ---------------------------------------------------------------- agenda and documents


def agenda_add(request, uuid):
    user = request.user
    meeting = selectors.meeting_for_page(user, uuid)
    require(may.may_run_meeting(user, meeting))
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.add_agenda_item(
                meeting, user, kind=data["kind"], title=data["title"], presenter=data["presenter"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Agenda item added: %(title)s") % {"title": item.title})
            return redirect(_detail_url(meeting, "agenda"))
    return _form_page(request, meeting, form, title=gettext_lazy("Add an agenda item"), button=gettext_lazy("Add"))


def _item(request, uuid) -> AgendaItem:
    item = get_scoped_or_404(
        AgendaItem.objects.select_related("meeting__township", "meeting__term"), request.user, VIEW, uuid=uuid
    )
    require(may.may_run_meeting(request.user, item.meeting))
    return item


@require_POST
def agenda_remove(request, uuid):
    item = _item(request, uuid)
    try:
        services.remove_agenda_item(item, request.user)
    except REFUSALS as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(request, _("Agenda item removed: %(title)s") % {"title": item.title})
    return redirect(_detail_url(item.meeting, "agenda"))


def agenda_document_add(request, uuid):
    item = _item(request, uuid)
    form = AgendaDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.add_agenda_document(item, request.user, upload=form.cleaned_data["file"])
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Document added: %(name)s") % {"name": document.name})
            return redirect(_detail_url(item.meeting, "agenda"))
    return _form_page(
        request,
        item.meeting,
        form,
        title=gettext_lazy("Add a document"),
        button=gettext_lazy("Upload"),
        subtitle=item.title,
        multipart=True,
    )


def agenda_document(request, uuid):
    """A document of the agenda, only through the scope (the deputies expected at the meeting read
    it too); every download is audited, like a case's attachment."""
    document = get_scoped_or_404(AgendaDocument.objects.select_related("item__meeting"), request.user, VIEW, uuid=uuid)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit.record(
        "export.meetings.agenda_document",
        actor=request.user,
        target=document.item.meeting,
        data={"file": document.name, "item": document.item.title},
    )
    return FileResponse(handle, as_attachment=True, filename=document.name, content_type=document.content_type)


# ---------------------------------------------------------------- participants and observers


def participants(request, uuid):
    """The deputies expected at a presidium or county-level meeting (a session's are its roster)."""
    user = request.user
    meeting = selectors.meeting_for_page(user, uuid)
    require(may.may_run_meeting(user, meeting))
    chosen = [row.mandate.uuid for row in selectors.participants_of(user, meeting)]
    form = ParticipantsForm(
        request.POST or None, initial={"mandates": chosen}, choices=selectors.participant_choices(user, meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_participants(meeting, user, mandates=list(form.cleaned_data["mandates"]))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The participants are saved."))
            return redirect(_detail_url(meeting, "participants"))
    return _form_page(
        request, meeting, form, title=gettext_lazy("Choose the participants"), button=gettext_lazy("Save")
    )


def observer_add(request, uuid):
    user = request.user
    meeting = selectors.meeting_for_page(user, uuid)
    require(may.may_run_meeting(user, meeting))
    form = ObserverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            observer = services.add_observer(
                meeting, user, name=form.cleaned_data["name"], position=form.cleaned_data["position"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Observer added: %(name)s") % {"name": observer.name})
            return redirect(_detail_url(meeting, "observers"))
    return _form_page(request, meeting, form, title=gettext_lazy("Add an observer"), button=gettext_lazy("Add"))


# ---------------------------------------------------------------- helpers


def _version(form) -> int:
    # A form that lost its version is out of date: 0 matches no row, so the service says so.
    return form.cleaned_data.get("version") or 0


def _detail_url(meeting: Meeting, anchor: str) -> str:
    return f"{reverse('meetings:detail', args=[meeting.uuid])}#{anchor}"


def _form_page(request, meeting: Meeting, form, *, title, button, css="primary", subtitle="", multipart=False):
    return render(
        request,
        "meetings/sessions/form.html",
        {
            "meeting": meeting,
            "form": form,
            "title": title,
            "subtitle": subtitle,
            "button": button,
            "css": css,
            "multipart": multipart,
        },
    )
