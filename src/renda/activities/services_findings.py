"""Findings of an activity (发现的问题) and turning one into a casework case in one step.

Each service checks who may act (PermissionDenied), checks the rules (ValidationError in Chinese,
keyed by the form field), and writes one audit entry in its transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.permissions import require as _require
from renda.casework.models import Case, CaseCategory, CaseSource
from renda.deputies.models import Mandate
from renda.organisations.models import Township

from . import permissions_findings as may
from .models import Activity, ActivityState, Finding, Participant, ParticipantStatus
from .permissions import invitation_of, may_run_activity


class AlreadyACase(ValidationError):
    """The finding became a case already (a conflict: the API answers 409)."""



def finding_raisers(activity: Activity) -> list[Mandate]:
    """The deputies who may be named as raising a finding: those taking part (not on leave)."""
    rows = (
        Participant.objects.unscoped()
        .filter(activity=activity)
        .exclude(status__in=[ParticipantStatus.LEAVE, ParticipantStatus.ABSENT])
        .select_related("mandate__person")
        .order_by("mandate__person__name_stroke_key", "id")
    )
    return [row.mandate for row in rows]


@transaction.atomic
def add_finding(activity: Activity, actor: User, *, text: str, raised_by: Mandate | None = None) -> Finding:
    """Record a problem the activity found. Staff name the deputy who raised it (a participant, or
    nobody); a deputy invited to the activity records their own."""
    _require(may.may_add_finding(actor, activity))
    staff = may_run_activity(actor, activity)
    if not staff:
        own = invitation_of(actor, activity)
        assert own is not None  # may_add_finding said so
        if raised_by is not None and raised_by.pk != own.mandate_id:
            raise ValidationError({"raised_by": _("You record the findings you raise yourself.")})
        raised_by = own.mandate
    if activity.state == ActivityState.CANCELLED:
        raise ValidationError(_("The activity is cancelled."))
    errors: dict[str, str] = {}
    if not (text or "").strip():
        errors["text"] = _("Describe the problem found.")
    elif len(text.strip()) > 5000:
        errors["text"] = _("Keep the finding under 5000 characters.")
    if raised_by is not None and raised_by.pk not in {m.pk for m in finding_raisers(activity)}:
        errors["raised_by"] = _("Choose a deputy taking part in the activity.")
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(activity=activity, text=text.strip(), raised_by=raised_by, created_by=actor)
    data = {"deputy": str(raised_by.person)} if raised_by is not None else {}
    audit.record("activities.finding.add", actor=actor, target=activity, data=data)
    return finding


def case_townships(activity: Activity) -> list[Township]:
    """Where a case from this activity's findings may be filed: its township, or for a joint
    activity one of the townships taking part."""
    if activity.township is not None:
        return [activity.township]
    return list(activity.townships.order_by("division_code", "name"))


def _case_township(finding: Finding, chosen: Township | None) -> Township:
    activity = finding.activity
    if activity.township is not None:
        return activity.township
    taking_part = case_townships(activity)
    if finding.raised_by is not None:
        own = finding.raised_by.person.township
        if own is not None and own.pk in {t.pk for t in taking_part}:
            return own
    if chosen is None or chosen.pk not in {t.pk for t in taking_part}:
        raise ValidationError({"township": _("Choose one of the townships taking part.")})
    return chosen


def case_content(finding: Finding) -> str:
    activity = finding.activity
    source = _("Found at the activity “%(title)s” on %(date)s (%(place)s).") % {
        "title": activity.title,
        "date": activity.date.isoformat(),
        "place": activity.place,
    }
    return f"{finding.text.strip()}\n\n{source}"


def finding_to_case(
    finding: Finding,
    actor: User,
    *,
    title: str,
    category: CaseCategory | None = None,
    township: Township | None = None,
) -> Case:
    """Turn the finding into a casework case (source: finding of an activity) in one step: the
    case's content is the finding with the activity's title, date and place; the deputy who raised
    it signs and leads it. ``township`` is only asked for a joint activity's finding that no deputy
    of a taking-part township raised. Once only: a second time is refused."""
    from renda.casework import services as casework

    with transaction.atomic():
        locked = (
            Finding.objects.unscoped()
            .select_for_update(of=("self",))
            .select_related("activity__township", "activity__county", "raised_by__person__township")
            .get(pk=finding.pk)
        )
        if locked.case_id is not None:
            raise AlreadyACase(_("This finding has already become a case."))
        _require(may.may_turn_into_case(actor, locked))
        if locked.activity.state == ActivityState.CANCELLED:
            raise ValidationError(_("The activity is cancelled."))
        if not (title or "").strip():
            raise ValidationError({"title": _("Give the case a title.")})
        where = _case_township(locked, township)
        lead = locked.raised_by
        case = casework.file_case(
            actor,
            township=where,
            source=CaseSource.ACTIVITY_FINDING,
            title=title.strip()[:120],
            content=case_content(locked),
            category=category,
            signers=[lead] if lead is not None else [],
            lead=lead,
        )
        locked.case = case
        locked.save(update_fields=["case", "updated_at"])
        audit.record("activities.finding.to_case", actor=actor, target=locked.activity, data={"case": case.reference})
    finding.case = case
    return case
