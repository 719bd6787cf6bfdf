"""Reception days (接待选民日): services and selectors.

Services take keyword arguments and the acting user, check the named permission, run in one
transaction and write their audit entry in it; errors are ``ValidationError`` (per field, in
Chinese) and ``PermissionDenied``. Planning from a schedule is idempotent: a date that already
has a day (planned, held or cancelled) is left as it is.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, can

from . import services
from .models import Case, CaseSource, ReceptionDay, ReceptionSchedule, ReceptionState, Recurrence

if TYPE_CHECKING:
    from renda.accounts.models import User
    from renda.deputies.models import Mandate
    from renda.organisations.models import Station


def _today() -> dt.date:
    return timezone.localdate()


def _require_staff(actor: Any, obj: Any) -> None:
    """The staff of the row's township; ``actor`` None is the system (the demo, a command)."""
    if actor is not None:
        require(can(actor, CHANGE, obj))


def notice_on(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=settings.RENDA_RECEPTION_NOTICE_DAYS)


# ---------------------------------------------------------------- schedules


def parse_days(recurrence: str, text: str) -> list[int]:
    """ "3" or "1,3" (weekdays 1-7) / "9,19" or "9、19" (days of the month 1-31); ValidationError if not."""
    parts = [
        part for part in str(text or "").replace("、", ",").replace("，", ",").replace(" ", ",").split(",") if part
    ]
    highest = 7 if recurrence == Recurrence.WEEKLY else 31
    try:
        numbers = sorted({int(part) for part in parts})
    except ValueError:
        numbers = []
    if not numbers or any(not 1 <= number <= highest for number in numbers):
        if recurrence == Recurrence.WEEKLY:
            message = _("Give the weekdays as numbers from 1 (Monday) to 7 (Sunday), e.g. 3 or 1,3.")
        else:
            message = _("Give the days of the month as numbers from 1 to 31, e.g. 9,19.")
        raise ValidationError({"days": message})
    return numbers


@transaction.atomic
def schedule_save(
    *,
    station: Station,
    actor: User | None,
    recurrence: str,
    days: Sequence[int],
    place: str = "",
    active_from: dt.date,
    active_to: dt.date | None = None,
    schedule: ReceptionSchedule | None = None,
) -> ReceptionSchedule:
    """Create (``schedule`` None) or change a station's reception schedule."""
    _require_staff(actor, station)
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Choose how often the station receives voters.")})
    if active_to is not None and active_to < active_from:
        raise ValidationError({"active_to": _("The end cannot be before the start.")})
    parse_days(recurrence, ",".join(str(day) for day in days))
    schedule = schedule or ReceptionSchedule(station=station)
    creating = schedule.pk is None
    schedule.recurrence, schedule.days = recurrence, sorted({int(day) for day in days})
    schedule.place, schedule.active_from, schedule.active_to = (place or "").strip(), active_from, active_to
    schedule.save()
    audit.record(
        "casework.reception.schedule_create" if creating else "casework.reception.schedule_update",
        actor=actor,
        target=schedule,
        data={"schedule": schedule.describe()},
    )
    return schedule


def dates_of(schedule: ReceptionSchedule, first: dt.date, last: dt.date) -> list[dt.date]:
    """The schedule's dates from ``first`` to ``last`` inclusive."""
    wanted = {int(day) for day in schedule.days}
    found: list[dt.date] = []
    if schedule.recurrence == Recurrence.WEEKLY:
        day = first
        while day <= last:
            if day.isoweekday() in wanted and schedule.covers(day):
                found.append(day)
            day += dt.timedelta(days=1)
        return found
    year, month = first.year, first.month
    while dt.date(year, month, 1) <= last:
        length = calendar.monthrange(year, month)[1]
        for number in sorted(wanted):
            if number <= length:
                day = dt.date(year, month, number)
                if first <= day <= last and schedule.covers(day):
                    found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


@transaction.atomic
def plan_days(
    *, station: Station, actor: User | None, today: dt.date | None = None, weeks: int | None = None
) -> list[ReceptionDay]:
    """Plan the station's reception days of the coming ``weeks`` (``RENDA_RECEPTION_PLAN_WEEKS``)
    from its schedules; safe to run twice (existing dates are kept). Returns the days created.
    ``actor`` None: the demo or a command."""
    _require_staff(actor, station)
    today = today or _today()
    last = today + dt.timedelta(weeks=weeks or settings.RENDA_RECEPTION_PLAN_WEEKS)
    taken = set(ReceptionDay.objects.unscoped().filter(station=station, date__gte=today).values_list("date", flat=True))
    wanted: dict[dt.date, ReceptionSchedule] = {}
    for schedule in ReceptionSchedule.objects.unscoped().filter(station=station).order_by("active_from", "id"):
        for day in dates_of(schedule, today, last):
            if day not in taken:
                wanted[day] = schedule
    created = ReceptionDay.objects.bulk_create(
        ReceptionDay(
            station=station,
            schedule=schedule,
            date=day,
            place=schedule.place or station.address,
            notice_on=notice_on(day),
        )
        for day, schedule in sorted(wanted.items())
    )
    audit.record("casework.reception.plan", actor=actor, target=station, data={"days": len(created)})
    return created


