from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.locking import StaleEdit

from . import divisions, permissions, selectors, services
from .forms import (
    AgencyForm,
    CountyDivisionForm,
    DeputyGroupForm,
    StationForm,
    TermDefaultsForm,
    TermForm,
    TermRowFormSet,
    TownshipForm,
    TownshipTermsSettingForm,
)
from .models import CONGRESS_KINDS, Agency, County, DeputyGroup, Station, Term, Township


def _save(request, form, *, template: str, context: dict, success_url: str):
    """Validate ``form``, save through the audited service, or re-render with what was typed."""
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        try:
            services.unit_save(
                instance=instance,
                actor=request.user,
                changed_fields=form.changed_data,
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved: %(name)s") % {"name": instance})
            return redirect(success_url)
    return render(request, template, {"form": form, **context})


def index(request):
    require(permissions.may_view_organisations(request.user))
    townships = list(selectors.townships_overview(request.user))
    if len(townships) == 1 and request.user.township_id:
        return redirect("organisations:township_detail", uuid=townships[0].uuid)
    counties = list(scoped(County, request.user, CHANGE))
    return render(
        request,
        "organisations/index.html",
        {
            "townships": townships,
            "can_manage": bool(counties),
            "counties": counties,
            # The counties are read with change rights already: what is left is the role's right to terms.
            "term_counties": counties if permissions.may_set_terms(request.user) else [],
            "ending_soon": selectors.terms_ending_soon(request.user, today=timezone.localdate()),
        },
    )


def county_list(request):
    require(permissions.may_view_counties(request.user))
    counties = scoped(County, request.user, VIEW).annotate(township_count=Count("townships"))
    return render(
        request,
        "organisations/county_list.html",
        {"counties": counties, "can_add": permissions.may_set_up_county(request.user)},
    )


def county_create(request):
    """Set up a county from its division code, with all its townships (system administrator)."""
    require(permissions.may_set_up_county(request.user))
    form = CountyDivisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            county = services.county_create_from_division(
                division_code=form.cleaned_data["division_code"], actor=request.user
            )
        except services.OrganisationError as error:
            form.add_error("division_code", str(error))
        else:
            messages.success(request, _("Set up %(name)s with its townships.") % {"name": county.name})
            return redirect("organisations:county_list")
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": _("Set up a county"), "cancel_url": reverse("organisations:county_list")},
    )


def township_detail(request, uuid):
    township = get_scoped_or_404(Township.objects.select_related("county"), request.user, VIEW, uuid=uuid)
    return render(
        request,
        "organisations/township_detail.html",
        {
            "township": township,
            "stations": township.stations.order_by("-is_active", "name_order"),
            "groups": township.deputy_groups.select_related("station").order_by("-is_active", "name_order"),
            "agencies": township.agencies.order_by("-is_active", "name"),
            "terms": township.terms.order_by("-number"),
            "ending_soon": selectors.terms_ending_soon(request.user, today=timezone.localdate(), township=township),
            "can_register_term": permissions.may_register_term(request.user, township),
            "can_edit_township": permissions.may_change_township(request.user, township),
            "can_change_units": permissions.may_change_units(request.user),
        },
    )


def township_create(request):
    county = scoped(County, request.user, CHANGE).first()
    if county is None:
        raise PermissionDenied
    form = TownshipForm(request.POST or None, instance=Township(county=county))
    # The system administrator sets counties up but does not browse their units: back to the counties.
    back = "organisations:index" if permissions.may_view_organisations(request.user) else "organisations:county_list"
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("New township"), "cancel_url": reverse(back)},
        success_url=reverse(back),
    )


def township_edit(request, uuid):
    township = get_scoped_or_404(Township, request.user, CHANGE, uuid=uuid)
    form = TownshipForm(request.POST or None, instance=township)
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("Edit township"), "object": township},
        success_url=reverse("organisations:township_detail", kwargs={"uuid": uuid}),
    )


def township_import(request, uuid):
    """Show which townships of the statistical division list the county lacks, and add them."""
    county = get_scoped_or_404(County, request.user, CHANGE, uuid=uuid)
    known = set(county.townships.values_list("division_code", flat=True))
    try:
        missing = [d for d in divisions.townships_of(county.division_code) if d.code not in known]
    except divisions.DivisionDataMissing:
        messages.error(request, _("The division code data is not installed; run make run or make install."))
        return redirect("organisations:index")
    if request.method == "POST":
        created = services.townships_import_from_divisions(county=county, actor=request.user)
        messages.success(request, _("%(count)d townships added.") % {"count": len(created)})
        return redirect("organisations:index")
    return render(request, "organisations/township_import.html", {"county": county, "missing": missing})


def station_create(request, uuid):
    township = get_scoped_or_404(Township, request.user, VIEW, uuid=uuid)
    require(permissions.may_change_units(request.user))
    form = StationForm(request.POST or None, instance=Station(township=township))
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("New station"), "township": township},
        success_url=township_url(township),
    )


def station_edit(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, CHANGE, uuid=uuid)
    form = StationForm(request.POST or None, instance=station)
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("Edit station"), "object": station, "township": station.township},
        success_url=township_url(station.township),
    )


def group_create(request, uuid):
    township = get_scoped_or_404(Township, request.user, VIEW, uuid=uuid)
    require(permissions.may_change_units(request.user))
    form = DeputyGroupForm(request.POST or None, instance=DeputyGroup(township=township), township=township)
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("New deputy group"), "township": township},
        success_url=township_url(township),
    )


