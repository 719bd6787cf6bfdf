"""The activities JSON API under /api/v1/: the same scoping and the same services as the pages.

Reads go through ``scoped()``/``get_scoped_or_404()``: an activity outside the caller's scope is
404, as on the pages (a deputy sees the activities they are invited to, and only their own
participant row). Every write calls a service (``services``, ``services_findings``), which checks
who may act and writes the audit entry. Refusals (core/api_refusals): ``StaleEdit`` and a finding
that is a case already 409, ``ValidationError`` 422 with the messages per field,
``PermissionDenied`` 403 (the caller sees the activity but may not take this step)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status
from ninja.pagination import paginate

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.casework.models import CaseCategory
from renda.core import api_refusals as refusals
from renda.core.api_refusals import REFUSALS, error_response
from renda.deputies.models import Mandate
from renda.organisations.models import County, Township

from . import permissions as may
from . import services, services_findings
from .api_schemas import (
    ActivityFilters,
    ActivityIn,
    ActivityListOut,
    ActivityOut,
    ActivityUpdateIn,
    CancelIn,
    CaseLinkOut,
    FindingCaseIn,
    FindingIn,
    FindingOut,
    LeaveDecisionIn,
    LeaveIn,
    NoticeIn,
    ParticipantOut,
    ParticipantsIn,
    PhotoOut,
    SignInIn,
    VersionIn,
)
from .models import Activity, ActivityCategory, ActivityPhoto, ActivityState, ActivityType, Finding, Participant

router = Router(tags=["activities"])

answers_refusals = refusals.answers_refusals(
    gettext_lazy("You may not take this step at this activity."), conflicts=(services_findings.AlreadyACase,)
)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


# ---------------------------------------------------------------- reading


def _activity(request, uuid: UUID) -> Activity:
    return get_scoped_or_404(
        Activity.objects.unscoped().select_related("county", "township", "type"), request.auth, VIEW, uuid=uuid
    )


def _participants(user, activity: Activity) -> QuerySet[Participant]:
    return (
        scoped(Participant, user, VIEW)
        .filter(activity=activity)
        .select_related("mandate__person")
        .order_by("mandate__person__name_stroke_key", "id")
    )


def _detail(user, activity: Activity) -> Activity:
    """The activity with the participant rows the caller may see (all for staff, their own for a
    deputy): three queries."""
    activity.visible_participants = list(_participants(user, activity))  # type: ignore[attr-defined]
    return activity


def _findings(user, activity: Activity) -> QuerySet[Finding]:
    return (
        scoped(Finding, user, VIEW)
        .filter(activity=activity)
        .select_related("raised_by__person", "case")
        .order_by("created_at", "id")
    )


@router.get("/activities", response=list[ActivityListOut])
@paginate
def list_activities(request, filters: Query[ActivityFilters]):
    """The activities the caller may see, latest first: staff their township's (and the county's
    joint activities it takes part in), the county administrator and leaders the county's, a deputy
    those they are invited to. ``category`` and ``state`` take several values separated by commas;
    ``from`` and ``to`` bound the day it starts; ``q`` searches titles and places."""
    township, category, state, q = filters.township, filters.category, filters.state, filters.q
    date_from, date_to = filters.date_from, filters.date_to
    activities = scoped(Activity, request.auth, VIEW).select_related("township", "type")
    if township is not None:
        activities = activities.filter(Q(township__uuid=township) | Q(townships__uuid=township))
    if category:
        activities = activities.filter(category__in=[c for c in category.split(",") if c in ActivityCategory.values])
    if state:
        activities = activities.filter(state__in=[s for s in state.split(",") if s in ActivityState.values])
    if date_from is not None:
        activities = activities.filter(starts_at__date__gte=date_from)
    if date_to is not None:
        activities = activities.filter(starts_at__date__lte=date_to)
    text = q.strip()[:50]
    if text:
        activities = activities.filter(Q(title__icontains=text) | Q(place__icontains=text))
    # A deputy's scope and the townships taking part join other rows; distinct keeps one per activity.
    return activities.distinct().order_by("-starts_at", "-id")


@router.get("/activities/{uuid}", response=ActivityOut)
def get_activity(request, uuid: UUID):
    """One activity: its plan, notice, minutes and the participants' attendance and leave."""
    return _detail(request.auth, _activity(request, uuid))


@router.get("/activities/{uuid}/findings", response=list[FindingOut])
def activity_findings(request, uuid: UUID):
    return _findings(request.auth, _activity(request, uuid))


@router.get("/activities/{uuid}/photos", response=list[PhotoOut])
def activity_photos(request, uuid: UUID):
    """The photos' names and captions; each file through ``url`` (the scoped, audited download)."""
    activity = _activity(request, uuid)
    return scoped(ActivityPhoto, request.auth, VIEW).filter(activity=activity).order_by("created_at", "id")