# ---------------------------------------------------------------- one day


def _lock(day: ReceptionDay, version: int | None) -> ReceptionDay:
    fresh = ReceptionDay.objects.unscoped().select_for_update().select_related("station__township").get(pk=day.pk)
    if version is not None and fresh.version != version:
        from renda.core.locking import StaleEdit

        raise StaleEdit(StaleEdit.message)
    return fresh


def _check_deputies(station: Station, deputies: Iterable[Mandate], on: dt.date) -> list[Mandate]:
    chosen = list(dict.fromkeys(deputies))
    for mandate in chosen:
        if mandate.person.township.county_id != station.township.county_id or not mandate.serving_on(on):
            raise ValidationError({"deputies": _("Choose deputies of this county who serve on that day.")})
    return chosen


@transaction.atomic
def day_save(
    *,
    station: Station,
    actor: User | None,
    date: dt.date,
    place: str,
    deputies: Iterable[Mandate] = (),
    day: ReceptionDay | None = None,
    version: int | None = None,
) -> ReceptionDay:
    """Plan a day by hand, or change a planned day's date, place and deputies on duty."""
    _require_staff(actor, station)
    chosen = _check_deputies(station, deputies, date)
    if day is None:
        if ReceptionDay.objects.unscoped().filter(station=station, date=date).exists():
            raise ValidationError({"date": _("The station has a reception day on that date already.")})
        day = ReceptionDay.objects.create(station=station, date=date, place=place.strip(), notice_on=notice_on(date))
        event = "casework.reception.day_create"
    else:
        day = _lock(day, version)
        if day.state != ReceptionState.PLANNED:
            raise ValidationError({"date": _("Only a planned day can be changed.")})
        if ReceptionDay.objects.unscoped().filter(station=station, date=date).exclude(pk=day.pk).exists():
            raise ValidationError({"date": _("The station has a reception day on that date already.")})
        moved = day.date != date
        day.date, day.place = date, place.strip()
        fields = ["date", "place"]
        if moved:
            # A moved day is announced again.
            day.notice_on, day.announced_on = notice_on(date), None
            fields += ["notice_on", "announced_on"]
        day.save_versioned(expected_version=day.version, update_fields=fields)
        event = "casework.reception.day_update"
    day.deputies.set(chosen)
    audit.record(event, actor=actor, target=day, data={"date": date, "deputies": [str(m.person) for m in chosen]})
    return day


@transaction.atomic
def announce(*, station: Station, actor: User, today: dt.date | None = None) -> int:
    """Record that the notice of the station's coming planned days was published today."""
    require(can(actor, CHANGE, station))
    today = today or _today()
    days = list(
        ReceptionDay.objects.unscoped()
        .filter(station=station, state=ReceptionState.PLANNED, date__gte=today, announced_on__isnull=True)
        .prefetch_related("deputies__person__user")
        .order_by("date")
    )
    count = ReceptionDay.objects.unscoped().filter(pk__in=[d.pk for d in days]).update(announced_on=today)
    audit.record("casework.reception.announce", actor=actor, target=station, data={"days": count})
    _post_duty_notice(station, actor, days)
    return count


def _post_duty_notice(station: Station, actor: User, days: list[ReceptionDay]) -> None:
    """The duty on the notice board of the deputies on duty (one notice for the announced days)."""
    from django.urls import reverse

    from renda.notices import services as notices
    from renda.notices.models import NoticeKind

    users = {m.person.user_id: m.person.user for d in days for m in d.deputies.all() if m.person.user_id}
    if not users:
        return
    lines = [f"{d.date:%Y-%m-%d} {d.place or station.name}" for d in days]
    notices.post(
        actor,
        county=station.township.county,
        township=station.township,
        kind=NoticeKind.RECEPTION,
        title=_("Reception-day duty at %(station)s") % {"station": station.name},
        body="\n".join(lines),
        recipients=list(users.values()),
        link=reverse("casework:reception_day", args=[days[0].uuid]),
        source=station,
    )


@transaction.atomic
def record_day(
    *, day: ReceptionDay, actor: User | None, summary: str, visitors: int, version: int | None = None
) -> ReceptionDay:
    """The record of a day held: what happened and how many voters came."""
    _require_staff(actor, day)
    day = _lock(day, version)
    if day.state == ReceptionState.CANCELLED:
        raise ValidationError({"summary": _("A cancelled day has no record.")})
    if day.date > _today():
        raise ValidationError({"summary": _("A day can be recorded once it has come.")})
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Write what happened on the day.")})
    if visitors is None or visitors < 0:
        raise ValidationError({"visitors": _("Give the number of visitors.")})
    day.summary, day.visitors, day.state = summary.strip(), visitors, ReceptionState.HELD
    day.save_versioned(expected_version=day.version, update_fields=["summary", "visitors", "state"])
    audit.record("casework.reception.record", actor=actor, target=day, data={"visitors": visitors})
    return day


