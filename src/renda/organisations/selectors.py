"""Reads of the organisation tree, always through the user's scope."""

from django.db.models import Count, Q, QuerySet

from renda.accounts.scoping import VIEW, scoped

from .models import Agency, Township


def townships_overview(user) -> QuerySet[Township]:
    """The townships the user may see with the size of each, in one query."""
    return (
        scoped(Township, user, VIEW)
        .select_related("county")
        .annotate(
            station_count=Count("stations", filter=Q(stations__is_active=True), distinct=True),
            group_count=Count("deputy_groups", filter=Q(deputy_groups__is_active=True), distinct=True),
            agency_count=Count("agencies", filter=Q(agencies__is_active=True), distinct=True),
            deputy_count=Count("people__mandates", filter=Q(people__mandates__status="active"), distinct=True),
        )
        .order_by("county__division_code", "-is_active", "division_code", "name")
    )


def agencies_visible(user, *, township: Township | None = None, query: str = "") -> QuerySet[Agency]:
    agencies = scoped(Agency, user, VIEW).select_related("township", "county")
    if township is not None:
        agencies = agencies.filter(township=township)
    if query:
        agencies = agencies.filter(name__icontains=query)
    return agencies.order_by("-is_active", "township__division_code", "name")


def home_overview(user) -> dict:
    """The figures on the home page of county and township people: townships and their totals."""
    townships = list(townships_overview(user))
    return {
        "townships": townships,
        "totals": {
            "townships": sum(1 for t in townships if t.is_active),
            "deputies": sum(t.deputy_count for t in townships),
            "stations": sum(t.station_count for t in townships),
            "groups": sum(t.group_count for t in townships),
            "agencies": agencies_visible(user).filter(is_active=True).count(),
        },
    }
