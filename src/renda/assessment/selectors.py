"""Reads of the assessment shared by its pages, reports, dashboards and API: the schemes a user may
see, the townships whose scores they may see, live scores for a period and published results."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from renda.accounts.scoping import get_scoped_or_404, scoped
from renda.core.periods import Period
from renda.organisations.models import Township

from . import permissions as may
from .models import Result, Scheme
from .services import assessed_townships


def schemes(user: Any) -> QuerySet[Scheme]:
    return scoped(Scheme, user).order_by("-year")


def scheme_for_page(user: Any, uuid: Any) -> Scheme:
    return get_scoped_or_404(Scheme.objects.select_related("county"), user, uuid=uuid)


def scheme_of_year(user: Any, year: int) -> Scheme | None:
    return schemes(user).filter(year=year).first()


def period_of(scheme: Scheme, today: date) -> Period:
    """The scheme's year, up to today while it runs."""
    return Period.year_to_date(scheme.year, today)


def townships_for(user: Any, scheme: Scheme) -> list[Township]:
    """The townships whose scores ``user`` may see on ``scheme``: all the county's (the county; the
    townships once published or when the scores are open), or their own township only."""
    if may.may_see_all_townships(user, scheme):
        return list(assessed_townships(scheme.county))
    own = scoped(Township, user).filter(pk=getattr(user, "township_id", None), county=scheme.county_id)
    return list(own)


def published_results(user: Any, scheme: Scheme) -> list[Result]:
    """The results stored at publication, for the townships the user may see (empty before)."""
    if not scheme.is_published:
        return []
    visible = [t.pk for t in townships_for(user, scheme)]
    # The townships were chosen through the scope above; the results of a published scheme are
    # read by every township of the county (the ranking is public within it).
    return list(
        Result.objects.unscoped()
        .filter(scheme=scheme, township__in=visible)
        .select_related("township")
        .order_by("rank", "township__name")
    )
