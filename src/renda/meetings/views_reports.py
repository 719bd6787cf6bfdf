"""Pages of the meetings' reports area: the compliance view (and its Excel), the minutes, and a
meeting's documents in Word and Excel. Thin: scope, named check, form, service; the figures come
from ``compliance``, the files from ``documents``, and every download goes through
``export_response`` (audited, stamped with who exported it)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit
from renda.organisations.models import CONGRESS_KINDS, Township

from . import compliance, documents, services
from . import permissions as may
from .forms_reports import ComplianceForm, MinutesForm
from .models import Meeting

# ---------------------------------------------------------------- compliance


def _compliance(request) -> tuple[ComplianceForm, compliance.CountyYear]:
    """The townships with a congress that the user reads (all of the county for its administrator
    and county leaders, their own for township staff), assessed for the chosen year."""
    require(may.may_view_compliance(request.user))
    form = ComplianceForm(request.GET or None)
    townships = (
        scoped(Township, request.user, VIEW)
        .filter(kind__in=CONGRESS_KINDS, is_active=True)
        .order_by("division_code", "name")
    )
    return form, compliance.townships_year(townships, form.chosen_year(), timezone.localdate())


def compliance_page(request):
    form, result = _compliance(request)
    return render(
        request,
        "meetings/reports/compliance.html",
        {
            "form": form,
            "result": result,
            "comparing": len(result.townships) > 1,
            "sessions": result.spread("sessions_held"),
            "presidium": result.spread("presidium_held"),
            "attendance": result.spread("attendance_percent"),
            "may_export": may.may_export_compliance(request.user),
            "settings_text": _settings_text(),
        },
    )


def _settings_text() -> str:
    return _(
        "Rules applied: at least %(minimum)s sessions a year (%(usual)s usual); at least %(presidium)s presidium "
        "meetings a quarter; the notice %(days)s days ahead; attendance below %(attendance)s of the deputies is "
        "flagged."
    ) % {
        "minimum": settings.RENDA_MEETING_SESSIONS_MIN,
        "usual": settings.RENDA_MEETING_SESSIONS_USUAL,
        "presidium": settings.RENDA_MEETING_PRESIDIUM_PER_QUARTER,
        "days": settings.RENDA_MEETING_NOTICE_DAYS,
        "attendance": settings.RENDA_MEETING_ATTENDANCE_WARNING,
    }


def compliance_export(request):
    require(may.may_export_compliance(request.user))
    _form, result = _compliance(request)
    caption = _("Township congress meetings, %(year)s") % {"year": result.year}
    return export_response(
        request,
        kind="meetings.compliance",
        filename=f"乡镇人大会议情况_{result.year}.xlsx",
        row_count=len(result.townships),
        subjects=ExportSubjects(townships=[row.township.name for row in result.townships]),
        build=lambda grant: documents.compliance_workbook(result, caption=caption, footer_note=grant.footer),
        personal=False,
    )


# ---------------------------------------------------------------- the minutes


def _meeting(request, uuid) -> Meeting:
    return get_scoped_or_404(Meeting.objects.select_related("township", "term"), request.user, VIEW, uuid=uuid)


def minutes(request, uuid):
    meeting = _meeting(request, uuid)
    require(may.may_read_minutes(request.user))
    may_edit = may.may_keep_minutes(request.user, meeting)
    form = MinutesForm(initial={"minutes": meeting.minutes, "version": meeting.version})
    if request.method == "POST":
        require(may_edit)
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                services.save_minutes(
                    meeting,
                    request.user,
                    expected_version=form.cleaned_data["version"],
                    minutes=form.cleaned_data["minutes"],
                )
            except (ValidationError, StaleEdit) as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Minutes saved."))
                return redirect("meetings:minutes", uuid=meeting.uuid)
    return render(
        request,
        "meetings/minutes/edit.html",
        {
            "meeting": meeting,
            "form": form,
            "may_edit": may_edit,
            "decisions": documents.decisions_of(meeting),
            "links": document_links(meeting, request.user),
        },
    )


# ---------------------------------------------------------------- the meeting's documents


def document_links(meeting: Meeting, user) -> list[tuple[str, str]]:
    """The documents of ``meeting`` this user may download, as (label, URL): the notice for
    everyone who reads the meeting; once it has opened, the minutes and the tally for the office;
    the sign-in sheet for the office's people who may export personal information."""

    def url(name: str) -> str:
        return reverse(f"meetings:{name}", args=[meeting.uuid])

    links = [(_("Notice (Word)"), url("document_notice"))]
    decisions = may.may_download_decisions(user, meeting)
    if decisions:
        links.append((_("Minutes with decisions (Word)"), url("document_minutes")))
    if may.may_download_signin_sheet(user):
        links.append((_("Sign-in sheet (Word)"), url("document_signin_sheet")))
        links.append((_("Sign-in sheet (Excel)"), url("document_signin_sheet_excel")))
    if decisions:
        links.append((_("Vote tally (Word)"), url("document_vote_tally")))
        links.append((_("Vote tally (Excel)"), url("document_vote_tally_excel")))
    return links


