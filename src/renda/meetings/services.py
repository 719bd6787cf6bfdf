"""Every change to a meeting and its parts. Pages and the API call these and nothing else writes.

Each service checks who may act (PermissionDenied), checks the rules (ValidationError with every
mistake at once, in Chinese, keyed by the form field it concerns), locks what it changes, and
writes one audit entry. A stale edit (someone saved in between) raises StaleEdit."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.core import workdays
from renda.core.locking import StaleEdit
from renda.core.uploads import CONTENT_TYPES, check_upload
from renda.deputies.models import Mandate, MandateEventKind, MandateLevel, Person
from renda.deputies.selectors import serving_on
from renda.organisations.models import Agency, Term, Township, in_office_on

from . import permissions as may
from . import rules
from .models import (
    CONGRESS_KINDS,
    AgendaDocument,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    ExtraBasis,
    ImplementationReport,
    LeaveRequest,
    LeaveState,
    Meeting,
    MeetingKind,
    MeetingState,
    Motion,
    MotionSigner,
    MotionState,
    Observer,
    Resolution,
    ResolutionKind,
    ResolutionState,
    ResolutionUnit,
    SessionSuggestion,
    SigninMethod,
    Vote,
    VoteCorrection,
    VoteKind,
)
from .records import enqueue_points_refresh

# States in which a meeting is still being prepared (its plan and agenda may change).
PREPARING = frozenset({MeetingState.PLANNED, MeetingState.NOTIFIED})
# States in which sign-in and leave are taken.
ATTENDING = frozenset({MeetingState.PLANNED, MeetingState.NOTIFIED, MeetingState.OPEN})


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _now() -> datetime:
    return timezone.now()


def _lock(meeting: Meeting, expected_version: int | None = None) -> Meeting:
    """The meeting's row, locked for this transaction (PostgreSQL) and checked against the version
    the user's form started from (both databases)."""
    locked = (
        Meeting.objects.unscoped().select_for_update(of=("self",)).select_related("township", "term").get(pk=meeting.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    return locked


def _bump(meeting: Meeting, *fields: str) -> None:
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version", "updated_at"])


def _require_state(meeting: Meeting, allowed: Iterable[str], message: str) -> None:
    if meeting.state not in allowed:
        raise ValidationError(message)


# ---------------------------------------------------------------- the congress's deputies


def congress_deputies(term: Term, day: date) -> QuerySet[Mandate]:
    """The deputies of a township congress serving on ``day``: its roster (现有代表)."""
    return Mandate.objects.unscoped().filter(term=term, level=MandateLevel.TOWNSHIP).filter(serving_on(day))


def _township_term(township: Township, day: date) -> Term | None:
    return Term.objects.unscoped().filter(in_office_on(day), township=township).first()


def _next_number(term: Term, kind: str) -> int:
    last = Meeting.objects.unscoped().filter(term=term, kind=kind).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


# ---------------------------------------------------------------- planning


@transaction.atomic
def plan_meeting(
    actor: User | None,
    *,
    township: Township,
    kind: str,
    starts_at: datetime,
    ends_on: date,
    term: Term | None = None,
    number: int | None = None,
    title: str = "",
    venue: str = "",
    extra_basis: str = "",
    extra_requesters: Sequence[Mandate] = (),
    motion_deadline: datetime | None = None,
    notice_text: str = "",
) -> Meeting:
    """Plan a meeting. Sessions and presidium meetings belong to the township congress's term in
    office on the start date and take the next number unless one is given; a session's expected
    deputies are taken from the roster at once (and again when the notice goes and when it opens)."""
    if actor is not None:
        _require(may.may_run_township(actor, township))
    errors: dict[str, Any] = {}
    start_day = timezone.localtime(starts_at).date()
    if ends_on < start_day:
        errors["ends_on"] = _("The meeting cannot end before it starts.")
    if kind in CONGRESS_KINDS:
        if not township.has_congress:
            errors["kind"] = _(
                "A subdistrict has no congress of its own; record the meetings it attends as county-level meetings."
            )
        term = term or _township_term(township, start_day)
        if term is None or term.township_id != township.pk:
            errors["term"] = _("Record the township congress's term in office on that date first.")
        elif not term.starts_on <= start_day <= term.ends_on:
            errors["starts_at"] = _("The date is outside the term (%(start)s to %(end)s).") % {
                "start": term.starts_on,
                "end": term.ends_on,
            }
    elif kind == MeetingKind.COUNTY:
        if not title.strip():
            errors["title"] = _("Give the meeting's title, e.g. the county standing committee's meeting.")
        term, number = None, None
    else:
        errors["kind"] = _("Choose the kind of meeting.")
    if extra_basis:
        if kind != MeetingKind.SESSION:
            errors["extra_basis"] = _("Only a congress session can be an extra session.")
        elif extra_basis == ExtraBasis.DEPUTIES and term is not None and "term" not in errors:
            errors.update(_extra_request_errors(term, start_day, extra_requesters))
    if motion_deadline is not None and kind != MeetingKind.SESSION:
        errors["motion_deadline"] = _("Only a congress session takes motions.")
    if errors:
        raise ValidationError(errors)
    if kind in CONGRESS_KINDS and term is not None:
        number = number or _next_number(term, kind)
    meeting = Meeting(
        county=township.county,
        township=township,
        term=term,
        kind=kind,
        number=number,
        title=title.strip(),
        venue=venue.strip(),
        extra_basis=extra_basis,
        starts_at=starts_at,
        ends_on=ends_on,
        motion_deadline=motion_deadline,
        notice_text=notice_text,
        signin_token=secrets.token_urlsafe(24),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as exc:
        raise ValidationError({"number": _("A meeting of this kind has this number in the term already.")}) from exc
    if extra_basis == ExtraBasis.DEPUTIES:
        meeting.extra_requesters.set(extra_requesters)
    if kind == MeetingKind.SESSION:
        refresh_attendance(meeting)
    audit.record(
        "meetings.meeting.create",
        actor=actor,
        target=meeting,
        data={"kind": kind, "seq": number, "starts": starts_at.isoformat(), "extra": extra_basis},
    )
    return meeting


def _extra_request_errors(term: Term, day: date, requesters: Sequence[Mandate]) -> dict[str, str]:
    deputies = congress_deputies(term, day)
    serving = set(deputies.values_list("pk", flat=True))
    outside = [mandate for mandate in requesters if mandate.pk not in serving]
    if outside:
        return {
            "extra_requesters": _("Not deputies of this congress on that date: %(names)s.")
            % {"names": "、".join(str(m.person) for m in outside)}
        }
    needed = rules.extra_session_requesters_needed(len(serving))
    if len(set(requesters)) < needed:
        return {
            "extra_requesters": _(
                "An extra session needs at least %(needed)s of the %(total)s deputies (one fifth) "
                "to ask for it; %(count)s did."
            )
            % {"needed": needed, "total": len(serving), "count": len(set(requesters))}
        }
    return {}


@transaction.atomic
def update_meeting(meeting: Meeting, actor: User, *, expected_version: int, **fields: Any) -> Meeting:
    """Change the plan (date, venue, deadline for motions, title) while it is being prepared."""
    _require(may.may_run_meeting(actor, meeting))
    meeting = _lock(meeting, expected_version)
    _require_state(meeting, PREPARING, _("The meeting has opened; its plan can no longer change."))
    allowed = {"starts_at", "ends_on", "venue", "title", "motion_deadline", "notice_text"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meeting, name, value)
    if meeting.ends_on < meeting.date:
        raise ValidationError({"ends_on": _("The meeting cannot end before it starts.")})
    if meeting.motion_deadline is not None and meeting.kind != MeetingKind.SESSION:
        raise ValidationError({"motion_deadline": _("Only a congress session takes motions.")})
    if meeting.term is not None and not meeting.term.starts_on <= meeting.date <= meeting.term.ends_on:
        raise ValidationError(
            {
                "starts_at": _("The date is outside the term (%(start)s to %(end)s).")
                % {"start": meeting.term.starts_on, "end": meeting.term.ends_on}
            }
        )
    _bump(meeting, *fields)
    audit.record("meetings.meeting.update", actor=actor, target=meeting, data={"fields": sorted(fields)})
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, actor: User, *, expected_version: int, reason: str) -> Meeting:
    _require(may.may_run_meeting(actor, meeting))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    meeting = _lock(meeting, expected_version)
    _require_state(meeting, PREPARING, _("Only a meeting still being prepared can be cancelled."))
    meeting.state = MeetingState.CANCELLED
    _bump(meeting, "state")
    audit.record("meetings.meeting.cancel", actor=actor, target=meeting, data={"reason": reason.strip()})
    return meeting


# ---------------------------------------------------------------- participants


def refresh_attendance(meeting: Meeting) -> int:
    """A session's expected deputies are the congress's roster on its date: add the deputies who
    joined, drop those whose mandate ended (unless they signed in or asked for leave). Returns the
    number of rows added or removed."""
    if meeting.kind != MeetingKind.SESSION or meeting.term is None:
        return 0
    serving = set(congress_deputies(meeting.term, meeting.date).values_list("pk", flat=True))
    rows = Attendance.objects.unscoped().filter(meeting=meeting)
    present = set(rows.values_list("mandate_id", flat=True))
    stale = rows.filter(status=AttendanceStatus.EXPECTED, leave_half_days=0).exclude(mandate_id__in=serving)
    stale = stale.exclude(leave_requests__isnull=False)
    removed, _detail = stale.delete()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, mandate_id=pk) for pk in sorted(serving - present)], ignore_conflicts=True
    )
    return removed + len(serving - present)


