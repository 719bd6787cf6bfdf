"""Pages of the scores: the county's table of townships by section (live while the scheme is a
draft, as published once it is), publication, one township's lines, and one line's evidence — the
records behind a computed figure, the evidence of entered points, the adjustments — with the
county administrator's forms to enter and adjust points. Thin: scope, named check, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, get_scoped_or_404
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit
from renda.organisations.models import Township

from . import permissions as may
from . import scoring, selectors, selectors_scores, services
from .forms import AdjustForm, EnterScoreForm, PeriodForm, PublishForm
from .models import Indicator, IndicatorKind, Scheme

REFUSALS = (ValidationError, StaleEdit)


def _scheme(request, uuid) -> Scheme:
    require(may.may_view_assessment(request.user))
    return selectors.scheme_for_page(request.user, uuid)


def _period_form(request, scheme: Scheme) -> PeriodForm:
    form = PeriodForm(request.GET if "end" in request.GET else None, year=scheme.year)
    form.is_valid()  # errors, if any, show beside the field; the year to date is used then
    return form


def _end_query(form: PeriodForm) -> str:
    """``?end=…`` to carry a valid chosen day to the next page."""
    end = form.cleaned_data.get("end") if form.is_bound and form.is_valid() else None
    return f"?{urlencode({'end': end.isoformat()})}" if end else ""


def _township(request, scheme: Scheme, township_uuid):
    """One of the townships whose score the user may see on the scheme; 404 for any other."""
    visible = selectors_scores.visible_townships(request.user, scheme)
    township = next((t for t in visible if t.uuid == township_uuid), None)
    if township is None:
        # Outside the user's scope: the 404 of the scope, which records the refused access.
        get_scoped_or_404(Township, request.user, uuid=township_uuid)
        raise Http404
    return township


def scores(request, uuid):
    scheme = _scheme(request, uuid)
    form = _period_form(request, scheme)
    table = selectors_scores.scores_table(request.user, scheme, form.chosen_end(timezone.localdate()))
    return render(
        request,
        "assessment/scores/table.html",
        {
            "scheme": scheme,
            "table": table,
            "form": form,
            "end_query": _end_query(form),
            "may_publish": may.may_edit_scheme(request.user, scheme),
        },
    )


def publish(request, uuid):
    require(may.may_view_assessment(request.user) and may.may_manage_schemes(request.user))
    scheme = get_scoped_or_404(Scheme.objects.select_related("county"), request.user, CHANGE, uuid=uuid)
    if scheme.is_published:
        messages.error(request, _("The results have been published already."))
        return redirect("assessment:scores", uuid=scheme.uuid)
    form = PublishForm(request.POST or None, initial={"version": scheme.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(scheme, request.user, version=form.cleaned_data["version"])
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The results are published; the scheme is frozen."))
            return redirect("assessment:scores", uuid=scheme.uuid)
    return render(request, "assessment/scores/publish.html", {"scheme": scheme, "form": form})


def township(request, uuid, township):
    scheme = _scheme(request, uuid)
    place = _township(request, scheme, township)
    form = _period_form(request, scheme)
    page = selectors_scores.township_page(request.user, scheme, place, form.chosen_end(timezone.localdate()))
    if page is None:
        raise Http404
    return render(
        request,
        "assessment/scores/township.html",
        {
            "scheme": scheme,
            "page": page,
            "form": form,
            "end_query": _end_query(form),
            "may_score": may.may_edit_scheme(request.user, scheme),
        },
    )


def _line_page(request, uuid, township, indicator, *, enter_form=None, adjust_form=None):
    scheme = _scheme(request, uuid)
    place = _township(request, scheme, township)
    item = next((i for i in scoring.indicators_of(scheme) if i.uuid == indicator), None)
    if item is None:
        raise Http404
    period_form = _period_form(request, scheme)
    end = period_form.chosen_end(timezone.localdate())
    page = selectors_scores.township_page(request.user, scheme, place, end)
    if page is None:
        raise Http404
    line = next(line for line in page.lines if line.indicator.pk == item.pk)
    may_score = may.may_edit_scheme(request.user, scheme)
    evidence = None
    if line.measure is not None and line.is_computed:
        evidence = line.measure.evidence(request.user, place, selectors_scores.evidence_period(scheme, end))
    if may_score:
        if enter_form is None and item.kind == IndicatorKind.ENTERED:
            initial = {"points": line.entered.points, "evidence": line.entered.evidence} if line.entered else {}
            enter_form = EnterScoreForm(initial=initial)
        adjust_form = adjust_form or AdjustForm()
    return render(
        request,
        "assessment/scores/line.html",
        {
            "scheme": scheme,
            "page": page,
            "line": line,
            "evidence": evidence,
            "form": period_form,
            "end_query": _end_query(period_form),
            "may_score": may_score,
            "enter_form": enter_form if item.kind == IndicatorKind.ENTERED else None,
            "adjust_form": adjust_form,
        },
    )


def line(request, uuid, township, indicator):
    return _line_page(request, uuid, township, indicator)


def _for_scoring(request, uuid, township, indicator):
    """The indicator and township to score, for the county administrator only."""
    require(may.may_view_assessment(request.user) and may.may_manage_schemes(request.user))
    item = get_scoped_or_404(
        Indicator.objects.select_related("section__scheme"),
        request.user,
        CHANGE,
        uuid=indicator,
        section__scheme__uuid=uuid,
    )
    scheme = item.section.scheme
    place = _township(request, scheme, township)
    return item, place


def _back(uuid, township, indicator, end_query: str):
    return redirect(reverse("assessment:score_line", args=[uuid, township, indicator]) + end_query)


def _frozen(request, uuid, township, indicator):
    messages.error(request, _("The results have been published: the scheme is frozen. Copy it for another year."))
    return _back(uuid, township, indicator, "")


def enter(request, uuid, township, indicator):
    item, place = _for_scoring(request, uuid, township, indicator)
    if item.section.scheme.is_published:
        return _frozen(request, uuid, township, indicator)
    form = EnterScoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_score(
                item, place, request.user, points=form.cleaned_data["points"], evidence=form.cleaned_data["evidence"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The points are entered."))
            return _back(uuid, township, indicator, _end_query(_period_form(request, item.section.scheme)))
    return _line_page(request, uuid, township, indicator, enter_form=form if form.is_bound else None)


def adjust(request, uuid, township, indicator):
    item, place = _for_scoring(request, uuid, township, indicator)
    if item.section.scheme.is_published:
        return _frozen(request, uuid, township, indicator)
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.adjust(
                item, place, request.user, points=form.cleaned_data["points"], reason=form.cleaned_data["reason"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The adjustment is recorded."))
            return _back(uuid, township, indicator, _end_query(_period_form(request, item.section.scheme)))
    return _line_page(request, uuid, township, indicator, adjust_form=form if form.is_bound else None)
