"""How often each deputy group meets (domain.md §7): the group activities held per quarter of a
year, and the groups below the set minimum (RENDA_GROUP_ACTIVITIES_PER_QUARTER) in a quarter that
has begun — "silent" groups. One query for the groups, one aggregate for the activities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth

from renda.organisations.models import DeputyGroup, Township

from . import rules
from .models import Activity, ActivityCategory, ActivityState

QUARTERS = (1, 2, 3, 4)


def quarter_begun(year: int, quarter: int, today: date) -> bool:
    """A past quarter, or the current one (a quarter still ahead is not judged)."""
    return (year, quarter) <= (today.year, rules.quarter_of(today))


@dataclass
class QuarterCount:
    quarter: int
    held: int
    judged: bool

    @property
    def silent(self) -> bool:
        return self.judged and rules.group_is_silent(self.held)


@dataclass
class GroupYear:
    group: DeputyGroup
    quarters: list[QuarterCount]

    @property
    def total(self) -> int:
        return sum(quarter.held for quarter in self.quarters)

    @property
    def silent_quarters(self) -> int:
        return sum(1 for quarter in self.quarters if quarter.silent)

    def silent_in(self, quarter: int) -> bool:
        return self.quarters[quarter - 1].silent


def groups_year(groups: QuerySet[DeputyGroup], year: int, today: date) -> list[GroupYear]:
    """Each active group (already scoped) with its group activities held per quarter of ``year``."""
    chosen = list(groups.filter(is_active=True).select_related("township").order_by("township__name", "name_order"))
    rows = (
        Activity.objects.unscoped()  # the groups were read through the scope; these are their activities
        .filter(
            group__in=[group.pk for group in chosen],
            category=ActivityCategory.GROUP,
            state=ActivityState.HELD,
            starts_at__year=year,
        )
        .annotate(month=ExtractMonth("starts_at"))
        .values("group", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        counts[row["group"]][(row["month"] - 1) // 3] += row["n"]
    return [
        GroupYear(
            group,
            [
                QuarterCount(quarter, counts[group.pk][quarter - 1], quarter_begun(year, quarter, today))
                for quarter in QUARTERS
            ],
        )
        for group in chosen
    ]


@dataclass
class TownshipGroups:
    township: Township
    groups: int = 0
    silent_now: int = 0
    silent_quarters: int = 0
    held: int = 0


@dataclass
class CountyGroups:
    year: int
    quarter: int
    townships: list[TownshipGroups] = field(default_factory=list)


def county_groups(townships: QuerySet[Township], groups: QuerySet[DeputyGroup], year: int, today: date) -> CountyGroups:
    """Per township: its groups, those silent in the current quarter (or the year's last, for a past
    year), the silent group-quarters of the year and the group activities held."""
    rows = {township.pk: TownshipGroups(township) for township in townships}
    quarter = rules.quarter_of(today) if year == today.year else 4
    for row in groups_year(groups.filter(township__in=townships), year, today):
        total = rows.get(row.group.township_id)
        if total is None:
            continue
        total.groups += 1
        total.held += row.total
        total.silent_quarters += row.silent_quarters
        total.silent_now += int(row.silent_in(quarter))
    return CountyGroups(year, quarter, list(rows.values()))


def silent_now(groups: QuerySet[DeputyGroup], today: date) -> list[GroupYear]:
    """The groups silent in the current quarter (the staff's home card)."""
    quarter = rules.quarter_of(today)
    return [row for row in groups_year(groups, today.year, today) if row.silent_in(quarter)]
