"""Reads of the organisation tree, always through the user's scope."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from renda.accounts.scoping import VIEW, scoped

from .models import Agency, County, DeputyGroup, Station, Term, Township


def _active_count(model) -> Coalesce:
    rows = model.objects.unscoped().filter(township=OuterRef("pk"), is_active=True).order_by().values("township")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def townships_overview(user, *, today: date | None = None) -> list[Township]:
    """The townships the user may see with the size of each: two queries. The deputies are the
    deputies app's one count of serving deputies (``deputy_count`` people, of them
    ``township_deputy_count`` of the township congress and ``county_deputy_count`` of the county's)."""
    from renda.deputies.selectors import EMPTY_COUNTS, serving_counts

    townships = list(
        scoped(Township, user, VIEW)
        .select_related("county")
        # One counting subquery per kind: joining the three at once multiplied the rows (stations ×
        # groups × agencies of each township) before counting them distinct.
        .annotate(
            station_count=_active_count(Station),
            group_count=_active_count(DeputyGroup),
            agency_count=_active_count(Agency),
        )
        .order_by("county__division_code", "-is_active", "division_code", "name")
    )
    counts = serving_counts(user, today or timezone.localdate())
    for township in townships:
        count = counts.get(township.pk, EMPTY_COUNTS)
        township.deputy_count = count["people"]
        township.township_deputy_count = count["township"]
        township.county_deputy_count = count["county"]
    return townships


def agencies_visible(user, *, township: Township | None = None, query: str = "") -> QuerySet[Agency]:
    agencies = scoped(Agency, user, VIEW).select_related("township", "county")
    if township is not None:
        agencies = agencies.filter(township=township)
    if query:
        agencies = agencies.filter(name__icontains=query)
    return agencies.order_by("-is_active", "township__division_code", "name")


def terms_ending_soon(user, *, today: date, township: Township | None = None) -> list[Term]:
    """Terms the user may see (of ``township`` only, if given) that end within the warning period
    and have no successor recorded: the election (换届) must be prepared, and the roster needs the
    next term to import into."""
    horizon = today + timedelta(days=settings.RENDA_TERM_END_WARNING_DAYS)
    successor = Term.objects.filter(
        county=OuterRef("county"), township=OuterRef("township"), number__gt=OuterRef("number")
    )
    terms = scoped(Term, user, VIEW) if township is None else scoped(Term, user, VIEW).filter(township=township)
    return list(
        terms.filter(ends_on__gte=today, ends_on__lte=horizon)
        .exclude(Exists(successor))
        .select_related("county", "township")
        .order_by("ends_on", "township__division_code")
    )


def term_proposals(user, county: County, townships: list[Township], *, today: date) -> dict:
    """For the county's one-form term setting: the shared values to propose, and per congress
    (the county's under the key None, each township's under its pk) its latest term, whether to
    tick it and the number to propose.

    The shared dates are the county congress's latest term's (township elections are held with
    the county's); a congress whose latest term is still running is proposed unticked."""
    terms = scoped(Term, user, VIEW).filter(county=county)
    latest: dict[int | None, Term] = {}
    for term in terms.filter(Q(township__isnull=True) | Q(township__in=townships)).order_by("number"):
        latest[term.township_id] = term
    county_term = latest.get(None)
    rows = {}
    for key in [None, *(township.pk for township in townships)]:
        current = latest.get(key)
        rows[key] = {
            "current": current,
            "include": current is None or current.ends_on < today,
            "number": current.number + 1 if current else None,
        }
    shared = {
        "number": county_term.number if county_term else None,
        "starts_on": county_term.starts_on if county_term else None,
        "ends_on": county_term.ends_on if county_term else None,
    }
    return {"shared": shared, "rows": rows}


def home_overview(user) -> dict:
    """The figures on the home page of county and township people: townships and their totals."""
    townships: list[Any] = list(townships_overview(user))  # rows carry the counts annotated there
    return {
        "townships": townships,
        "totals": {
            "townships": sum(1 for t in townships if t.is_active),
            "deputies": sum(t.deputy_count for t in townships),
            "township_deputies": sum(t.township_deputy_count for t in townships),
            "county_deputies": sum(t.county_deputy_count for t in townships),
            "stations": sum(t.station_count for t in townships),
            "groups": sum(t.group_count for t in townships),
            "agencies": agencies_visible(user).filter(is_active=True).count(),
        },
    }
