"""Activities' records in deputies' archives and points (domain.md §8): supervision attended (视察、
调研、执法检查、听取专项工作报告, +3), study sessions, deputy group and other activities attended
(+1 each), absences without leave (−2) and findings raised (+1).

The kinds read the rows of the ``mandates`` their caller chose (one for an archive, a county for
points), hence ``unscoped()``: the mandates are the scope. The participant rows every kind of the
section reads come from one query per archive (``shared_rows``); saving a participant or a finding
refreshes the points through the deputies' mechanism."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.deputies.contributions import (
    ArchiveSection,
    Contribution,
    RecordKind,
    register,
    register_section,
    shared_rows,
)

from .models import (
    SUPERVISION_CATEGORIES,
    Activity,
    ActivityCategory,
    ActivityState,
    Finding,
    Participant,
    ParticipantStatus,
)

SECTION = "activities"
SUPERVISION_ATTENDED = "activities.supervision_attended"
STUDY_ATTENDED = "activities.study_attended"
GROUP_ATTENDED = "activities.group_attended"
OTHER_ATTENDED = "activities.other_attended"
ABSENT = "activities.absent"
FINDING_RAISED = "activities.finding_raised"

OTHER_CATEGORIES = (
    frozenset(ActivityCategory.values)
    - SUPERVISION_CATEGORIES
    - {
        ActivityCategory.STUDY,
        ActivityCategory.GROUP,
    }
)


def _url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.uuid])


def _load_participations(mandates):
    return (
        Participant.objects.unscoped()
        .filter(mandate__in=mandates)
        .exclude(activity__state=ActivityState.CANCELLED)
        .select_related("activity")
        .order_by("activity__starts_at", "id")
    )


def _participations(mandates) -> list[Participant]:
    return shared_rows(mandates, "activities.participations", _load_participations)


def _attended(categories: frozenset[str]) -> Callable[..., Iterator[Contribution]]:
    def records(mandates) -> Iterator[Contribution]:
        for row in _participations(mandates):
            activity = row.activity
            if activity.category not in categories or row.status != ParticipantStatus.PRESENT:
                continue
            yield Contribution(
                mandate_id=row.mandate_id,
                date=activity.date,
                source=row,
                title=activity.title,
                outcome=str(activity.get_category_display()),
                url=_url(activity),
            )

    return records


def _absent(mandates) -> Iterator[Contribution]:
    for row in _participations(mandates):
        if row.status != ParticipantStatus.ABSENT:
            continue
        yield Contribution(
            mandate_id=row.mandate_id,
            date=row.activity.date,
            source=row,
            title=_("Absent from %(activity)s") % {"activity": row.activity.title},
            outcome=_("absent without leave"),
            url=_url(row.activity),
        )


def _findings(mandates) -> Iterator[Contribution]:
    rows = (
        Finding.objects.unscoped()
        .filter(raised_by__in=mandates)
        .exclude(activity__state=ActivityState.CANCELLED)
        .select_related("activity")
        .order_by("created_at", "id")
    )
    for finding in rows:
        assert finding.raised_by_id is not None
        yield Contribution(
            mandate_id=finding.raised_by_id,
            date=timezone.localtime(finding.created_at).date(),
            source=finding,
            title=finding.text[:60],
            outcome=_("Raised at %(activity)s") % {"activity": finding.activity.title},
            url=_url(finding.activity),
        )


def _raiser(finding: Finding) -> list[int]:
    return [finding.raised_by_id] if finding.raised_by_id else []


def register_kinds() -> None:
    register_section(ArchiveSection(code=SECTION, label=gettext_lazy("Activities and supervision"), order=160))
    attended = (
        (SUPERVISION_ATTENDED, gettext_lazy("Supervision activity attended"), SUPERVISION_CATEGORIES, 3),
        (STUDY_ATTENDED, gettext_lazy("Study session attended"), frozenset({ActivityCategory.STUDY}), 1),
        (GROUP_ATTENDED, gettext_lazy("Deputy group activity attended"), frozenset({ActivityCategory.GROUP}), 1),
        (OTHER_ATTENDED, gettext_lazy("Other activity attended"), OTHER_CATEGORIES, 1),
    )
    for code, label, categories, points in attended:
        register(
            RecordKind(
                code=code,
                label=label,
                records=_attended(categories),
                section=SECTION,
                default_points=Decimal(points),
                models=(Participant,),
            )
        )
    register(
        RecordKind(
            code=ABSENT,
            label=gettext_lazy("Absent from an activity without leave"),
            records=_absent,
            section=SECTION,
            default_points=Decimal(-2),
            models=(Participant,),
        )
    )
    register(
        RecordKind(
            code=FINDING_RAISED,
            label=gettext_lazy("Finding raised at an activity"),
            records=_findings,
            section=SECTION,
            default_points=Decimal(1),
            models=(Finding,),
            mandates_of=_raiser,
        )
    )
