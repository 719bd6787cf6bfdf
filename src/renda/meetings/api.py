"""The meetings JSON API under /api/v1/: the same scoping and the same services as the pages.

Reads go through ``scoped()``/``get_scoped_or_404()``: a meeting outside the caller's scope is 404,
as on the pages (a deputy sees the meetings they are expected at). Every write calls a service of
``services``, which checks who may act and writes the audit entry. The services' refusals are
answered as: ``StaleEdit`` 409 with the Chinese message, ``ValidationError`` 422 with the messages
per field, ``PermissionDenied`` 403 (the caller sees the meeting but may not take this step)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Status
from ninja.pagination import paginate

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core import api_refusals as refusals
from renda.core.api_refusals import REFUSALS
from renda.deputies.models import Mandate, Person

from . import permissions as may
from . import services
from .api_schemas import (
    AgendaItemOut,
    AttendanceListOut,
    AttendanceOut,
    CorrectionIn,
    CorrectionOut,
    LeaveDecisionIn,
    LeaveIn,
    LeaveOut,
    MeetingListOut,
    MeetingOut,
    MotionDecisionIn,
    MotionIn,
    MotionOut,
    SignInIn,
    VoteIn,
    VoteOut,
)
from .models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    LeaveRequest,
    Meeting,
    MeetingKind,
    MeetingState,
    Motion,
    MotionSigner,
    Vote,
    VoteCorrection,
    VoteMethod,
)

router = Router(tags=["meetings"])

# A refused step: 403/409/422 with the services' Chinese messages (core/api_refusals).
answers_refusals = refusals.answers_refusals(gettext_lazy("You may not take this step at this meeting."))


# ---------------------------------------------------------------- reading


def _meeting(request, uuid: UUID) -> Meeting:
    return get_scoped_or_404(
        Meeting.objects.unscoped().select_related("township", "term"), request.auth, VIEW, uuid=uuid
    )


def _attendances(user, meeting: Meeting) -> QuerySet[Attendance]:
    return (
        scoped(Attendance, user, VIEW)
        .filter(meeting=meeting)
        .select_related("mandate__person")
        .order_by("mandate__person__name_stroke_key", "id")
    )


def _motions(user, meeting: Meeting) -> QuerySet[Motion]:
    signers = MotionSigner.objects.unscoped().select_related("mandate__person").order_by("-is_lead", "id")
    return (
        scoped(Motion, user, VIEW)
        .filter(meeting=meeting)
        .prefetch_related(Prefetch("signers", queryset=signers))
        .order_by("number")
    )


def _votes(user, meeting: Meeting) -> QuerySet[Vote]:
    corrections = VoteCorrection.objects.unscoped().order_by("created_at", "id")
    return (
        scoped(Vote, user, VIEW)
        .filter(meeting=meeting)
        .select_related("item", "candidate")
        .prefetch_related(Prefetch("corrections", queryset=corrections))
        .order_by("position", "id")
    )


@router.get("/meetings", response=list[MeetingListOut])
@paginate
def list_meetings(
    request,
    kind: str = "",
    state: str = "",
    township: UUID | None = None,
    year: int | None = None,
    q: str = "",
):
    """The meetings the caller may see, latest first: staff their township's, the county
    administrator and leaders the county's, a deputy those they are expected at. ``kind`` and
    ``state`` take several values separated by commas; ``q`` searches titles and venues."""
    meetings = scoped(Meeting, request.auth, VIEW).select_related("township", "term")
    if kind:
        meetings = meetings.filter(kind__in=[k for k in kind.split(",") if k in MeetingKind.values])
    if state:
        meetings = meetings.filter(state__in=[s for s in state.split(",") if s in MeetingState.values])
    if township is not None:
        meetings = meetings.filter(township__uuid=township)
    if year is not None:
        # A year Python's dates cannot hold matches no meeting (rather than failing the lookup).
        meetings = meetings.filter(starts_at__year=year) if 1 <= year <= 9999 else meetings.none()
    text = q.strip()[:50]
    if text:
        meetings = meetings.filter(
            Q(title__icontains=text) | Q(venue__icontains=text) | Q(township__name__icontains=text)
        )
    # A deputy's scope joins their attendances; distinct keeps one row per meeting.
    return meetings.distinct().order_by("-starts_at", "-id")


@router.get("/meetings/{uuid}", response=MeetingOut)
def get_meeting(request, uuid: UUID):
    """One meeting: its official name, state, the notice and whether it went in time, the quorum."""
    return _meeting(request, uuid)


@router.get("/meetings/{uuid}/agenda", response=list[AgendaItemOut])
def meeting_agenda(request, uuid: UUID):
    meeting = _meeting(request, uuid)
    documents = AgendaDocument.objects.unscoped().order_by("created_at", "id")
    return (
        scoped(AgendaItem, request.auth, VIEW)
        .filter(meeting=meeting)
        .select_related("motion")
        .prefetch_related(Prefetch("documents", queryset=documents))
        .order_by("position", "id")
    )


@router.get("/meetings/{uuid}/attendance", response=AttendanceListOut)
def meeting_attendance(request, uuid: UUID):
    """The quorum (all deputies, present, on leave, two thirds needed) and the attendance rows the
    caller may see: all of them for staff, their own for a deputy."""
    meeting = _meeting(request, uuid)
    return {"quorum": services.quorum(meeting), "attendances": list(_attendances(request.auth, meeting))}


@router.get("/meetings/{uuid}/votes", response=list[VoteOut])
def meeting_votes(request, uuid: UUID):
    """The votes with their tallies, the votes needed (a majority of all deputies) and corrections."""
    return _votes(request.auth, _meeting(request, uuid))


@router.get("/meetings/{uuid}/motions", response=list[MotionOut])
def meeting_motions(request, uuid: UUID):
    """The session's motions the caller may see (a deputy: those they signed) with their signers."""
    return _motions(request.auth, _meeting(request, uuid))


