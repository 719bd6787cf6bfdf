"""The year-end documents of a scheme: the assessment table (Excel) and the summary report (Word),
both audited exports of figures (``export_response``), and the page that lists them."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require

from . import documents, selectors, selectors_reports
from . import permissions as may
from . import permissions_reports as may_export
from .models import Scheme

TABLE_KIND = "assessment.scheme_table"
REPORT_KIND = "assessment.scheme_report"


def reports(request):
    user = request.user
    require(may.may_view_assessment(user))
    return render(
        request,
        "assessment/reports/list.html",
        {"schemes": list(selectors.schemes(user)[:50]), "county_wide": may.is_county_wide(user)},
    )


def _download(request, scheme: Scheme, table: selectors_reports.Standings, *, kind: str, filename: str, build):
    return export_response(
        request,
        kind=kind,
        filename=filename,
        row_count=len(table.rows),
        subjects=ExportSubjects(townships=[row.township.name for row in table.rows]),
        build=build,
        personal=False,
    )


def scheme_excel(request, uuid):
    user = request.user
    scheme = selectors.scheme_for_page(user, uuid)
    require(may_export.may_export_table(user))
    table = selectors_reports.standings(user, scheme, timezone.localdate())
    return _download(
        request,
        scheme,
        table,
        kind=TABLE_KIND,
        filename=f"考核汇总表_{scheme.year}.xlsx",
        build=lambda grant: documents.assessment_workbook(
            table, county_name=scheme.county.name, footer_note=grant.footer
        ),
    )


def scheme_word(request, uuid):
    user = request.user
    scheme = selectors.scheme_for_page(user, uuid)
    require(may_export.may_export_report(user))
    today = timezone.localdate()
    table = selectors_reports.standings(user, scheme, today)
    return _download(
        request,
        scheme,
        table,
        kind=REPORT_KIND,
        filename=f"考核情况报告_{scheme.year}.docx",
        build=lambda grant: documents.summary_report(
            table, county=scheme.county, issued_on=today, footer_note=grant.footer
        ),
    )
