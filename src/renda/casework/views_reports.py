"""Pages of the reports area: the case's documents (Word), the case list in Excel, the figures and
the digest for the county leaders. Thin: scope, named check, form, service; every download goes
through ``export_response`` (audited, masked unless asked and allowed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.exports import ExportSubjects, export_response
from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit
from renda.deputies.models import Mandate

from . import digest as digests
from . import documents, figures, filters, selectors
from . import permissions as may
from .forms_reports import DigestForm, DigestItemForm, FeedbackForm, FiguresForm
from .models import Case, Digest, DigestItem
from .workflow import IllegalTransition


def _case(request, uuid) -> Case:
    """The case of a Word document, with the signers and agencies it names read in one query each."""
    cases = filters.export_queryset(Case.objects.select_related("county"))
    return get_scoped_or_404(cases, request.user, VIEW, uuid=uuid)


def _error_text(error: Exception) -> str:
    if isinstance(error, IllegalTransition):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error)


# ---------------------------------------------------------------- Word documents of a case


def _case_document(request, case: Case, *, kind: str, filename: str, build, people=(), personal: bool = False):
    """One Word document of ``case``, audited as one row of its township (``personal`` when it
    prints the citizen's name or phone)."""
    return export_response(
        request,
        kind=kind,
        filename=filename,
        row_count=1,
        subjects=ExportSubjects(townships=[case.township.name], people=list(people)),
        build=build,
        personal=personal,
    )


def assignment_notice(request, uuid):
    case = _case(request, uuid)
    require(may.may_download_assignment_notice(request.user, case))
    return _case_document(
        request,
        case,
        kind="casework.assignment_notice",
        filename=f"交办单_{case.reference}.docx",
        build=lambda grant: documents.assignment_notice(case, footer_note=grant.footer),
    )


@require_POST
def reminder_letter_issue(request, uuid):
    case = get_scoped_or_404(Case.objects.select_related("township", "county"), request.user, CHANGE, uuid=uuid)
    require(may.may_issue_reminder_letter(request.user, case))
    try:
        reminder = documents.issue_reminder_letter(case, request.user)
    except (ValidationError, IllegalTransition, StaleEdit) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Reminder letter %(number)s issued to %(agency)s.")
            % {"number": reminder.document_number, "agency": reminder.agency},
        )
    return redirect("casework:detail", uuid=case.uuid)


def reminder_letter(request, uuid, year, sequence):
    case = _case(request, uuid)
    require(may.may_download_reminder_letter(request.user, case))
    reminder = documents.reminder_by_number(case, year, sequence)
    if reminder is None:
        raise Http404
    return _case_document(
        request,
        case,
        kind="casework.reminder_letter",
        filename=f"督办函_{case.reference}_{year}-{sequence}.docx",
        build=lambda grant: documents.reminder_letter(reminder, footer_note=grant.footer),
    )


def _reply_letter(request, case: Case, mandate: Mandate | None):
    require(may.may_download_reply_letter(request.user, case))
    reply = documents.latest_reply(case)
    if reply is None:
        raise Http404
    name = mandate.person.full_name if mandate is not None else _("citizen")
    return _case_document(
        request,
        case,
        kind="casework.reply_letter",
        filename=f"答复函_{case.reference}_{name}.docx",
        build=lambda grant: documents.reply_letter(case, reply, mandate=mandate, footer_note=grant.footer),
        people=[mandate.person.uuid] if mandate else [],
    )


def reply_letter(request, uuid, mandate):
    case = _case(request, uuid)
    signer = documents.signer_mandate(case, mandate)
    if signer is None:
        raise Http404
    return _reply_letter(request, case, signer)


def reply_letter_citizen(request, uuid):
    case = _case(request, uuid)
    if not case.is_citizen_opinion:
        raise Http404
    return _reply_letter(request, case, None)


def opinion_form(request, uuid):
    case = get_scoped_or_404(
        Case.objects.select_related("township", "station", "category"), request.user, VIEW, uuid=uuid
    )
    require(may.may_download_opinion_form(request.user, case))
    return _case_document(
        request,
        case,
        kind="casework.opinion_form",
        filename=f"群众意见表_{case.reference}.docx",
        build=lambda grant: documents.opinion_form(
            township=case.township, case=case, masked=grant.masked, footer_note=grant.footer
        ),
        personal=True,
    )


