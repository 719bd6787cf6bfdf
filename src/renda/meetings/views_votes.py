"""The votes and resolutions pages: a meeting's votes recorded item by item with the live figures
of the all-deputies majority, corrections kept with their reason; resolutions adopted from a
passed vote, followed across meetings through their units' implementation reports until the
presidium marks them carried out; the parts of the meeting page and the home cards.

Thin: scope, form, service; a service's refusal is shown on the form with what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit
from renda.deputies.models import Person
from renda.organisations.models import Agency, Township

from . import permissions as may
from . import selectors_votes, services
from .forms_votes import OVERDUE, CorrectionForm, DoneForm, ReportForm, ResolutionFilterForm, ResolutionForm, VoteForm
from .models import (
    ImplementationReport,
    Meeting,
    MeetingKind,
    MeetingState,
    Resolution,
    ResolutionKind,
    ResolutionUnit,
    Vote,
    VoteCorrection,
    VoteKind,
)

PAGE_SIZE = 30
# Votes on a person elect them; they adopt no resolution.
ELECTIONS = (VoteKind.ELECTION, VoteKind.BY_ELECTION)
REFUSALS = (ValidationError, StaleEdit)


def _meeting(user, uuid) -> Meeting:
    return get_scoped_or_404(Meeting.objects.select_related("township", "term"), user, VIEW, uuid=uuid)


def _votes(meeting: Meeting) -> list[Vote]:
    """The meeting's votes with their corrections, in a fixed number of queries."""
    corrections = VoteCorrection.objects.unscoped().select_related("corrected_by").order_by("created_at", "id")
    return list(
        meeting.votes.select_related("item", "candidate", "mandate", "resolution").prefetch_related(
            Prefetch("corrections", queryset=corrections)
        )
    )


# ---------------------------------------------------------------- votes


def _vote_form(user, meeting: Meeting, data=None) -> VoteForm:
    candidates = (
        scoped(Person, user, VIEW).filter(township_id=meeting.township_id).order_by("name_stroke_key", "full_name")
    )
    return VoteForm(data, items=meeting.agenda.all(), candidates=candidates)


def _record_vote(request, meeting: Meeting, form: VoteForm) -> Vote | None:
    """The vote recorded from the form, or None with the refusal shown on the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        vote = services.record_vote(
            meeting,
            request.user,
            kind=data["kind"],
            title=data["title"],
            method=data["method"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            abstentions=data["abstentions"],
            item=data["item"],
            candidate=data["candidate"],
            constituency=data["constituency"],
        )
    except REFUSALS as error:
        show_refusal(form, error)
        return None
    outcome = _("passed") if vote.passed else _("not passed")
    messages.success(request, _("Vote recorded: %(title)s, %(outcome)s.") % {"title": vote.title, "outcome": outcome})
    if vote.mandate_id:
        messages.info(request, _("%(name)s's mandate as a deputy has started.") % {"name": vote.candidate})
    return vote


def meeting_votes(request, uuid):
    """The meeting's tally table; staff record the next vote here while it is in session. An htmx
    poll (``?figures=1``) refreshes the live figures as deputies sign in."""
    user = request.user
    meeting = _meeting(user, uuid)
    require(may.may_view_votes(user))
    if request.htmx and request.GET.get("figures"):
        return render(
            request,
            "meetings/votes/_figures.html",
            {"meeting": meeting, "figures": selectors_votes.vote_figures(meeting)},
        )
    form = None
    if request.method == "POST":
        # A form sent as the meeting closed still reaches the service, whose refusal keeps the input.
        require(may.may_run_meeting(user, meeting))
        form = _vote_form(user, meeting, request.POST)
        vote = _record_vote(request, meeting, form)
        if vote is not None:
            return redirect("meetings:votes", uuid=meeting.uuid)
    elif may.may_record_votes(user, meeting):
        form = _vote_form(user, meeting)
    return render(
        request,
        "meetings/votes/page.html",
        {
            "meeting": meeting,
            "votes": _votes(meeting),
            "form": form,
            "figures": selectors_votes.vote_figures(meeting) if meeting.state == MeetingState.OPEN else None,
            "can_correct": may.may_run_meeting(user, meeting),
            "can_adopt": may.may_adopt_resolutions(user, meeting),
            "elections": ELECTIONS,
        },
    )


def vote_correct(request, uuid):
    """The only way a recorded tally changes: a correction with its reason, kept in the history."""
    user = request.user
    vote = get_scoped_or_404(Vote.objects.select_related("meeting__township", "meeting__term"), user, CHANGE, uuid=uuid)
    require(may.may_correct_vote(user, vote))
    initial = {"votes_for": vote.votes_for, "votes_against": vote.votes_against, "abstentions": vote.abstentions}
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correct_vote(
                vote,
                user,
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                abstentions=data["abstentions"],
                reason=data["reason"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Tally corrected: %(title)s.") % {"title": vote.title})
            return redirect("meetings:votes", uuid=vote.meeting.uuid)
    corrections = vote.corrections.select_related("corrected_by").order_by("created_at", "id")
    return render(
        request,
        "meetings/votes/correct.html",
        {"vote": vote, "meeting": vote.meeting, "form": form, "corrections": list(corrections)},
    )


def votes_section(meeting: Meeting, user) -> dict[str, Any] | None:
    """The meeting page's part: the votes taken, once the meeting has opened."""
    if meeting.state not in {MeetingState.OPEN, MeetingState.CLOSED} or not may.may_view_votes(user):
        return None
    return {
        "votes": list(meeting.votes.select_related("resolution")),
        "can_record": may.may_record_votes(user, meeting),
    }


