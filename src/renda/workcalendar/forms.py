"""The form in which the system administrator types a year's holiday notice, one line per entry.

A line is a date or a range and a name, as the notice lists them::

    2027-02-06 至 2027-02-14 春节
    2027-02-20 上班 春节调休

"上班" (or "补班") at the start or end of the text after the dates marks a weekend day that is
worked; "放假" there is allowed and dropped. Dates may be written as the office writes them
(2027-02-06, 2027.2.6, 2027年2月6日). A clerk can paste and correct many days at once, and every
error names its line, so a mistake is fixed where it was typed rather than re-entered.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.models import CalendarDay
from renda.core.workdays import YearCalendar
from renda.documents.dates import parse_chinese_date

from .services import NoticeDay

# Longer than any holiday the State Council has granted; a longer range is a typo in a date.
LONGEST_RANGE_DAYS = 31
NAME_LENGTH: int = cast(models.CharField, CalendarDay._meta.get_field("name")).max_length or 0

_LINE = re.compile(r"(?P<start>\S+?)(?:\s*(?:至|到|~|—|–)\s*(?P<end>\S+?))?(?:\s+(?P<rest>.*))?")
# The marker is taken from the start, or else from the end, once: "上班 调休上班" is named "调休上班".
_WORKED = (re.compile(r"^(?:上班|补班)(?:\s+|$)"), re.compile(r"\s*(?:上班|补班)$"))
_OFF = (re.compile(r"^放假(?:\s+|$)"), re.compile(r"\s*放假$"))


class NoticeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Days off and make-up working days"),
        help_text=gettext_lazy(
            "One line per holiday or range of days, e.g. “2027-02-06 至 2027-02-14 春节”. "
            "A weekend day that is worked: “2027-02-20 上班 春节调休”."
        ),
        widget=forms.Textarea(attrs={"rows": 14, "class": "form-control font-monospace", "spellcheck": "false"}),
    )

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_text(self) -> list[NoticeDay]:
        days: dict[date, tuple[int, NoticeDay]] = {}
        errors: list[str] = []
        for number, line in enumerate(self.cleaned_data["text"].splitlines(), start=1):
            line = unicodedata.normalize("NFKC", line).strip()
            if not line:
                continue
            try:
                parsed = self._parse_line(line, number)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            for day in parsed:
                if day.date in days:
                    errors.append(
                        _("Line %(line)s: %(date)s is already on line %(other)s.")
                        % {"line": number, "date": day.date.isoformat(), "other": days[day.date][0]}
                    )
                else:
                    days[day.date] = (number, day)
        if errors:
            raise ValidationError(errors)
        result = [day for _number, day in sorted(days.values(), key=lambda item: item[1].date)]
        if not any(day.kind == CalendarDay.Kind.HOLIDAY for day in result):
            raise ValidationError(_("Enter at least one day off."))
        return result

    def _parse_line(self, line: str, number: int) -> list[NoticeDay]:
        match = _LINE.fullmatch(line)
        assert match is not None  # the pattern matches any non-blank line
        start = self._date(match["start"], number)
        end = self._date(match["end"], number) if match["end"] else start
        if end < start:
            raise ValidationError(_("Line %(line)s: the range ends before it starts.") % {"line": number})
        if (end - start).days >= LONGEST_RANGE_DAYS:
            raise ValidationError(
                _("Line %(line)s: a range may be at most %(n)s days long.") % {"line": number, "n": LONGEST_RANGE_DAYS}
            )
        rest = (match["rest"] or "").strip()
        worked, name = _strip_marker(rest, _WORKED)
        if not worked:
            name = _strip_marker(rest, _OFF)[1]
        name = name.strip() or (_("Make-up working day") if worked else "")
        if not name:
            raise ValidationError(
                _("Line %(line)s: write the holiday's name after the dates, e.g. “2027-02-06 至 2027-02-14 春节”.")
                % {"line": number}
            )
        if len(name) > NAME_LENGTH:
            raise ValidationError(
                _("Line %(line)s: the name may be at most %(n)s characters long.") % {"line": number, "n": NAME_LENGTH}
            )
        dates = [start + timedelta(n) for n in range((end - start).days + 1)]
        if worked:
            weekdays = [day for day in dates if day.weekday() < 5]
            if weekdays:
                message = _(
                    "Line %(line)s: %(date)s is a weekday and a working day already; only a weekend day can be worked."
                )
                raise ValidationError(message % {"line": number, "date": weekdays[0].isoformat()})
        kind = CalendarDay.Kind.WORKING_DAY if worked else CalendarDay.Kind.HOLIDAY
        return [NoticeDay(date=day, kind=kind, name=name) for day in dates]

    def _date(self, text: str, number: int) -> date:
        parsed = parse_chinese_date(text)
        if parsed is None or parsed.precision != "day":
            raise ValidationError(
                _("Line %(line)s: “%(text)s” is not a date; write it as 2027-02-06.") % {"line": number, "text": text}
            )
        if parsed.date.year != self.year:
            raise ValidationError(
                _("Line %(line)s: %(date)s is not in %(year)s; enter it in that year's notice.")
                % {"line": number, "date": parsed.date.isoformat(), "year": self.year}
            )
        return parsed.date


def _strip_marker(text: str, patterns: tuple[re.Pattern[str], re.Pattern[str]]) -> tuple[bool, str]:
    for pattern in patterns:
        stripped, count = pattern.subn("", text, count=1)
        if count:
            return True, stripped
    return False, text


def notice_text(calendar: YearCalendar) -> str:
    """A year's days in the form's own line format, consecutive days of one name as one range."""
    entries = [(day, name, False) for day, name in calendar.holidays.items()]
    entries += [(day, name, True) for day, name in calendar.working_days.items()]
    runs: list[list] = []  # [first, last, name, worked]
    for day, name, worked in sorted(entries):
        if runs and day - runs[-1][1] == timedelta(1) and runs[-1][2:] == [name, worked]:
            runs[-1][1] = day
        else:
            runs.append([day, day, name, worked])
    lines = []
    for first, last, name, worked in runs:
        span = first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}"
        lines.append(f"{span} 上班 {name}".rstrip() if worked else f"{span} {name}")
    return "\n".join(lines)
