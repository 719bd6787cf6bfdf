"""Reception days (接待选民日, domain.md §5): a station's schedule (every Wednesday; the 9th and 19th),
the days planned from it with the deputies on duty, announced ``RENDA_RECEPTION_NOTICE_DAYS`` ahead
with place and deputies, and the record of each day held. The opinions received on a day become
citizens' opinions (cases) of the station, received on that day."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.scopes import Scope, ScopedModel

from .cases import CASE_EDITORS

# A weekday after "every week on" (每周三: 三), Monday first as ISO numbers them.
WEEKDAY_IN_A_WEEK = tuple(
    pgettext_lazy("weekday after 'every week on'", name)
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every week, on given weekdays")
    MONTHLY = "monthly", _("Every month, on given days")


class ReceptionSchedule(ScopedModel, UUIDModel, TimeStampedModel):
    """When a station receives voters: weekly on ``days`` (ISO weekdays, 1 = Monday) or monthly on
    ``days`` (days of the month; a day a month lacks, e.g. the 31st, is skipped that month)."""

    station = models.ForeignKey(
        "organisations.Station",
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="reception_schedules",
    )
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices)
    days = models.JSONField(_("days"), default=list)
    place = models.CharField(_("place"), max_length=200, blank=True)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active to"), null=True, blank=True)

    # Deputies read the schedules of the stations they are attached to.
    scope = Scope(
        county="station__township__county",
        township="station__township",
        owner="station__mandates__person__user",
        editors=CASE_EDITORS,
    )

    class Meta:
        ordering = ["station", "-active_from"]
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")

    def __str__(self) -> str:
        return f"{self.station} {self.describe()}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.station.township.county_id, self.station.township_id

    def describe(self) -> str:
        """In words, as a notice says it: 每周三; 每月9日、19日."""
        numbers = sorted(int(day) for day in self.days)
        if self.recurrence == Recurrence.WEEKLY:
            names = "、".join(str(WEEKDAY_IN_A_WEEK[day - 1]) for day in numbers if 1 <= day <= 7)
            return gettext("every week on %(days)s") % {"days": names}
        days = "、".join(gettext("day %(day)d of the month") % {"day": day} for day in numbers)
        return gettext("every month on %(days)s") % {"days": days}

    def covers(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)

    def falls_on(self, day: dt.date) -> bool:
        if not self.covers(day):
            return False
        numbers = {int(number) for number in self.days}
        if self.recurrence == Recurrence.WEEKLY:
            return day.isoweekday() in numbers
        return day.day in numbers


class ReceptionState(models.TextChoices):
    PLANNED = "planned", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ReceptionDay(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """One reception day at a station: where, who is on duty, and (once held) what happened."""

    station = models.ForeignKey(
        "organisations.Station", verbose_name=_("station"), on_delete=models.CASCADE, related_name="reception_days"
    )
    schedule = models.ForeignKey(
        ReceptionSchedule,
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_days",
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    deputies = models.ManyToManyField(
        "deputies.Mandate", verbose_name=_("deputies on duty"), blank=True, related_name="reception_days"
    )
    notice_on = models.DateField(_("to be announced by"))
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReceptionState.choices, default=ReceptionState.PLANNED)
    summary = models.TextField(_("record of the day"), max_length=5000, blank=True)
    visitors = models.PositiveIntegerField(_("number of visitors"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    scope = Scope(
        county="station__township__county",
        township="station__township",
        owner="deputies__person__user",
        editors=CASE_EDITORS,
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="reception_day_once_per_station")]
        indexes = [models.Index(fields=["date", "state"], name="reception_day_date_state")]

    def __str__(self) -> str:
        return f"{self.station} {self.date.isoformat()}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.station.township.county_id, self.station.township_id

    def notice_late(self, today: dt.date) -> bool:
        """A planned day whose notice was (or can only be) given less than the notice period ahead."""
        if self.state != ReceptionState.PLANNED:
            return False
        if self.announced_on is not None:
            return self.announced_on > self.notice_on
        return today > self.notice_on
