"""A period of days that figures are counted over: a calendar year, a year to date, or any range."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def year_to_date(cls, year: int, today: dt.date) -> Period:
        """The year up to ``today`` while it runs; the whole year once it is over."""
        whole = cls.year(year)
        return cls(whole.start, min(whole.end, today)) if whole.start <= today else whole

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end == dt.date(self.start.year, 12, 31):
            return _("%(year)s") % {"year": self.start.year}
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def quarters(self) -> list[tuple[dt.date, dt.date]]:
        """The calendar quarters the period touches, each cut to the period."""
        bounds: list[tuple[dt.date, dt.date]] = []
        year, quarter = self.start.year, (self.start.month - 1) // 3
        while True:
            first = dt.date(year, 3 * quarter + 1, 1)
            if first > self.end:
                return bounds
            next_first = dt.date(year + (quarter == 3), 3 * ((quarter + 1) % 4) + 1, 1)
            bounds.append((max(first, self.start), min(next_first - dt.timedelta(days=1), self.end)))
            year, quarter = next_first.year, (quarter + 1) % 4

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months
