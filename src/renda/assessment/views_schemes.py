"""Pages of the county's assessment schemes: the schemes by year, a new one or a copy of an earlier
one, a scheme's sections and indicators with each rule in words, and the county administrator's
edits while it is a draft. Thin: scope, named check, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, get_scoped_or_404
from renda.core.forms import show_refusal
from renda.core.locking import StaleEdit

from . import measures, selectors, selectors_scores, services
from . import permissions as may
from .forms import IndicatorForm, SchemeCopyForm, SchemeEditForm, SchemeForm, SectionForm
from .models import Indicator, Scheme, Section

REFUSALS = (ValidationError, StaleEdit)


def _scheme(request, uuid, action=None) -> Scheme:
    """The scheme for reading (any office role of the county), or for changing (its administrator:
    403 for other roles, 404 for another county's)."""
    require(may.may_view_assessment(request.user))
    if action == CHANGE:
        require(may.may_manage_schemes(request.user))
        return get_scoped_or_404(Scheme.objects.select_related("county"), request.user, CHANGE, uuid=uuid)
    return selectors.scheme_for_page(request.user, uuid)


def _section(request, uuid) -> Section:
    require(may.may_view_assessment(request.user) and may.may_manage_schemes(request.user))
    return get_scoped_or_404(Section.objects.select_related("scheme"), request.user, CHANGE, uuid=uuid)


def _indicator(request, uuid) -> Indicator:
    require(may.may_view_assessment(request.user) and may.may_manage_schemes(request.user))
    return get_scoped_or_404(Indicator.objects.select_related("section__scheme"), request.user, CHANGE, uuid=uuid)


def _frozen(request, scheme: Scheme):
    """A published scheme is not edited: back to it, saying why (the services refuse as well)."""
    messages.error(request, _("The results have been published: the scheme is frozen. Copy it for another year."))
    return redirect("assessment:scheme", uuid=scheme.uuid)


def schemes(request):
    require(may.may_view_assessment(request.user))
    return render(
        request,
        "assessment/schemes/list.html",
        {
            "schemes": selectors.schemes(request.user).select_related("copied_from"),
            "may_manage": may.may_manage_schemes(request.user),
        },
    )


def scheme_new(request):
    require(may.may_view_assessment(request.user) and may.may_manage_schemes(request.user))
    form = SchemeForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.create_scheme(
                request.user.county, request.user, year=data["year"], title=data["title"], notes=data["notes"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The scheme is created; add its sections and indicators."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    return render(request, "assessment/schemes/form.html", {"form": form, "heading": _("New assessment scheme")})


def scheme_copy(request):
    require(may.may_view_assessment(request.user) and may.may_manage_schemes(request.user))
    sources = selectors.schemes(request.user)
    latest = sources.first()
    initial = {"year": (latest.year + 1) if latest else timezone.localdate().year}
    if latest:
        initial["source"] = latest.uuid
    form = SchemeCopyForm(request.POST or None, schemes=sources, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.copy_scheme(data["source"], request.user, year=data["year"], title=data["title"])
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The scheme is copied; check its indicators for the new year."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    return render(
        request,
        "assessment/schemes/form.html",
        {"form": form, "heading": _("Copy from an earlier year"), "empty": latest is None},
    )


def scheme(request, uuid):
    scheme = _scheme(request, uuid)
    return render(
        request,
        "assessment/schemes/detail.html",
        {
            "scheme": scheme,
            "outline": selectors_scores.outline(scheme),
            "may_edit": may.may_edit_scheme(request.user, scheme),
        },
    )


def scheme_edit(request, uuid):
    scheme = _scheme(request, uuid, CHANGE)
    if scheme.is_published:
        return _frozen(request, scheme)
    form = SchemeEditForm(
        request.POST or None, initial={"title": scheme.title, "notes": scheme.notes, "version": scheme.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_scheme(
                scheme, request.user, version=data["version"], title=data["title"], notes=data["notes"]
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The scheme is saved."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    return render(
        request, "assessment/schemes/form.html", {"form": form, "scheme": scheme, "heading": _("Edit the scheme")}
    )


def section_add(request, uuid):
    scheme = _scheme(request, uuid, CHANGE)
    if scheme.is_published:
        return _frozen(request, scheme)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_section(
                scheme, request.user, name=form.cleaned_data["name"], order=form.cleaned_data["order"] or 0
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The section is added."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    return render(
        request, "assessment/schemes/form.html", {"form": form, "scheme": scheme, "heading": _("Add a section")}
    )


def section_edit(request, uuid):
    section = _section(request, uuid)
    scheme = section.scheme
    if scheme.is_published:
        return _frozen(request, scheme)
    form = SectionForm(request.POST or None, initial={"name": section.name, "order": section.order})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_section(
                section, request.user, name=form.cleaned_data["name"], order=form.cleaned_data["order"] or 0
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The section is saved."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    return render(
        request, "assessment/schemes/form.html", {"form": form, "scheme": scheme, "heading": _("Edit the section")}
    )


def section_remove(request, uuid):
    section = _section(request, uuid)
    scheme = section.scheme
    if scheme.is_published:
        return _frozen(request, scheme)
    error = ""
    if request.method == "POST":
        try:
            services.remove_section(section, request.user)
        except REFUSALS as refusal:
            error = " ".join(getattr(refusal, "messages", [str(getattr(refusal, "message", refusal))]))
        else:
            messages.success(request, _("The section is removed."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    return render(
        request,
        "assessment/schemes/remove.html",
        {
            "scheme": scheme,
            "error": error,
            "heading": _("Remove the section"),
            "question": _("Remove the section “%(name)s” and all its indicators, with the points entered on them?")
            % {"name": section.name},
        },
    )


def _indicator_values(form: IndicatorForm) -> dict:
    return {name: form.cleaned_data[name] for name in services.INDICATOR_FIELDS}


def _indicator_page(request, form, scheme, heading, prefill=False):
    return render(
        request,
        "assessment/schemes/indicator_form.html",
        {
            "form": form,
            "scheme": scheme,
            "heading": heading,
            "measures": selectors_scores.measure_guide(),
            "prefill": prefill,
        },
    )


def indicator_add(request, uuid):
    section = _section(request, uuid)
    scheme = section.scheme
    if scheme.is_published:
        return _frozen(request, scheme)
    initial = {"weight": 1, "kind": "computed", "formula": "linear", "order": 0}
    chosen = measures.measures.get(request.GET.get("measure", ""))
    if chosen is not None:
        # Chosen from the list of measures: its sensible thresholds to start from.
        initial.update(measure=chosen.code, full_at=chosen.full_at, zero_at=chosen.zero_at, name=str(chosen.label))
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_indicator(section, request.user, **_indicator_values(form))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The indicator is added."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    heading = _("Add an indicator to “%(section)s”") % {"section": section.name}
    return _indicator_page(request, form, scheme, heading, prefill=True)


def indicator_edit(request, uuid):
    indicator = _indicator(request, uuid)
    scheme = indicator.section.scheme
    if scheme.is_published:
        return _frozen(request, scheme)
    form = IndicatorForm(
        request.POST or None, initial={name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indicator(indicator, request.user, **_indicator_values(form))
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    return _indicator_page(request, form, scheme, _("Edit the indicator"))


def indicator_remove(request, uuid):
    indicator = _indicator(request, uuid)
    scheme = indicator.section.scheme
    if scheme.is_published:
        return _frozen(request, scheme)
    error = ""
    if request.method == "POST":
        try:
            services.remove_indicator(indicator, request.user)
        except REFUSALS as refusal:
            error = " ".join(getattr(refusal, "messages", [str(getattr(refusal, "message", refusal))]))
        else:
            messages.success(request, _("The indicator is removed."))
            return redirect("assessment:scheme", uuid=scheme.uuid)
    return render(
        request,
        "assessment/schemes/remove.html",
        {
            "scheme": scheme,
            "error": error,
            "heading": _("Remove the indicator"),
            "question": _("Remove the indicator “%(name)s”, with the points entered and adjusted on it?")
            % {"name": indicator.name},
        },
    )
