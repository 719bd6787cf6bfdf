"""The county administrator's page of activity types: the list in order, adding, renaming,
retiring or offering again, moving up and down. Thin: scope, named check, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import show_refusal
from renda.organisations.models import County

from . import services_types
from .forms_findings import TypeAddForm, TypeEditForm
from .models import ActivityType
from .permissions import may_manage_types


def _county(user) -> County:
    require(may_manage_types(user))
    county = scoped(County, user, VIEW).order_by("id").first()
    require(county is not None)
    assert county is not None
    return county


def type_list(request):
    county = _county(request.user)
    form = TypeAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services_types.add_type(
                county, request.user, name=form.cleaned_data["name"], category=form.cleaned_data["category"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Type added: %(name)s") % {"name": kind.name})
            return redirect("activities:types")
    types = list(scoped(ActivityType, request.user, VIEW).filter(county=county).order_by("order", "id"))
    return render(request, "activities/types/list.html", {"county": county, "types": types, "form": form})


def type_edit(request, uuid):
    require(may_manage_types(request.user))
    kind = get_scoped_or_404(ActivityType, request.user, CHANGE, uuid=uuid)
    form = TypeEditForm(request.POST or None, initial={"name": kind.name, "offered": kind.active})
    if request.method == "POST" and form.is_valid():
        try:
            services_types.rename_type(kind, request.user, name=form.cleaned_data["name"])
            services_types.set_type_offered(kind, request.user, offered=form.cleaned_data["offered"])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Type saved: %(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("activities:types")
    return render(request, "activities/types/edit.html", {"kind": kind, "form": form})


@require_POST
def type_move(request, uuid):
    require(may_manage_types(request.user))
    kind = get_scoped_or_404(ActivityType, request.user, CHANGE, uuid=uuid)
    services_types.move_type(kind, request.user, up=request.POST.get("direction") != "down")
    return redirect("activities:types")