@transaction.atomic
def set_participants(meeting: Meeting, actor: User, *, mandates: Sequence[Mandate]) -> Meeting:
    """The deputies expected at a presidium or county-level meeting (the presidium's members, the
    deputies invited). A session's are its roster and cannot be chosen."""
    _require(may.may_run_meeting(actor, meeting))
    meeting = _lock(meeting)
    if meeting.kind == MeetingKind.SESSION:
        raise ValidationError(_("A session's participants are all the deputies of the congress."))
    _require_state(meeting, ATTENDING, _("The meeting is over; its participants can no longer change."))
    outside = [m for m in mandates if m.person.township_id != meeting.township_id and m.term_id != meeting.term_id]
    if outside:
        raise ValidationError(
            {
                "mandates": _("Not deputies of this township: %(names)s.")
                % {"names": "、".join(str(m.person) for m in outside)}
            }
        )
    wanted = {m.pk for m in mandates}
    rows = Attendance.objects.unscoped().filter(meeting=meeting)
    rows.filter(status=AttendanceStatus.EXPECTED, leave_half_days=0).exclude(mandate_id__in=wanted).delete()
    have = set(rows.values_list("mandate_id", flat=True))
    Attendance.objects.bulk_create([Attendance(meeting=meeting, mandate_id=pk) for pk in sorted(wanted - have)])
    _bump(meeting)
    audit.record("meetings.participants.set", actor=actor, target=meeting, data={"count": len(wanted)})
    return meeting


@transaction.atomic
def add_observer(meeting: Meeting, actor: User, *, name: str, position: str = "") -> Observer:
    _require(may.may_run_meeting(actor, meeting))
    if not name.strip():
        raise ValidationError({"name": _("Give the observer's name.")})
    _require_state(meeting, ATTENDING, _("The meeting is over; its participants can no longer change."))
    observer = Observer.objects.create(meeting=meeting, name=name.strip(), position=position.strip())
    audit.record("meetings.observer.add", actor=actor, target=meeting, data={"name": observer.name})
    return observer


# ---------------------------------------------------------------- the notice


