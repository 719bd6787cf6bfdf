"""An activity's photos, findings and documents: the forms behind the parts of the activity page
that this area declares (``page_parts`` below, registered in ``apps``), the scoped and audited photo
download, and the Word and Excel documents. Thin: scope, named check, form, service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.accounts import audit
from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.casework.models import CaseCategory
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit

from . import documents, services_findings, services_photos
from . import permissions_findings as may
from .forms_findings import FindingCaseForm, FindingForm, PhotoForm
from .models import Activity, ActivityPhoto, Finding
from .permissions import may_run_activity

REFUSALS = (StaleEdit, ValidationError)


def activity_url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.uuid])


def _activity(request, uuid) -> Activity:
    queryset = Activity.objects.select_related("county", "township", "type")
    return get_scoped_or_404(queryset, request.user, VIEW, uuid=uuid)


def _form_page(request, activity: Activity, form, *, title, button, subtitle="", multipart=False, css="primary"):
    return render(
        request,
        "activities/findings/form.html",
        {
            "activity": activity,
            "back": activity_url(activity),
            "form": form,
            "title": title,
            "subtitle": subtitle,
            "button": button,
            "css": css,
            "multipart": multipart,
        },
    )


# ---------------------------------------------------------------- the parts of the activity page


def photos_part(activity: Activity, user) -> dict[str, Any] | None:
    """The gallery: two queries (the photos, the check). Photos are the office's record (their
    scope has no owner): a deputy sees the activity's page without them."""
    photos = list(scoped(ActivityPhoto, user, VIEW).filter(activity=activity).order_by("created_at", "id"))
    may_add = may.may_add_photos(user, activity)
    if not photos and not may_add:
        return None
    return {"activity": activity, "photos": photos, "may_add": may_add}


def findings_part(activity: Activity, user) -> dict[str, Any] | None:
    """The findings with the deputy who raised each and the case it became (one query), and what
    this user may do with them."""
    findings = list(
        scoped(Finding, user, VIEW)
        .filter(activity=activity)
        .select_related("raised_by__person", "case")
        .order_by("created_at", "id")
    )
    staff = may_run_activity(user, activity)
    may_add = may.may_add_finding(user, activity)
    for finding in findings:
        finding.activity = activity
        finding.may_turn = may.may_turn_into_case(user, finding, runs_activity=staff)  # type: ignore[attr-defined]
    if not findings and not may_add:
        return None
    return {"activity": activity, "findings": findings, "may_add": may_add}


def document_links(activity: Activity, user) -> list[tuple[str, str]]:
    def url(name: str) -> str:
        return reverse(f"activities:{name}", args=[activity.uuid])

    links = [(_("Activity notice (Word)"), url("document_notice"))]
    if may.may_download_signin_sheet(user, activity):
        links.append((_("Sign-in sheet (Word)"), url("document_signin_sheet")))
        links.append((_("Sign-in sheet (Excel)"), url("document_signin_sheet_excel")))
    return links


def documents_part(activity: Activity, user) -> dict[str, Any] | None:
    return {"activity": activity, "links": document_links(activity, user)}


# ---------------------------------------------------------------- photos


