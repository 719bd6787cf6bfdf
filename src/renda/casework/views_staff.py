"""The staff's casework pages: the case list, entering a case (staff, and deputies filing their own
suggestions), the detail page with its timeline and the review, assignment and chasing steps,
and the county's categories. Thin: scope, form, service; the errors of the services are shown on
the form that caused them, with what was typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import show_refusal
from renda.core.pii import mask_phone
from renda.organisations.models import Township

from . import categories as category_services
from . import deadlines, selectors, services
from . import filters as case_filters
from . import permissions as may
from .form_errors import REFUSALS
from .forms import (
    AcceptForm,
    AssignForm,
    CaseForm,
    CategoryForm,
    CloseForm,
    ExtensionDecisionForm,
    HandleOnSpotForm,
    MergeForm,
    RatingForm,
    ReasonForm,
    RemindForm,
    StepForm,
    SubmitForm,
    TagForm,
)
from .models import Case, CaseCategory, CaseSource
from .workflow import Step

PAGE_SIZE = 30


# ---------------------------------------------------------------- the list


def case_list(request):
    user = request.user
    require(may.may_view_cases(user))
    today = timezone.localdate()
    # The same filter as the Excel export (casework:export), so the file holds what the list shows.
    form = case_filters.filter_form(user, request.GET)
    filters = case_filters.chosen_filters(form)
    page = Paginator(selectors.case_list(user, filters, today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_due(page.object_list, today)
    return render(
        request,
        "casework/list.html",
        {
            "page": page,
            "form": form,
            "filters": filters,
            "show_township": len(form.fields["township"].queryset[:2]) > 1,
            "can_file": may.may_file_case(user),
            "can_manage_categories": may.may_manage_categories(user),
            "can_export": may.may_export_cases(user),
        },
    )


# ---------------------------------------------------------------- a new case


def _case_form(request, *, today) -> CaseForm:
    user = request.user
    as_deputy = may.files_as_deputy(user)
    data = request.POST if request.method == "POST" else None
    if as_deputy:
        lead_choices = selectors.own_serving_mandates(user, today=today)
        co_choices = selectors.cosigner_choices(user, today=today)
        townships: QuerySet[Township] = Township.objects.none()
        county_ids = lead_choices.values_list("person__township__county_id", flat=True)
        categories = selectors.category_choices(county_ids)
    else:
        townships = selectors.filing_townships(user)
        # The signers on offer follow the township chosen (htmx reloads the form when it changes).
        chosen = (data or request.GET).get("township") or ""
        township = _chosen_township(townships, chosen)
        lead_choices = selectors.signer_choices(user, today=today, township=township)
        co_choices = lead_choices
        categories = selectors.category_choices(townships.values_list("county_id", flat=True))
    initial: dict[str, Any] = {"received_on": today, "source": CaseSource.RECESS_SUGGESTION}
    if data is None and request.GET:
        # The form reloaded for another township keeps what was typed.
        initial.update({key: value for key, value in request.GET.items() if key != "co_signers"})
        initial["co_signers"] = request.GET.getlist("co_signers")
    return CaseForm(
        data,
        initial=initial,
        user=user,
        townships=townships,
        categories=categories.order_by("order", "name"),
        lead_choices=lead_choices,
        co_choices=co_choices,
        as_deputy=as_deputy,
    )


def _chosen_township(townships: QuerySet[Township], chosen: str) -> Township | None:
    """The township picked on the form (sent as it stands by htmx), if it is one of ``townships``;
    anything else typed into the address is no choice rather than an error."""
    try:
        UUID(chosen)
    except ValueError:
        return None
    return townships.filter(uuid=chosen).first()


def case_new(request):
    user = request.user
    require(may.may_file_case(user))
    today = timezone.localdate()
    form = _case_form(request, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = form.as_deputy and request.POST.get("action") == "draft"
        try:
            case = services.file_case(
                user,
                township=data["filing_township"],
                source=data["source"],
                title=data["title"],
                content=data["content"],
                category=data["category"],
                lead=data["lead"],
                signers=list(data["co_signers"]),
                station=data["station"],
                citizen_name=data["citizen_name"],
                citizen_phone=data["citizen_phone"],
                received_on=data.get("received_on"),
                submit=not draft,
                created_via="web",
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "signers" in error.error_dict:
                error.error_dict["lead"] = error.error_dict.pop("signers")
            show_refusal(form, error)
        else:
            if draft:
                messages.success(request, _("Draft saved: %(reference)s") % {"reference": case.reference})
            else:
                messages.success(request, _("Case entered: %(reference)s") % {"reference": case.reference})
            return redirect("casework:detail", uuid=case.uuid)
    template = "casework/new.html#case-form" if request.htmx and request.method == "GET" else "casework/new.html"
    return render(
        request,
        template,
        {"form": form, "as_deputy": form.as_deputy, "no_categories": not form.fields["category"].queryset.exists()},
    )


def case_duplicates(request):
    """The likely duplicates of what is being typed (htmx, while entering a case)."""
    user = request.user
    require(may.may_file_case(user))
    text = f"{request.GET.get('title', '')}\n{request.GET.get('content', '')}"[:5000]
    chosen = request.GET.get("township") or ""
    if may.files_as_deputy(user):
        mandate = selectors.own_serving_mandates(user, today=timezone.localdate()).first()
        township = mandate.person.township if mandate else None
    else:
        township = _chosen_township(scoped(Township, user, VIEW), chosen)
    proposals = selectors.duplicate_proposals(user, text=text, township=township)
    return render(request, "casework/_duplicates.html", {"proposals": proposals})


# ---------------------------------------------------------------- the detail page and its steps


@dataclass
class StepSpec:
    form: type[StepForm]
    title: str | Any
    button: str | Any
    css: str = "primary"


STEPS: dict[str, StepSpec] = {
    "submit": StepSpec(SubmitForm, gettext_lazy("Submit the draft"), gettext_lazy("Submit")),
    "accept": StepSpec(AcceptForm, gettext_lazy("Accept (立案)"), gettext_lazy("Accept")),
    "merge": StepSpec(MergeForm, gettext_lazy("Merge into another case (并案)"), gettext_lazy("Merge"), "secondary"),
    "reject": StepSpec(ReasonForm, gettext_lazy("Do not accept"), gettext_lazy("Do not accept"), "danger"),
    "handle_on_spot": StepSpec(
        HandleOnSpotForm, gettext_lazy("Handled on the spot"), gettext_lazy("Record as handled"), "secondary"
    ),
    "assign": StepSpec(AssignForm, gettext_lazy("Assign (交办)"), gettext_lazy("Assign")),
    "extension_decision": StepSpec(
        ExtensionDecisionForm, gettext_lazy("Decide the extension request"), gettext_lazy("Decide")
    ),
    "remind": StepSpec(
        RemindForm, gettext_lazy("Remind the agency (催办)"), gettext_lazy("Send a reminder"), "warning"
    ),
    "tag": StepSpec(TagForm, gettext_lazy("Tags"), gettext_lazy("Save tags"), "secondary"),
    "rehandle": StepSpec(
        ReasonForm, gettext_lazy("Send back for handling again"), gettext_lazy("Send back"), "warning"
    ),
    "rate": StepSpec(RatingForm, gettext_lazy("Record a rating on the rater's behalf"), gettext_lazy("Record")),
    "close": StepSpec(CloseForm, gettext_lazy("Close (办结)"), gettext_lazy("Close the case")),
}


@dataclass
class StepContext:
    """What the step forms offer, read once per page (only for the steps shown)."""

    case: Case
    parts: selectors.CaseParts
    proposed: list[Case]
    raters: list[selectors.Rater]


def _step_form(request, step: str, ctx: StepContext, data=None) -> StepForm:
    case, user = ctx.case, request.user
    kwargs: dict[str, Any] = {"case": case}
    if step == "merge":
        kwargs["targets"] = selectors.merge_targets(user, case, [c.pk for c in ctx.proposed])
        kwargs["proposed"] = ctx.proposed
    elif step == "assign":
        kwargs["agencies"] = selectors.assignable_agencies(user, case)
    elif step == "extension_decision":
        kwargs["extension"] = ctx.parts.pending_extension
    elif step == "rate":
        kwargs["raters"] = ctx.raters
    return STEPS[step].form(data, prefix=step, **kwargs)


def _shown(step: str, ctx: StepContext) -> bool:
    """Steps the state allows but that have nothing to act on are not offered."""
    if step == "extension_decision":
        return ctx.parts.pending_extension is not None
    if step == "remind":
        return any(a.is_lead for a in ctx.parts.live_assignments)
    if step == "rate":
        return bool(ctx.raters)
    return True


def _step_context(request, case: Case, steps) -> StepContext:
    parts = selectors.case_parts(case)
    proposed = []
    if "merge" in steps:
        proposed = selectors.duplicate_proposals(
            request.user, text=f"{case.title}\n{case.content}", township=case.township, exclude=case
        )
    raters = selectors.raters_waiting(case) if "rate" in steps else []
    return StepContext(case=case, parts=parts, proposed=proposed, raters=raters)


def _step_view(step: str, ctx: StepContext, form: StepForm) -> dict[str, Any]:
    spec = STEPS[step]
    extra: dict[str, Any] = {}
    if step == "remind":
        extra["next_allowed"] = services.reminder_allowed_after(ctx.case)
    if step == "extension_decision":
        extra["extension"] = ctx.parts.pending_extension
    if step == "merge":
        extra["proposed"] = ctx.proposed
    return {"code": step, "title": spec.title, "button": spec.button, "css": spec.css, "form": form, **extra}


def _detail_context(request, case: Case) -> dict:
    user = request.user
    steps = may.staff_steps(user, case)
    ctx = _step_context(request, case, steps)
    actions = [
        _step_view(step, ctx, _step_form(request, step, ctx))
        for step in may.STAFF_STEPS
        if step in steps and _shown(step, ctx)
    ]
    return {
        "case": case,
        "parts": ctx.parts,
        "actions": actions,
        "due": deadlines.due_of(case, timezone.localdate()),
        "citizen_phone_masked": mask_phone(case.citizen_phone),
        # The partials of the other areas work out their own flags (casework_agency tags); the
        # citizen's contact reads this one.
        "may_reveal_citizen_phone": may.may_reveal_citizen_phone(user, case),
    }


def case_detail(request, uuid):
    case = selectors.case_for_detail(request.user, uuid)
    return render(request, "casework/detail.html", _detail_context(request, case))


def _run_step(step: str, case: Case, user, form: StepForm) -> None:
    data, version = form.cleaned_data, form.cleaned_data["version"]
    if step == "submit":
        services.submit(case, user, version=version)
    elif step == "accept":
        services.accept(case, user, version=version, reason=data["reason"])
    elif step == "merge":
        services.merge(case, user, version=version, into=data["into"], reason=data["reason"])
    elif step == "reject":
        services.reject(case, user, version=version, reason=data["reason"])
    elif step == "handle_on_spot":
        services.handle_on_spot(case, user, version=version, reply_text=data["reply_text"])
    elif step == "assign":
        services.assign(case, user, version=version, lead=data["lead"], co=list(data["co"]), reason=data["reason"])
    elif step == "extension_decision":
        extension = case.extensions.filter(pk=data["extension"]).first()
        if extension is None:
            raise ValidationError(_("This request has already been decided."))
        extension.case = case
        services.decide_extension(
            extension, user, approve=data["decision"] == "approve", reason=data["reason"], version=version
        )
    elif step == "remind":
        services.remind(case, user, version=version)
    elif step == "tag":
        services.tag(
            case,
            user,
            is_key=data["is_key"],
            key_leader=data["key_leader"],
            is_repeated=data["is_repeated"],
            version=version,
        )
    elif step == "rehandle":
        services.rehandle(case, user, version=version, reason=data["reason"])
    elif step == "rate":
        rater = form.raters[data["rater"]]  # type: ignore[attr-defined]
        services.rate(
            rater.case,
            user,
            mandate=rater.mandate,
            citizen=rater.mandate is None,
            handling=data["handling"],
            result=data["result"],
            comment=data["comment"],
            by_staff=True,
            version=version,
        )
    elif step == "close":
        services.close(case, user, version=version, reason=data["reason"])


def case_action(request, uuid, step: str):
    """One staff step of the detail page: POST takes it; GET shows its form alone (without JavaScript,
    and where a refused step is shown again with what was typed)."""
    if step not in STEPS:
        raise Http404
    user = request.user
    case = selectors.case_for_detail(user, uuid)
    require(may.may_take_staff_step(user, case, step))
    ctx = _step_context(request, case, {step})
    form = _step_form(request, step, ctx, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _run_step(step, case, user, form)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Done: %(step)s") % {"step": Step(step).label})
            if request.htmx:
                return HttpResponseClientRedirect(case_url(case))
            return redirect("casework:detail", uuid=case.uuid)
    action = _step_view(step, ctx, form)
    if request.htmx:
        return render(request, "casework/_staff_action.html", {"case": case, "action": action, "open": True})
    return render(request, "casework/action.html", {"case": case, "action": action, "open": True})


def case_url(case: Case) -> str:
    return reverse("casework:detail", kwargs={"uuid": case.uuid})


# ---------------------------------------------------------------- categories


def category_list(request):
    user = request.user
    require(may.may_manage_categories(user))
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = category_services.category_create(county=user.county, name=form.cleaned_data["name"], actor=user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Category added: %(name)s") % {"name": category.name})
            return redirect("casework:categories")
    categories = list(scoped(CaseCategory, user, CHANGE).order_by("order", "name"))
    return render(request, "casework/categories.html", {"form": form, "categories": categories})


def category_edit(request, uuid):
    user = request.user
    category = get_scoped_or_404(CaseCategory, user, CHANGE, uuid=uuid)
    require(may.may_manage_categories(user))
    form = CategoryForm(request.POST or None, initial={"name": category.name})
    if request.method == "POST" and form.is_valid():
        try:
            category_services.category_rename(category=category, name=form.cleaned_data["name"], actor=user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Category renamed."))
            return redirect("casework:categories")
    return render(request, "casework/category_edit.html", {"form": form, "category": category})


@require_POST
def category_move(request, uuid):
    user = request.user
    category = get_scoped_or_404(CaseCategory, user, CHANGE, uuid=uuid)
    require(may.may_manage_categories(user))
    category_services.category_move(category=category, up=request.POST.get("direction") != "down", actor=user)
    return redirect("casework:categories")


@require_POST
def category_active(request, uuid):
    user = request.user
    category = get_scoped_or_404(CaseCategory, user, CHANGE, uuid=uuid)
    require(may.may_manage_categories(user))
    active = request.POST.get("active") == "1"
    category_services.category_set_active(category=category, active=active, actor=user)
    if active:
        messages.success(request, _("Category reactivated: %(name)s") % {"name": category.name})
    else:
        messages.success(request, _("Category deactivated: %(name)s") % {"name": category.name})
    return redirect("casework:categories")


@require_POST
def category_defaults(request):
    user = request.user
    require(may.may_manage_categories(user))
    category_services.category_defaults(county=user.county, actor=user)
    return redirect("casework:categories")