@transaction.atomic
def cancel_day(*, day: ReceptionDay, actor: User, reason: str, version: int | None = None) -> ReceptionDay:
    require(can(actor, CHANGE, day))
    day = _lock(day, version)
    if day.state != ReceptionState.PLANNED:
        raise ValidationError({"reason": _("Only a planned day can be cancelled.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    day.state, day.cancel_reason = ReceptionState.CANCELLED, reason.strip()[:200]
    day.save_versioned(expected_version=day.version, update_fields=["state", "cancel_reason"])
    audit.record("casework.reception.cancel", actor=actor, target=day, data={"reason": day.cancel_reason})
    return day


@dataclass
class OpinionRow:
    title: str
    content: str
    citizen_name: str = ""
    citizen_phone: str = ""


class OpinionsRefused(Exception):
    """Some rows were refused: nothing was filed. ``errors`` maps a row's index to its messages."""

    def __init__(self, errors: dict[int, list[str]]):
        self.errors = errors
        super().__init__(errors)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


def file_opinions(*, day: ReceptionDay, actor: User | None, rows: Sequence[OpinionRow]) -> list[Case]:
    """The opinions received on a day become citizens' opinions of the station, received that day.
    All or nothing: if any row is refused, none is filed and ``OpinionsRefused`` lists every bad row."""
    _require_staff(actor, day)
    if day.state == ReceptionState.CANCELLED:
        raise ValidationError(_("A cancelled day has no opinions."))
    if day.date > _today():
        raise ValidationError(_("Opinions can be recorded once the day has come."))
    errors: dict[int, list[str]] = {}
    cases: list[Case] = []
    with transaction.atomic():
        for index, row in enumerate(rows):
            try:
                with transaction.atomic():
                    cases.append(
                        services.file_case(
                            actor,
                            township=day.station.township,
                            source=CaseSource.CITIZEN_OPINION,
                            title=row.title or title_from(row.content),
                            content=row.content,
                            station=day.station,
                            citizen_name=row.citizen_name,
                            citizen_phone=row.citizen_phone,
                            received_on=day.date,
                            created_via="reception",
                        )
                    )
            except ValidationError as error:
                errors[index] = _messages(error)
        if errors:
            raise OpinionsRefused(errors)
        audit.record("casework.reception.opinions", actor=actor, target=day, data={"cases": len(cases)})
    return cases


def title_from(content: str, length: int = 20) -> str:
    """A title for an opinion given without one: the start of its first line."""
    first = (content or "").strip().splitlines()[0] if (content or "").strip() else ""
    return first[:length] + ("…" if len(first) > length else "")


# ---------------------------------------------------------------- reads


def opinions_of(day: ReceptionDay) -> QuerySet[Case]:
    """Citizens' opinions of the day's station received on the day (those the day's record filed,
    and any other the station received that day)."""
    return Case.objects.unscoped().filter(
        station_id=day.station_id, received_on=day.date, source=CaseSource.CITIZEN_OPINION
    )


def days_held_by(mandates: Sequence[Any], year: int) -> Counter:
    """{mandate id: number of reception days held in ``year`` with the deputy on duty}."""
    through = ReceptionDay.deputies.through
    rows = through.objects.filter(
        mandate_id__in=[mandate.pk for mandate in mandates],
        receptionday__state=ReceptionState.HELD,
        receptionday__date__year=year,
    ).values_list("mandate_id", flat=True)
    return Counter(rows)


def below_minimum(mandates: Sequence[Any], year: int) -> list[tuple[Any, int]]:
    """The deputies (with their count) who took fewer than ``RENDA_RECEPTION_DAYS_PER_DEPUTY`` days."""
    held = days_held_by(mandates, year)
    minimum = settings.RENDA_RECEPTION_DAYS_PER_DEPUTY
    return [(mandate, held.get(mandate.pk, 0)) for mandate in mandates if held.get(mandate.pk, 0) < minimum]


def serving_filter(today: dt.date):
    from django.db.models import Q

    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gt=today))


def stations_overview(user: Any, today: dt.date) -> QuerySet:
    """The stations the user may see, each with its next planned day and the days held this year."""
    from django.db.models import Count, Min, Q

    from renda.accounts.scoping import scoped
    from renda.organisations.models import Station

    return (
        scoped(Station, user)
        .filter(is_active=True)
        .select_related("township")
        .annotate(
            next_day=Min(
                "reception_days__date",
                filter=Q(reception_days__date__gte=today, reception_days__state=ReceptionState.PLANNED),
            ),
            held_this_year=Count(
                "reception_days",
                filter=Q(reception_days__date__year=today.year, reception_days__state=ReceptionState.HELD),
            ),
        )
        .order_by("township__name", "name_order")
    )


def duty_days(user: Any, today: dt.date, *, limit: int = 10) -> QuerySet[ReceptionDay]:
    """The coming planned days the user (a deputy) is on duty on."""
    from renda.accounts.scoping import scoped

    return (
        scoped(ReceptionDay, user)
        .filter(date__gte=today, state=ReceptionState.PLANNED)
        .select_related("station")
        .order_by("date")[:limit]
    )