# ---------------------------------------------------------------- the plan


def _type(county: County, uuid: UUID | None) -> ActivityType | None:
    if uuid is None:
        return None
    found = ActivityType.objects.unscoped().filter(county=county, uuid=uuid).first()
    if found is None:
        raise _invalid("type", _("Choose a type of activity of this county."))
    return found


def _invited(user, uuids: list[UUID]) -> list[Mandate]:
    """The deputies named by UUID among those the user may see (the service checks that each may
    be invited to the activity); one the user may not see is named nowhere in the answer."""
    if not uuids:
        return []
    found = {m.uuid: m for m in scoped(Mandate, user, VIEW).filter(uuid__in=uuids).select_related("person")}
    if len(found) != len(set(uuids)):
        raise _invalid("participants", _("Choose serving deputies of the townships taking part."))
    return [found[uuid] for uuid in dict.fromkeys(uuids)]


@router.post("/activities", response={201: ActivityOut, **REFUSALS})
@answers_refusals
def plan_activity(request, payload: ActivityIn):
    """Plan an activity: a township's (``township``), or the county's joint activity across
    ``townships`` (the county administrator), inviting ``participants`` (mandates)."""
    user = request.auth
    if not may.may_plan_activities(user):
        return error_response(403, _("You may not plan activities."))
    townships = scoped(Township, user, VIEW).select_related("county")
    township = None
    taking_part: list[Township] = []
    if payload.township is not None:
        township = townships.filter(uuid=payload.township).first()
        if township is None:
            raise _invalid("township", _("Choose a township of yours."))
        county = township.county
    else:
        taking_part = list(townships.filter(uuid__in=payload.townships))
        if len(taking_part) != len(set(payload.townships)):
            raise _invalid("townships", _("Choose townships of this county."))
        found = scoped(County, user, VIEW).order_by("id").first()
        if found is None:
            raise _invalid("township", _("Choose a township of yours."))
        county = found
    activity = services.plan_activity(
        user,
        county=county,
        township=township,
        townships=taking_part,
        type=_type(county, payload.type),
        title=payload.title,
        purpose=payload.purpose,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        organiser=payload.organiser,
        other_participants=payload.other_participants,
        invite=_invited(request.auth, payload.participants),
    )
    return Status(201, _detail(user, _activity(request, activity.uuid)))


def _version(payload: VersionIn) -> int:
    if payload.version is None:
        raise _invalid("version", _("Send the activity's version as you read it."))
    return payload.version


@router.patch("/activities/{uuid}", response={200: ActivityOut, **REFUSALS})
@answers_refusals
def update_activity(request, uuid: UUID, payload: ActivityUpdateIn):
    """Change the plan while it is being prepared: only the fields sent; ``version`` as read."""
    activity = _activity(request, uuid)
    if payload.version is None:
        raise _invalid("version", _("Send the activity's version as you read it."))
    fields = {name: value for name, value in payload.dict(exclude_unset=True).items() if name != "version"}
    if "type" in fields:
        fields["type"] = _type(activity.county, fields["type"])
    services.update_activity(activity, request.auth, expected_version=payload.version, **fields)
    return _detail(request.auth, _activity(request, uuid))


@router.post("/activities/{uuid}/cancel", response={200: ActivityOut, **REFUSALS})
@answers_refusals
def cancel_activity(request, uuid: UUID, payload: CancelIn):
    activity = _activity(request, uuid)
    services.cancel_activity(activity, request.auth, expected_version=_version(payload), reason=payload.reason)
    return _detail(request.auth, _activity(request, uuid))


@router.post("/activities/{uuid}/participants", response={200: ActivityOut, **REFUSALS})
@answers_refusals
def set_participants(request, uuid: UUID, payload: ParticipantsIn):
    """Invite exactly these deputies (mandates); those no longer named are taken off."""
    activity = _activity(request, uuid)
    wanted = list(dict.fromkeys(payload.participants))
    found = {m.uuid: m for m in services.eligible_deputies(activity).filter(uuid__in=wanted)}
    if len(found) != len(wanted):
        raise _invalid("participants", _("Choose serving deputies of the townships taking part."))
    services.set_participants(activity, request.auth, mandates=[found[uuid] for uuid in wanted])
    return _detail(request.auth, _activity(request, uuid))


@router.post("/activities/{uuid}/notice", response={200: ActivityOut, **REFUSALS})
@answers_refusals
def send_notice(request, uuid: UUID, payload: NoticeIn):
    """Send the notice to the invited deputies (the plan's default text when ``text`` is empty)."""
    activity = _activity(request, uuid)
    text = payload.text.strip() or services.default_notice_text(activity)
    services.send_notice(activity, request.auth, expected_version=_version(payload), text=text)
    return _detail(request.auth, _activity(request, uuid))


