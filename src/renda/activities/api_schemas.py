"""The activities API's schemas: an activity, its participants, findings and photos in JSON.

The sign-in secret (``Activity.signin_token``) is never part of an answer: it is on the QR code shown
at the activity, and a deputy sends it to sign in. Participants carry their names and attendance,
no other personal data. Every input field has a default, so that a body missing a field reaches the
service, which names what is missing in Chinese (a 422 per field)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema


class ActivityFilters(Schema):
    """The list's filters (query parameters)."""

    township: UUID | None = None
    category: str = Field("", max_length=200)
    state: str = Field("", max_length=100)
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    q: str = Field("", max_length=200)


class ActivityListOut(Schema):
    uuid: UUID
    title: str
    category: str
    category_label: str
    type: UUID = Field(..., alias="type.uuid")
    type_name: str = Field(..., alias="type.name")
    state: str
    state_label: str
    township: UUID | None = None
    township_name: str = ""
    is_joint: bool
    starts_at: datetime
    ends_at: datetime
    place: str
    organiser: str
    version: int

    @staticmethod
    def resolve_category_label(obj) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_township(obj) -> UUID | None:
        return obj.township.uuid if obj.township_id else None

    @staticmethod
    def resolve_township_name(obj) -> str:
        return obj.township.name if obj.township_id else ""


class ParticipantOut(Schema):
    uuid: UUID
    mandate: UUID = Field(..., alias="mandate.uuid")
    name: str = Field(..., alias="mandate.person.full_name")
    status: str
    status_label: str
    signed_in_at: datetime | None
    signin_method: str
    leave_state: str
    leave_reason: str
    leave_note: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class TownshipOut(Schema):
    uuid: UUID
    name: str


class ActivityOut(ActivityListOut):
    purpose: str
    townships: list[TownshipOut]
    other_participants: str
    notice_text: str
    notice_sent_at: datetime | None
    minutes: str
    held_at: datetime | None
    cancel_reason: str
    participants: list[ParticipantOut]

    @staticmethod
    def resolve_townships(obj) -> list[Any]:
        return list(obj.townships.all())

    @staticmethod
    def resolve_participants(obj) -> list[Any]:
        return list(getattr(obj, "visible_participants", []))


class ActivityIn(Schema):
    # A township's activity names its township; a joint activity of the county names none and
    # lists the townships taking part.
    township: UUID | None = None
    townships: list[UUID] = Field(default_factory=list, max_length=100)
    type: UUID | None = None
    title: str = Field("", max_length=120)
    purpose: str = Field("", max_length=5000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str = Field("", max_length=120)
    organiser: str = Field("", max_length=120)
    other_participants: str = Field("", max_length=300)
    participants: list[UUID] = Field(default_factory=list, max_length=500)  # mandates invited


class ActivityUpdateIn(Schema):
    # The activity's version as read (409 when someone saved meanwhile); only the fields sent change.
    version: int | None = None
    type: UUID | None = None
    title: str | None = Field(None, max_length=120)
    purpose: str | None = Field(None, max_length=5000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = Field(None, max_length=120)
    organiser: str | None = Field(None, max_length=120)
    other_participants: str | None = Field(None, max_length=300)


class VersionIn(Schema):
    version: int | None = None


class CancelIn(VersionIn):
    reason: str = Field("", max_length=300)


class NoticeIn(VersionIn):
    text: str = Field("", max_length=5000)  # the plan's default notice when empty


class ParticipantsIn(Schema):
    participants: list[UUID] = Field(default_factory=list, max_length=500)


class SignInIn(Schema):
    # A deputy: the code of the QR shown at the activity. Staff: the participant signed in.
    token: str = Field("", max_length=100)
    participant: UUID | None = None


class LeaveIn(Schema):
    participant: UUID | None = None  # staff enter a deputy's request; a deputy's own names none
    reason: str = Field("", max_length=300)


class LeaveDecisionIn(Schema):
    approve: bool = False
    note: str = Field("", max_length=300)


class FindingOut(Schema):
    uuid: UUID
    text: str
    raised_by: UUID | None = None
    raised_by_name: str = ""
    case: UUID | None = None
    case_reference: str = ""
    created_at: datetime

    @staticmethod
    def resolve_raised_by(obj) -> UUID | None:
        return obj.raised_by.uuid if obj.raised_by_id else None

    @staticmethod
    def resolve_raised_by_name(obj) -> str:
        return obj.raised_by.person.full_name if obj.raised_by_id else ""

    @staticmethod
    def resolve_case(obj) -> UUID | None:
        return obj.case.uuid if obj.case_id else None

    @staticmethod
    def resolve_case_reference(obj) -> str:
        return obj.case.reference if obj.case_id else ""


class FindingIn(Schema):
    text: str = Field("", max_length=5000)
    raised_by: UUID | None = None  # a participating deputy's mandate (staff); a deputy: themselves


class FindingCaseIn(Schema):
    title: str = Field("", max_length=120)
    category: str = Field("", max_length=60)  # the UUID of a category of the county
    township: UUID | None = None  # a joint activity's finding no deputy of a taking-part township raised


class CaseLinkOut(Schema):
    uuid: UUID
    reference: str
    finding: UUID


class PhotoOut(Schema):
    uuid: UUID
    name: str
    caption: str
    created_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("activities:photo", args=[obj.uuid])