def photo_add(request, uuid):
    activity = _activity(request, uuid)
    require(may.may_add_photos(request.user, activity))
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_photos.add_photo(
                activity, request.user, upload=form.cleaned_data["file"], caption=form.cleaned_data["caption"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Photo added."))
            return redirect(activity_url(activity))
    return _form_page(
        request, activity, form, title=gettext_lazy("Add a photo"), button=gettext_lazy("Upload"), multipart=True
    )


def photo(request, uuid):
    """A photo, only through the scope (the office's people of the activity); every look is audited."""
    found = get_scoped_or_404(ActivityPhoto.objects.select_related("activity"), request.user, VIEW, uuid=uuid)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    audit.record("export.activities.photo", actor=request.user, target=found.activity, data={"file": found.name})
    return FileResponse(handle, filename=found.name, content_type=services_photos.photo_content_type(found))


@require_POST
def photo_delete(request, uuid):
    found = get_scoped_or_404(ActivityPhoto.objects.select_related("activity"), request.user, VIEW, uuid=uuid)
    activity = found.activity
    require(may.may_add_photos(request.user, activity))
    services_photos.delete_photo(found, request.user)
    messages.success(request, _("Photo deleted: %(name)s") % {"name": found.caption or found.name})
    return redirect(activity_url(activity))


# ---------------------------------------------------------------- findings


def finding_add(request, uuid):
    activity = _activity(request, uuid)
    user = request.user
    require(may.may_add_finding(user, activity))
    raisers = services_findings.finding_raisers(activity) if may_run_activity(user, activity) else None
    form = FindingForm(request.POST or None, raisers=raisers)
    if request.method == "POST" and form.is_valid():
        try:
            services_findings.add_finding(
                activity, user, text=form.cleaned_data["text"], raised_by=form.cleaned_data.get("raised_by")
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect(activity_url(activity))
    return _form_page(request, activity, form, title=gettext_lazy("Record a finding"), button=gettext_lazy("Save"))


def finding_to_case(request, uuid):
    finding = get_scoped_or_404(
        Finding.objects.select_related("activity__county", "activity__township", "raised_by__person__township"),
        request.user,
        VIEW,
        uuid=uuid,
    )
    activity = finding.activity
    user = request.user
    if finding.case_id is not None:
        messages.info(request, _("This finding has already become a case."))
        return redirect(activity_url(activity))
    require(may.may_turn_into_case(user, finding))
    categories = CaseCategory.objects.unscoped().filter(county=activity.county, is_active=True).order_by("order", "id")
    townships = None
    if activity.is_joint and not (
        finding.raised_by is not None
        and finding.raised_by.person.township_id in {t.pk for t in services_findings.case_townships(activity)}
    ):
        townships = activity.townships.order_by("division_code", "name")
    form = FindingCaseForm(
        request.POST or None, categories=categories, townships=townships, initial={"title": finding.text[:60]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services_findings.finding_to_case(
                finding,
                user,
                title=form.cleaned_data["title"],
                category=form.cleaned_data["category"],
                township=form.cleaned_data.get("township"),
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The finding is case %(reference)s now.") % {"reference": case.reference})
            return redirect(reverse("casework:detail", args=[case.uuid]))
    return _form_page(
        request,
        activity,
        form,
        title=gettext_lazy("Turn the finding into a case"),
        subtitle=finding.text,
        button=gettext_lazy("File the case"),
    )


# ---------------------------------------------------------------- documents


def _download(request, activity: Activity, *, kind: str, filename: str, build, rows: int = 1, personal=False):
    townships = [activity.township.name] if activity.township else [t.name for t in activity.townships.all()]
    return export_response(
        request,
        kind=kind,
        filename=filename,
        row_count=rows,
        subjects=ExportSubjects(townships=townships),
        build=build,
        personal=personal,
    )


def notice_document(request, uuid):
    activity = _activity(request, uuid)
    return _download(
        request,
        activity,
        kind="activities.notice",
        filename=f"活动通知_{activity.title}.docx",
        build=lambda grant: documents.notice_document(activity, footer_note=grant.footer),
    )


def _signin_sheet(request, uuid, *, excel: bool):
    activity = _activity(request, uuid)
    require(may.may_download_signin_sheet(request.user, activity))
    sheet = documents.signin_sheet_of(activity)
    build = documents.signin_sheet_workbook if excel else documents.signin_sheet_document
    return _download(
        request,
        activity,
        kind="activities.signin_sheet",
        filename=f"签到表_{activity.title}.{'xlsx' if excel else 'docx'}",
        build=lambda grant: build(activity, sheet, footer_note=grant.footer),
        rows=len(sheet),
        personal=True,
    )


def signin_sheet_document(request, uuid):
    return _signin_sheet(request, uuid, excel=False)


def signin_sheet_workbook(request, uuid):
    return _signin_sheet(request, uuid, excel=True)
