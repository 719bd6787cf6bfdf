"""The casework API's schemas: what a case, its parts and a step look like in JSON.

Personal data: a citizen's name and (masked) phone are given only to those who may call the
citizen back (``permissions.may_reveal_citizen_phone``'s people); the tracking code never."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema


class SignerOut(Schema):
    mandate: UUID = Field(..., alias="mandate.uuid")
    name: str = Field(..., alias="mandate.person.full_name")
    is_lead: bool


class AssignmentOut(Schema):
    agency: UUID = Field(..., alias="agency.uuid")
    agency_name: str = Field(..., alias="agency.name")
    is_lead: bool
    assigned_on: date
    hand_back_until: date
    accepted_at: datetime | None
    handed_back_at: datetime | None
    hand_back_reason: str
    view_due_on: date | None
    view_text: str
    view_sent_at: datetime | None


class ReplyOut(Schema):
    round: int
    agency: UUID = Field(..., alias="agency.uuid")
    agency_name: str = Field(..., alias="agency.name")
    reply_class: str
    reply_class_label: str
    done_items: str
    planned_items: str
    planned_by: date | None
    not_adopted_reasons: str
    consultation: str
    public_text: str
    signer: str
    contact_name: str
    contact_phone: str
    document_number: str
    answered_at: datetime
    due_on: date | None


class RatingOut(Schema):
    round: int
    case: UUID = Field(..., alias="case.uuid")
    mandate: UUID | None = Field(None, alias="mandate.uuid")
    # The signing deputy's name, or empty for the citizen (whose name is not repeated here).
    rater: str
    handling: str
    result: str
    comment: str
    recorded_by_staff: bool
    rated_at: datetime

    @staticmethod
    def resolve_rater(obj) -> str:
        return obj.mandate.person.full_name if obj.mandate_id else ""


class EventOut(Schema):
    step: str = Field(..., alias="transition")
    step_label: str
    from_state: str
    to_state: str
    by: str
    at: datetime
    reason: str

    @staticmethod
    def resolve_by(obj) -> str:
        # The person's name, never their login name (which only their administrators see).
        actor = obj.actor if obj.actor_id else None
        return (actor.full_name or str(actor.get_role_display())) if actor is not None else obj.actor_label

    @staticmethod
    def resolve_step_label(obj) -> str:
        from .workflow import Step

        return str(Step(obj.transition).label) if obj.transition in Step.values else obj.transition


class NoteOut(Schema):
    agency_name: str = ""
    text: str
    at: datetime

    @staticmethod
    def resolve_agency_name(obj) -> str:
        return obj.agency.name if obj.agency_id else ""


class ExtensionOut(Schema):
    id: int
    agency_name: str = Field(..., alias="agency.name")
    requested_at: datetime
    until: date
    reason: str
    approved: bool | None
    decided_at: datetime | None
    decision_reason: str


class CaseListOut(Schema):
    uuid: UUID
    reference: str
    source: str
    source_label: str
    title: str
    state: str
    state_label: str
    township: UUID = Field(..., alias="township.uuid")
    township_name: str = Field(..., alias="township.name")
    category: str = ""
    received_on: date | None
    lead_agency: str = ""
    is_key: bool
    key_leader: str
    is_repeated: bool
    rehandle_count: int
    escalation: int
    # The deadline running now, its name and colour (green, yellow = near, red = overdue).
    due_on: date | None = None
    due_label: str = ""
    urgency: str = ""
    version: int

    @staticmethod
    def resolve_source_label(obj) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name if obj.category_id else ""

    @staticmethod
    def resolve_lead_agency(obj) -> str:
        for assignment in getattr(obj, "live_assignments", ()):
            if assignment.is_lead:
                return assignment.agency.name
        return ""

    @staticmethod
    def resolve_due_on(obj) -> date | None:
        due = _due(obj)
        return due.on if due else None

    @staticmethod
    def resolve_due_label(obj) -> str:
        due = _due(obj)
        return str(due.label) if due else ""

    @staticmethod
    def resolve_urgency(obj) -> str:
        due = _due(obj)
        return str(due.urgency) if due else ""


def _due(case):
    from django.utils import timezone

    from .deadlines import due_of

    return due_of(case, timezone.localdate())


def _activity_finding(case) -> Any:
    """The finding of an activity the case came from (read with the case), or None."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return case.activity_finding
    except ObjectDoesNotExist:
        return None