@dataclass(frozen=True)
class NoticeCheck:
    due_by: date | None  # the last day the notice may go (sessions only)
    sent_on: date | None
    on_time: bool | None  # None: no rule applies (not a session) or not sent yet and not late yet
    late: bool  # past the day, sent late or not sent at all


def notice_check(meeting: Meeting, today: date | None = None) -> NoticeCheck:
    """Whether a session's notice reached the deputies seven days ahead (or can still)."""
    today = today or timezone.localdate()
    sent_on = timezone.localtime(meeting.notice_sent_at).date() if meeting.notice_sent_at else None
    if meeting.kind != MeetingKind.SESSION:
        return NoticeCheck(due_by=None, sent_on=sent_on, on_time=None, late=False)
    due_by = rules.notice_due_by(meeting.date)
    if sent_on is not None:
        on_time = sent_on <= due_by
        return NoticeCheck(due_by=due_by, sent_on=sent_on, on_time=on_time, late=not on_time)
    return NoticeCheck(due_by=due_by, sent_on=None, on_time=None, late=today > due_by)


@transaction.atomic
def send_notice(meeting: Meeting, actor: User, *, expected_version: int, text: str) -> Meeting:
    """Send the notice to the expected deputies (it shows on their home page and meeting page).
    A late notice is still sent; the page warned, and the compliance view counts it as late."""
    _require(may.may_run_meeting(actor, meeting))
    if not text.strip():
        raise ValidationError({"text": _("Write the notice.")})
    meeting = _lock(meeting, expected_version)
    _require_state(meeting, PREPARING, _("The meeting has opened; the notice can no longer be sent."))
    refresh_attendance(meeting)
    meeting.notice_text = text.strip()
    # A corrected notice keeps the first sending date: the seven days count from when the deputies
    # were first told.
    meeting.notice_sent_at = meeting.notice_sent_at or _now()
    meeting.state = MeetingState.NOTIFIED
    _bump(meeting, "notice_text", "notice_sent_at", "state")
    _post_to_board(meeting, actor)
    check = notice_check(meeting)
    audit.record(
        "meetings.meeting.notify",
        actor=actor,
        target=meeting,
        data={"on_time": check.on_time, "due_by": check.due_by.isoformat() if check.due_by else None},
    )
    return meeting


def _post_to_board(meeting: Meeting, actor: User) -> None:
    """The notice on the notice board of the expected deputies (and through the notification backend)."""
    from django.urls import reverse

    from renda.notices import services as notices
    from renda.notices.models import NoticeKind

    expected = meeting.attendances.select_related("mandate__person__user")
    notices.post(
        actor,
        county=meeting.township.county,
        township=meeting.township,
        kind=NoticeKind.MEETING,
        title=meeting.name,
        body=meeting.notice_text,
        recipients=[a.mandate.person.user for a in expected if a.mandate.person.user_id],
        link=reverse("meetings:detail", args=[meeting.uuid]),
        source=meeting,
    )