def blank_opinion_form(request):
    require(may.may_download_blank_opinion_form(request.user))
    township = request.user.township
    return export_response(
        request,
        kind="casework.opinion_form_blank",
        filename="群众意见表.docx",
        row_count=0,
        build=lambda grant: documents.opinion_form(township=township, case=None, footer_note=""),
        personal=False,
    )


# ---------------------------------------------------------------- the case list in Excel


def case_export(request):
    require(may.may_export_cases(request.user))
    today = timezone.localdate()
    chosen = filters.chosen_filters(filters.filter_form(request.user, request.GET))
    rows_qs = list(filters.export_queryset(selectors.case_list(request.user, chosen, today=today)))
    caption = _("Suggestions and opinions, exported on %(day)s") % {"day": f"{today:%Y-%m-%d}"}
    return export_response(
        request,
        kind="casework.cases",
        filename=f"建议和意见_{today:%Y%m%d}.xlsx",
        row_count=len(rows_qs),
        subjects=ExportSubjects(townships=[case.township.name for case in rows_qs]),
        build=lambda grant: documents.case_list_workbook(
            rows=documents.case_list_rows(rows_qs, masked=grant.masked), caption=caption, footer_note=grant.footer
        ),
    )


# ---------------------------------------------------------------- figures


def _figures(request):
    require(may.may_view_figures(request.user))
    form = FiguresForm(request.GET or None)
    period = form.period()
    return form, period, figures.figures(request.user, period)


def figures_page(request):
    form, period, result = _figures(request)
    chart = figures.chart_data(result.tables[0]) if result.tables else {}
    return render(
        request,
        "casework/reports/figures.html",
        {
            "form": form,
            "result": result,
            "headers": figures.headers(),
            "footnotes": figures.FOOTNOTES,
            "chart": chart,
        },
    )


def figures_export(request):
    _form, period, result = _figures(request)
    caption = _("Handling of suggestions and opinions, %(period)s") % {"period": period.label}
    return export_response(
        request,
        kind="casework.figures",
        filename=f"建议和意见办理情况_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        row_count=sum(len(table.rows) for table in result.tables),
        subjects=ExportSubjects(townships=[row.name for row in result.tables[0].rows] if result.tables else []),
        build=lambda grant: figures.figures_workbook(result, caption=caption, footer_note=grant.footer),
        personal=False,
    )


# ---------------------------------------------------------------- the digest


def digest_list(request):
    require(may.may_view_digests(request.user))
    may_edit = may.may_edit_digests(request.user)
    start, end = digests.month_before(timezone.localdate())
    form = DigestForm(initial={"period_start": start, "period_end": end})
    if request.method == "POST":
        require(may_edit)
        form = DigestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                digest = digests.create_digest(
                    request.user.county,
                    request.user,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    title=data["title"],
                    foreword=data["foreword"],
                )
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Digest %(number)s created.") % {"number": digest.issue_label})
                return redirect("casework:digest_edit", uuid=digest.uuid)
    return render(
        request,
        "casework/reports/digest_list.html",
        {"digests": digests.digest_list(request.user), "form": form, "may_edit": may_edit},
    )


def _digest(request, uuid, action=VIEW) -> Digest:
    return get_scoped_or_404(Digest.objects.select_related("county"), request.user, action, uuid=uuid)


def _compiling(request, digest: Digest, *, may_edit: bool, q: str = "") -> dict:
    """What the digest's page and its htmx fragments show: its items, and while it is a draft that
    this user may edit, the cases it may take (matching ``q``)."""
    editable = may_edit and not digest.is_issued
    return {
        "digest": digest,
        "items": digests.items_of(digest, request.user),
        "may_edit": may_edit,
        "editable": editable,
        "candidates": digests.candidates(digest, request.user, q) if editable else [],
        "q": q,
    }


def digest_edit(request, uuid):
    digest = _digest(request, uuid)
    may_edit = may.may_edit_digest(request.user, digest)
    form = DigestForm(
        initial={
            "title": digest.title,
            "period_start": digest.period_start,
            "period_end": digest.period_end,
            "foreword": digest.foreword,
            "version": digest.version,
        }
    )
    if request.method == "POST":
        require(may_edit)
        form = DigestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                digests.update_digest(
                    digest,
                    request.user,
                    version=data.get("version"),
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    title=data["title"],
                    foreword=data["foreword"],
                )
            except (ValidationError, StaleEdit) as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("casework:digest_edit", uuid=digest.uuid)
    return render(
        request,
        "casework/reports/digest_edit.html",
        {
            **_compiling(request, digest, may_edit=may_edit, q=request.GET.get("q", "")),
            "form": form,
            "corrections": list(digest.corrections.select_related("item").all()),
        },
    )


