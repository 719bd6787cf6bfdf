"""A session's motions (议案) and suggestions (大会期间建议), and the size of the congresses.

Deputies submit motions as lead signer with co-signers of their congress; staff enter paper motions
and record the presidium's decision; a motion not placed on the agenda is handled as a suggestion (a
case). Thin views: scope, form, service; a service's refusal is shown on the form with what was typed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit
from renda.deputies.models import Mandate
from renda.organisations.models import Term

from . import permissions as may
from . import rules, selectors_congress, services
from .forms_motions import CongressSizeForm, DecisionForm, MotionForm, SignedForm, SuggestionForm
from .models import Meeting, MeetingState, Motion, MotionSigner, MotionState, SessionSuggestion

REFUSALS = (StaleEdit, ValidationError)


def _session(request, uuid) -> Meeting:
    """The session within the user's scope (404 outside it, or for a meeting that is not a session)."""
    meeting = get_scoped_or_404(
        Meeting.objects.select_related("county", "township", "term"), request.user, VIEW, uuid=uuid
    )
    if not meeting.is_session:
        raise Http404
    return meeting


def _signers() -> Prefetch:
    return Prefetch("signers", queryset=MotionSigner.objects.unscoped().select_related("mandate__person"))


# ---------------------------------------------------------------- the part of the meeting page


def motions_section(meeting: Meeting, user: Any) -> dict | None:
    """The motions and suggestions of a session, as the user may see them (a deputy: those they
    signed); None for other meetings."""
    if not meeting.is_session:
        return None
    motions = scoped(Motion, user, VIEW).filter(meeting=meeting).prefetch_related(_signers()).order_by("number")
    suggestions = (
        scoped(SessionSuggestion, user, VIEW).filter(meeting=meeting).select_related("case").order_by("case__id")
    )
    return {
        "meeting": meeting,
        "motions": list(motions),
        "suggestions": list(suggestions),
        "may_submit": may.may_submit_to_session(user, meeting)
        and meeting.state not in {MeetingState.CLOSED, MeetingState.CANCELLED},
        **_rule(meeting),
    }


def _rule(meeting: Meeting) -> dict[str, Any]:
    """What the motion's rule says on the pages: the co-signers needed and the session's deadline."""
    deadline = meeting.motion_deadline
    return {
        "signers_needed": rules.motion_signers_needed(),
        "deadline": deadline,
        "deadline_passed": deadline is not None and timezone.now() > deadline,
    }


def motion_list(request, uuid):
    meeting = _session(request, uuid)
    context = motions_section(meeting, request.user)
    return render(request, "meetings/motions/list.html", context)


# ---------------------------------------------------------------- submitting


def _signed_form(form_class: type[SignedForm], request, meeting: Meeting) -> tuple[SignedForm, Mandate | None]:
    """The form of a signed text, for the user: a deputy signs as the lead with their own mandate and
    picks co-signers among the congress's other deputies; staff pick them all (a paper motion)."""
    user = request.user
    require(may.may_submit_to_session(user, meeting))
    assert meeting.term is not None  # a session belongs to a term
    # The congress's roster, read after the check above: a deputy's own scope holds only their record.
    deputies: QuerySet[Mandate] = (
        services.congress_deputies(meeting.term, meeting.date)
        .select_related("person")
        .order_by("person__name_stroke_key", "person__full_name", "pk")
    )
    own = None if may.may_run_meeting(user, meeting) else may.own_congress_mandate(user, meeting)
    data = request.POST if request.method == "POST" else None
    if own is not None:
        form = form_class(data, lead_choices=None, co_choices=deputies.exclude(pk=own.pk))
    else:
        form = form_class(data, lead_choices=deputies, co_choices=deputies)
    return form, own


def _signing(form: SignedForm, own: Mandate | None) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "content": data["content"],
        "lead": own or data["lead"],
        "signers": list(data["co_signers"]),
    }


