"""Pages of the study library: the documents by category and title, one document and its file
(through the scope, each download audited), adding, changing and removing them; and a township's
study attendance for a year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import show_refusal
from renda.core.uploads import CONTENT_TYPES
from renda.organisations.models import Township

from . import permissions_plans as may
from . import selectors_plans as selectors
from . import services_library as services
from .forms_plans import LibraryFilterForm, LibraryForm, YearForm
from .models import Activity, LibraryDocument
from .views_plans import _townships


def library(request):
    user = request.user
    require(may.may_read_library(user))
    form = LibraryFilterForm(request.GET or None)
    documents = scoped(LibraryDocument, user, VIEW).select_related("township")
    if form.is_valid():
        if form.cleaned_data["category"]:
            documents = documents.filter(category=form.cleaned_data["category"])
        if form.cleaned_data["q"].strip():
            documents = documents.filter(title__icontains=form.cleaned_data["q"].strip())
    study = _townships(user) if may.may_view_study_attendance(user) else []
    return render(
        request,
        "activities/library/list.html",
        {"form": form, "documents": documents, "may_add": may.may_add_library(user), "study_townships": study},
    )


def _document(request, uuid, action=VIEW) -> LibraryDocument:
    require(may.may_read_library(request.user))
    return get_scoped_or_404(LibraryDocument.objects.select_related("township"), request.user, action, uuid=uuid)


def library_detail(request, uuid):
    document = _document(request, uuid)
    return render(
        request,
        "activities/library/detail.html",
        {"document": document, "may_edit": may.may_edit_library(request.user, document)},
    )


def _values(form: LibraryForm) -> dict:
    return {name: form.cleaned_data[name] for name in services.FIELDS}


def library_new(request):
    require(may.may_add_library(request.user))
    form = LibraryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.add_document(request.user, upload=form.cleaned_data["file"], **_values(form))
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The document is added to the library."))
            return redirect("activities:library_detail", uuid=document.uuid)
    return render(request, "activities/library/form.html", {"form": form, "heading": _("Add a document")})


def library_edit(request, uuid):
    document = _document(request, uuid, CHANGE)
    initial = {name: getattr(document, name) for name in services.FIELDS}
    form = LibraryForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_document(document, request.user, upload=form.cleaned_data["file"], **_values(form))
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The document is saved."))
            return redirect("activities:library_detail", uuid=document.uuid)
    return render(
        request, "activities/library/form.html", {"form": form, "document": document, "heading": _("Edit the document")}
    )


def library_remove(request, uuid):
    document = _document(request, uuid, CHANGE)
    if request.method == "POST":
        services.remove_document(document, request.user)
        messages.success(request, _("The document is removed from the library."))
        return redirect("activities:library")
    return render(request, "activities/library/remove.html", {"document": document})


def library_file(request, uuid):
    document = _document(request, uuid)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit.record(
        "export.activities.library_file", actor=request.user, target=document, data={"file": document.file_name}
    )
    extension = document.file_name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


def study_attendance(request, uuid):
    user = request.user
    require(may.may_view_study_attendance(user))
    township = get_scoped_or_404(Township, user, VIEW, uuid=uuid)
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    result = selectors.study_attendance(scoped(Activity, user, VIEW), township, year)
    return render(
        request,
        "activities/library/study.html",
        {"form": form, "year": year, "township": township, "result": result},
    )
