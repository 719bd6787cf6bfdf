"""Reads for deputies, always through the user's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from renda.accounts.scoping import VIEW, scoped

from .models import COMMUNIST, HAN, Gender, Mandate, MandateStatus, Person

_LATIN = re.compile(r"^[a-z]+$")

COMPOSITION_FILTERS = {
    "worker_farmer": Q(is_worker_farmer=True),
    "technical": Q(is_technical=True),
    "leading_cadre": Q(is_leading_cadre=True),
    "women": Q(person__gender=Gender.FEMALE),
    "minority": ~Q(person__ethnicity=HAN) & ~Q(person__ethnicity=""),
    "reelected": Q(is_reelected=True),
    "non_communist": ~Q(person__party__in=COMMUNIST) & ~Q(person__party=""),
    "returned_overseas": Q(is_returned_overseas=True),
}


def own_mandates(user) -> QuerySet[Mandate]:
    """The mandates of the person behind a deputy's account."""
    return (
        scoped(Mandate, user, VIEW)
        .filter(person__user=user)
        .select_related("term__township", "term__county", "group", "station", "person__township")
        .order_by("-status", "-starts_on")
    )


def active_mandates(user) -> QuerySet[Mandate]:
    return scoped(Mandate, user, VIEW).filter(status=MandateStatus.ACTIVE)


def serving_on(day: date) -> Q:
    """Mandates started on or before ``day`` and not ended on or before it."""
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=day))


def roster_as_of(user, day: date) -> QuerySet[Mandate]:
    """The mandates on the roster on ``day``, within the user's scope."""
    return scoped(Mandate, user, VIEW).filter(serving_on(day))


