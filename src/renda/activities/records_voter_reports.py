"""Reports to voters in deputies' archives and points (domain.md §8): a report held (+3), a report
missed (−5). Cancelled and scheduled reports count for nobody."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.urls import reverse
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

from .models import VoterReport, VoterReportState

SECTION = "activities.voter_reports"
HELD = "activities.voter_report_held"
MISSED = "activities.voter_report_missed"


def _load(mandates):
    return (
        VoterReport.objects.unscoped()
        .filter(mandate__in=mandates, state__in=[VoterReportState.HELD, VoterReportState.MISSED])
        .order_by("scheduled_on", "id")
    )


def _rows(mandates) -> list[VoterReport]:
    return shared_rows(mandates, "activities.voter_reports", _load)


def _held(mandates) -> Iterator[Contribution]:
    from .rules import percent
    from .selectors_voter_reports import satisfaction

    for report in _rows(mandates):
        if report.state == VoterReportState.HELD and report.held_on:
            yield Contribution(
                mandate_id=report.mandate_id,
                date=report.held_on,
                source=report,
                title=_("Report to voters at %(place)s") % {"place": report.place},
                outcome=_("%(present)s voters present, satisfaction %(rate)s")
                % {"present": report.voters_present or 0, "rate": percent(satisfaction(report))},
                url=reverse("activities:voter_report_detail", args=[report.uuid]),
            )


def _missed(mandates) -> Iterator[Contribution]:
    for report in _rows(mandates):
        if report.state == VoterReportState.MISSED:
            yield Contribution(
                mandate_id=report.mandate_id,
                date=report.scheduled_on,
                source=report,
                title=_("Report to voters at %(place)s") % {"place": report.place},
                outcome=report.note,
                url=reverse("activities:voter_report_detail", args=[report.uuid]),
            )


def register_kinds() -> None:
    register_section(ArchiveSection(code=SECTION, label=gettext_lazy("Reports to voters"), order=260))
    register(
        RecordKind(
            code=HELD,
            label=gettext_lazy("Reported to the voters"),
            records=_held,
            section=SECTION,
            default_points=Decimal(3),
            models=(VoterReport,),
        )
    )
    register(
        RecordKind(
            code=MISSED,
            label=gettext_lazy("Report to the voters missed"),
            records=_missed,
            section=SECTION,
            default_points=Decimal(-5),
            models=(VoterReport,),
        )
    )
