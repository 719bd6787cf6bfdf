"""The evaluations pages (代表评议): the list, an evaluation with its units, ballots, results and
rectification; a deputy's vote (phone first); the staff's paper ballots; a ballot's results; the
rectification items of a unit with their progress; the exports for the party committee.

Thin: scope, form, service; a refusal is shown on the form with what was typed. No page shows how
a deputy voted: nothing stores it. A deputy's own page says only that they have voted (已测评)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core.forms import preselect_only_choice, show_refusal
from renda.core.locking import StaleEdit
from renda.meetings.models import Meeting, MeetingKind
from renda.organisations.models import Township

from . import documents_evaluations as documents
from . import permissions_evaluations as may
from . import selectors_evaluations as selectors
from . import services_evaluations as services
from .forms_evaluations import (
    EvaluationForm,
    MeetingDateForm,
    PaperForm,
    ProgressForm,
    RectificationForm,
    UnitForm,
    UnitsForm,
    VoteForm,
)
from .models import BallotRound, Evaluation, EvaluationState, EvaluationUnit, RectificationItem, RoundState

REFUSALS = (ValidationError, StaleEdit, services.EvaluationRefused)


def _evaluation(user, uuid) -> Evaluation:
    return get_scoped_or_404(Evaluation.objects.select_related("township", "decided_at"), user, VIEW, uuid=uuid)


def _round(user, uuid) -> BallotRound:
    ballot = get_scoped_or_404(BallotRound.objects.select_related("evaluation__township"), user, VIEW, uuid=uuid)
    return selectors.with_units(ballot)


def _units(ballot: BallotRound):
    return ballot.units.all()


def _refuse(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(getattr(error, "message", error)))


# ---------------------------------------------------------------- list and creation


def evaluation_list(request):
    user = request.user
    require(may.may_view_evaluations(user))
    return render(
        request,
        "activities/evaluations/list.html",
        {"evaluations": list(selectors.evaluations_for(user)[:100]), "can_create": may.may_create_evaluations(user)},
    )


def evaluation_create(request):
    user = request.user
    require(may.may_create_evaluations(user))
    townships = scoped(Township, user, VIEW).order_by("name")
    meetings = scoped(Meeting, user, VIEW).filter(kind=MeetingKind.PRESIDIUM).select_related("township", "term")
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        townships=townships,
        meetings=meetings.order_by("-id"),
        initial={"year": timezone.localdate().year},
    )
    preselect_only_choice(form, "township")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.create_evaluation(
                user, township=data["township"], year=data["year"], title=data["title"], decided_at=data["decided_at"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Evaluation created: %(title)s.") % {"title": evaluation.title})
            return redirect("activities:evaluation_units", uuid=evaluation.uuid)
    return render(request, "activities/evaluations/create.html", {"form": form})


# ---------------------------------------------------------------- one evaluation


def evaluation_detail(request, uuid):
    user = request.user
    evaluation = _evaluation(user, uuid)
    runs = may.may_run_evaluation(user, evaluation)
    rounds = selectors.round_views(selectors.rounds_of(evaluation))
    own = services.ballot_standing([view.round for view in rounds], user)
    return render(
        request,
        "activities/evaluations/detail.html",
        {
            "evaluation": evaluation,
            "units": selectors.units_of(evaluation),
            "rounds": [(view, own.get(view.round.pk, (False, False))) for view in rounds],
            "can_run": runs,
            "can_export": may.may_export_results(user, evaluation),
            "meeting_form": MeetingDateForm(initial={"meeting_on": evaluation.meeting_on})
            if runs and evaluation.state in services.PREPARING
            else None,
            "today": timezone.localdate(),
            "states": EvaluationState,
        },
    )


def evaluation_units(request, uuid):
    user = request.user
    evaluation = _evaluation(user, uuid)
    require(may.may_run_evaluation(user, evaluation))
    agencies = services.unit_choices(evaluation.township)
    form = UnitsForm(
        request.POST if request.method == "POST" else None,
        agencies=agencies,
        initial={"agencies": list(evaluation.units.values_list("agency_id", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_units(evaluation, user, agencies=list(form.cleaned_data["agencies"]))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Units saved."))
            return redirect("activities:evaluation", uuid=evaluation.uuid)
    return render(request, "activities/evaluations/units.html", {"evaluation": evaluation, "form": form})


@require_POST
def evaluation_step(request, uuid):
    """The buttons of the evaluation page: the meeting date, a step, opening a ballot."""
    user = request.user
    evaluation = _evaluation(user, uuid)
    require(may.may_run_evaluation(user, evaluation))
    action = request.POST.get("action", "")
    try:
        if action == "meeting_date":
            form = MeetingDateForm(request.POST)
            services.set_meeting_date(
                evaluation, user, meeting_on=form.cleaned_data["meeting_on"] if form.is_valid() else None
            )
        elif action == "open_round":
            services.open_round(evaluation, user)
        else:
            services.move_evaluation(evaluation, user, to=request.POST.get("to", ""))
    except REFUSALS as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("activities:evaluation", uuid=evaluation.uuid)


def evaluation_unit(request, uuid):
    """A unit: the survey's findings and demands, its report, and its rectification items."""
    user = request.user
    unit = get_scoped_or_404(
        EvaluationUnit.objects.select_related("agency", "evaluation__township"), user, VIEW, uuid=uuid
    )
    evaluation = unit.evaluation
    runs = may.may_run_evaluation(user, evaluation)
    form = item_form = None
    if runs:
        posted = request.method == "POST"
        which = request.POST.get("form") if posted else None
        form = UnitForm(
            request.POST if which == "unit" else None,
            initial={
                "survey_findings": unit.survey_findings,
                "demands": unit.demands,
                "report_summary": unit.report_summary,
            },
        )
        item_form = RectificationForm(request.POST if which == "item" else None)
        if which == "unit" and form.is_valid():
            try:
                services.update_unit(unit, user, **form.cleaned_data)
            except REFUSALS as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("activities:evaluation_unit", uuid=unit.uuid)
        if which == "item" and item_form.is_valid():
            try:
                services.add_rectification(unit, user, **item_form.cleaned_data)
            except REFUSALS as error:
                show_refusal(item_form, error)
            else:
                messages.success(request, _("Rectification item added."))
                return redirect("activities:evaluation_unit", uuid=unit.uuid)
    elif request.method == "POST":
        require(runs)  # read-only for everyone else: 403
    items = scoped(RectificationItem, user, VIEW).filter(unit=unit).select_related("unit__agency")
    items = list(items.order_by("deadline", "id"))
    return render(
        request,
        "activities/evaluations/unit.html",
        {
            "unit": unit,
            "evaluation": evaluation,
            "form": form,
            "item_form": item_form if evaluation.state == EvaluationState.RECTIFICATION else None,
            "items": items,
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------- ballots


def ballot_round(request, uuid):
    """A ballot: turnout while open; the per-unit results once closed."""
    user = request.user
    ballot = _round(user, uuid)
    view = selectors.round_views([ballot])[0]
    mandate = services.elector_mandate(ballot, user) if may.may_vote(user) else None
    return render(
        request,
        "activities/evaluations/round.html",
        {
            "ballot": ballot,
            "evaluation": ballot.evaluation,
            "view": view,
            "units": list(_units(ballot)),
            "can_run": may.may_run_evaluation(user, ballot.evaluation) and ballot.state == RoundState.OPEN,
            "can_export": view.closed and may.may_export_results(user, ballot.evaluation),
            "elector": mandate is not None,
            "voted": services.has_voted(ballot, mandate),
        },
    )


@require_POST
def ballot_close(request, uuid):
    user = request.user
    ballot = _round(user, uuid)
    require(may.may_run_evaluation(user, ballot.evaluation))
    try:
        services.close_round(ballot, user)
    except REFUSALS as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The ballot is closed; the results are shown."))
    return redirect("activities:ballot_round", uuid=ballot.uuid)


def ballot_vote(request, uuid):
    """A deputy's ballot on the phone: one choice per unit, sent once."""
    user = request.user
    ballot = _round(user, uuid)
    mandate = services.elector_mandate(ballot, user)
    voted = services.has_voted(ballot, mandate)
    units = list(_units(ballot))
    form = VoteForm(request.POST if request.method == "POST" else None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.cast_ballot(ballot, user, choices=form.choices())
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your ballot is counted. Thank you."))
            return redirect("activities:ballot_vote", uuid=ballot.uuid)
    return render(
        request,
        "activities/evaluations/vote.html",
        {
            "ballot": ballot,
            "evaluation": ballot.evaluation,
            "form": form,
            "elector": mandate is not None,
            "voted": voted,
            "open": ballot.state == RoundState.OPEN,
        },
    )


def ballot_paper(request, uuid):
    """Staff enter a batch of paper ballots: who handed one in, and the counts per unit."""
    user = request.user
    ballot = _round(user, uuid)
    require(may.may_run_evaluation(user, ballot.evaluation))
    units = list(_units(ballot))
    form = PaperForm(
        request.POST if request.method == "POST" else None, mandates=services.paper_electors(ballot), units=units
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_paper_ballots(
                ballot, user, mandates=list(form.cleaned_data["mandates"]), counts=form.counts()
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Paper ballots counted."))
            return redirect("activities:ballot_round", uuid=ballot.uuid)
    return render(
        request, "activities/evaluations/paper.html", {"ballot": ballot, "evaluation": ballot.evaluation, "form": form}
    )


# ---------------------------------------------------------------- rectification


def rectification_list(request):
    user = request.user
    require(may.may_view_rectifications(user))
    return render(
        request,
        "activities/evaluations/rectifications.html",
        {"items": list(selectors.rectifications_for(user)[:200]), "today": timezone.localdate()},
    )


def rectification_item(request, uuid):
    user = request.user
    item = get_scoped_or_404(
        RectificationItem.objects.select_related("unit__agency", "unit__evaluation__township"), user, VIEW, uuid=uuid
    )
    can_report = may.may_report_progress(user, item) and item.state != "done"
    form = ProgressForm(request.POST if request.method == "POST" else None) if can_report else None
    if request.method == "POST":
        require(can_report)
        assert form is not None
        if form.is_valid():
            try:
                services.report_progress(
                    item, user, text=form.cleaned_data["text"], completes=form.cleaned_data["completes"]
                )
            except REFUSALS as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Progress reported."))
                return redirect("activities:rectification_item", uuid=item.uuid)
    return render(
        request,
        "activities/evaluations/item.html",
        {
            "item": item,
            "reports": list(item.reports.select_related("reported_by").order_by("created_at", "id")),
            "form": form,
            "overdue": selectors.is_overdue(item),
        },
    )


# ---------------------------------------------------------------- exports


def _download(request, evaluation: Evaluation, *, kind: str, filename: str, build):
    require(may.may_export_results(request.user, evaluation))
    return export_response(
        request,
        kind=kind,
        filename=filename,
        row_count=1,
        subjects=ExportSubjects(townships=[evaluation.township.name]),
        build=build,
        personal=False,
    )


def results_excel(request, uuid):
    evaluation = _evaluation(request.user, uuid)
    rounds = [view for view in selectors.round_views(selectors.rounds_of(evaluation)) if view.closed]
    return _download(
        request,
        evaluation,
        kind="activities.evaluation_results",
        filename=f"评议结果_{evaluation.title}.xlsx",
        build=lambda grant: documents.results_workbook(evaluation, rounds, footer_note=grant.footer),
    )


def report_word(request, uuid):
    evaluation = _evaluation(request.user, uuid)
    rounds = [view for view in selectors.round_views(selectors.rounds_of(evaluation)) if view.closed]
    units = selectors.units_of(evaluation)
    return _download(
        request,
        evaluation,
        kind="activities.evaluation_report",
        filename=f"评议情况报告_{evaluation.title}.docx",
        build=lambda grant: documents.report_document(evaluation, rounds, units, footer_note=grant.footer),
    )
