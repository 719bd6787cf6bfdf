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

from typing import Any

from renda.core.registry import PagePart, PageParts

Section = PagePart

sections = PageParts("meeting page sections")


def add(section: Section) -> Section:
    return sections.add(section)


def for_meeting(meeting: Any, user: Any) -> list[tuple[Section, dict]]:
    """The parts this user sees on this meeting's page, with their context, in order."""
    return sections.for_object(meeting, user)
