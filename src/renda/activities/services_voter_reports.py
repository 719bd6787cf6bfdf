"""Reports to voters (述职): staff schedule a deputy's report (the deputy is told on the notice
board), record it held with the counts of the paper satisfaction ballot, missed or cancelled. Every
write is audited; edits check the version the form started from."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.core.locking import StaleEdit
from renda.deputies.models import Mandate, MandateLevel
from renda.deputies.selectors import serving_on
from renda.organisations.models import Township

from . import permissions_voter_reports as may
from . import rules
from .models import VoterReport, VoterReportState


def _lock(report: VoterReport, expected_version: int | None) -> VoterReport:
    locked = (
        VoterReport.objects.unscoped()
        .select_for_update(of=("self",))
        .select_related("township__county", "mandate__person__user")
        .get(pk=report.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    return locked


def _bump(report: VoterReport, *fields: str) -> None:
    report.version += 1
    report.save(update_fields=[*fields, "version", "updated_at"])


def _require_scheduled(report: VoterReport) -> None:
    if report.state != VoterReportState.SCHEDULED:
        raise ValidationError(_("The report is recorded already; it can no longer change."))


def _congress_township(mandate: Mandate) -> Township:
    """The township whose congress the deputy sits in; ValidationError for other deputies."""
    term = mandate.term
    if mandate.level != MandateLevel.TOWNSHIP or term is None or term.township is None:
        raise ValidationError({"mandate": _("Choose a deputy of a township congress.")})
    return term.township


def _check_plan(mandate: Mandate, scheduled_on: date | None, place: str) -> date:
    """The date, once the plan is valid."""
    errors = {}
    if scheduled_on is None:
        errors["scheduled_on"] = _("Give the date of the report.")
    elif not Mandate.objects.unscoped().filter(serving_on(scheduled_on), pk=mandate.pk).exists():
        errors["mandate"] = _("The deputy does not serve on that date.")
    if not place.strip():
        errors["place"] = _("Give the place of the report.")
    if errors or scheduled_on is None:
        raise ValidationError(errors)
    return scheduled_on


def _tell_the_deputy(report: VoterReport, actor: User | None) -> None:
    from renda.notices import services as notices
    from renda.notices.models import NoticeKind

    user = report.mandate.person.user
    if user is None or report.scheduled_on < timezone.localdate():  # entered afterwards: nothing to tell
        return
    notices.post(
        actor,
        county=report.township.county,
        township=report.township,
        kind=NoticeKind.ACTIVITY,
        title=_("Your report to voters on %(date)s") % {"date": report.scheduled_on.isoformat()},
        body=_("You are to report to your voters on %(date)s at %(place)s.")
        % {"date": report.scheduled_on.isoformat(), "place": report.place},
        recipients=[user],
        link=reverse("activities:voter_report_detail", args=[report.uuid]),
        source=report,
    )


@transaction.atomic
def schedule(actor: User | None, *, mandate: Mandate, scheduled_on: date | None, place: str) -> VoterReport:
    """Schedule a deputy's report to voters; the township is the deputy's congress's."""
    mandate = Mandate.objects.unscoped().select_related("term__township__county", "person__user").get(pk=mandate.pk)
    township = _congress_township(mandate)
    if actor is not None:
        from renda.accounts.scoping import VIEW, scoped

        if not may.may_schedule_reports(actor) or not scoped(Township, actor, VIEW).filter(pk=township.pk).exists():
            raise PermissionDenied
    day = _check_plan(mandate, scheduled_on, place)
    report = VoterReport.objects.create(
        township=township, mandate=mandate, scheduled_on=day, place=place.strip(), created_by=actor
    )
    audit.record(
        "activities.voter_report.schedule",
        actor=actor,
        target=report,
        data={"deputy": str(mandate.person), "date": day.isoformat()},
    )
    _tell_the_deputy(report, actor)
    return report


