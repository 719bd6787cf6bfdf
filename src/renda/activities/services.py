"""Every change to an activity's plan, invitations, notice, attendance and minutes. Pages and the
API call these and nothing else writes them (photos, findings and the county's types have services
of their own beside this one).

Each service checks who may act (PermissionDenied), checks the rules (ValidationError with every
mistake at once, in Chinese, keyed by the form field it concerns), locks what it changes, and
writes one audit entry. A stale edit (someone saved in between) raises StaleEdit."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.permissions import require as _require
from renda.core.locking import StaleEdit
from renda.deputies.models import Mandate
from renda.deputies.selectors import serving_on
from renda.organisations.models import County, DeputyGroup, Station, Township

from . import permissions as may
from . import rules
from .models import (
    Activity,
    ActivityState,
    ActivityType,
    LeaveState,
    Participant,
    ParticipantStatus,
    PlanItem,
    SigninMethod,
)

# States in which the plan, the invitations, sign-in and leave may still change.
PREPARING = frozenset({ActivityState.PLANNED, ActivityState.NOTIFIED})
# Fields of the plan staff may change with ``update_activity``.
PLAN_FIELDS = (
    "title",
    "purpose",
    "type",
    "plan_item",
    "group",
    "station",
    "starts_at",
    "ends_at",
    "place",
    "organiser",
    "other_participants",
)



def _lock(activity: Activity, expected_version: int | None = None) -> Activity:
    """The activity's row, locked for this transaction (PostgreSQL) and checked against the version
    the user's form started from (both databases)."""
    locked = Activity.objects.unscoped().select_for_update(of=("self",)).select_related("township").get(pk=activity.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    return locked


def _bump(activity: Activity, *fields: str) -> None:
    activity.version += 1
    activity.save(update_fields=[*fields, "version", "updated_at"])


def _require_state(activity: Activity, allowed: Iterable[str], message: str) -> None:
    if activity.state not in allowed:
        raise ValidationError(message)


def _townships(activity: Activity) -> list[Township]:
    return [activity.township] if activity.township is not None else list(activity.townships.all())


def eligible_deputies(activity: Activity) -> QuerySet[Mandate]:
    """The deputies who may be invited: serving on the activity's date, of its township (or of the
    townships taking part in a joint activity), township and county deputies alike."""
    return (
        Mandate.objects.unscoped()
        .filter(serving_on(activity.date), person__township__in=_townships(activity))
        .select_related("person", "term")
        .order_by("person__name_stroke_key", "id")
    )


# ---------------------------------------------------------------- the plan


def _plan_errors(
    county: County,
    township: Township | None,
    *,
    type: ActivityType | None,
    title: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str,
    organiser: str,
    plan_item: PlanItem | None,
    group: DeputyGroup | None,
    station: Station | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if type is None or type.county_id != county.pk:
        errors["type"] = _("Choose a type of activity of this county.")
    elif not type.active:
        errors["type"] = _("This type of activity is no longer offered.")
    if not title.strip():
        errors["title"] = _("Give the activity a title.")
    if not place.strip():
        errors["place"] = _("Say where the activity takes place.")
    if not organiser.strip():
        errors["organiser"] = _("Say who organises the activity.")
    if starts_at is None:
        errors["starts_at"] = _("Give the start.")
    if ends_at is None:
        errors["ends_at"] = _("Give the end.")
    elif starts_at is not None and ends_at < starts_at:
        errors["ends_at"] = _("The activity cannot end before it starts.")
    if plan_item is not None and (township is None or plan_item.plan.township_id != township.pk):
        errors["plan_item"] = _("The plan item is not of this township's plans.")
    if group is not None and (township is None or group.township_id != township.pk):
        errors["group"] = _("The deputy group is not in this township.")
    if station is not None and (township is None or station.township_id != township.pk):
        errors["station"] = _("The station is not in this township.")
    return errors


def plan_activity(
    actor: User | None,
    *,
    county: County,
    township: Township | None,
    type: ActivityType | None,
    title: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str,
    organiser: str,
    purpose: str = "",
    plan_item: PlanItem | None = None,
    group: DeputyGroup | None = None,
    station: Station | None = None,
    other_participants: str = "",
    townships: Sequence[Township] = (),
    invite: Sequence[Mandate] | None = None,
) -> Activity:
    """Plan an activity of ``township``, or (``township`` None) a joint activity of the county across
    ``townships``. The invited deputies are ``invite``, or for a deputy group's activity the group's
    serving members when ``invite`` is None."""
    if actor is not None:
        _require(may.may_plan_joint(actor) if township is None else may.may_run_township(actor, township))
    errors = _plan_errors(
        county,
        township,
        type=type,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        organiser=organiser,
        plan_item=plan_item,
        group=group,
        station=station,
    )
    if township is not None and township.county_id != county.pk:
        errors["township"] = _("The township is not in this county.")
    if township is None:
        if not townships:
            errors["townships"] = _("Choose the townships taking part.")
        elif any(t.county_id != county.pk for t in townships):
            errors["townships"] = _("Choose townships of this county.")
    if errors:
        raise ValidationError(errors)
    assert type is not None and starts_at is not None and ends_at is not None
    with transaction.atomic():
        activity = Activity.objects.create(
            county=county,
            township=township,
            type=type,
            category=type.category,
            title=title.strip(),
            purpose=purpose.strip(),
            plan_item=plan_item,
            group=group,
            station=station,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            organiser=organiser.strip(),
            other_participants=other_participants.strip(),
            signin_token=secrets.token_urlsafe(24),
            created_by=actor,
        )
        if township is None:
            activity.townships.set(townships)
        if invite is None and group is not None:
            invite = list(eligible_deputies(activity).filter(group=group))
        if invite:
            _invite(activity, invite)
        audit.record(
            "activities.activity.create",
            actor=actor,
            target=activity,
            data={"kind": type.category, "starts": starts_at.isoformat(), "count": len(invite or ())},
        )
    return activity


@transaction.atomic
def update_activity(activity: Activity, actor: User, *, expected_version: int, **fields: Any) -> Activity:
    """Change the plan while the activity is being prepared (the category follows the type)."""
    _require(may.may_run_activity(actor, activity))
    activity = _lock(activity, expected_version)
    _require_state(activity, PREPARING, _("The activity is over or cancelled; its plan can no longer change."))
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not plan fields: {sorted(unknown)}")
    values = {name: fields.get(name, getattr(activity, name)) for name in PLAN_FIELDS}
    errors = _plan_errors(
        activity.county,
        activity.township,
        **{k: values[k] for k in ("type", "title", "starts_at", "ends_at", "place", "organiser")},
        plan_item=values["plan_item"],
        group=values["group"],
        station=values["station"],
    )
    if errors:
        raise ValidationError(errors)
    changed = [name for name in PLAN_FIELDS if values[name] != getattr(activity, name)]
    for name in changed:
        value = values[name]
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    if "type" in changed:
        activity.category = activity.type.category
        changed.append("category")
    if changed:
        _bump(activity, *changed)
        audit.record("activities.activity.update", actor=actor, target=activity, data={"fields": changed})
    return activity


@transaction.atomic
def cancel_activity(activity: Activity, actor: User, *, expected_version: int, reason: str) -> Activity:
    _require(may.may_run_activity(actor, activity))
    activity = _lock(activity, expected_version)
    _require_state(activity, PREPARING, _("Only an activity not yet held can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the activity is cancelled.")})
    activity.state = ActivityState.CANCELLED
    activity.cancel_reason = reason.strip()
    _bump(activity, "state", "cancel_reason")
    audit.record("activities.activity.cancel", actor=actor, target=activity, data={"reason": activity.cancel_reason})
    return activity


# ---------------------------------------------------------------- invitations and the notice


def _invite(activity: Activity, mandates: Sequence[Mandate]) -> None:
    eligible = set(eligible_deputies(activity).filter(pk__in=[m.pk for m in mandates]).values_list("pk", flat=True))
    strangers = [m for m in mandates if m.pk not in eligible]
    if strangers:
        raise ValidationError(
            {
                "participants": _("Not serving deputies of the townships taking part: %(names)s")
                % {"names": "、".join(str(m.person) for m in strangers)}
            }
        )
    existing = set(activity.participants.values_list("mandate_id", flat=True))
    for mandate in mandates:
        if mandate.pk not in existing:
            # One save per row: the points of each deputy follow their record (contributions).
            Participant.objects.create(activity=activity, mandate=mandate)


@transaction.atomic
def set_participants(activity: Activity, actor: User, *, mandates: Sequence[Mandate]) -> Activity:
    """Invite exactly these deputies; those no longer chosen are taken off (before it is held)."""
    _require(may.may_run_activity(actor, activity))
    activity = _lock(activity)
    _require_state(activity, PREPARING, _("The activity is over or cancelled; its participants can no longer change."))
    chosen = {m.pk for m in mandates}
    removed = list(activity.participants.exclude(mandate_id__in=chosen).select_related("mandate__person"))
    signed = [p for p in removed if p.status == ParticipantStatus.PRESENT]
    if signed:
        raise ValidationError(
            {
                "participants": _("These deputies have signed in and stay: %(names)s")
                % {"names": "、".join(str(p.mandate.person) for p in signed)}
            }
        )
    for participant in removed:
        participant.delete()
    _invite(activity, list(mandates))
    audit.record("activities.participants.set", actor=actor, target=activity, data={"count": len(chosen)})
    return activity


@dataclass(frozen=True)
class NoticeCheck:
    due_by: date
    sent_on: date | None

    @property
    def on_time(self) -> bool | None:
        return None if self.sent_on is None else self.sent_on <= self.due_by


def notice_check(activity: Activity) -> NoticeCheck:
    sent = timezone.localtime(activity.notice_sent_at).date() if activity.notice_sent_at else None
    return NoticeCheck(due_by=rules.notice_due_by(activity.date), sent_on=sent)


def default_notice_text(activity: Activity) -> str:
    start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    return _(
        "%(organiser)s will hold %(title)s from %(start)s to %(end)s at %(place)s. Please attend on time; "
        "if you cannot, ask for leave on the platform."
    ) % {
        "organiser": activity.organiser,
        "title": activity.title,
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M"),
        "place": activity.place,
    }


@transaction.atomic
def send_notice(activity: Activity, actor: User, *, expected_version: int, text: str) -> Activity:
    """Send (or correct) the notice to the invited deputies: on their home page and notice board,
    and through the notification backend. A corrected notice keeps its first sending date."""
    from renda.notices import services as notices
    from renda.notices.models import NoticeKind

    _require(may.may_run_activity(actor, activity))
    activity = _lock(activity, expected_version)
    _require_state(activity, PREPARING, _("The activity is over or cancelled; no notice can be sent."))
    if not text.strip():
        raise ValidationError({"text": _("Write the notice.")})
    participants = list(activity.participants.select_related("mandate__person__user"))
    if not participants:
        raise ValidationError(_("Invite the deputies before sending the notice."))
    activity.notice_text = text.strip()
    activity.notice_sent_at = activity.notice_sent_at or timezone.now()
    activity.state = ActivityState.NOTIFIED
    _bump(activity, "notice_text", "notice_sent_at", "state")
    recipients = [p.mandate.person.user for p in participants if p.mandate.person.user_id]
    notices.post(
        actor,
        county=activity.county,
        township=activity.township,
        kind=NoticeKind.ACTIVITY,
        title=activity.title,
        body=activity.notice_text,
        recipients=recipients,
        link=reverse("activities:detail", args=[activity.uuid]),
        source=activity,
    )
    check = notice_check(activity)
    audit.record(
        "activities.activity.notify",
        actor=actor,
        target=activity,
        data={"count": len(recipients), "on_time": check.on_time, "due_by": check.due_by.isoformat()},
    )
    return activity


# ---------------------------------------------------------------- sign-in and leave


@transaction.atomic
def sign_in(activity: Activity, actor: User, *, token: str = "", participant: Participant | None = None) -> Participant:
    """Sign a deputy in: the deputy with the activity's QR code (``token``), or staff for a deputy
    (``participant``). Signing in twice keeps the first time."""
    if participant is None:
        own = may.invitation_of(actor, activity)
        if own is None:
            raise ValidationError(_("You are not invited to this activity."))
        # compare_digest takes bytes here: a str with other than ASCII (a mangled link) would raise.
        if not token or not secrets.compare_digest(token.encode(), activity.signin_token.encode()):
            raise ValidationError(_("This sign-in code is not valid any more; scan the code shown at the activity."))
        participant, method = own, SigninMethod.QR
        if not rules.signin_open(activity.starts_at, activity.ends_at, timezone.now()):
            raise ValidationError(_("Sign-in by code is open from shortly before the start until the end."))
    else:
        _require(may.may_run_activity(actor, activity) and participant.activity_id == activity.pk)
        method = SigninMethod.STAFF
    if activity.state not in PREPARING and not (method == SigninMethod.STAFF and activity.state == ActivityState.HELD):
        raise ValidationError(_("The activity is cancelled or over; sign-in is closed."))
    participant = (
        Participant.objects.unscoped()
        .select_for_update(of=("self",))
        .select_related("mandate__person")
        .get(pk=participant.pk)
    )
    if participant.status == ParticipantStatus.PRESENT:
        return participant
    participant.status = ParticipantStatus.PRESENT
    participant.signed_in_at = timezone.now()
    participant.signin_method = method
    participant.signed_in_by = actor
    participant.save(update_fields=["status", "signed_in_at", "signin_method", "signed_in_by", "updated_at"])
    audit.record(
        "activities.participant.sign_in",
        actor=actor,
        target=activity,
        data={"via": method, "deputy": str(participant.mandate.person)},
    )
    return participant


@transaction.atomic
def undo_sign_in(participant: Participant, actor: User) -> Participant:
    """Staff correct a sign-in made by mistake (the deputy is invited again, or absent once held)."""
    activity = participant.activity
    _require(may.may_run_activity(actor, activity))
    if activity.state == ActivityState.CANCELLED:
        raise ValidationError(_("The activity is cancelled."))
    participant = (
        Participant.objects.unscoped()
        .select_for_update(of=("self",))
        .select_related("mandate__person")
        .get(pk=participant.pk)
    )
    if participant.status != ParticipantStatus.PRESENT:
        raise ValidationError(_("This deputy has not signed in."))
    if participant.leave_state == LeaveState.APPROVED:
        participant.status = ParticipantStatus.LEAVE
    elif activity.state == ActivityState.HELD:
        participant.status = ParticipantStatus.ABSENT
    else:
        participant.status = ParticipantStatus.INVITED
    participant.signed_in_at, participant.signin_method, participant.signed_in_by = None, "", None
    participant.save(update_fields=["status", "signed_in_at", "signin_method", "signed_in_by", "updated_at"])
    audit.record(
        "activities.participant.undo", actor=actor, target=activity, data={"deputy": str(participant.mandate.person)}
    )
    return participant


@transaction.atomic
def request_leave(participant: Participant, actor: User, *, reason: str) -> Participant:
    """A deputy asks for leave (请假) with the reason; staff may enter it for them."""
    activity = participant.activity
    own = participant.mandate.person.user_id == actor.pk
    _require(own or may.may_run_activity(actor, activity))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the leave.")})
    _require_state(activity, PREPARING, _("The activity is over or cancelled; leave can no longer be asked for."))
    participant = Participant.objects.unscoped().select_for_update(of=("self",)).get(pk=participant.pk)
    if participant.status == ParticipantStatus.PRESENT:
        raise ValidationError(_("You have signed in already."))
    if participant.leave_state in (LeaveState.PENDING, LeaveState.APPROVED):
        raise ValidationError(_("Leave has been asked for already."))
    participant.leave_state = LeaveState.PENDING
    participant.leave_reason = reason.strip()
    participant.leave_note, participant.leave_decided_by = "", None
    participant.save(update_fields=["leave_state", "leave_reason", "leave_note", "leave_decided_by", "updated_at"])
    audit.record("activities.leave.request", actor=actor, target=activity, data={"reason": participant.leave_reason})
    return participant


@transaction.atomic
def decide_leave(participant: Participant, actor: User, *, approve: bool, note: str = "") -> Participant:
    activity = participant.activity
    _require(may.may_run_activity(actor, activity))
    participant = Participant.objects.unscoped().select_for_update(of=("self",)).get(pk=participant.pk)
    if participant.leave_state != LeaveState.PENDING:
        raise ValidationError(_("This request has been decided already."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the leave is refused.")})
    participant.leave_state = LeaveState.APPROVED if approve else LeaveState.REFUSED
    participant.leave_note = note.strip()
    participant.leave_decided_by = actor
    if approve and participant.status != ParticipantStatus.PRESENT:
        participant.status = ParticipantStatus.LEAVE
    participant.save(update_fields=["leave_state", "leave_note", "leave_decided_by", "status", "updated_at"])
    audit.record("activities.leave.decide", actor=actor, target=activity, data={"approved": approve})
    return participant


@transaction.atomic
def rotate_signin_token(activity: Activity, actor: User) -> Activity:
    """Withdraw a leaked sign-in code: the old QR code stops working at once."""
    _require(may.may_run_activity(actor, activity))
    activity = _lock(activity)
    activity.signin_token = secrets.token_urlsafe(24)
    _bump(activity, "signin_token")
    audit.record("activities.signin_code.withdraw", actor=actor, target=activity)
    return activity


# ---------------------------------------------------------------- held, minutes


@transaction.atomic
def record_held(activity: Activity, actor: User, *, expected_version: int) -> Activity:
    """The activity took place: the invited who neither signed in nor had leave are absent."""
    _require(may.may_run_activity(actor, activity))
    activity = _lock(activity, expected_version)
    _require_state(activity, PREPARING, _("Only a planned activity can be recorded as held."))
    if activity.starts_at > timezone.now():
        raise ValidationError(_("The activity has not started yet."))
    absent = 0
    for participant in activity.participants.filter(status=ParticipantStatus.INVITED):
        participant.status = ParticipantStatus.ABSENT
        participant.save(update_fields=["status", "updated_at"])  # each deputy's points follow
        absent += 1
    activity.state = ActivityState.HELD
    activity.held_at = timezone.now()
    _bump(activity, "state", "held_at")
    present = activity.participants.filter(status=ParticipantStatus.PRESENT).count()
    audit.record("activities.activity.held", actor=actor, target=activity, data={"present": present, "absent": absent})
    return activity


@transaction.atomic
def save_minutes(activity: Activity, actor: User, *, expected_version: int, minutes: str) -> Activity:
    _require(may.may_run_activity(actor, activity))
    activity = _lock(activity, expected_version)
    if activity.state == ActivityState.CANCELLED:
        raise ValidationError(_("The activity is cancelled."))
    activity.minutes = minutes.strip()
    _bump(activity, "minutes")
    audit.record("activities.activity.minutes", actor=actor, target=activity)
    return activity
