"""Reads of the annual plans: plan versus done, counted from the held activities linked to each
item (never typed), per plan and across the county's townships; and the study attendance of a
township's deputies. Each figure costs one aggregate query per table, whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import Count, Q, QuerySet

from renda.organisations.models import Township

from .models import Activity, ActivityCategory, ActivityState, Participant, ParticipantStatus, PlanItem, WorkPlan
from .rules import percent


def month_passed(year: int, month: int | None, today: date) -> bool:
    """Whether the month an item is due by is over."""
    return month is not None and (today.year, today.month) > (year, month)


@dataclass
class ItemProgress:
    item: PlanItem
    done: int
    year: int
    today: date

    @property
    def planned(self) -> int:
        return self.item.target_count

    @property
    def to_do(self) -> int:
        return max(self.planned - self.done, 0)

    @property
    def overdue(self) -> bool:
        return self.to_do > 0 and month_passed(self.year, self.item.due_month, self.today)


@dataclass
class PlanProgress:
    plan: WorkPlan
    items: list[ItemProgress]

    @property
    def planned(self) -> int:
        return sum(row.planned for row in self.items)

    @property
    def done(self) -> int:
        # An item done more often than planned does not make up for another left undone.
        return sum(min(row.done, row.planned) for row in self.items)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.items if row.overdue)

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.done, self.planned) if self.planned else None

    @property
    def share_text(self) -> str:
        return percent(self.share)


def held_counts(items: QuerySet[PlanItem]) -> dict[int, int]:
    """{item id: held activities linked to it}, in one aggregate query. The items were read
    through the scope; their activities are counted whoever organised them (a joint activity too)."""
    rows = (
        Activity.objects.unscoped()
        .filter(plan_item__in=items.values("pk"), state=ActivityState.HELD)
        .values("plan_item")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["plan_item"]: row["n"] for row in rows}


def plan_progress(plan: WorkPlan, today: date) -> PlanProgress:
    items = list(plan.items.all())
    counts = held_counts(plan.items.all())
    return PlanProgress(plan, [ItemProgress(item, counts.get(item.pk, 0), plan.year, today) for item in items])


@dataclass
class TownshipYear:
    township: Township
    plans: int = 0
    items: int = 0
    planned: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def share_text(self) -> str:
        return percent(Fraction(self.done, self.planned) if self.planned else None)


@dataclass
class CountyYear:
    year: int
    townships: list[TownshipYear] = field(default_factory=list)

    @property
    def total(self) -> TownshipYear:
        total = TownshipYear(township=None)  # type: ignore[arg-type]
        for row in self.townships:
            for name in ("plans", "items", "planned", "done", "overdue"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def county_year(townships: QuerySet[Township], items: QuerySet[PlanItem], year: int, today: date) -> CountyYear:
    """Per township (already scoped): its plans' items for ``year``, planned, done and overdue.
    ``items`` are the plan items the user reads; one query for the items, one for the counts."""
    chosen = items.filter(plan__year=year, plan__township__in=townships).select_related("plan")
    rows = {township.pk: TownshipYear(township) for township in townships}
    counts = held_counts(chosen)
    plans: dict[int, set[int]] = defaultdict(set)
    for item in chosen:
        row = rows.get(item.plan.township_id)
        if row is None:
            continue
        progress = ItemProgress(item, counts.get(item.pk, 0), year, today)
        plans[row.township.pk].add(item.plan_id)
        row.items += 1
        row.planned += progress.planned
        row.done += min(progress.done, progress.planned)
        row.overdue += int(progress.overdue)
    for pk, ids in plans.items():
        rows[pk].plans = len(ids)
    return CountyYear(year, list(rows.values()))


def linkable_activities(activities: QuerySet[Activity], item: PlanItem) -> QuerySet[Activity]:
    """The township's activities (from the user's scope) that may be linked to ``item``: of the
    plan's year, not cancelled, not linked to it already."""
    return (
        activities.filter(township=item.plan.township_id, starts_at__year=item.plan.year)
        .exclude(state=ActivityState.CANCELLED)
        .exclude(plan_item=item)
        .order_by("starts_at")
    )


# ---------------------------------------------------------------- study attendance


@dataclass
class DeputyStudy:
    name: str
    marks: list[str]
    present: int = 0
    leave: int = 0
    absent: int = 0


@dataclass
class StudyYear:
    activities: list[Activity]
    deputies: list[DeputyStudy]


def study_attendance(activities: QuerySet[Activity], township: Township, year: int) -> StudyYear:
    """The study sessions held in ``year`` by the township (or with it taking part), each deputy's
    attendance at each, and per deputy the counts. Two queries."""
    held = list(
        activities.filter(category=ActivityCategory.STUDY, state=ActivityState.HELD, starts_at__year=year)
        .filter(Q(township=township) | Q(townships=township))
        .distinct()
        .order_by("starts_at", "pk")
    )
    index = {activity.pk: number for number, activity in enumerate(held)}
    participants = (
        Participant.objects.unscoped()
        # A joint session's deputies of the other townships are theirs to count.
        .filter(activity__in=[activity.pk for activity in held], mandate__person__township=township)
        .select_related("mandate__person")
        .order_by("mandate__person__full_name", "pk")
    )
    deputies: dict[int, DeputyStudy] = {}
    for row in participants:
        deputy = deputies.setdefault(
            row.mandate_id, DeputyStudy(name=row.mandate.person.full_name, marks=[""] * len(held))
        )
        deputy.marks[index[row.activity_id]] = row.status
        if row.status == ParticipantStatus.PRESENT:
            deputy.present += 1
        elif row.status == ParticipantStatus.LEAVE:
            deputy.leave += 1
        elif row.status == ParticipantStatus.ABSENT:
            deputy.absent += 1
    return StudyYear(held, list(deputies.values()))