# ---------------------------------------------------------------- agenda


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    actor: User,
    *,
    kind: str,
    title: str,
    presenter: str = "",
    note: str = "",
    motion: Motion | None = None,
) -> AgendaItem:
    _require(may.may_run_meeting(actor, meeting))
    if not title.strip():
        raise ValidationError({"title": _("Give the item's title.")})
    if kind not in AgendaKind.values:
        raise ValidationError({"kind": _("Choose the kind of item.")})
    meeting = _lock(meeting)
    _require_state(
        meeting,
        {*PREPARING, MeetingState.OPEN},
        _("The meeting is over; its agenda can no longer change."),
    )
    last = meeting.agenda.aggregate(last=Max("position"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=(last or 0) + 1,
        kind=kind,
        title=title.strip(),
        presenter=presenter.strip(),
        note=note.strip(),
        motion=motion,
    )
    audit.record("meetings.agenda.add", actor=actor, target=meeting, data={"item": item.title, "kind": kind})
    return item


@transaction.atomic
def remove_agenda_item(item: AgendaItem, actor: User) -> None:
    meeting = item.meeting
    _require(may.may_run_meeting(actor, meeting))
    meeting = _lock(meeting)
    _require_state(meeting, PREPARING, _("The meeting has opened; its agenda items can no longer be removed."))
    if item.votes.exists():
        raise ValidationError(_("The item has been voted on and stays on the agenda."))
    if item.motion_id:
        raise ValidationError(_("A motion the presidium placed on the agenda stays there."))
    title = item.title
    item.delete()
    audit.record("meetings.agenda.remove", actor=actor, target=meeting, data={"item": title})


@transaction.atomic
def add_agenda_document(item: AgendaItem, actor: User, *, upload: Any) -> AgendaDocument:
    _require(may.may_run_meeting(actor, item.meeting))
    _require_state(
        item.meeting, {*PREPARING, MeetingState.OPEN}, _("The meeting is over; its agenda can no longer change.")
    )
    extension = check_upload(upload)
    document = AgendaDocument(
        item=item,
        name=PurePath(upload.name).name[:120],
        content_type=CONTENT_TYPES[extension],
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
    document.save()
    audit.record("meetings.agenda.document", actor=actor, target=item.meeting, data={"file": document.name})
    return document


# ---------------------------------------------------------------- motions


def _motion_deadline(meeting: Meeting) -> datetime | None:
    return meeting.motion_deadline


@transaction.atomic
def submit_motion(
    meeting: Meeting, actor: User, *, title: str, content: str, lead: Mandate, signers: Sequence[Mandate]
) -> Motion:
    """A motion (议案) signed by at least five deputies of the congress, before the deadline. A
    deputy submits as its lead signer; staff enter a paper motion for its signers."""
    _require(may.may_sign_motions(actor))
    staff = may.may_run_meeting(actor, meeting)
    if not staff:
        _require(lead.person.user_id == actor.pk)
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = _("Give the motion's title.")
    if not content.strip():
        errors["content"] = _("Write the motion: the matter, the reasons and the proposal.")
    if meeting.kind != MeetingKind.SESSION:
        raise ValidationError(_("Motions are made to a congress session."))
    if meeting.state in {MeetingState.CLOSED, MeetingState.CANCELLED}:
        raise ValidationError(_("The session is over; it takes no more motions."))
    deadline = _motion_deadline(meeting)
    if deadline is not None and _now() > deadline:
        raise ValidationError(
            _("The deadline for motions (%(deadline)s) has passed.")
            % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
        )
    everyone = list(dict.fromkeys([lead, *signers]))
    assert meeting.term is not None
    serving = set(congress_deputies(meeting.term, meeting.date).values_list("pk", flat=True))
    outside = [m for m in everyone if m.pk not in serving]
    if outside:
        errors["signers"] = _("Not deputies of this congress: %(names)s.") % {
            "names": "、".join(str(m.person) for m in outside)
        }
    needed = rules.motion_signers_needed()
    if len(everyone) < needed:
        errors["signers"] = _("A motion needs at least %(needed)s deputies signing it jointly; it has %(count)s.") % {
            "needed": needed,
            "count": len(everyone),
        }
    if errors:
        raise ValidationError(errors)
    meeting = _lock(meeting)
    number = (meeting.motions.aggregate(last=Max("number"))["last"] or 0) + 1
    motion = Motion.objects.create(
        meeting=meeting,
        number=number,
        title=title.strip(),
        content=content.strip(),
        submitted_at=_now(),
        submitted_by=actor,
    )
    MotionSigner.objects.bulk_create(
        [MotionSigner(motion=motion, mandate=m, is_lead=m.pk == lead.pk) for m in everyone]
    )
    enqueue_points_refresh(motion, [m.pk for m in everyone])
    audit.record("meetings.motion.submit", actor=actor, target=motion, data={"seq": number, "signers": len(everyone)})
    return motion


@transaction.atomic
def decide_motion(motion: Motion, actor: User, *, expected_version: int, place: bool, reason: str = "") -> Motion:
    """The presidium's decision, recorded by staff: on the agenda (an agenda item is added), or not,
    with the reason the signers will read."""
    _require(may.may_run_meeting(actor, motion.meeting))
    if not place and not reason.strip():
        raise ValidationError({"reason": _("Give the presidium's reason for not placing the motion on the agenda.")})
    locked = Motion.objects.unscoped().select_for_update(of=("self",)).select_related("meeting").get(pk=motion.pk)
    if locked.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    if locked.state != MotionState.SUBMITTED:
        raise ValidationError(_("The presidium has decided on this motion already."))
    locked.state = MotionState.PLACED if place else MotionState.NOT_PLACED
    locked.decision_reason = reason.strip()
    locked.decided_at = _now()
    locked.decided_by = actor
    locked.version += 1
    locked.save(update_fields=["state", "decision_reason", "decided_at", "decided_by", "version", "updated_at"])
    if place:
        add_agenda_item(locked.meeting, actor, kind=AgendaKind.MOTION, title=locked.title, motion=locked)
    audit.record("meetings.motion.decide", actor=actor, target=locked, data={"placed": place})
    return locked


@transaction.atomic
def motion_to_suggestion(motion: Motion, actor: User) -> Any:
    """A motion not placed on the agenda is handled as the signers' suggestion: a case."""
    from renda.casework import services as cases
    from renda.casework.models import CaseSource

    _require(may.may_run_meeting(actor, motion.meeting))
    locked = (
        Motion.objects.unscoped().select_for_update(of=("self",)).select_related("meeting__township").get(pk=motion.pk)
    )
    if locked.state != MotionState.NOT_PLACED:
        raise ValidationError(_("Only a motion not placed on the agenda is handled as a suggestion."))
    if locked.case_id:
        raise ValidationError(_("This motion is handled as a suggestion already."))
    signers = [s.mandate for s in locked.signers.select_related("mandate__person").order_by("-is_lead", "id")]
    case = cases.file_case(
        actor,
        township=locked.meeting.township,
        source=CaseSource.SESSION_SUGGESTION,
        title=locked.title,
        content=locked.content,
        signers=signers,
        lead=signers[0],
        received_on=timezone.localdate(),
    )
    locked.case = case
    locked.version += 1
    locked.save(update_fields=["case", "version", "updated_at"])
    SessionSuggestion.objects.create(meeting=locked.meeting, case=case)
    audit.record("meetings.motion.to_case", actor=actor, target=locked, data={"case": case.reference})
    return case


@transaction.atomic
def file_session_suggestion(
    meeting: Meeting,
    actor: User,
    *,
    title: str,
    content: str,
    lead: Mandate,
    signers: Sequence[Mandate] = (),
    category=None,
) -> Any:
    """A suggestion a deputy makes during the session, handed to casework as a case."""
    from renda.casework import services as cases
    from renda.casework.models import CaseSource

    staff = may.may_run_meeting(actor, meeting)
    _require(staff or lead.person.user_id == actor.pk)
    if meeting.kind != MeetingKind.SESSION:
        raise ValidationError(_("Suggestions are recorded here for congress sessions."))
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("The session was cancelled."))
    case = cases.file_case(
        actor,
        township=meeting.township,
        source=CaseSource.SESSION_SUGGESTION,
        title=title,
        content=content,
        signers=list(signers),
        lead=lead,
        category=category,
    )
    SessionSuggestion.objects.create(meeting=meeting, case=case)
    audit.record("meetings.suggestion.file", actor=actor, target=meeting, data={"case": case.reference})
    return case


# ---------------------------------------------------------------- attendance


def signin_open(meeting: Meeting, now: datetime | None = None) -> bool:
    now = now or _now()
    opens = meeting.starts_at - timedelta(minutes=settings.RENDA_MEETING_SIGNIN_OPENS_MINUTES)
    return meeting.state in ATTENDING and now >= opens


@transaction.atomic
def sign_in(meeting: Meeting, actor: User, *, token: str = "", attendance: Attendance | None = None) -> Attendance:
    """Sign a deputy in: the deputy with the meeting's QR code (``token``), or staff for a deputy
    (``attendance``). Signing in twice keeps the first time."""
    if attendance is None:
        own = may.is_expected_deputy(actor, meeting)
        if own is None:
            raise ValidationError(_("You are not expected at this meeting."))
        # compare_digest takes bytes here: a str with other than ASCII (a mangled link) would raise.
        if not token or not secrets.compare_digest(token.encode(), meeting.signin_token.encode()):
            raise ValidationError(_("This sign-in code is not valid any more; scan the code shown at the meeting."))
        attendance, method = own, SigninMethod.QR
    else:
        _require(may.may_run_meeting(actor, meeting) and attendance.meeting_id == meeting.pk)
        method = SigninMethod.STAFF
    if not signin_open(meeting):
        if meeting.state not in ATTENDING:
            raise ValidationError(_("The meeting is over; sign-in is closed."))
        raise ValidationError(
            _("Sign-in opens %(minutes)s minutes before the meeting starts.")
            % {"minutes": settings.RENDA_MEETING_SIGNIN_OPENS_MINUTES}
        )
    attendance = Attendance.objects.unscoped().select_for_update().get(pk=attendance.pk)
    if attendance.status == AttendanceStatus.PRESENT:
        return attendance
    attendance.status = AttendanceStatus.PRESENT
    attendance.signed_in_at = _now()
    attendance.signin_method = method
    attendance.signed_in_by = actor
    attendance.save(update_fields=["status", "signed_in_at", "signin_method", "signed_in_by", "updated_at"])
    audit.record(
        "meetings.attendance.sign_in",
        actor=actor,
        target=meeting,
        data={"via": method, "deputy": str(attendance.mandate.person)},
    )
    return attendance


@transaction.atomic
def undo_sign_in(attendance: Attendance, actor: User) -> Attendance:
    """Staff correct a sign-in made by mistake (before the meeting closes)."""
    meeting = attendance.meeting
    _require(may.may_run_meeting(actor, meeting))
    _require_state(meeting, ATTENDING, _("The meeting is over; its attendance can no longer change."))
    attendance = Attendance.objects.unscoped().select_for_update().get(pk=attendance.pk)
    if attendance.status != AttendanceStatus.PRESENT:
        raise ValidationError(_("This deputy has not signed in."))
    attendance.status = AttendanceStatus.LEAVE if attendance.leave_half_days else AttendanceStatus.EXPECTED
    attendance.signed_in_at = None
    attendance.signin_method = ""
    attendance.signed_in_by = None
    attendance.save(update_fields=["status", "signed_in_at", "signin_method", "signed_in_by", "updated_at"])
    audit.record(
        "meetings.attendance.undo", actor=actor, target=meeting, data={"deputy": str(attendance.mandate.person)}
    )
    return attendance


def meeting_half_days(meeting: Meeting) -> int:
    """Half-days the meeting lasts (two a day)."""
    return 2 * ((meeting.ends_on - meeting.date).days + 1)


@transaction.atomic
def request_leave(
    attendance: Attendance, actor: User, *, first_day: date, first_half: str, half_days: int, reason: str
) -> LeaveRequest:
    """A deputy asks for leave (请假) by half-days, with the reason; staff may enter it for them."""
    meeting = attendance.meeting
    own = attendance.mandate.person.user_id == actor.pk
    _require(own or may.may_run_meeting(actor, meeting))
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the leave.")
    if half_days < 1:
        errors["half_days"] = _("Leave is asked for by half-days: at least one.")
    if not meeting.date <= first_day <= meeting.ends_on:
        errors["first_day"] = _("The leave must fall within the meeting (%(start)s to %(end)s).") % {
            "start": meeting.date,
            "end": meeting.ends_on,
        }
    elif half_days >= 1:
        offset = 2 * (first_day - meeting.date).days + (1 if first_half == "pm" else 0)
        if offset + half_days > meeting_half_days(meeting):
            errors["half_days"] = _("The meeting lasts %(count)s half-days; the leave runs past its end.") % {
                "count": meeting_half_days(meeting)
            }
    if errors:
        raise ValidationError(errors)
    _require_state(meeting, ATTENDING, _("The meeting is over; leave can no longer be asked for."))
    if attendance.leave_requests.filter(state=LeaveState.REQUESTED).exists():
        raise ValidationError(_("A request for leave is awaiting approval already."))
    leave = LeaveRequest.objects.create(
        attendance=attendance,
        first_day=first_day,
        first_half=first_half,
        half_days=half_days,
        reason=reason.strip(),
        requested_by=actor,
    )
    audit.record("meetings.leave.request", actor=actor, target=meeting, data={"half_days": half_days})
    return leave


@transaction.atomic
def decide_leave(leave: LeaveRequest, actor: User, *, approve: bool, note: str = "") -> LeaveRequest:
    meeting = leave.attendance.meeting
    _require(may.may_run_meeting(actor, meeting))
    leave = (
        LeaveRequest.objects.unscoped().select_for_update(of=("self",)).select_related("attendance").get(pk=leave.pk)
    )
    if leave.state != LeaveState.REQUESTED:
        raise ValidationError(_("This request has been decided already."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the leave is refused.")})
    leave.state = LeaveState.APPROVED if approve else LeaveState.REFUSED
    leave.decided_by = actor
    leave.decided_at = _now()
    leave.decision_note = note.strip()
    leave.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_at"])
    if approve:
        attendance = Attendance.objects.unscoped().select_for_update().get(pk=leave.attendance_id)
        attendance.leave_half_days += leave.half_days
        # On leave for the whole meeting: not expected any more. Leave for part of it leaves the
        # deputy expected for the rest (absent at the close unless they sign in).
        whole = attendance.leave_half_days >= meeting_half_days(meeting)
        if whole and attendance.status != AttendanceStatus.PRESENT:
            attendance.status = AttendanceStatus.LEAVE
        attendance.save(update_fields=["leave_half_days", "status", "updated_at"])
    audit.record("meetings.leave.decide", actor=actor, target=meeting, data={"approved": approve})
    return leave


@dataclass(frozen=True)
class Quorum:
    deputies_total: int  # all the congress's serving deputies (应到)
    present: int  # signed in (实到)
    on_leave: int
    needed: int  # two thirds of all, rounded up
    applies: bool  # only a session needs a quorum

    @property
    def reached(self) -> bool:
        return not self.applies or (self.deputies_total > 0 and self.present >= self.needed)

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.present)


def quorum(meeting: Meeting) -> Quorum:
    """The live count the session page shows: one query."""
    from django.db.models import Count, Q

    counts = (
        Attendance.objects.unscoped()
        .filter(meeting=meeting)
        .aggregate(
            total=Count("id"),
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            leave=Count("id", filter=Q(status=AttendanceStatus.LEAVE)),
        )
    )
    total = counts["total"]
    return Quorum(
        deputies_total=total,
        present=counts["present"],
        on_leave=counts["leave"],
        needed=rules.quorum_needed(total),
        applies=meeting.kind == MeetingKind.SESSION,
    )


@transaction.atomic
def open_meeting(meeting: Meeting, actor: User, *, expected_version: int) -> Meeting:
    """Declare the meeting open. A session opens only with two thirds of all its deputies present."""
    _require(may.may_run_meeting(actor, meeting))
    meeting = _lock(meeting, expected_version)
    _require_state(meeting, PREPARING, _("Only a meeting being prepared can be opened."))
    refresh_attendance(meeting)
    count = quorum(meeting)
    if not count.reached:
        raise ValidationError(
            _(
                "The session cannot open: %(present)s of %(total)s deputies are present, "
                "at least %(needed)s (two thirds) must be."
            )
            % {"present": count.present, "total": count.deputies_total, "needed": count.needed}
        )
    meeting.state = MeetingState.OPEN
    meeting.opened_at = _now()
    _bump(meeting, "state", "opened_at")
    audit.record(
        "meetings.meeting.open",
        actor=actor,
        target=meeting,
        data={"present": count.present, "total": count.deputies_total},
    )
    return meeting


@transaction.atomic
def close_meeting(meeting: Meeting, actor: User, *, expected_version: int) -> Meeting:
    """Close the meeting: the expected deputies who neither signed in nor had leave are absent."""
    _require(may.may_run_meeting(actor, meeting))
    meeting = _lock(meeting, expected_version)
    _require_state(meeting, {MeetingState.OPEN}, _("Only an open meeting can be closed."))
    absent = Attendance.objects.unscoped().filter(meeting=meeting, status=AttendanceStatus.EXPECTED)
    absent_mandates = list(absent.values_list("mandate_id", flat=True))
    absent_count = absent.update(status=AttendanceStatus.ABSENT, updated_at=_now())
    meeting.state = MeetingState.CLOSED
    meeting.closed_at = _now()
    _bump(meeting, "state", "closed_at")
    audit.record("meetings.meeting.close", actor=actor, target=meeting, data={"absent": absent_count})
    # update() sends no post_save: the deputies' points learn of the absences here.
    enqueue_points_refresh(meeting, absent_mandates)
    return meeting


@transaction.atomic
def save_minutes(meeting: Meeting, actor: User, *, expected_version: int, minutes: str) -> Meeting:
    _require(may.may_run_meeting(actor, meeting))
    meeting = _lock(meeting, expected_version)
    _require_state(
        meeting, {MeetingState.OPEN, MeetingState.CLOSED}, _("Minutes are kept once the meeting has opened.")
    )
    meeting.minutes = minutes.strip()
    _bump(meeting, "minutes")
    audit.record("meetings.meeting.minutes", actor=actor, target=meeting)
    return meeting


# ---------------------------------------------------------------- votes


def _tally_errors(votes_for: int, votes_against: int, abstentions: int, present: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, value in (("votes_for", votes_for), ("votes_against", votes_against), ("abstentions", abstentions)):
        if value < 0:
            errors[name] = _("A count cannot be negative.")
    if not errors and votes_for + votes_against + abstentions > present:
        errors["votes_for"] = _(
            "For, against and abstentions add up to %(sum)s, more than the %(present)s deputies present."
        ) % {"sum": votes_for + votes_against + abstentions, "present": present}
    return errors


@transaction.atomic
def record_vote(
    meeting: Meeting,
    actor: User,
    *,
    kind: str,
    title: str,
    method: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    item: AgendaItem | None = None,
    candidate: Person | None = None,
    constituency: str = "",
) -> Vote:
    """Record one item's vote. Whether it passed is computed: more than half of ALL the congress's
    deputies voted for it (for a presidium meeting: of all its members), not of those present.
    A by-election that passes starts the candidate's mandate in the congress's term."""
    _require(may.may_run_meeting(actor, meeting))
    meeting = _lock(meeting)
    _require_state(meeting, {MeetingState.OPEN}, _("Votes are recorded while the meeting is open."))
    count = quorum(meeting)
    errors = _tally_errors(votes_for, votes_against, abstentions, count.present)
    if not title.strip():
        errors["title"] = _("Say what is voted on.")
    if kind not in VoteKind.values:
        errors["kind"] = _("Choose the kind of vote.")
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = _("The item is not on this meeting's agenda.")
    if kind in {VoteKind.ELECTION, VoteKind.BY_ELECTION} and candidate is None:
        errors["candidate"] = _("Choose the candidate voted on.")
    if kind == VoteKind.BY_ELECTION:
        if meeting.kind != MeetingKind.SESSION:
            errors["kind"] = _("By-elections are held at a congress session.")
        elif candidate is not None and congress_deputies(meeting.term, meeting.date).filter(person=candidate).exists():  # type: ignore[arg-type]
            errors["candidate"] = _("%(name)s is a deputy of this congress already.") % {"name": candidate}
    if errors:
        raise ValidationError(errors)
    last = meeting.votes.aggregate(last=Max("position"))["last"]
    vote = Vote.objects.create(
        meeting=meeting,
        item=item,
        position=(last or 0) + 1,
        kind=kind,
        title=title.strip(),
        method=method,
        candidate=candidate,
        constituency=constituency.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        deputies_total=count.deputies_total,
        present=count.present,
        passed=rules.passes(votes_for, count.deputies_total),
        recorded_at=_now(),
        recorded_by=actor,
    )
    if vote.kind == VoteKind.BY_ELECTION and vote.passed:
        _start_by_election_mandate(vote, actor)
    audit.record(
        "meetings.vote.record",
        actor=actor,
        target=meeting,
        data={
            "title": vote.title,
            "for": votes_for,
            "against": votes_against,
            "abstain": abstentions,
            "passed": vote.passed,
        },
    )
    return vote


def _start_by_election_mandate(vote: Vote, actor: User) -> None:
    from renda.deputies import services as deputies

    meeting = vote.meeting
    assert vote.candidate is not None and meeting.term is not None
    mandate = Mandate(
        person=vote.candidate, term=meeting.term, level=MandateLevel.TOWNSHIP, constituency=vote.constituency
    )
    deputies.mandate_create(
        mandate=mandate, starts_on=meeting.date, actor=actor, start_kind=MandateEventKind.BY_ELECTION
    )
    vote.mandate = mandate
    vote.save(update_fields=["mandate", "updated_at"])


@transaction.atomic
def correct_vote(
    vote: Vote, actor: User, *, votes_for: int, votes_against: int, abstentions: int, reason: str
) -> VoteCorrection:
    """Correct a recorded tally (a counting error found later). The figures before, the new ones
    and the reason are kept; the outcome is computed again. A by-election whose mandate has started
    cannot be turned into a failure here: the mandate is ended in the roster instead."""
    _require(may.may_run_meeting(actor, vote.meeting))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the tally is corrected.")})
    vote = Vote.objects.unscoped().select_for_update().get(pk=vote.pk)
    errors = _tally_errors(votes_for, votes_against, abstentions, vote.present)
    if errors:
        raise ValidationError(errors)
    before = {"for": vote.votes_for, "against": vote.votes_against, "abstain": vote.abstentions, "passed": vote.passed}
    passed = rules.passes(votes_for, vote.deputies_total)
    if vote.mandate_id and not passed:
        raise ValidationError(
            _("The by-election's mandate has started; end it in the roster rather than correcting the tally.")
        )
    vote.votes_for, vote.votes_against, vote.abstentions, vote.passed = votes_for, votes_against, abstentions, passed
    vote.save(update_fields=["votes_for", "votes_against", "abstentions", "passed", "updated_at"])
    if vote.kind == VoteKind.BY_ELECTION and passed and not vote.mandate_id:
        _start_by_election_mandate(vote, actor)
    after = {"for": votes_for, "against": votes_against, "abstain": abstentions, "passed": passed}
    correction = VoteCorrection.objects.create(
        vote=vote, before=before, after=after, reason=reason.strip(), corrected_by=actor
    )
    audit.record(
        "meetings.vote.correct",
        actor=actor,
        target=vote.meeting,
        data={"title": vote.title, "before": before, "after": after, "reason": reason.strip()},
    )
    return correction


# ---------------------------------------------------------------- resolutions


def next_report_due(day: date) -> date:
    return workdays.add_working_days(day, settings.RENDA_RESOLUTION_REPORT_WORKING_DAYS)


@transaction.atomic
def adopt_resolution(
    meeting: Meeting,
    actor: User,
    *,
    kind: str,
    title: str,
    text: str,
    units: Sequence[Agency],
    vote: Vote | None = None,
    adopted_on: date | None = None,
) -> Resolution:
    """Record a resolution or decision the meeting adopted, with the units responsible for it;
    their first implementation report is due after the reporting interval."""
    _require(may.may_run_meeting(actor, meeting))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the resolution's title.")
    if not text.strip():
        errors["text"] = _("Give the resolution's text.")
    if kind not in ResolutionKind.values:
        errors["kind"] = _("Choose resolution or decision.")
    if vote is not None:
        if vote.meeting_id != meeting.pk:
            errors["vote"] = _("The vote was not taken at this meeting.")
        elif not vote.passed:
            errors["vote"] = _("This vote did not pass; nothing was adopted.")
        elif Resolution.objects.unscoped().filter(vote=vote).exists():
            errors["vote"] = _("A resolution is recorded for this vote already.")
    if not units:
        errors["units"] = _("Name at least one unit responsible for carrying it out.")
    foreign = [
        a for a in units if a.county_id != meeting.county_id or (a.township_id not in (None, meeting.township_id))
    ]
    if foreign:
        errors["units"] = _("Not units of this township or county: %(names)s.") % {
            "names": "、".join(a.name for a in foreign)
        }
    if meeting.state not in {MeetingState.OPEN, MeetingState.CLOSED}:
        errors["meeting"] = _("Resolutions are adopted at a meeting that has opened.")
    if errors:
        raise ValidationError(errors)
    adopted_on = adopted_on or meeting.date
    resolution = Resolution.objects.create(
        meeting=meeting,
        vote=vote,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        adopted_on=adopted_on,
        next_report_due_on=next_report_due(adopted_on),
    )
    ResolutionUnit.objects.bulk_create([ResolutionUnit(resolution=resolution, agency=a) for a in dict.fromkeys(units)])
    audit.record("meetings.resolution.adopt", actor=actor, target=resolution, data={"units": len(set(units))})
    return resolution


@transaction.atomic
def report_implementation(
    resolution: Resolution, actor: User, *, text: str, reported_on: date | None = None, agency: Agency | None = None
) -> ImplementationReport:
    """A report on the resolution's implementation (落实情况): by a responsible unit's handler (for
    their unit) or by staff (for a unit, or the township as a whole). The next one falls due after
    the reporting interval."""
    _require(may.may_report_on(actor, resolution))
    if not may.may_run_meeting(actor, resolution.meeting):
        agency = Agency.objects.unscoped().get(pk=actor.agency_id)  # a handler reports for their unit
    reported_on = reported_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Say what has been done.")
    if reported_on > timezone.localdate():
        errors["reported_on"] = _("The date cannot be in the future.")
    if reported_on < resolution.adopted_on:
        errors["reported_on"] = _("The date cannot be before the resolution was adopted.")
    if agency is not None and not resolution.units.filter(agency=agency).exists():
        errors["agency"] = _("The unit is not responsible for this resolution.")
    if errors:
        raise ValidationError(errors)
    resolution = Resolution.objects.unscoped().select_for_update().get(pk=resolution.pk)
    if resolution.state == ResolutionState.DONE:
        raise ValidationError(_("The presidium has marked this resolution carried out."))
    report = ImplementationReport.objects.create(
        resolution=resolution, agency=agency, reported_on=reported_on, text=text.strip(), recorded_by=actor
    )
    resolution.next_report_due_on = next_report_due(reported_on)
    resolution.version += 1
    resolution.save(update_fields=["next_report_due_on", "version", "updated_at"])
    audit.record(
        "meetings.resolution.report",
        actor=actor,
        target=resolution,
        data={"agency": agency.name if agency else "", "date": reported_on.isoformat()},
    )
    return report


@transaction.atomic
def mark_resolution_done(
    resolution: Resolution, actor: User, *, expected_version: int, presidium_meeting: Meeting, note: str
) -> Resolution:
    """The presidium, at one of its meetings, finds the resolution carried out."""
    _require(may.may_run_meeting(actor, resolution.meeting))
    errors: dict[str, str] = {}
    if (
        presidium_meeting.kind != MeetingKind.PRESIDIUM
        or presidium_meeting.township_id != resolution.meeting.township_id
        or presidium_meeting.state not in {MeetingState.OPEN, MeetingState.CLOSED}
    ):
        errors["presidium_meeting"] = _("Choose a presidium meeting of this township that has been held.")
    if not note.strip():
        errors["note"] = _("Give the presidium's conclusion.")
    if errors:
        raise ValidationError(errors)
    resolution = Resolution.objects.unscoped().select_for_update().get(pk=resolution.pk)
    if resolution.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    if resolution.state == ResolutionState.DONE:
        raise ValidationError(_("The presidium has marked this resolution carried out already."))
    if not resolution.reports.exists():
        raise ValidationError(_("No implementation report is recorded yet."))
    resolution.state = ResolutionState.DONE
    resolution.done_on = presidium_meeting.date
    resolution.done_meeting = presidium_meeting
    resolution.done_note = note.strip()
    resolution.next_report_due_on = None
    resolution.version += 1
    resolution.save(
        update_fields=["state", "done_on", "done_meeting", "done_note", "next_report_due_on", "version", "updated_at"]
    )
    audit.record("meetings.resolution.done", actor=actor, target=resolution, data={"meeting": str(presidium_meeting)})
    return resolution


# ---------------------------------------------------------------- attendance pages


@transaction.atomic
def rotate_signin_token(meeting: Meeting, actor: User) -> Meeting:
    """Withdraw the meeting's sign-in code (a photo of it went round, or it was shown to the wrong
    room): a new token is drawn, so the old code's address stops signing anyone in at once and the
    venue's screen shows the new code. Only while sign-in is taken."""
    _require(may.may_run_meeting(actor, meeting))
    meeting = _lock(meeting)
    _require_state(meeting, ATTENDING, _("The meeting is over; sign-in is closed."))
    meeting.signin_token = secrets.token_urlsafe(24)
    _bump(meeting, "signin_token")
    audit.record("meetings.signin_code.withdraw", actor=actor, target=meeting)
    return meeting
# ---------------------------------------------------------------- motions, session suggestions, congress size


@transaction.atomic
def set_congress_size(term: Term, actor: User, *, population: int | None, fixed_seats: int | None) -> Term:
    """Record the population counted for a township congress's term and, if the county fixed one,
    its own number of seats; the legal number follows from the population (``rules.legal_seats``).
    Fewer seats than the base number are lawful only under the small-population limit. Written
    as any change of a term is (one ``organisations.term.update`` entry)."""
    from renda.organisations import services as organisations

    _require(may.may_set_congress_size(actor, term))
    if term.township_id is None:
        raise ValidationError(_("Only a township congress's size is recorded here."))
    errors: dict[str, str] = {}
    if fixed_seats is not None:
        if fixed_seats > settings.RENDA_CONGRESS_MAX_SEATS:
            errors["fixed_seats"] = _("A township congress has at most %(max)s seats.") % {
                "max": settings.RENDA_CONGRESS_MAX_SEATS
            }
        elif fixed_seats < settings.RENDA_CONGRESS_BASE_SEATS and not rules.legal_seats(population).may_be_fewer:
            errors["fixed_seats"] = _(
                "Fewer than %(base)s seats only where fewer than %(small)s people live; record the population first."
            ) % {"base": settings.RENDA_CONGRESS_BASE_SEATS, "small": settings.RENDA_CONGRESS_SMALL_POPULATION}
    if errors:
        raise ValidationError(errors)
    term = Term.objects.unscoped().select_for_update(of=("self",)).select_related("township", "county").get(pk=term.pk)
    changed = [
        name
        for name, value in (("population", population), ("fixed_seats", fixed_seats))
        if getattr(term, name) != value
    ]
    if not changed:
        return term
    term.population, term.fixed_seats = population, fixed_seats
    organisations.unit_save(instance=term, actor=actor, changed_fields=changed)
    return term