# ---------------------------------------------------------------- adopting a resolution


def _unit_choices(user, meeting: Meeting) -> QuerySet[Agency]:
    """Active agencies of the meeting's township and of its county."""
    return (
        scoped(Agency, user, VIEW)
        .filter(county_id=meeting.county_id, is_active=True)
        .filter(Q(township__isnull=True) | Q(township_id=meeting.township_id))
        .order_by("township", "name")
    )


def _initial_from_vote(votes: QuerySet[Vote], chosen: str | None, meeting: Meeting) -> dict[str, Any]:
    initial: dict[str, Any] = {"adopted_on": meeting.date}
    vote = None
    if chosen:
        try:
            vote = votes.filter(uuid=chosen).first()
        except ValidationError:  # an address typed by hand: no vote chosen
            vote = None
    if vote is not None:
        kind = ResolutionKind.DECISION if vote.kind == VoteKind.DECISION else ResolutionKind.RESOLUTION
        initial.update({"vote": vote.uuid, "title": vote.title, "kind": kind})
    return initial


def resolution_adopt(request, uuid):
    """Record a resolution or decision the meeting adopted (from a passed vote, or one adopted
    without a recorded vote), with its responsible units."""
    user = request.user
    meeting = _meeting(user, uuid)
    require(may.may_run_meeting(user, meeting))
    votes = meeting.votes.filter(passed=True, resolution__isnull=True).exclude(kind__in=ELECTIONS).order_by("position")
    data = request.POST if request.method == "POST" else None
    form = ResolutionForm(
        data,
        initial=_initial_from_vote(votes, request.GET.get("vote"), meeting),
        votes=votes,
        units=_unit_choices(user, meeting),
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            resolution = services.adopt_resolution(
                meeting,
                user,
                kind=cleaned["kind"],
                title=cleaned["title"],
                text=cleaned["text"],
                units=list(cleaned["units"]),
                vote=cleaned["vote"],
                adopted_on=cleaned["adopted_on"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Resolution recorded: %(title)s.") % {"title": resolution.title})
            return redirect("meetings:resolution", uuid=resolution.uuid)
    return render(
        request,
        "meetings/resolutions/adopt.html",
        {"meeting": meeting, "form": form, "open": may.may_adopt_resolutions(user, meeting)},
    )


def resolutions_section(meeting: Meeting, user) -> dict[str, Any] | None:
    """The meeting page's part: the resolutions it adopted (and, at a presidium meeting, those it
    found carried out)."""
    if not may.may_view_resolutions(user):
        return None
    today = timezone.localdate()
    resolutions = list(
        selectors_votes.with_follow_up(scoped(Resolution, user, VIEW), today)
        .filter(Q(meeting=meeting) | Q(done_meeting=meeting))
        .order_by("adopted_on", "id")
    )
    can_adopt = may.may_adopt_resolutions(user, meeting)
    if not resolutions and not can_adopt:
        return None
    return {
        "adopted": [r for r in resolutions if r.meeting_id == meeting.pk],
        "found_done": [r for r in resolutions if r.done_meeting_id == meeting.pk],
        "can_adopt": can_adopt,
    }


# ---------------------------------------------------------------- following resolutions


def resolution_list(request):
    """Resolutions across meetings, with the overdue reports in red; filters township and state
    (being carried out, carried out, report overdue)."""
    user = request.user
    require(may.may_view_resolutions(user))
    today = timezone.localdate()
    townships = scoped(Township, user, VIEW).order_by("division_code", "name")
    form = ResolutionFilterForm(request.GET or None, townships=townships)
    resolutions = selectors_votes.with_follow_up(scoped(Resolution, user, VIEW), today)
    if form.is_valid():
        data = form.cleaned_data
        if data["township"]:
            resolutions = resolutions.filter(meeting__township=data["township"])
        if data["state"] == OVERDUE:
            resolutions = resolutions.filter(selectors_votes.report_overdue(today))
        elif data["state"]:
            resolutions = resolutions.filter(state=data["state"])
        if data["q"]:
            resolutions = resolutions.filter(title__icontains=data["q"])
    resolutions = resolutions.select_related("meeting__township", "meeting__term").prefetch_related(
        Prefetch("units", queryset=ResolutionUnit.objects.unscoped().select_related("agency"))
    )
    page = Paginator(resolutions.order_by("-adopted_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/resolutions/list.html",
        {
            "page": page,
            "form": form,
            "show_township": len(townships[:2]) > 1,
            "show_meeting_link": may.may_view_meetings(user),
        },
    )


def _resolution(user, uuid) -> Resolution:
    queryset = selectors_votes.with_follow_up(
        Resolution.objects.select_related(
            "meeting__township", "meeting__term", "vote", "done_meeting__township", "done_meeting__term"
        ),
        timezone.localdate(),
    )
    return get_scoped_or_404(queryset, user, VIEW, uuid=uuid)


def _report_form(user, resolution: Resolution, data=None) -> ReportForm:
    staff = may.may_run_meeting(user, resolution.meeting)
    units = None
    if staff:
        units = scoped(Agency, user, VIEW).filter(pk__in=resolution.units.values("agency_id")).order_by("name")
    return ReportForm(data, initial={"reported_on": timezone.localdate()}, units=units)


def _done_form(user, resolution: Resolution, data=None) -> DoneForm:
    presidium_meetings = (
        scoped(Meeting, user, VIEW)
        .filter(
            kind=MeetingKind.PRESIDIUM,
            township_id=resolution.meeting.township_id,
            state__in=[MeetingState.OPEN, MeetingState.CLOSED],
        )
        .select_related("township", "term")
        .order_by("-starts_at")
    )
    return DoneForm(data, initial={"version": resolution.version}, meetings=presidium_meetings)


def resolution_detail(request, uuid):
    user = request.user
    resolution = _resolution(user, uuid)
    reports = list(resolution.reports.select_related("agency", "recorded_by").order_by("reported_on", "id"))
    can_report = may.may_follow_resolution(user, resolution)
    can_mark_done = bool(reports) and may.may_mark_resolution_done(user, resolution)
    return render(
        request,
        "meetings/resolutions/detail.html",
        {
            "resolution": resolution,
            "meeting": resolution.meeting,
            "units": list(resolution.units.select_related("agency")),
            "reports": reports,
            "report_form": _report_form(user, resolution) if can_report else None,
            "done_form": _done_form(user, resolution) if can_mark_done else None,
            "show_meeting_link": may.may_view_meetings(user),
        },
    )


def resolution_report(request, uuid):
    """An implementation report: POST records it; GET shows the form alone (without JavaScript, and
    where a refused report is shown again with what was typed)."""
    user = request.user
    resolution = _resolution(user, uuid)
    require(may.may_report_on(user, resolution))
    form = _report_form(user, resolution, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report: ImplementationReport = services.report_implementation(
                resolution, user, text=data["text"], reported_on=data["reported_on"], agency=data.get("agency")
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Implementation report recorded; the next one is due by %(date)s.")
                % {"date": report.resolution.next_report_due_on},
            )
            return redirect("meetings:resolution", uuid=resolution.uuid)
    return render(request, "meetings/resolutions/report.html", {"resolution": resolution, "form": form})


def resolution_done(request, uuid):
    """The presidium finds the resolution carried out (recorded by the township's staff)."""
    user = request.user
    resolution = _resolution(user, uuid)
    require(may.may_run_meeting(user, resolution.meeting))
    form = _done_form(user, resolution, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mark_resolution_done(
                resolution,
                user,
                expected_version=data["version"],
                presidium_meeting=data["presidium_meeting"],
                note=data["note"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Marked carried out: %(title)s.") % {"title": resolution.title})
            return redirect("meetings:resolution", uuid=resolution.uuid)
    return render(request, "meetings/resolutions/done.html", {"resolution": resolution, "form": form})


# ---------------------------------------------------------------- home cards


def home_follow_up(user) -> dict[str, Any]:
    """The staff's and the handlers' card: resolutions whose implementation report is due or late."""
    today = timezone.localdate()
    return {"follow_up": selectors_votes.resolution_follow_up(scoped(Resolution, user, VIEW), today), "today": today}
