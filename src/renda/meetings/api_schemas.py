"""The meetings API's schemas: what a meeting and its parts look like in JSON.

The sign-in secret (``Meeting.signin_token``) is never part of an answer: it is on the QR code shown
at the meeting, and a deputy sends it to sign in. Every input field has a default, so that a body
missing a field reaches the service, which names what is missing in Chinese (a 422 per field)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from . import rules, services


class NoticeOut(Schema):
    """Whether a session's notice reached the deputies in time (seven days ahead)."""

    due_by: date | None
    sent_on: date | None
    on_time: bool | None
    late: bool


class QuorumOut(Schema):
    """The live count: all the deputies (应到), those present (实到), two thirds needed."""

    applies: bool
    deputies_total: int
    present: int
    on_leave: int
    needed: int
    reached: bool
    missing: int


class MeetingListOut(Schema):
    uuid: UUID
    name: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    township: UUID = Field(..., alias="township.uuid")
    township_name: str = Field(..., alias="township.name")
    number: int | None
    is_extra: bool
    starts_at: datetime
    ends_on: date
    venue: str
    version: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


class MeetingOut(MeetingListOut):
    term_number: int | None
    extra_basis: str
    motion_deadline: datetime | None
    notice_text: str
    notice_sent_at: datetime | None
    notice: NoticeOut
    quorum: QuorumOut
    opened_at: datetime | None
    closed_at: datetime | None
    minutes: str

    @staticmethod
    def resolve_term_number(obj) -> int | None:
        return obj.term.number if obj.term_id else None

    @staticmethod
    def resolve_notice(obj) -> Any:
        return services.notice_check(obj)

    @staticmethod
    def resolve_quorum(obj) -> Any:
        return services.quorum(obj)


class DocumentOut(Schema):
    uuid: UUID
    name: str
    content_type: str
    size: int


class AgendaItemOut(Schema):
    uuid: UUID
    position: int
    kind: str
    kind_label: str
    title: str
    presenter: str
    note: str
    motion: UUID | None = None
    documents: list[DocumentOut]

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_motion(obj) -> UUID | None:
        return obj.motion.uuid if obj.motion_id else None

    @staticmethod
    def resolve_documents(obj) -> list[Any]:
        return list(obj.documents.all())


class AttendanceOut(Schema):
    uuid: UUID
    mandate: UUID = Field(..., alias="mandate.uuid")
    name: str = Field(..., alias="mandate.person.full_name")
    status: str
    status_label: str
    signed_in_at: datetime | None
    signin_method: str
    leave_half_days: int

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class AttendanceListOut(Schema):
    quorum: QuorumOut
    attendances: list[AttendanceOut]


class SignInIn(Schema):
    # A deputy: the code of the QR shown at the meeting. Staff: the attendance of the deputy signed in.
    token: str = Field("", max_length=100)
    attendance: UUID | None = None


class LeaveIn(Schema):
    # Staff enter a deputy's request (``attendance``); a deputy's own request names none.
    attendance: UUID | None = None
    first_day: date | None = None  # the meeting's first day when not given
    first_half: str = Field("am", pattern="^(am|pm)$")
    half_days: int = Field(1, ge=0, le=60)
    reason: str = Field("", max_length=300)


class LeaveOut(Schema):
    uuid: UUID
    attendance: UUID = Field(..., alias="attendance.uuid")
    first_day: date
    first_half: str
    half_days: int
    reason: str
    state: str
    state_label: str
    decision_note: str

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


class LeaveDecisionIn(Schema):
    approve: bool = False
    note: str = Field("", max_length=300)


class CorrectionOut(Schema):
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    at: datetime = Field(..., alias="created_at")


class VoteOut(Schema):
    uuid: UUID
    position: int
    kind: str
    kind_label: str
    title: str
    method: str
    method_label: str
    item: UUID | None = None
    candidate: str = ""
    votes_for: int
    votes_against: int
    abstentions: int
    deputies_total: int
    present: int
    votes_needed: int
    passed: bool
    recorded_at: datetime
    corrections: list[CorrectionOut]

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_method_label(obj) -> str:
        return str(obj.get_method_display())

    @staticmethod
    def resolve_item(obj) -> UUID | None:
        return obj.item.uuid if obj.item_id else None

    @staticmethod
    def resolve_candidate(obj) -> str:
        return obj.candidate.full_name if obj.candidate_id else ""

    @staticmethod
    def resolve_votes_needed(obj) -> int:
        return rules.votes_needed(obj.deputies_total)

    @staticmethod
    def resolve_corrections(obj) -> list[Any]:
        return list(obj.corrections.all())


class VoteIn(Schema):
    kind: str = Field("", max_length=20)
    title: str = Field("", max_length=200)
    method: str = Field("hands", max_length=20)
    votes_for: int = Field(0, ge=0, le=10000)
    votes_against: int = Field(0, ge=0, le=10000)
    abstentions: int = Field(0, ge=0, le=10000)
    item: UUID | None = None  # the agenda item voted on
    candidate: UUID | None = None  # elections: the person (a deputy of the township)
    constituency: str = Field("", max_length=80)


class CorrectionIn(Schema):
    votes_for: int = Field(0, ge=0, le=10000)
    votes_against: int = Field(0, ge=0, le=10000)
    abstentions: int = Field(0, ge=0, le=10000)
    reason: str = Field("", max_length=300)


class SignerOut(Schema):
    mandate: UUID = Field(..., alias="mandate.uuid")
    name: str = Field(..., alias="mandate.person.full_name")
    is_lead: bool


class MotionOut(Schema):
    uuid: UUID
    number: int
    title: str
    content: str
    state: str
    state_label: str
    submitted_at: datetime
    signers: list[SignerOut]
    decision_reason: str
    decided_at: datetime | None
    version: int

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_signers(obj) -> list[Any]:
        return list(obj.signers.all())


class MotionIn(Schema):
    title: str = Field("", max_length=200)
    content: str = Field("", max_length=10000)
    # A deputy leads with their own mandate (the one of this congress when not given); staff
    # entering a paper motion name the lead signer.
    lead: UUID | None = None
    signers: list[UUID] = Field(default_factory=list, max_length=200)


class MotionDecisionIn(Schema):
    place: bool = False
    reason: str = Field("", max_length=2000)
    # The motion's version the client read (GET …/motions); a newer one means someone decided meanwhile.
    version: int | None = None
