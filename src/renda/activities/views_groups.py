"""Pages of the deputy groups' frequency: per township, the groups and their group activities
held per quarter (silent quarters in red); across the townships the user reads, the counts."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.organisations.models import DeputyGroup, Township

from . import permissions_plans as may
from . import selectors_groups as selectors
from .forms_plans import YearForm
from .views_plans import _townships


def _year(request) -> tuple[YearForm, int]:
    form = YearForm(request.GET or None)
    return form, form.chosen_year()


def groups(request):
    require(may.may_view_groups(request.user))
    form, year = _year(request)
    result = selectors.county_groups(
        _townships(request.user), scoped(DeputyGroup, request.user, VIEW), year, timezone.localdate()
    )
    return render(request, "activities/groups/county.html", {"form": form, "result": result})


def groups_township(request, uuid):
    require(may.may_view_groups(request.user))
    township = get_scoped_or_404(Township, request.user, VIEW, uuid=uuid)
    form, year = _year(request)
    rows = selectors.groups_year(
        scoped(DeputyGroup, request.user, VIEW).filter(township=township), year, timezone.localdate()
    )
    return render(
        request,
        "activities/groups/township.html",
        {"form": form, "year": year, "township": township, "rows": rows, "quarters": selectors.QUARTERS},
    )


def home_silent_groups(user) -> dict:
    """The staff's home card: the groups silent in the current quarter."""
    today = timezone.localdate()
    return {"rows": selectors.silent_now(scoped(DeputyGroup, user, VIEW), today), "quarter": (today.month - 1) // 3 + 1}
