"""Meetings' records in deputies' archives and points (domain.md §8): sessions and presidium
meetings attended, half-days of leave (e.g. −1 each, 重庆江北), absences, and motions signed.

The kinds read the rows of the ``mandates`` their caller chose (one for an archive, a county for
points), hence ``unscoped()``: the mandates are the scope. Saving an attendance row refreshes the
points through the deputies' mechanism; the services' bulk writes (closing a meeting marks the
absent, a motion's signers are written at once) enqueue the refresh themselves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.models import UUIDModel
from renda.deputies.contributions import (
    ArchiveSection,
    Contribution,
    RecordKind,
    register,
    register_section,
    shared_rows,
)

from .models import Attendance, AttendanceStatus, MeetingKind, MeetingState, MotionSigner, MotionState

SECTION = "meetings"
SESSION_ATTENDED = "meetings.session_attended"
PRESIDIUM_ATTENDED = "meetings.presidium_attended"
COUNTY_MEETING_ATTENDED = "meetings.county_meeting_attended"
LEAVE = "meetings.leave"
ABSENT = "meetings.absent"
MOTION_LED = "meetings.motion_led"
MOTION_COSIGNED = "meetings.motion_cosigned"


def _meeting_url(meeting) -> str:
    try:
        return reverse("meetings:detail", args=[meeting.uuid])
    except NoReverseMatch:  # the meeting pages are another area's; the archive works without them
        return ""


def _load_attendances(mandates):
    return (
        Attendance.objects.unscoped()
        .filter(mandate__in=mandates)
        .exclude(meeting__state=MeetingState.CANCELLED)
        .select_related("meeting__township", "meeting__term")
        .order_by("meeting__starts_at", "id")
    )


def _attendances(mandates) -> list[Attendance]:
    """The attendance rows every kind of this section reads, from one query per archive."""
    return shared_rows(mandates, "meetings.attendances", _load_attendances)


def _attended(kind: str):
    def records(mandates) -> Iterator[Contribution]:
        for row in _attendances(mandates):
            if row.meeting.kind != kind or row.status != AttendanceStatus.PRESENT:
                continue
            meeting = row.meeting
            outcome = _("present")
            if row.leave_half_days:
                outcome = _("present, %(count)s half-days of leave") % {"count": row.leave_half_days}
            yield Contribution(
                mandate_id=row.mandate_id,
                date=meeting.date,
                source=row,
                title=meeting.name,
                outcome=str(outcome),
                url=_meeting_url(meeting),
            )

    return records


def _leave(mandates) -> Iterator[Contribution]:
    """One line per attendance with approved leave; its quantity is the half-days."""
    for row in _attendances(mandates):
        if not row.leave_half_days:
            continue
        yield Contribution(
            mandate_id=row.mandate_id,
            date=row.meeting.date,
            source=row,
            title=_("Leave from %(meeting)s") % {"meeting": row.meeting.name},
            outcome=_("%(count)s half-days") % {"count": row.leave_half_days},
            url=_meeting_url(row.meeting),
            quantity=Decimal(row.leave_half_days),
        )


def _absent(mandates) -> Iterator[Contribution]:
    for row in _attendances(mandates):
        if row.status != AttendanceStatus.ABSENT:
            continue
        yield Contribution(
            mandate_id=row.mandate_id,
            date=row.meeting.date,
            source=row,
            title=_("Absent from %(meeting)s") % {"meeting": row.meeting.name},
            outcome=_("absent without leave"),
            url=_meeting_url(row.meeting),
        )


def _load_signatures(mandates):
    return (
        MotionSigner.objects.unscoped()
        .filter(mandate__in=mandates)
        .exclude(motion__state=MotionState.WITHDRAWN)
        .select_related("motion__meeting__township", "motion__meeting__term")
        .order_by("motion__submitted_at", "id")
    )


def _motions(lead: bool):
    def records(mandates) -> Iterator[Contribution]:
        for signature in shared_rows(mandates, "meetings.motion_signatures", _load_signatures):
            if signature.is_lead != lead:
                continue
            motion = signature.motion
            yield Contribution(
                mandate_id=signature.mandate_id,
                date=timezone.localtime(motion.submitted_at).date(),
                source=motion,
                title=motion.title,
                outcome=str(motion.get_state_display()),
                url=_meeting_url(motion.meeting),
            )

    return records


def register_kinds() -> None:
    register_section(ArchiveSection(code=SECTION, label=gettext_lazy("Meetings attended"), order=150))
    for code, label, records, points, models in (
        (SESSION_ATTENDED, gettext_lazy("Congress session attended"), _attended(MeetingKind.SESSION), 2, (Attendance,)),
        (
            PRESIDIUM_ATTENDED,
            gettext_lazy("Presidium meeting attended"),
            _attended(MeetingKind.PRESIDIUM),
            1,
            (Attendance,),
        ),
        (
            COUNTY_MEETING_ATTENDED,
            gettext_lazy("County-level meeting attended"),
            _attended(MeetingKind.COUNTY),
            1,
            (Attendance,),
        ),
        (LEAVE, gettext_lazy("Half-day of leave from a meeting"), _leave, -1, (Attendance,)),
        (ABSENT, gettext_lazy("Absent from a meeting without leave"), _absent, -2, (Attendance,)),
        (MOTION_LED, gettext_lazy("Motion submitted as lead signer"), _motions(lead=True), 5, ()),
        (MOTION_COSIGNED, gettext_lazy("Motion co-signed"), _motions(lead=False), 2, ()),
    ):
        register(
            RecordKind(
                code=code,
                label=label,
                records=records,
                section=SECTION,
                default_points=Decimal(points),
                models=models,
            )
        )


def enqueue_points_refresh(source: UUIDModel, mandate_pks: Iterable[int]) -> None:
    """After a bulk write the signals did not see: refresh these mandates' points once committed."""
    from django.contrib.contenttypes.models import ContentType

    from renda.deputies.tasks import points_refresh

    pks = sorted(set(mandate_pks))
    if not pks or _deferred.get():
        return
    source_type_pk, source_uuid = ContentType.objects.get_for_model(source).pk, str(source.uuid)
    # robust: the change is committed already; the nightly ``recompute_points`` repairs a lost task.
    transaction.on_commit(lambda: points_refresh.enqueue(pks, source_type_pk, source_uuid), robust=True)


_deferred: ContextVar[bool] = ContextVar("meetings_points_refresh_deferred", default=False)


@contextmanager
def points_refresh_deferred() -> Iterator[None]:
    """For bulk work (the demo seed) that recomputes the county's points itself at the end: no
    refresh is enqueued meanwhile, neither by the services' bulk writes nor by each attendance row
    saved (the deputies' deferral, which covers every declared kind)."""
    from renda.deputies import contributions

    token = _deferred.set(True)
    try:
        with contributions.points_refresh_deferred():
            yield
    finally:
        _deferred.reset(token)
