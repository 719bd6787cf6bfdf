"""The parts of a meeting's page (attendance, motions, votes, resolutions…): each area of the app
declares its part once, from ``MeetingsConfig.ready()``, and the meeting page shows the parts in
order without importing them::

    sections.add(sections.Section(
        code="attendance", label=_("Attendance"), template="meetings/attendance/section.html",
        order=200, context=attendance_section,   # (meeting, user) -> dict, or None to leave it out
    ))

A part's ``context`` reads what it shows (a bounded number of queries) and answers None when the
part is not for this user or this kind of meeting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from renda.core.registry import Registry


@dataclass(frozen=True)
class Section:
    code: str
    label: str | Promise
    template: str
    order: int
    context: Callable[[Any, Any], dict | None]


sections: Registry[Section] = Registry("meeting page sections")


def add(section: Section) -> Section:
    return sections.add(section)


def for_meeting(meeting: Any, user: Any) -> list[tuple[Section, dict]]:
    """The parts this user sees on this meeting's page, with their context, in order."""
    shown = []
    for section in sections:
        context = section.context(meeting, user)
        if context is not None:
            shown.append((section, context))
    return shown