def search_people(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Chinese by name; Latin letters by full pinyin ("zhangwei") or initials ("zw")."""
    query = "".join(query.split()).lower()
    if not query:
        return people
    if _LATIN.match(query):
        return people.filter(Q(name_pinyin__startswith=query) | Q(name_initials__startswith=query))
    return people.filter(full_name__contains=query)


@dataclass(frozen=True)
class RosterFilters:
    query: str = ""
    township: object | None = None
    group: object | None = None
    station: object | None = None
    level: str = ""
    status: str = "serving"  # serving | ended | all
    composition: str = ""
    as_of: date | None = None
    order: str = "strokes"  # strokes | pinyin


def roster(user, filters: RosterFilters | None = None, *, today: date | None = None) -> QuerySet[Person]:
    """People within scope with at least one mandate matching the filters, in the chosen order."""
    filters = filters or RosterFilters()
    mandates = scoped(Mandate, user, VIEW)
    if filters.level:
        mandates = mandates.filter(level=filters.level)
    if filters.group is not None:
        mandates = mandates.filter(group=filters.group)
    if filters.station is not None:
        mandates = mandates.filter(station=filters.station)
    if filters.composition in COMPOSITION_FILTERS:
        mandates = mandates.filter(COMPOSITION_FILTERS[filters.composition])
    day = filters.as_of or today
    if filters.as_of is not None or filters.status == "serving":
        mandates = mandates.filter(serving_on(day or timezone.localdate()))
    elif filters.status == "ended":
        mandates = mandates.filter(ends_on__isnull=False, ends_on__lte=day or timezone.localdate())
    people = scoped(Person, user, VIEW).select_related("township")
    if filters.township is not None:
        people = people.filter(township=filters.township)
    people = people.filter(Exists(mandates.filter(person=OuterRef("pk"))))
    people = search_people(people, filters.query)
    shown = mandates.select_related("group", "station", "term").order_by("level", "-starts_on")
    people = people.prefetch_related(Prefetch("mandates", queryset=shown, to_attr="shown_mandates"))
    if filters.order == "pinyin":
        return people.order_by("name_pinyin", "name_stroke_key", "pk")
    return people.order_by("name_stroke_key", "full_name", "pk")


def roster_count_by_township(user, day: date) -> QuerySet:
    return (
        roster_as_of(user, day)
        .values("person__township__name")
        .annotate(count=Count("pk"))
        .order_by("person__township__name")
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def composition_measures(day: date) -> list[tuple[str, str, Q]]:
    """(key, label, condition) of every count the composition report shows."""
    from django.utils.translation import gettext as _

    from .models import Education, Party

    democratic = [p for p in Party if p not in COMMUNIST and p not in {Party.CYL, Party.NON_PARTISAN, Party.MASSES}]
    measures = [
        ("worker_farmer", _("Workers and farmers"), COMPOSITION_FILTERS["worker_farmer"]),
        ("technical", _("Professional or technical staff"), COMPOSITION_FILTERS["technical"]),
        ("leading_cadre", _("Leading cadres"), COMPOSITION_FILTERS["leading_cadre"]),
        ("women", _("Women"), COMPOSITION_FILTERS["women"]),
        ("minority", _("Ethnic minorities"), COMPOSITION_FILTERS["minority"]),
        ("reelected", _("Re-elected"), COMPOSITION_FILTERS["reelected"]),
        ("non_communist", _("Not members of the Communist Party"), COMPOSITION_FILTERS["non_communist"]),
        ("returned_overseas", _("Returned overseas Chinese"), COMPOSITION_FILTERS["returned_overseas"]),
        ("age_35", _("Aged 35 or under"), Q(person__birth_date__gt=_years_before(day, 36))),
        (
            "age_36_50",
            _("Aged 36 to 50"),
            Q(person__birth_date__gt=_years_before(day, 51), person__birth_date__lte=_years_before(day, 36)),
        ),
        (
            "age_51_60",
            _("Aged 51 to 60"),
            Q(person__birth_date__gt=_years_before(day, 61), person__birth_date__lte=_years_before(day, 51)),
        ),
        ("age_61", _("Aged 61 or over"), Q(person__birth_date__lte=_years_before(day, 61))),
        ("cpc", _("Communist Party members"), Q(person__party__in=COMMUNIST)),
        ("democratic", _("Democratic parties"), Q(person__party__in=democratic)),
        ("no_party", _("No party"), Q(person__party__in=[Party.NON_PARTISAN, Party.MASSES, Party.CYL])),
        (
            "college_or_above",
            _("College education or above"),
            Q(person__education__in=[Education.POSTGRADUATE, Education.UNDERGRADUATE, Education.COLLEGE]),
        ),
    ]
    return measures


def composition(user, *, day: date, level: str = "") -> tuple[list[dict], dict, list[tuple[str, str]]]:
    """Per township and for all: counts and shares of each measure among the deputies serving on ``day``.

    Two aggregate queries whatever the number of deputies."""
    mandates = roster_as_of(user, day)
    if level:
        mandates = mandates.filter(level=level)
    measures = composition_measures(day)
    aggregates = {"total": Count("pk")}
    aggregates.update({key: Count("pk", filter=condition) for key, _label, condition in measures})
    per_township = list(
        mandates.values("person__township__name", "person__township__division_code")
        .annotate(**aggregates)
        .order_by("person__township__division_code", "person__township__name")
    )
    overall = mandates.aggregate(**aggregates)

    def with_shares(row: dict) -> dict:
        total = row["total"] or 0
        row["shares"] = [(row[key], round(100 * row[key] / total, 2) if total else 0.0) for key, _label, _c in measures]
        return row

    return (
        [with_shares(row) for row in per_township],
        with_shares(overall),
        [(key, label) for key, label, _c in measures],
    )


def leaderboard(user, *, year: int, quarter: int | None = None, township=None, group=None) -> QuerySet[Mandate]:
    """Mandates serving in the period, with their points in it, best first. One query per page.

    Quarterly boards leave out the yearly base: they show what was earned in the quarter."""
    from django.db.models import DecimalField, Sum, Value
    from django.db.models.functions import Coalesce

    from .contributions import BASE_KIND

    start = date(year, 1, 1) if quarter is None else date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter is None or quarter == 4 else date(year, 3 * quarter + 1, 1)
    condition = Q(point_entries__year=year)
    if quarter is not None:
        condition &= Q(point_entries__quarter=quarter) & ~Q(point_entries__kind=BASE_KIND)
    mandates = (
        scoped(Mandate, user, VIEW).filter(starts_on__lt=end).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
    )
    if township is not None:
        mandates = mandates.filter(person__township=township)
    if group is not None:
        mandates = mandates.filter(group=group)
    return (
        mandates.select_related("person__township", "group")
        .annotate(
            total=Coalesce(
                Sum("point_entries__points", filter=condition),
                Value(0),
                output_field=DecimalField(max_digits=9, decimal_places=1),
            )
        )
        .order_by("-total", "person__name_stroke_key", "pk")
    )


def own_points(mandate: Mandate, today: date) -> dict:
    """A deputy's totals this year and this quarter (the quarter without the yearly base)."""
    from django.db.models import Sum

    from .contributions import BASE_KIND

    quarter = (today.month - 1) // 3 + 1
    entries = mandate.point_entries.filter(year=today.year)
    totals = entries.aggregate(
        year=Sum("points"), quarter=Sum("points", filter=Q(quarter=quarter) & ~Q(kind=BASE_KIND))
    )
    return {"year": totals["year"] or 0, "quarter": totals["quarter"] or 0, "quarter_number": quarter}
