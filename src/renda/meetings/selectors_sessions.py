"""Reads of the meeting pages and home cards, always through the user's scope: the list and its
filters, what the meeting page shows and which of its forms the user may use, the notice's
warning and default text, and the home cards' meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.scoping import VIEW, scoped
from renda.deputies.models import Mandate
from renda.deputies.selectors import serving_on
from renda.organisations.models import Township

from . import permissions as may
from . import services
from .models import AgendaDocument, AgendaItem, Attendance, Meeting, MeetingKind, MeetingState

# The staff's home card warns of a session notice this many days before it falls due.
NOTICE_WARNING_DAYS = 3
# A deputy's home card lists the meetings of the coming days.
DEPUTY_HORIZON_DAYS = 30
HOME_CARD_ROWS = 5


# ---------------------------------------------------------------- the notice


@dataclass(frozen=True)
class NoticeWarning:
    """What a list or card says about a session's notice: ``code`` is "late" (sent after the day),
    "overdue" (the day has passed and it is not sent) or "due_soon" (not sent, due within
    ``NOTICE_WARNING_DAYS``)."""

    code: str
    due_by: date


def notice_warning(meeting: Meeting, today: date) -> NoticeWarning | None:
    """No query: reads the meeting's own fields."""
    if meeting.state in {MeetingState.CANCELLED, MeetingState.CLOSED}:
        return None
    check = services.notice_check(meeting, today)
    if check.due_by is None:
        return None
    if check.sent_on is not None:
        return NoticeWarning("late", check.due_by) if check.late else None
    if meeting.state != MeetingState.PLANNED:
        return None  # opened without a notice: the compliance view counts it; nothing to do now
    if check.late:
        return NoticeWarning("overdue", check.due_by)
    if (check.due_by - today).days <= NOTICE_WARNING_DAYS:
        return NoticeWarning("due_soon", check.due_by)
    return None


def default_notice_text(meeting: Meeting, agenda: list[AgendaItem]) -> str:
    """The notice as the staff would write it: the meeting's name, time, venue and agenda."""
    starts = timezone.localtime(meeting.starts_at)
    days = (meeting.ends_on - meeting.date).days + 1
    text = _("Deputies: %(name)s will be held at %(venue)s from %(time)s; the meeting lasts %(days)s day(s).") % {
        "name": meeting.name,
        "venue": meeting.venue or _("a venue to be announced"),
        "time": starts.strftime("%Y-%m-%d %H:%M"),
        "days": days,
    }
    if agenda:
        lines = [f"{number}. {item.title}" for number, item in enumerate(agenda, start=1)]
        text += "\n" + _("The proposed agenda:") + "\n" + "\n".join(lines)
    return text + "\n" + _("Please attend on time; a deputy who cannot attend asks for leave beforehand.")


# ---------------------------------------------------------------- the list


@dataclass(frozen=True)
class MeetingFilters:
    township: Township | None = None
    kind: str = ""
    year: int | None = None
    state: str = ""


def meeting_list(user: Any, filters: MeetingFilters) -> QuerySet[Meeting]:
    meetings = scoped(Meeting, user, VIEW).select_related("township", "term")
    if filters.township is not None:
        meetings = meetings.filter(township=filters.township)
    if filters.kind:
        meetings = meetings.filter(kind=filters.kind)
    if filters.year:
        meetings = meetings.filter(starts_at__year=filters.year)
    if filters.state:
        meetings = meetings.filter(state=filters.state)
    return meetings.order_by("-starts_at", "-id")


def meeting_years(user: Any) -> list[int]:
    return sorted({day.year for day in scoped(Meeting, user, VIEW).dates("starts_at", "year")}, reverse=True)


def with_warnings(meetings: Any, today: date) -> list[Meeting]:
    """The meetings of a page, each with its ``notice_warning``."""
    rows = list(meetings)
    for meeting in rows:
        meeting.notice_warning = notice_warning(meeting, today)  # type: ignore[attr-defined]
    return rows


# ---------------------------------------------------------------- the meeting page


def meeting_for_page(user: Any, uuid: Any) -> Meeting:
    """The meeting, or 404 (audited) outside the user's scope."""
    from renda.accounts.scoping import get_scoped_or_404

    return get_scoped_or_404(Meeting.objects.select_related("township", "term", "county"), user, VIEW, uuid=uuid)


def agenda_of(user: Any, meeting: Meeting) -> list[AgendaItem]:
    """The agenda with each item's documents: two queries. The documents follow the items in hand."""
    documents = AgendaDocument.objects.unscoped().order_by("created_at", "id")
    return list(
        scoped(AgendaItem, user, VIEW)
        .filter(meeting=meeting)
        .prefetch_related(Prefetch("documents", queryset=documents))
        .order_by("position", "id")
    )


def participants_of(user: Any, meeting: Meeting) -> list[Attendance]:
    """The deputies expected at the meeting whom the user may see (a deputy: themselves)."""
    return list(
        scoped(Attendance, user, VIEW)
        .filter(meeting=meeting)
        .select_related("mandate__person")
        .order_by("mandate__person__name_stroke_key", "id")
    )