# ---------------------------------------------------------------- attendance


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _attendance_of(request, meeting: Meeting, uuid: UUID) -> Attendance:
    found = _attendances(request.auth, meeting).filter(uuid=uuid).first()
    if found is None:
        raise _invalid("attendance", _("The deputy is not expected at this meeting."))
    return found


@router.post("/meetings/{uuid}/sign-in", response={200: AttendanceOut, **REFUSALS})
@answers_refusals
def sign_in(request, uuid: UUID, payload: SignInIn):
    """Sign in: a deputy sends the code of the meeting's QR (``token``); staff sign a deputy in by
    their ``attendance``. Signing in twice keeps the first time."""
    meeting = _meeting(request, uuid)
    attendance = _attendance_of(request, meeting, payload.attendance) if payload.attendance else None
    # services.sign_in compares the code with secrets.compare_digest, which raises TypeError on
    # non-ASCII text: a code that is not ASCII is no code of ours, refused as an empty one.
    token = payload.token if payload.token.isascii() else ""
    row = services.sign_in(meeting, request.auth, token=token, attendance=attendance)
    return _attendances(request.auth, meeting).get(pk=row.pk)


@router.post("/meetings/{uuid}/leave", response={201: LeaveOut, **REFUSALS})
@answers_refusals
def request_leave(request, uuid: UUID, payload: LeaveIn):
    """Ask for leave by half-days: a deputy for themselves; staff for a deputy (``attendance``)."""
    meeting = _meeting(request, uuid)
    if payload.attendance is not None:
        attendance = _attendance_of(request, meeting, payload.attendance)
    else:
        own = may.is_expected_deputy(request.auth, meeting)
        if own is None:
            raise _invalid("attendance", _("You are not expected at this meeting."))
        attendance = own
    attendance.meeting = meeting
    leave = services.request_leave(
        attendance,
        request.auth,
        first_day=payload.first_day or meeting.date,
        first_half=payload.first_half,
        half_days=payload.half_days,
        reason=payload.reason,
    )
    return Status(201, leave)


@router.post("/leave-requests/{uuid}/decision", response={200: LeaveOut, **REFUSALS})
@answers_refusals
def decide_leave(request, uuid: UUID, payload: LeaveDecisionIn):
    """Staff approve a request for leave, or refuse it with the reason (``note``)."""
    leave = get_scoped_or_404(
        LeaveRequest.objects.unscoped().select_related("attendance__meeting"), request.auth, VIEW, uuid=uuid
    )
    return services.decide_leave(leave, request.auth, approve=payload.approve, note=payload.note)


# ---------------------------------------------------------------- votes