def group_edit(request, uuid):
    group = get_scoped_or_404(DeputyGroup.objects.select_related("township"), request.user, CHANGE, uuid=uuid)
    form = DeputyGroupForm(request.POST or None, instance=group, township=group.township)
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("Edit deputy group"), "object": group, "township": group.township},
        success_url=township_url(group.township),
    )


def agency_list(request):
    require(permissions.may_view_agencies(request.user))
    query = request.GET.get("q", "").strip()[:50]
    page = Paginator(selectors.agencies_visible(request.user, query=query), 50).get_page(request.GET.get("page"))
    # Township staff read the county-level agencies but change only their own township's.
    editable = set(
        scoped(Agency, request.user, CHANGE).filter(pk__in=[agency.pk for agency in page]).values_list("pk", flat=True)
    )
    return render(
        request,
        "organisations/agency_list.html",
        {"page": page, "query": query, "can_add": permissions.may_add_agencies(request.user), "editable": editable},
    )


def agency_create(request):
    require(permissions.may_add_agencies(request.user))
    county = request.user.county
    if county is None:
        raise PermissionDenied
    fixed = request.user.township if request.user.township_id else None
    form = AgencyForm(
        request.POST or None,
        instance=Agency(county=county),
        townships=scoped(Township, request.user, CHANGE),
        fixed_township=fixed,
    )
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("New agency")},
        success_url=reverse("organisations:agency_list"),
    )


def agency_edit(request, uuid):
    agency = get_scoped_or_404(Agency, request.user, CHANGE, uuid=uuid)
    fixed = request.user.township if request.user.township_id else None
    form = AgencyForm(
        request.POST or None,
        instance=agency,
        townships=scoped(Township, request.user, CHANGE),
        fixed_township=fixed,
    )
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("Edit agency"), "object": agency},
        success_url=reverse("organisations:agency_list"),
    )


def term_create(request, uuid):
    township = get_scoped_or_404(Township.objects.select_related("county"), request.user, VIEW, uuid=uuid)
    if not permissions.may_register_term(request.user, township):
        raise PermissionDenied
    form = TermForm(request.POST or None, instance=Term(county_id=township.county_id, township=township))
    return _save(
        request,
        form,
        template="organisations/form.html",
        context={"title": _("New term"), "township": township},
        success_url=township_url(township),
    )


def county_terms(request, uuid):
    """The terms of the county congress and of every township congress, set in one form (换届)."""
    county = get_scoped_or_404(County, request.user, CHANGE, uuid=uuid)
    if not permissions.may_set_county_terms(request.user, county):
        raise PermissionDenied
    today = timezone.localdate()
    townships = list(
        scoped(Township, request.user, VIEW)
        .filter(county=county, is_active=True, kind__in=CONGRESS_KINDS)
        .order_by("division_code", "name")
    )
    bodies: list[Township | None] = [None, *townships]
    proposals = selectors.term_proposals(request.user, county, townships, today=today)
    initial = [proposals["rows"][body.pk if body else None] for body in bodies]
    data = request.POST if request.method == "POST" and request.POST.get("action") == "terms" else None
    defaults = TermDefaultsForm(data, initial=proposals["shared"], prefix="shared")
    formset = TermRowFormSet(data, initial=initial, defaults=defaults)
    setting_form = TownshipTermsSettingForm(initial={"townships_register_terms": county.townships_register_terms})
    if request.method == "POST" and request.POST.get("action") == "setting":
        setting_form = TownshipTermsSettingForm(request.POST)
        if setting_form.is_valid():
            allowed = setting_form.cleaned_data["townships_register_terms"]
            services.county_allow_township_terms(county=county, allowed=allowed, actor=request.user)
            messages.success(request, _("Saved."))
            return redirect("organisations:county_terms", uuid=county.uuid)
    elif data is not None and formset.is_valid():
        plans = [services.TermPlan(bodies[index], *values) for index, *values in formset.plans]
        try:
            services.terms_set(county=county, plans=plans, actor=request.user)
        except services.OrganisationError as error:
            formset._non_form_errors = formset.error_class([str(error)])
        else:
            messages.success(request, _("%(count)d terms recorded.") % {"count": len(plans)})
            return redirect("organisations:county_terms", uuid=county.uuid)
    return render(
        request,
        "organisations/county_terms.html",
        {
            "county": county,
            "defaults": defaults,
            "formset": formset,
            "rows": [(body, form, row["current"]) for body, form, row in zip(bodies, formset, initial, strict=True)],
            "setting_form": setting_form,
            "ending_soon": selectors.terms_ending_soon(request.user, today=today),
        },
    )


ACTIVATABLE = {"townships": Township, "stations": Station, "groups": DeputyGroup, "agencies": Agency}


@require_POST
def unit_set_active(request, kind, uuid):
    model = ACTIVATABLE.get(kind)
    if model is None:
        raise PermissionDenied
    instance = get_scoped_or_404(model, request.user, CHANGE, uuid=uuid)
    services.unit_set_active(instance=instance, active=request.POST.get("active") == "1", actor=request.user)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("organisations:index")
    return redirect(next_url)


def township_url(township: Township) -> str:
    return reverse("organisations:township_detail", kwargs={"uuid": township.uuid})