@transaction.atomic
def update(
    report: VoterReport, actor: User | None, *, expected_version: int | None, scheduled_on: date | None, place: str
) -> VoterReport:
    if actor is not None and not may.may_run_report(actor, report):
        raise PermissionDenied
    report = _lock(report, expected_version)
    _require_scheduled(report)
    day = _check_plan(report.mandate, scheduled_on, place)
    moved = report.scheduled_on != day or report.place != place.strip()
    report.scheduled_on, report.place = day, place.strip()
    _bump(report, "scheduled_on", "place")
    audit.record("activities.voter_report.update", actor=actor, target=report, data={"date": day.isoformat()})
    if moved:
        _tell_the_deputy(report, actor)
    return report


@transaction.atomic
def record_held(
    report: VoterReport,
    actor: User | None,
    *,
    expected_version: int | None,
    held_on: date | None,
    voters_present: int | None,
    satisfied: int | None,
    basically_satisfied: int | None,
    dissatisfied: int | None,
    summary: str = "",
) -> VoterReport:
    """Record the report held, with the counts of the paper ballot of the voters present."""
    if actor is not None and not may.may_run_report(actor, report):
        raise PermissionDenied
    report = _lock(report, expected_version)
    if report.state not in {VoterReportState.SCHEDULED, VoterReportState.HELD}:
        raise ValidationError(_("A missed or cancelled report cannot be recorded as held."))
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Give the date the report was held.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("The date is in the future.")
    counts = {"satisfied": satisfied, "basically_satisfied": basically_satisfied, "dissatisfied": dissatisfied}
    for name, value in {"voters_present": voters_present, **counts}.items():
        if value is None or value < 0:
            errors[name] = _("Enter a number (0 or more).")
    if voters_present and not errors and sum(v or 0 for v in counts.values()) > voters_present:
        errors["dissatisfied"] = _("The ballots counted exceed the voters present.")
    if not voters_present and "voters_present" not in errors:
        errors["voters_present"] = _("At least one voter must be present.")
    if errors or held_on is None:
        raise ValidationError(errors)
    report.state, report.held_on, report.voters_present = VoterReportState.HELD, held_on, voters_present
    report.satisfied, report.basically_satisfied, report.dissatisfied = satisfied, basically_satisfied, dissatisfied
    report.summary, report.note = summary.strip(), ""
    fields = [
        "state",
        "held_on",
        "voters_present",
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
        "summary",
        "note",
    ]
    _bump(report, *fields)
    rate = rules.UnitResult(
        satisfied=satisfied or 0, basically=basically_satisfied or 0, dissatisfied=dissatisfied or 0
    )
    audit.record(
        "activities.voter_report.held",
        actor=actor,
        target=report,
        data={"date": held_on.isoformat(), "present": voters_present, "satisfaction": rules.percent(rate.satisfaction)},
    )
    return report


def _close(report: VoterReport, actor: User | None, expected_version: int | None, note: str, state: str) -> VoterReport:
    if actor is not None and not may.may_run_report(actor, report):
        raise PermissionDenied
    report = _lock(report, expected_version)
    _require_scheduled(report)
    if not note.strip():
        raise ValidationError({"note": _("Say why.")})
    report.state, report.note = state, note.strip()[:300]
    _bump(report, "state", "note")
    verb = "missed" if state == VoterReportState.MISSED else "cancel"
    audit.record(f"activities.voter_report.{verb}", actor=actor, target=report, data={"reason": report.note})
    return report


@transaction.atomic
def record_missed(report: VoterReport, actor: User | None, *, expected_version: int | None, note: str) -> VoterReport:
    """The deputy did not report as scheduled (counts against their points)."""
    return _close(report, actor, expected_version, note, VoterReportState.MISSED)


@transaction.atomic
def cancel(report: VoterReport, actor: User | None, *, expected_version: int | None, note: str) -> VoterReport:
    """Cancelled by the staff (e.g. moved to a shared reporting activity): counts for nobody."""
    return _close(report, actor, expected_version, note, VoterReportState.CANCELLED)