def minutes_section(meeting: Meeting, user) -> dict | None:
    """The meeting page's part "minutes and documents" (no query beyond the edit check)."""
    office = may.may_read_minutes(user)
    return {
        "meeting": meeting,
        "minutes_url": reverse("meetings:minutes", args=[meeting.uuid]) if office else "",
        "may_edit": office and may.may_keep_minutes(user, meeting),
        "links": document_links(meeting, user),
    }


def _download(request, meeting: Meeting, *, kind: str, filename: str, build, rows: int = 1, personal: bool = False):
    return export_response(
        request,
        kind=kind,
        filename=filename,
        row_count=rows,
        subjects=ExportSubjects(townships=[meeting.township.name]),
        build=build,
        personal=personal,
    )


def notice_document(request, uuid):
    meeting = _meeting(request, uuid)
    agenda = documents.agenda_of(meeting)
    return _download(
        request,
        meeting,
        kind="meetings.notice",
        filename=f"会议通知_{meeting.name}.docx",
        build=lambda grant: documents.notice_document(meeting, agenda, footer_note=grant.footer),
    )


def minutes_document(request, uuid):
    meeting = _meeting(request, uuid)
    require(may.may_download_decisions(request.user, meeting))
    agenda, sheet, decisions = (
        documents.agenda_of(meeting),
        documents.signin_sheet_of(meeting),
        documents.decisions_of(meeting),
    )
    return _download(
        request,
        meeting,
        kind="meetings.minutes",
        filename=f"会议记录_{meeting.name}.docx",
        build=lambda grant: documents.minutes_document(
            meeting, agenda=agenda, sheet=sheet, decisions=decisions, footer_note=grant.footer
        ),
    )


def _signin_sheet(request, uuid, *, excel: bool):
    meeting = _meeting(request, uuid)
    require(may.may_download_signin_sheet(request.user))
    sheet = documents.signin_sheet_of(meeting)
    build = documents.signin_sheet_workbook if excel else documents.signin_sheet_document
    return _download(
        request,
        meeting,
        kind="meetings.signin_sheet",
        filename=f"签到表_{meeting.name}.{'xlsx' if excel else 'docx'}",
        build=lambda grant: build(meeting, sheet, footer_note=grant.footer),
        rows=len(sheet.attendances) + len(sheet.observers),
        personal=True,
    )


def signin_sheet_document(request, uuid):
    return _signin_sheet(request, uuid, excel=False)


def signin_sheet_workbook(request, uuid):
    return _signin_sheet(request, uuid, excel=True)


def _vote_tally(request, uuid, *, excel: bool):
    meeting = _meeting(request, uuid)
    require(may.may_download_decisions(request.user, meeting))
    votes = documents.decisions_of(meeting).votes
    build = documents.vote_tally_workbook if excel else documents.vote_tally_document
    return _download(
        request,
        meeting,
        kind="meetings.vote_tally",
        filename=f"表决结果_{meeting.name}.{'xlsx' if excel else 'docx'}",
        build=lambda grant: build(meeting, votes, footer_note=grant.footer),
        rows=len(votes),
    )


def vote_tally_document(request, uuid):
    return _vote_tally(request, uuid, excel=False)


def vote_tally_workbook(request, uuid):
    return _vote_tally(request, uuid, excel=True)
