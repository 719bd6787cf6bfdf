"""Reports to voters' pages (/activities/voter-reports/): the list, the rates per township, a
township's deputies reported / not yet, a report's page and the forms behind it. Thin: scope, form,
service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, get_scoped_or_404
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit
from renda.organisations.models import Term, Township

from . import permissions_voter_reports as may
from . import rules
from . import selectors_voter_reports as selectors
from . import services_voter_reports as services
from .forms_voter_reports import EditForm, HeldForm, NoteForm, ReportFilterForm, ScheduleForm

REFUSALS = (ValidationError, PermissionDenied, StaleEdit)
PAGE_SIZE = 30


def report_list(request):
    user = request.user
    require(may.may_view_reports(user))
    form = ReportFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = Paginator(selectors.reports(user, state), PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.rate = rules.percent(selectors.satisfaction(report))
    return render(
        request,
        "activities/voter_reports/list.html",
        {
            "page": page,
            "form": form,
            "can_schedule": may.may_schedule_reports(user),
            "can_see_rates": may.may_browse_reports(user),
        },
    )


def report_rates(request):
    user = request.user
    require(may.may_browse_reports(user))
    return render(request, "activities/voter_reports/rates.html", {"rates": selectors.county_rates(user)})


def township_rate(request, uuid):
    user = request.user
    require(may.may_browse_reports(user))
    township = get_scoped_or_404(Township, user, VIEW, uuid=uuid)
    terms = list(Term.objects.unscoped().filter(township=township).order_by("-starts_on"))
    chosen = next((t for t in terms if str(t.uuid) == request.GET.get("term", "")), None)
    term = chosen or selectors.term_of(township)
    return render(
        request,
        "activities/voter_reports/township.html",
        {"result": selectors.term_rate(township, term), "terms": terms, "term": term},
    )


def report_new(request):
    user = request.user
    require(may.may_schedule_reports(user))
    form = ScheduleForm(request.POST or None, mandates=selectors.schedulable_mandates(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.schedule(
                user, mandate=data["mandate"], scheduled_on=data["scheduled_on"], place=data["place"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The report to voters is scheduled; the deputy is notified."))
            return redirect("activities:voter_report_detail", uuid=report.uuid)
    return render(
        request,
        "activities/voter_reports/form.html",
        {"form": form, "title": gettext_lazy("Schedule a report to voters"), "button": gettext_lazy("Schedule")},
    )


def report_detail(request, uuid):
    user = request.user
    report = selectors.report_for_page(user, uuid)
    return render(
        request,
        "activities/voter_reports/detail.html",
        {
            "report": report,
            "rate": rules.percent(selectors.satisfaction(report)),
            "can_run": may.may_run_report(user, report),
        },
    )


def _step(request, uuid, form_class, run, *, title, button, done, initial=None, css="primary"):
    user = request.user
    report = selectors.report_for_page(user, uuid)
    require(may.may_run_report(user, report))
    form = form_class(request.POST or None, initial={"version": report.version, **(initial or {})})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            run(report, user, expected_version=version, **data)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, done)
            return redirect("activities:voter_report_detail", uuid=report.uuid)
    return render(
        request,
        "activities/voter_reports/form.html",
        {"form": form, "report": report, "title": title, "button": button, "css": css},
    )


def report_edit(request, uuid):
    report = selectors.report_for_page(request.user, uuid)
    return _step(
        request,
        uuid,
        EditForm,
        services.update,
        title=gettext_lazy("Change the date or place"),
        button=gettext_lazy("Save"),
        done=_("Saved."),
        initial={"scheduled_on": report.scheduled_on, "place": report.place},
    )


def report_held(request, uuid):
    report = selectors.report_for_page(request.user, uuid)
    initial = {
        name: getattr(report, name)
        for name in ("held_on", "voters_present", "satisfied", "basically_satisfied", "dissatisfied", "summary")
    }
    initial["held_on"] = initial["held_on"] or report.scheduled_on
    return _step(
        request,
        uuid,
        HeldForm,
        services.record_held,
        title=gettext_lazy("Record the report held"),
        button=gettext_lazy("Save"),
        done=_("The report is recorded as held."),
        initial=initial,
    )


def report_missed(request, uuid):
    return _step(
        request,
        uuid,
        NoteForm,
        services.record_missed,
        title=gettext_lazy("Record the report missed"),
        button=gettext_lazy("Record missed"),
        done=_("The report is recorded as missed."),
        css="danger",
    )


def report_cancel(request, uuid):
    return _step(
        request,
        uuid,
        NoteForm,
        services.cancel,
        title=gettext_lazy("Cancel the report"),
        button=gettext_lazy("Cancel the report"),
        done=_("The report is cancelled."),
        css="danger",
    )
