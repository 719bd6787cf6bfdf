"""Reads for deputies, always through the user's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from renda.accounts.scoping import VIEW, scoped

from . import contributions
from .models import COMMUNIST, HAN, Gender, Mandate, MandateLevel, Person, PointEntry, PointRule

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
    status: str = "serving"  # serving | ended | all | none (people without a mandate)
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
    # The status is read as of the chosen day: serving then, ended by then, or any mandate begun by then.
    day = filters.as_of or today or timezone.localdate()
    if filters.status == "ended":
        mandates = mandates.filter(ends_on__isnull=False, ends_on__lte=day)
    elif filters.status == "all":
        if filters.as_of is not None:
            mandates = mandates.filter(starts_on__lte=day)
    else:
        mandates = mandates.filter(serving_on(day))
    people = scoped(Person, user, VIEW).select_related("township")
    if filters.township is not None:
        people = people.filter(township=filters.township)
    if filters.status == "none":
        # Saved without a mandate (or before one was recorded): on no congress's roster, but findable.
        people = people.filter(~Exists(scoped(Mandate, user, VIEW).filter(person=OuterRef("pk"))))
    else:
        people = people.filter(Exists(mandates.filter(person=OuterRef("pk"))))
    people = search_people(people, filters.query)
    shown = mandates.select_related("group", "station", "term").order_by("level", "-starts_on")
    people = people.prefetch_related(Prefetch("mandates", queryset=shown, to_attr="shown_mandates"))
    if filters.order == "pinyin":
        return people.order_by("name_pinyin_key", "name_stroke_key", "pk")
    return people.order_by("name_stroke_key", "full_name", "pk")


def serving_counts(user, day: date) -> dict[int, dict[str, int]]:
    """The one count of serving deputies, per township (the one keeping the person's record):
    ``people`` with a mandate serving on ``day`` (the roster's default list), of them the
    ``township`` congress's own deputies and the ``county`` congress's deputies living there.
    A congress counts people; a person holds at most one serving mandate of a level, so the same
    number is its count of mandates. Home, roster, composition and the API all read it here."""
    rows = (
        roster_as_of(user, day)
        .order_by()
        .values("person__township")
        .annotate(
            people=Count("person", distinct=True),
            township=Count("person", distinct=True, filter=Q(level=MandateLevel.TOWNSHIP)),
            county=Count("person", distinct=True, filter=Q(level=MandateLevel.COUNTY)),
        )
    )
    return {row.pop("person__township"): row for row in rows}


EMPTY_COUNTS = {"people": 0, "township": 0, "county": 0}


def serving_totals(counts: dict[int, dict[str, int]]) -> dict[str, int]:
    """The sum of ``serving_counts`` over the townships."""
    return {key: sum(count[key] for count in counts.values()) for key in EMPTY_COUNTS}


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


def composition(
    user, *, day: date, level: str = MandateLevel.TOWNSHIP
) -> tuple[list[dict], dict, list[tuple[str, str]]]:
    """One congress's composition (``level``: township or county) on ``day``: per township and for
    all, counts and shares of each measure among its serving deputies. A township congress's rows
    count its own deputies; the county deputies living in the township are given apart
    (``county_residents``), never mixed in. Three aggregate queries whatever the number of deputies."""
    mandates = roster_as_of(user, day).filter(level=level)
    measures = composition_measures(day)
    aggregates = {"total": Count("person", distinct=True)}
    aggregates.update({key: Count("pk", filter=condition) for key, _label, condition in measures})
    per_township = list(
        mandates.values("person__township", "person__township__name", "person__township__division_code")
        .annotate(**aggregates)
        .order_by("person__township__division_code", "person__township__name")
    )
    overall = mandates.aggregate(**aggregates)
    counts = serving_counts(user, day)

    def with_shares(row: dict) -> dict:
        total = row["total"] or 0
        row["shares"] = [(row[key], round(100 * row[key] / total, 2) if total else 0.0) for key, _label, _c in measures]
        return row

    for row in per_township:
        row["county_residents"] = counts.get(row["person__township"], EMPTY_COUNTS)["county"]
    overall["county_residents"] = serving_totals(counts)["county"]
    return (
        [with_shares(row) for row in per_township],
        with_shares(overall),
        [(key, label) for key, label, _c in measures],
    )


def _period(year: int, quarter: int | None) -> tuple[date, date]:
    start = date(year, 1, 1) if quarter is None else date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter is None or quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


def leaderboard(
    user,
    *,
    year: int,
    quarter: int | None = None,
    level: str = MandateLevel.TOWNSHIP,
    township=None,
    group=None,
) -> QuerySet[Person]:
    """One congress's board: each person serving in it during the period once, with the points
    their mandates of that level earned in the period, best first. A person who is also a deputy
    of another congress is on that congress's board too, never twice on one. One query per page.

    Each row carries ``total``, ``mandate_uuid`` (the person's latest mandate of the level, whose
    points page explains the total) and ``group_name``. Quarterly boards leave out the yearly base:
    they show what was earned in the quarter."""
    from .contributions import BASE_KIND

    start, end = _period(year, quarter)
    mandates = (
        scoped(Mandate, user, VIEW)
        .filter(level=level, starts_on__lt=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
    )
    if township is not None:
        mandates = mandates.filter(person__township=township)
    if group is not None:
        mandates = mandates.filter(group=group)
    # Each mandate's points of the period first, read by the ledger's index on mandate and year, then
    # the person's sum over their mandates of the level: correlated with the person (and filtered by
    # the county's scope) the entries were read through the county-and-year index, every entry of
    # the county's year once per person. The people are scoped, and a mandate's entries are in the
    # same county, township and ownership as its person.
    entries = PointEntry.objects.unscoped().filter(mandate=OuterRef("pk"), year=year)
    if quarter is not None:
        entries = entries.filter(quarter=quarter).exclude(kind=BASE_KIND)
    points = entries.order_by().values("mandate").annotate(sum=Sum("points")).values("sum")
    total = (
        Mandate.objects.unscoped()
        .filter(person=OuterRef("pk"), level=level)
        .annotate(points=Subquery(points))
        .order_by()
        .values("person")
        .annotate(sum=Sum("points"))
        .values("sum")
    )
    latest = mandates.filter(person=OuterRef("pk")).order_by("-starts_on", "-pk")
    return (
        scoped(Person, user, VIEW)
        .filter(Exists(mandates.filter(person=OuterRef("pk"))))
        .select_related("township")
        .annotate(
            total=Coalesce(Subquery(total), Value(0), output_field=DecimalField(max_digits=9, decimal_places=1)),
            mandate_uuid=Subquery(latest.values("uuid")[:1]),
            group_name=Subquery(latest.values("group__name")[:1]),
        )
        .order_by("-total", "name_stroke_key", "pk")
    )


def own_points(mandate: Mandate, today: date) -> dict:
    """A deputy's totals this year and this quarter (the quarter without the yearly base)."""
    from .contributions import BASE_KIND

    quarter = (today.month - 1) // 3 + 1
    entries = mandate.point_entries.filter(year=today.year)
    totals = entries.aggregate(
        year=Sum("points"), quarter=Sum("points", filter=Q(quarter=quarter) & ~Q(kind=BASE_KIND))
    )
    return {"year": totals["year"] or 0, "quarter": totals["quarter"] or 0, "quarter_number": quarter}


@dataclass
class KindSubtotal:
    """The entries of one kind of record in one year: how many, what the rule gave, what counts."""

    kind: str
    label: str
    count: int = 0
    rule_points: Decimal = Decimal(0)
    points: Decimal = Decimal(0)
    cut_by_cap: Decimal = Decimal(0)  # what the yearly cap left out (a positive number)
    corrected: Decimal = Decimal(0)  # what accepted contests changed (signed)


@dataclass
class YearExplained:
    year: int
    base: Decimal = Decimal(0)
    kinds: list[KindSubtotal] = field(default_factory=list)
    total: Decimal = Decimal(0)

    @property
    def earned(self) -> list[KindSubtotal]:
        return [kind for kind in self.kinds if kind.rule_points >= 0]

    @property
    def deducted(self) -> list[KindSubtotal]:
        return [kind for kind in self.kinds if kind.rule_points < 0]


def points_explained(entries) -> list[YearExplained]:
    """How each yearly total is made, newest year first: the yearly base, then per kind of record
    the number of records, the points the rules gave and what counts after caps and contests."""
    from .contributions import BASE_KIND, label_of

    years: dict[int, YearExplained] = {}
    subtotals: dict[tuple[int, str], KindSubtotal] = {}
    for entry in sorted(entries, key=lambda e: (e.year, e.kind)):
        year = years.setdefault(entry.year, YearExplained(year=entry.year))
        year.total += entry.points
        if entry.kind == BASE_KIND:
            year.base += entry.points
            continue
        key = (entry.year, entry.kind)
        if key not in subtotals:
            subtotals[key] = KindSubtotal(kind=entry.kind, label=label_of(entry.kind))
            year.kinds.append(subtotals[key])
        subtotal = subtotals[key]
        subtotal.count += 1
        subtotal.rule_points += entry.rule_points
        subtotal.points += entry.points
        if entry.contest_id is not None:
            subtotal.corrected += entry.points - entry.rule_points
        elif entry.capped:
            subtotal.cut_by_cap += abs(entry.rule_points - entry.points)
    return sorted(years.values(), key=lambda year: -year.year)


def point_rule_default(*, county, kind_code: str) -> PointRule:
    """An unsaved rule for a declared kind of record at its default amount (blank for an unknown kind)."""
    kind = contributions.get(kind_code)
    return PointRule(county=county, kind=kind.code, amount=kind.default_points) if kind else PointRule(county=county)


def point_rules(user) -> list[PointRule]:
    """The rules the user reads, then, for each declared kind the county has no rule for yet, an
    unsaved rule at its default amount: the one the next recomputation puts in force. Showing it
    rather than creating it keeps reading the rules free of writes."""
    rules = list(scoped(PointRule, user, VIEW).select_related("county").order_by("kind"))
    saved = {rule.kind for rule in rules}
    defaults = [PointRule(kind=kind.code, amount=kind.default_points) for kind in contributions.kinds()]
    return rules + [rule for rule in defaults if rule.kind not in saved]
