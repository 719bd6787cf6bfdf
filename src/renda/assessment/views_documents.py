"""Pages of the year documents (domain.md §9): the county's guidance to townships and each
township's work plan and year-end summary — the list (by year, kind and township), one document
with its text and file (through the scope, each download audited), adding and removing them.

Township staff read the county's guidance and their own township's documents; the county reads
all of its townships'; deputies and agency handlers have no part in them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import preselect_only_choice, show_refusal
from renda.core.uploads import CONTENT_TYPES
from renda.organisations.models import Township

from . import permissions as may
from . import services
from .forms_documents import DocumentFilterForm, DocumentForm
from .models import DocumentKind, YearDocument


def _townships(user):
    return scoped(Township, user, VIEW).filter(is_active=True).order_by("division_code", "name")


def documents(request):
    user = request.user
    require(may.may_view_documents(user))
    form = DocumentFilterForm(request.GET or None, townships=_townships(user))
    rows = form.filter(scoped(YearDocument, user, VIEW).select_related("township"))
    return render(
        request,
        "assessment/documents/list.html",
        {"form": form, "documents": rows, "may_add": may.may_add_documents(user)},
    )


def _document(request, uuid, action=VIEW) -> YearDocument:
    require(may.may_view_documents(request.user))
    return get_scoped_or_404(
        YearDocument.objects.select_related("township", "created_by"), request.user, action, uuid=uuid
    )


def document(request, uuid):
    row = _document(request, uuid)
    return render(
        request,
        "assessment/documents/detail.html",
        {"document": row, "may_edit": may.may_edit_document(request.user, row)},
    )


def document_new(request):
    user = request.user
    require(may.may_view_documents(user) and may.may_add_documents(user))
    kinds = None if may.is_county_wide(user) else {DocumentKind.PLAN, DocumentKind.SUMMARY}
    form = DocumentForm(request.POST or None, request.FILES or None, townships=_townships(user), kinds=kinds)
    preselect_only_choice(form, "township")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.add_document(
                user.county,
                user,
                township=data["township"],
                year=data["year"],
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                upload=data["file"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect("assessment:document", uuid=row.uuid)
    return render(request, "assessment/documents/form.html", {"form": form})


def document_remove(request, uuid):
    row = _document(request, uuid, CHANGE)
    if not may.may_edit_document(request.user, row):
        raise Http404
    if request.method == "POST":
        services.remove_document(row, request.user)
        messages.success(request, _("The document is removed."))
        return redirect("assessment:documents")
    return render(request, "assessment/documents/remove.html", {"document": row})


def document_file(request, uuid):
    row = _document(request, uuid)
    if not row.file:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit.record("export.assessment.document_file", actor=request.user, target=row, data={"file": row.file_name})
    extension = row.file_name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=row.file_name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
