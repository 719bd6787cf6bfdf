"""The case list's filters, one set for the staff list page and for its Excel export, so that the
export holds exactly the cases the list shows for the same address.

``filter_form(user, params)`` is the list's filter form (``forms.CaseFilterForm``) with the choices
the user may pick; ``chosen_filters(form)`` turns it into ``selectors.CaseFilters`` for
``selectors.case_list``. A form that does not validate (a hand-edited address: a state that is not
one of the groups, an unknown UUID, a year without cases) filters nothing, as on the list page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet

from renda.accounts.scoping import VIEW, scoped
from renda.organisations.models import Agency, Township

from . import selectors
from .forms import CaseFilterForm
from .models import CaseAssignment, CaseSigner


def filter_form(user, params: Mapping[str, Any]) -> CaseFilterForm:
    """The list's filter form over ``params`` (``request.GET``; unbound when empty)."""
    return CaseFilterForm(
        params or None,
        categories=selectors.categories_of(user),
        townships=scoped(Township, user, VIEW).order_by("division_code", "name"),
        agencies=scoped(Agency, user, VIEW).filter(is_active=True).order_by("township", "name"),
        years=selectors.case_years(user),
    )


def chosen_filters(form: CaseFilterForm) -> selectors.CaseFilters:
    if not form.is_valid():
        return selectors.CaseFilters()
    data = form.cleaned_data
    return selectors.CaseFilters(
        state=data["state"],
        source=data["source"],
        category=data["category"],
        township=data["township"],
        agency=data["agency"],
        key=data["key"],
        repeated=data["repeated"],
        year=data["year"],
        query=data["q"],
    )


def export_queryset(queryset: QuerySet) -> QuerySet:
    """The rows the Excel list needs, in a fixed number of queries. The related rows follow the
    scoped cases in hand, so their own reads are not scoped again."""
    return queryset.select_related("township", "category").prefetch_related(
        Prefetch("signers", queryset=CaseSigner.objects.unscoped().select_related("mandate__person")),
        Prefetch("assignments", queryset=CaseAssignment.objects.unscoped().select_related("agency")),
        "replies",
    )