def digest_candidates(request, uuid):
    digest = _digest(request, uuid, CHANGE)
    return render(
        request,
        "casework/reports/digest_edit.html#candidates",
        _compiling(request, digest, may_edit=True, q=request.GET.get("q", "")),
    )


@require_POST
def digest_item_add(request, uuid):
    digest = _digest(request, uuid, CHANGE)
    case = get_scoped_or_404(Case, request.user, CHANGE, uuid=request.POST.get("case", ""))
    try:
        digests.add_item(digest, request.user, case=case)
    except (ValidationError, StaleEdit) as error:
        messages.error(request, _error_text(error))
    return _digest_items_answer(request, digest)


@require_POST
def digest_item_remove(request, uuid):
    item = get_scoped_or_404(DigestItem.objects.select_related("digest", "case"), request.user, CHANGE, uuid=uuid)
    try:
        digests.remove_item(item, request.user)
    except (ValidationError, StaleEdit) as error:
        messages.error(request, _error_text(error))
    return _digest_items_answer(request, item.digest)


def _digest_items_answer(request, digest: Digest):
    if request.htmx:
        digest = _digest(request, digest.uuid)
        return render(request, "casework/reports/digest_edit.html#items", _compiling(request, digest, may_edit=True))
    return redirect("casework:digest_edit", uuid=digest.uuid)


def digest_item_edit(request, uuid):
    item = get_scoped_or_404(
        DigestItem.objects.select_related("digest", "case__township"), request.user, CHANGE, uuid=uuid
    )
    correction = item.digest.is_issued
    form = DigestItemForm(initial={"heading": item.heading, "summary": item.summary}, correction=correction)
    if request.method == "POST":
        form = DigestItemForm(request.POST, correction=correction)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if correction:
                    digests.correct_item(
                        item, request.user, summary=data["summary"], heading=data["heading"], reason=data["reason"]
                    )
                else:
                    digests.edit_item(item, request.user, summary=data["summary"], heading=data["heading"])
            except (ValidationError, StaleEdit) as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Correction recorded.") if correction else _("Saved."))
                return redirect("casework:digest_edit", uuid=item.digest.uuid)
    return render(
        request, "casework/reports/digest_item_form.html", {"item": item, "form": form, "correction": correction}
    )


def digest_issue(request, uuid):
    digest = _digest(request, uuid, CHANGE)
    if request.method == "POST":
        try:
            digests.issue(digest, request.user, version=_int(request.POST.get("version")))
        except (ValidationError, StaleEdit) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Digest %(number)s issued.") % {"number": digest.issue_label})
        return redirect("casework:digest_edit", uuid=digest.uuid)
    return render(
        request,
        "casework/reports/digest_issue.html",
        {"digest": digest, "item_count": scoped(DigestItem, request.user).filter(digest=digest).count()},
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def digest_document(request, uuid):
    digest = _digest(request, uuid)
    items = list(digests.items_of(digest, request.user))
    return export_response(
        request,
        kind="casework.digest",
        filename=f"{digest.title}_{digest.issue_label}.docx",
        row_count=len(items),
        subjects=ExportSubjects(townships=[item.case.township.name for item in items]),
        build=lambda grant: digests.digest_document(digest, items, footer_note=grant.footer),
        personal=False,
    )


def digest_feedback(request, uuid):
    item = get_scoped_or_404(
        DigestItem.objects.select_related("digest", "case__township"), request.user, CHANGE, uuid=uuid
    )
    form = FeedbackForm(initial={"given_on": timezone.localdate()})
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                digests.record_feedback(
                    item,
                    request.user,
                    leader_name=data["leader_name"],
                    given_on=data["given_on"],
                    text=data["text"],
                    mark_key=data["mark_key"],
                )
            except (ValidationError, IllegalTransition, StaleEdit) as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Instruction recorded."))
                return redirect("casework:digest_edit", uuid=item.digest.uuid)
    return render(
        request,
        "casework/reports/digest_feedback.html",
        {"item": item, "form": form, "feedback": list(item.feedback.all())},
    )
