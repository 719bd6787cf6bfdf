"""The assessment's dashboards (工作看板): the county's per-township table with the live score and
the trends by month, the heat map of townships × indicators, and a township's own dashboard with
its score lines, the records behind them and its year documents; each table in Excel.

The county administrator and county leaders see every township of the county; a township's staff
and leaders opening the county's pages are sent to their own township's. Deputies and agency
handlers have no part in the assessment (403); a township outside the scope is 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require

from . import excel_dashboard as excel
from . import permissions as may
from . import selectors_dashboard as selectors
from .forms_dashboard import DashboardYearForm


def _year(request) -> tuple[DashboardYearForm, int]:
    form = DashboardYearForm(request.GET or None)
    return form, form.chosen_year()


def _county_or_own(request, year: int):
    """The county's townships for the county; anyone else is sent to their own township's page."""
    require(may.may_view_dashboard(request.user))
    townships = selectors.county_townships(request.user)
    if townships or may.is_county_wide(request.user):
        return townships, None
    own = selectors.own_township(request.user)
    if own is None:
        raise Http404
    return None, redirect(f"{reverse('assessment:township_dashboard', args=[own.uuid])}?year={year}")


@require_GET
def dashboard(request):
    form, year = _year(request)
    townships, elsewhere = _county_or_own(request, year)
    if elsewhere:
        return elsewhere
    result = selectors.dashboard(request.user, townships, year, timezone.localdate())
    return render(
        request,
        "assessment/dashboard/county.html",
        {
            "form": form,
            "result": result,
            "headers": selectors.table_headers(),
            "trends_chart": result.trends.chart_data() if result.trends else None,
            "tab": "overview",
        },
    )


@require_GET
def heat_map(request):
    form, year = _year(request)
    townships, elsewhere = _county_or_own(request, year)
    if elsewhere:
        return elsewhere
    result = selectors.dashboard(
        request.user, townships, year, timezone.localdate(), figures=False, trends=False, heat_map=True
    )
    return render(
        request,
        "assessment/dashboard/heat_map.html",
        {
            "form": form,
            "result": result,
            "heat_chart": result.heat_map.chart_data() if result.heat_map and result.heat_map.rows else None,
            "tab": "heat_map",
        },
    )


@require_GET
def township_dashboard(request, uuid):
    require(may.may_view_dashboard(request.user))
    township = selectors.township_for_page(request.user, uuid)
    form, year = _year(request)
    result = selectors.dashboard(request.user, [township], year, timezone.localdate(), county=False)
    row = result.rows[0] if result.rows else None
    return render(
        request,
        "assessment/dashboard/township.html",
        {
            "form": form,
            "township": township,
            "result": result,
            "row": row,
            "headers": selectors.table_headers(),
            "trends_chart": result.trends.chart_data() if result.trends else None,
            "links": selectors.record_links(township),
            "documents": selectors.year_documents(request.user, township, year),
            "score_url": selectors.score_url(township, result.scheme),
            "county_wide": may.is_county_wide(request.user),
        },
    )


# ---------------------------------------------------------------- Excel


def _filename(label: str, year: int) -> str:
    return f"{label}_{year}.xlsx"


@require_GET
def dashboard_export(request):
    _form, year = _year(request)
    townships, elsewhere = _county_or_own(request, year)
    if elsewhere:
        return elsewhere
    result = selectors.dashboard(request.user, townships, year, timezone.localdate())
    return export_response(
        request,
        kind="assessment.dashboard",
        filename=_filename(_("Assessment dashboard"), year),
        row_count=len(result.rows) + len(result.trends.months if result.trends else []),
        subjects=ExportSubjects(townships=[t.name for t in result.townships]),
        build=lambda grant: excel.dashboard_workbook(result, footer_note=grant.footer),
        personal=False,
    )


@require_GET
def heat_map_export(request):
    _form, year = _year(request)
    townships, elsewhere = _county_or_own(request, year)
    if elsewhere:
        return elsewhere
    result = selectors.dashboard(
        request.user, townships, year, timezone.localdate(), figures=False, trends=False, heat_map=True
    )
    return export_response(
        request,
        kind="assessment.heat_map",
        filename=_filename(_("Assessment heat map"), year),
        row_count=len(result.heat_map.rows) if result.heat_map else 0,
        subjects=ExportSubjects(townships=[t.name for t in result.townships]),
        build=lambda grant: excel.heat_map_workbook(result, footer_note=grant.footer),
        personal=False,
    )


@require_GET
def township_export(request, uuid):
    require(may.may_view_dashboard(request.user))
    township = selectors.township_for_page(request.user, uuid)
    _form, year = _year(request)
    result = selectors.dashboard(request.user, [township], year, timezone.localdate(), county=False)
    return export_response(
        request,
        kind="assessment.township_dashboard",
        filename=_filename(f"{township.name}{_('Assessment dashboard')}", year),
        row_count=len(result.rows) + len(result.trends.months if result.trends else []),
        subjects=ExportSubjects(townships=[township.name]),
        build=lambda grant: excel.township_workbook(result, footer_note=grant.footer),
        personal=False,
    )