def participant_choices(user: Any, meeting: Meeting) -> QuerySet[Mandate]:
    """Whom staff may pick for a presidium or county-level meeting: the congress's deputies
    serving on its date (presidium), or the deputies of the township, of any level (county)."""
    mandates = scoped(Mandate, user, VIEW).filter(serving_on(meeting.date)).select_related("person")
    if meeting.kind == MeetingKind.PRESIDIUM and meeting.term_id is not None:
        mandates = mandates.filter(term_id=meeting.term_id)
    else:
        mandates = mandates.filter(person__township_id=meeting.township_id)
    return mandates.order_by("person__name_stroke_key", "id")


@dataclass(frozen=True)
class MeetingControls:
    """Which of the meeting page's forms the user may use now (the services decide again)."""

    run: bool  # the meeting's staff
    edit_plan: bool
    cancel: bool
    notify: bool
    edit_agenda: bool
    remove_items: bool
    choose_participants: bool
    add_observers: bool


def controls(user: Any, meeting: Meeting) -> MeetingControls:
    run = may.may_run_meeting(user, meeting)
    preparing = meeting.state in services.PREPARING
    attending = meeting.state in services.ATTENDING
    return MeetingControls(
        run=run,
        edit_plan=run and preparing,
        cancel=run and preparing,
        notify=run and meeting.state == MeetingState.PLANNED,
        edit_agenda=run and (preparing or meeting.state == MeetingState.OPEN),
        remove_items=run and preparing,
        choose_participants=run and attending and meeting.kind != MeetingKind.SESSION,
        add_observers=run and attending,
    )


# ---------------------------------------------------------------- the forms' choices


def planning_townships(user: Any) -> QuerySet[Township]:
    """The townships the user may plan meetings for (staff: their own; the county administrator:
    every township of the county)."""
    if not may.may_plan_meetings(user):
        return Township.objects.none()
    return scoped(Township, user, VIEW).order_by("division_code", "name")


def requester_choices(user: Any, today: date, township: Township | None) -> QuerySet[Mandate]:
    """Deputies who may have asked for an extra session: the serving deputies of the chosen
    township's congress (of every township the user plans for, until one is chosen). The service
    checks them against the session's date."""
    from renda.deputies.models import MandateLevel

    townships = planning_townships(user)
    if township is not None:
        townships = townships.filter(pk=township.pk)
    return (
        scoped(Mandate, user, VIEW)
        .filter(serving_on(today), level=MandateLevel.TOWNSHIP, term__township__in=townships)
        .select_related("person__township")
        .order_by("person__township__name", "person__name_stroke_key", "id")
    )


def chosen_township(townships: QuerySet[Township], chosen: str) -> Township | None:
    """The township picked on a form, if it is one of ``townships``; anything else typed into the
    address is no choice rather than an error."""
    try:
        UUID(chosen)
    except ValueError:
        return None
    return townships.filter(uuid=chosen).first()


# ---------------------------------------------------------------- home cards


def _upcoming(user: Any, today: date) -> QuerySet[Meeting]:
    return scoped(Meeting, user, VIEW).filter(ends_on__gte=today).select_related("township", "term")


def home_staff(user: Any, today: date | None = None) -> dict:
    """The next meetings being prepared or held, and the sessions whose notice is (nearly) due."""
    today = today or timezone.localdate()
    active = {MeetingState.PLANNED, MeetingState.NOTIFIED, MeetingState.OPEN}
    upcoming = with_warnings(
        _upcoming(user, today).filter(state__in=active).order_by("starts_at", "id")[:HOME_CARD_ROWS], today
    )
    # A session whose notice falls due within the warning days: it opens within notice + warning days.
    horizon = _day_start(today + timedelta(days=settings.RENDA_MEETING_NOTICE_DAYS + NOTICE_WARNING_DAYS + 1))
    unsent = _upcoming(user, today).filter(
        kind=MeetingKind.SESSION, state=MeetingState.PLANNED, notice_sent_at__isnull=True, starts_at__lt=horizon
    )
    sessions = with_warnings(unsent.order_by("starts_at", "id")[:HOME_CARD_ROWS], today)
    warnings = [meeting for meeting in sessions if getattr(meeting, "notice_warning", None)]
    return {"meetings": upcoming, "warnings": warnings}


def home_deputy(user: Any, today: date | None = None) -> dict:
    """The meetings the deputy is expected at in the coming days, with the notice once sent."""
    today = today or timezone.localdate()
    horizon = _day_start(today + timedelta(days=DEPUTY_HORIZON_DAYS + 1))
    meetings = _upcoming(user, today).filter(starts_at__lt=horizon).order_by("starts_at", "id")
    return {"meetings": list(meetings[:HOME_CARD_ROWS]), "days": DEPUTY_HORIZON_DAYS}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