class CaseOut(CaseListOut):
    content: str
    station: UUID | None = Field(None, alias="station.uuid")
    station_name: str = ""
    merged_into: UUID | None = Field(None, alias="merged_into.uuid")
    citizen_name: str = ""
    citizen_phone: str = ""
    assigned_on: date | None
    answered_on: date | None
    rehandle_started_on: date | None
    extended_to: date | None
    assign_due_on: date | None
    answer_due_on: date | None
    rating_due_on: date | None
    closed_on: date | None
    signers: list[SignerOut]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]
    ratings: list[RatingOut]
    notes: list[NoteOut]
    extensions: list[ExtensionOut]
    timeline: list[EventOut]
    # The steps the case's state allows now (whether this user may take them is checked on POST).
    allowed_steps: list[str]
    # The activity whose finding became this case (source "activity_finding"), if any.
    activity: UUID | None = None
    activity_title: str = ""

    @staticmethod
    def resolve_activity(obj) -> UUID | None:
        finding = _activity_finding(obj)
        return finding.activity.uuid if finding is not None else None

    @staticmethod
    def resolve_activity_title(obj) -> str:
        finding = _activity_finding(obj)
        return finding.activity.title if finding is not None else ""

    @staticmethod
    def resolve_station_name(obj) -> str:
        return obj.station.name if obj.station_id else ""

    @staticmethod
    def resolve_citizen_name(obj) -> str:
        return obj.citizen_label if getattr(obj, "shows_citizen", False) and obj.is_citizen_opinion else ""

    @staticmethod
    def resolve_citizen_phone(obj) -> str:
        from renda.core.pii import mask_phone

        return mask_phone(obj.citizen_phone) if getattr(obj, "shows_citizen", False) else ""

    @staticmethod
    def resolve_signers(obj):
        return obj.signers.all()

    @staticmethod
    def resolve_assignments(obj):
        return obj.assignments.all()

    @staticmethod
    def resolve_replies(obj):
        return obj.replies.all()

    @staticmethod
    def resolve_ratings(obj):
        return obj.ratings.all()

    @staticmethod
    def resolve_notes(obj):
        return obj.notes.all()

    @staticmethod
    def resolve_extensions(obj):
        return obj.extensions.all()

    @staticmethod
    def resolve_timeline(obj):
        return obj.events.all()

    @staticmethod
    def resolve_allowed_steps(obj) -> list[str]:
        from .workflow import allowed_steps

        api_steps = set(TRANSITION_STEPS)
        return [step.value for step in allowed_steps(obj.state) if step.value in api_steps]


# The steps POST /cases/{uuid}/transitions takes, each dispatched to the service of that name.
TRANSITION_STEPS = (
    "submit",
    "accept",
    "merge",
    "reject",
    "handle_on_spot",
    "assign",
    "agency_accept",
    "hand_back",
    "rehandle",
    "close",
)


class CaseIn(Schema):
    """A case filed by staff (any source, signers of their township) or by a deputy (their own
    suggestion: their mandate leads; co-signers from the same township)."""

    source: str = "recess_suggestion"
    title: str = Field(..., max_length=120)
    content: str = Field(..., max_length=5000)
    township: UUID | None = None
    # The category's name (e.g. 城建环资) or UUID.
    category: str = Field("", max_length=40)
    station: UUID | None = None
    lead: UUID | None = None
    signers: list[UUID] = Field(default_factory=list, max_length=50)
    citizen_name: str = Field("", max_length=30)
    citizen_phone: str = Field("", max_length=20)
    received_on: date | None = None
    submit: bool = True


class TransitionIn(Schema):
    step: str
    # The case's version the client read (GET /cases/{uuid}); a newer one means someone else acted.
    version: int | None = None
    reason: str = Field("", max_length=2000)
    into: UUID | None = None  # merge: the main case
    reply_text: str = Field("", max_length=5000)  # handle_on_spot
    lead: UUID | None = None  # assign: the lead agency
    co: list[UUID] = Field(default_factory=list, max_length=20)  # assign: co-agencies


class NoteIn(Schema):
    text: str = Field(..., max_length=2000)


class ExtensionIn(Schema):
    until: date
    reason: str = Field(..., max_length=2000)


class DecisionIn(Schema):
    # The case's version the decision was made on: a decision on a case changed since is refused (409).
    version: int | None = None
    approve: bool
    reason: str = Field("", max_length=2000)


class ReplyIn(Schema):
    version: int | None = None
    reply_class: str = Field(..., max_length=5)
    done_items: str = Field("", max_length=5000)
    planned_items: str = Field("", max_length=5000)
    planned_by: date | None = None
    not_adopted_reasons: str = Field("", max_length=5000)
    consultation: str = Field(..., max_length=10)
    public_text: str = Field("", max_length=5000)
    signer: str = Field(..., max_length=50)
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20)
    document_number: str = Field("", max_length=50)


class RatingIn(Schema):
    """A signing deputy rates their own case (``mandate`` may be left out when they signed once);
    staff record a rating given on paper or by phone (``by_staff``) for a signer or the citizen."""

    handling: str = Field(..., max_length=15)
    result: str = Field(..., max_length=15)
    comment: str = Field("", max_length=2000)
    mandate: UUID | None = None
    citizen: bool = False
    by_staff: bool = False


# Title and content of a case at most (models: 120 + 5000), and a little room.
DUPLICATE_TEXT_MAX = 5200


class DuplicateQueryIn(Schema):
    text: str
    township: UUID


class DuplicateOut(Schema):
    uuid: UUID
    reference: str
    title: str
    state: str
    state_label: str
    township: UUID
    township_name: str
    score: float