@router.post("/meetings/{uuid}/votes", response={201: VoteOut, **REFUSALS})
@answers_refusals
def record_vote(request, uuid: UUID, payload: VoteIn):
    """Record one item's vote. Whether it passed is computed: more than half of all the deputies
    voted for it, not of those present. A by-election names its ``candidate`` (a person of the
    township) and ``constituency``."""
    meeting = _meeting(request, uuid)
    if payload.method not in VoteMethod.values:
        raise _invalid("method", _("Choose the voting method."))
    item = None
    if payload.item is not None:
        item = scoped(AgendaItem, request.auth, VIEW).filter(uuid=payload.item, meeting=meeting).first()
        if item is None:
            raise _invalid("item", _("The item is not on this meeting's agenda."))
    candidate = None
    if payload.candidate is not None:
        candidate = scoped(Person, request.auth, VIEW).filter(uuid=payload.candidate, township=meeting.township).first()
        if candidate is None:
            raise _invalid("candidate", _("Choose a person of this township."))
    vote = services.record_vote(
        meeting,
        request.auth,
        kind=payload.kind,
        title=payload.title,
        method=payload.method,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        abstentions=payload.abstentions,
        item=item,
        candidate=candidate,
        constituency=payload.constituency,
    )
    return Status(201, _votes(request.auth, meeting).get(pk=vote.pk))


@router.post("/votes/{uuid}/corrections", response={201: CorrectionOut, **REFUSALS})
@answers_refusals
def correct_vote(request, uuid: UUID, payload: CorrectionIn):
    """Correct a recorded tally (a counting error found later): the figures before and after and
    the reason are kept, and whether it passed is computed again."""
    vote = get_scoped_or_404(Vote.objects.unscoped().select_related("meeting"), request.auth, VIEW, uuid=uuid)
    correction = services.correct_vote(
        vote,
        request.auth,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        abstentions=payload.abstentions,
        reason=payload.reason,
    )
    return Status(201, correction)


# ---------------------------------------------------------------- motions


def _congress_mandates(meeting: Meeting, uuids: list[UUID]) -> dict[UUID, Mandate]:
    """The deputies of the meeting's congress among ``uuids``. A deputy names co-signers they do not
    otherwise see, so this reads the congress's roster (the service checks it again)."""
    if meeting.term is None or not uuids:
        return {}
    deputies = services.congress_deputies(meeting.term, meeting.date).filter(uuid__in=uuids)
    return {mandate.uuid: mandate for mandate in deputies.select_related("person")}


@router.post("/meetings/{uuid}/motions", response={201: MotionOut, **REFUSALS})
@answers_refusals
def submit_motion(request, uuid: UUID, payload: MotionIn):
    """Submit a motion (议案) to a session, signed jointly by at least five deputies of its congress.
    A deputy leads it with their own mandate; staff enter a paper motion naming its ``lead``."""
    user = request.auth
    meeting = _meeting(request, uuid)
    wanted = list(dict.fromkeys([*([payload.lead] if payload.lead else []), *payload.signers]))
    found = _congress_mandates(meeting, wanted)
    missing = [uuid for uuid in wanted if uuid not in found]
    if missing:
        raise _invalid("signers", _("Choose deputies of this congress."))
    if payload.lead is not None:
        lead = found[payload.lead]
    elif may.may_run_meeting(user, meeting):
        raise _invalid("lead", _("Name the motion's lead signer."))
    else:
        own = may.is_expected_deputy(user, meeting)
        if own is None:
            raise _invalid("lead", _("Sign with your own mandate of this congress."))
        lead = own.mandate
    signers = [found[uuid] for uuid in payload.signers if uuid in found]
    motion = services.submit_motion(
        meeting, user, title=payload.title, content=payload.content, lead=lead, signers=signers
    )
    return Status(201, _motions(user, meeting).get(pk=motion.pk))


@router.post("/motions/{uuid}/decision", response={200: MotionOut, **REFUSALS})
@answers_refusals
def decide_motion(request, uuid: UUID, payload: MotionDecisionIn):
    """The presidium's decision, recorded by staff: ``place`` on the agenda, or not with the
    ``reason``; ``version`` is the motion's as read (409 when someone decided meanwhile)."""
    motion = get_scoped_or_404(Motion.objects.unscoped().select_related("meeting"), request.auth, VIEW, uuid=uuid)
    if payload.version is None:
        raise _invalid("version", _("Send the motion's version as you read it."))
    services.decide_motion(
        motion, request.auth, expected_version=payload.version, place=payload.place, reason=payload.reason
    )
    return _motions(request.auth, motion.meeting).get(pk=motion.pk)
