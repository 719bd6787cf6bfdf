"""Reads of the activity pages: the list with its filters, the activity with what its page shows,
the buttons a user gets, the deputies on offer and the home cards. Every read goes through the
scope; each returns in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.organisations.models import DeputyGroup, Station, Township

from . import permissions as may
from . import services
from .models import Activity, ActivityState, ActivityType, Participant, ParticipantStatus

HOME_DAYS = 14
HOME_CARD_ROWS = 8
LIST_RELATED = ("township", "type", "group")


@dataclass(frozen=True)
class ActivityFilters:
    township: Township | None = None
    category: str = ""
    type: ActivityType | None = None
    state: str = ""
    year: int | None = None
    month: int | None = None
    group: DeputyGroup | None = None


def activity_list(user: Any, filters: ActivityFilters) -> QuerySet[Activity]:
    rows = scoped(Activity, user, VIEW).select_related(*LIST_RELATED).prefetch_related("townships")
    if filters.township is not None:
        joint = Activity.townships.through.objects.filter(township=filters.township).values("activity_id")
        rows = rows.filter(Q(township=filters.township) | Q(pk__in=joint))
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.type is not None:
        rows = rows.filter(type=filters.type)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.year:
        rows = rows.filter(starts_at__gte=_day_start(date(filters.year, 1, 1)))
        rows = rows.filter(starts_at__lt=_day_start(date(filters.year + 1, 1, 1)))
        if filters.month:
            first = date(filters.year, filters.month, 1)
            following = date(filters.year + (filters.month == 12), filters.month % 12 + 1, 1)
            rows = rows.filter(starts_at__gte=_day_start(first), starts_at__lt=_day_start(following))
    elif filters.month:
        rows = rows.filter(starts_at__month=filters.month)
    if filters.group is not None:
        rows = rows.filter(group=filters.group)
    return rows.annotate(invited=Count("participants", distinct=True)).order_by("-starts_at", "-id")


def activity_years(user: Any) -> list[int]:
    years = set(
        scoped(Activity, user, VIEW).annotate(year=ExtractYear("starts_at")).values_list("year", flat=True).distinct()
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def filter_choices(user: Any) -> dict[str, QuerySet]:
    return {
        "townships": scoped(Township, user, VIEW).order_by("division_code", "name"),
        "types": county_types(user).order_by("county", "order", "id"),
        "groups": scoped(DeputyGroup, user, VIEW).select_related("township").order_by("township", "name"),
    }


def activity_for_page(user: Any, uuid: Any) -> Activity:
    return get_scoped_or_404(
        Activity.objects.select_related("county", "township", "type", "group", "station", "plan_item"),
        user,
        VIEW,
        uuid=uuid,
    )


def planning_townships(user: Any) -> QuerySet[Township]:
    return scoped(Township, user, VIEW).filter(county__isnull=False).order_by("division_code", "name")


def township_parts(user: Any, townships: QuerySet[Township]) -> tuple[QuerySet[DeputyGroup], QuerySet[Station]]:
    groups = (
        scoped(DeputyGroup, user, VIEW)
        .filter(township__in=townships)
        .select_related("township")
        .order_by("township", "name")
    )
    stations = (
        scoped(Station, user, VIEW)
        .filter(township__in=townships)
        .select_related("township")
        .order_by("township", "name")
    )
    return groups, stations


def county_types(user: Any) -> QuerySet[ActivityType]:
    """The types of the counties of the townships the user sees (a type is the county's: township
    staff and deputies read them through their township)."""
    counties = scoped(Township, user, VIEW).values("county_id")
    return ActivityType.objects.unscoped().filter(county__in=counties)


def plan_types(user: Any) -> QuerySet[ActivityType]:
    return county_types(user).filter(active=True).order_by("order", "id")


@dataclass(frozen=True)
class Controls:
    """What the user may do on an activity's page."""

    runs: bool = False
    edit: bool = False
    cancel: bool = False
    invite: bool = False
    notify: bool = False
    held: bool = False
    minutes: bool = False
    signin: bool = False


def controls(user: Any, activity: Activity) -> Controls:
    if not may.may_run_activity(user, activity):
        return Controls()
    preparing = activity.state in services.PREPARING
    return Controls(
        runs=True,
        edit=preparing,
        cancel=preparing,
        invite=preparing,
        notify=preparing,
        held=preparing and activity.starts_at <= timezone.now(),
        minutes=activity.state != ActivityState.CANCELLED,
        signin=preparing,
    )


def participants_of(user: Any, activity: Activity) -> list[Participant]:
    return list(
        scoped(Participant, user, VIEW)
        .filter(activity=activity)
        .select_related("mandate__person__township")
        .order_by("mandate__person__name_stroke_key", "id")
    )


def participant_counts(rows: list[Participant]) -> dict[str, int]:
    counts = dict.fromkeys(ParticipantStatus.values, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def participant_choices(activity: Activity) -> QuerySet:
    return services.eligible_deputies(activity).select_related("person__township")


# ---------------------------------------------------------------- home cards


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def home_staff(user: Any) -> dict:
    """The next 14 days' activities, the notices late or not sent, the held ones without minutes."""
    today = timezone.localdate()
    rows = scoped(Activity, user, VIEW).select_related("township")
    start, horizon = _day_start(today), _day_start(today + timedelta(days=HOME_DAYS + 1))
    due = _day_start(today + timedelta(days=_notice_days() + 1))
    # One read for both lists: the soonest coming activities, among which the notices due soonest.
    soon = list(
        rows.filter(state__in=services.PREPARING, starts_at__gte=start, starts_at__lt=max(horizon, due)).order_by(
            "starts_at", "id"
        )[: 5 * HOME_CARD_ROWS]
    )
    coming = [activity for activity in soon if activity.starts_at < horizon][:HOME_CARD_ROWS]
    unsent = [a for a in soon if a.notice_sent_at is None and a.starts_at < due][:HOME_CARD_ROWS]
    for activity in unsent:
        activity.notice_late = services.notice_check(activity).due_by < today  # type: ignore[attr-defined]
    no_minutes = list(rows.filter(state=ActivityState.HELD, minutes="").order_by("-starts_at", "-id")[:HOME_CARD_ROWS])
    return {"coming": coming, "unsent": unsent, "no_minutes": no_minutes, "days": HOME_DAYS}


def _notice_days() -> int:
    from django.conf import settings

    return settings.RENDA_ACTIVITY_NOTICE_DAYS


def home_deputy(user: Any) -> dict:
    """The activities the deputy is invited to in the coming days, with the leave and sign-in links."""
    today = timezone.localdate()
    rows = (
        scoped(Participant, user, VIEW)
        .filter(
            activity__state__in=services.PREPARING,
            activity__ends_at__gte=timezone.now(),
            activity__starts_at__lt=_day_start(today + timedelta(days=HOME_DAYS + 1)),
            mandate__person__user=user,
        )
        .select_related("activity")
        .order_by("activity__starts_at", "id")
    )
    return {"invitations": list(rows[:HOME_CARD_ROWS]), "days": HOME_DAYS}