@router.post("/activities/{uuid}/held", response={200: ActivityOut, **REFUSALS})
@answers_refusals
def record_held(request, uuid: UUID, payload: VersionIn):
    """The activity took place: the invited who neither signed in nor had leave are absent."""
    activity = _activity(request, uuid)
    services.record_held(activity, request.auth, expected_version=_version(payload))
    return _detail(request.auth, _activity(request, uuid))


# ---------------------------------------------------------------- sign-in and leave


def _participant_of(request, activity: Activity, uuid: UUID) -> Participant:
    found = _participants(request.auth, activity).filter(uuid=uuid).first()
    if found is None:
        raise _invalid("participant", _("The deputy is not invited to this activity."))
    found.activity = activity
    return found


@router.post("/activities/{uuid}/sign-in", response={200: ParticipantOut, **REFUSALS})
@answers_refusals
def sign_in(request, uuid: UUID, payload: SignInIn):
    """Sign in: a deputy sends the code of the activity's QR (``token``); staff sign a deputy in by
    their ``participant``. Signing in twice keeps the first time."""
    activity = _activity(request, uuid)
    participant = _participant_of(request, activity, payload.participant) if payload.participant else None
    # A code that is not ASCII is no code of ours (compare_digest would fail on it): refused as empty.
    token = payload.token if payload.token.isascii() else ""
    row = services.sign_in(activity, request.auth, token=token, participant=participant)
    return _participants(request.auth, activity).get(pk=row.pk)


@router.post("/activities/{uuid}/leave", response={201: ParticipantOut, **REFUSALS})
@answers_refusals
def request_leave(request, uuid: UUID, payload: LeaveIn):
    """Ask for leave: a deputy for themselves; staff for a deputy (``participant``)."""
    activity = _activity(request, uuid)
    if payload.participant is not None:
        participant = _participant_of(request, activity, payload.participant)
    else:
        own = may.invitation_of(request.auth, activity)
        if own is None:
            raise _invalid("participant", _("You are not invited to this activity."))
        own.activity = activity
        participant = own
    row = services.request_leave(participant, request.auth, reason=payload.reason)
    return Status(201, _participants(request.auth, activity).get(pk=row.pk))


@router.post("/activity-participants/{uuid}/leave-decision", response={200: ParticipantOut, **REFUSALS})
@answers_refusals
def decide_leave(request, uuid: UUID, payload: LeaveDecisionIn):
    """Staff approve a request for leave, or refuse it with the reason (``note``)."""
    participant = get_scoped_or_404(
        Participant.objects.unscoped().select_related("activity__township", "mandate__person"),
        request.auth,
        VIEW,
        uuid=uuid,
    )
    row = services.decide_leave(participant, request.auth, approve=payload.approve, note=payload.note)
    return _participants(request.auth, participant.activity).get(pk=row.pk)


# ---------------------------------------------------------------- findings


@router.post("/activities/{uuid}/findings", response={201: FindingOut, **REFUSALS})
@answers_refusals
def add_finding(request, uuid: UUID, payload: FindingIn):
    """Record a finding: staff name the participating deputy who raised it (or none); a deputy
    invited records their own."""
    activity = _activity(request, uuid)
    raised_by = None
    if payload.raised_by is not None:
        raised_by = next((m for m in services_findings.finding_raisers(activity) if m.uuid == payload.raised_by), None)
        if raised_by is None:
            raise _invalid("raised_by", _("Choose a deputy taking part in the activity."))
    finding = services_findings.add_finding(activity, request.auth, text=payload.text, raised_by=raised_by)
    return Status(201, _findings(request.auth, activity).get(pk=finding.pk))


@router.post("/activity-findings/{uuid}/case", response={201: CaseLinkOut, **REFUSALS})
@answers_refusals
def finding_to_case(request, uuid: UUID, payload: FindingCaseIn):
    """Turn the finding into a case in one step (once: a second time is 409). ``category`` is a
    category of the county (its UUID); ``township`` only for a joint activity's finding that no
    deputy of a taking-part township raised."""
    finding = get_scoped_or_404(
        Finding.objects.unscoped().select_related("activity__county", "activity__township"),
        request.auth,
        VIEW,
        uuid=uuid,
    )
    activity = finding.activity
    category = None
    if payload.category.strip():
        categories = CaseCategory.objects.unscoped().filter(county=activity.county, is_active=True)
        try:
            category = categories.filter(uuid=UUID(payload.category.strip())).first()
        except ValueError:
            category = None
        if category is None:
            raise _invalid("category", _("Choose a category of this county."))
    township = None
    if payload.township is not None:
        township = next((t for t in services_findings.case_townships(activity) if t.uuid == payload.township), None)
        if township is None:
            raise _invalid("township", _("Choose one of the townships taking part."))
    case = services_findings.finding_to_case(
        finding, request.auth, title=payload.title, category=category, township=township
    )
    return Status(201, {"uuid": case.uuid, "reference": case.reference, "finding": finding.uuid})