def motion_new(request, uuid):
    meeting = _session(request, uuid)
    form, own = _signed_form(MotionForm, request, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            motion = services.submit_motion(meeting, request.user, **_signing(form, own))
        except REFUSALS as error:
            # The signers' count or membership concerns the co-signers a user picks.
            if hasattr(error, "error_dict") and "signers" in error.error_dict:
                error.error_dict["co_signers"] = error.error_dict.pop("signers")
            show_refusal(form, error)
        else:
            messages.success(request, _("Motion %(number)s submitted.") % {"number": motion.number})
            return redirect("meetings:motion_detail", uuid=motion.uuid)
    return render(
        request,
        "meetings/motions/new.html",
        {"meeting": meeting, "form": form, "own": own, **_rule(meeting)},
    )


def suggestion_new(request, uuid):
    meeting = _session(request, uuid)
    form, own = _signed_form(SuggestionForm, request, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.file_session_suggestion(meeting, request.user, **_signing(form, own))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Suggestion entered: %(reference)s") % {"reference": case.reference})
            return redirect("casework:detail", uuid=case.uuid)
    return render(request, "meetings/motions/suggestion_new.html", {"meeting": meeting, "form": form, "own": own})


# ---------------------------------------------------------------- a motion and the presidium's decision


def _motion(request, uuid) -> Motion:
    queryset = Motion.objects.select_related("meeting__township", "meeting__term", "case").prefetch_related(_signers())
    return get_scoped_or_404(queryset, request.user, VIEW, uuid=uuid)


def _motion_page(request, motion: Motion, decision: DecisionForm | None = None):
    user = request.user
    may_decide = may.may_decide_motions(user, motion.meeting)
    if decision is None and may_decide and motion.state == MotionState.SUBMITTED:
        decision = DecisionForm(initial={"version": motion.version})
    return render(
        request,
        "meetings/motions/detail.html",
        {
            "motion": motion,
            "meeting": motion.meeting,
            "decision": decision,
            "may_handle_as_suggestion": may_decide and motion.state == MotionState.NOT_PLACED and not motion.case_id,
        },
    )


def motion_detail(request, uuid):
    return _motion_page(request, _motion(request, uuid))


def motion_decide(request, uuid):
    """The presidium's decision (POST); a GET shows the motion's page with the form."""
    motion = _motion(request, uuid)
    require(may.may_decide_motions(request.user, motion.meeting))
    if request.method != "POST":
        return _motion_page(request, motion)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_motion(
                motion,
                request.user,
                expected_version=data["version"],
                place=data["decision"] == "place",
                reason=data["reason"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The presidium's decision is recorded."))
            return redirect("meetings:motion_detail", uuid=motion.uuid)
    return _motion_page(request, motion, decision=form)


@require_POST
def motion_to_suggestion(request, uuid):
    motion = _motion(request, uuid)
    require(may.may_decide_motions(request.user, motion.meeting))
    try:
        case = services.motion_to_suggestion(motion, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:motion_detail", uuid=motion.uuid)
    messages.success(request, _("The motion is handled as a suggestion: %(reference)s") % {"reference": case.reference})
    return redirect("casework:detail", uuid=case.uuid)


# ---------------------------------------------------------------- the congresses' size


def congress(request):
    user = request.user
    require(may.may_view_congress_size(user))
    today = timezone.localdate()
    sizes = selectors_congress.congress_sizes(user, today)
    editable = may.terms_whose_size_may_be_set(user, [size.term for size in sizes if size.term is not None])
    return render(
        request,
        "meetings/congress/index.html",
        {
            "rows": [(size, size.term is not None and size.term.pk in editable) for size in sizes],
            "today": today,
            "base_seats": settings.RENDA_CONGRESS_BASE_SEATS,
            "small_population": settings.RENDA_CONGRESS_SMALL_POPULATION,
            "per_seat": settings.RENDA_CONGRESS_INHABITANTS_PER_SEAT,
            "max_seats": settings.RENDA_CONGRESS_MAX_SEATS,
        },
    )


def congress_size(request, uuid):
    """The population and the seats the county fixed, for one township congress's term."""
    user = request.user
    term = get_scoped_or_404(Term.objects.select_related("county", "township"), user, CHANGE, uuid=uuid)
    require(term.township_id is not None and may.may_set_congress_size(user, term))
    initial = {"population": term.population, "fixed_seats": term.fixed_seats}
    form = CongressSizeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_congress_size(term, user, **form.cleaned_data)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Saved: %(name)s") % {"name": term})
            return redirect("meetings:congress")
    size = selectors_congress.size_of(term, timezone.localdate())
    return render(request, "meetings/congress/size.html", {"term": term, "form": form, "size": size})
