"""A deputy's archive for one term (一人一档、一任一册): every declared record, in date order and
grouped by the sections the capabilities declare, with the points it earned. Built from the
capabilities' records, never typed twice.

Each line is filtered here, for the page, the Word document and the API alike: a viewer sees only
the lines whose audience admits them (``contributions.visible_to``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from . import contributions
from .models import Mandate


@dataclass(frozen=True)
class ArchiveLine:
    date: date
    section: str
    kind: str
    kind_label: str
    title: str
    outcome: str
    url: str
    points: Decimal | None


def timeline(mandate: Mandate, *, viewer) -> list[ArchiveLine]:
    """The lines of the mandate's archive that ``viewer`` may see (the caller has checked that the
    viewer may see the mandate), in date order."""
    one = Mandate.objects.filter(pk=mandate.pk)
    points: dict[tuple, Decimal] = defaultdict(Decimal)
    for code, type_id, uuid, value in mandate.point_entries.values_list(
        "kind", "source_type_id", "source_uuid", "points"
    ):
        points[(code, type_id, str(uuid))] += value
    lines = []
    for kind in contributions.kinds():
        if not kind.in_archive:
            continue
        for record in kind.records(one):
            if not contributions.visible_to(kind, record, viewer):
                continue
            type_id = ContentType.objects.get_for_model(type(record.source)).pk
            lines.append(
                ArchiveLine(
                    date=record.date,
                    section=kind.section,
                    kind=kind.code,
                    kind_label=str(kind.label),
                    title=record.title,
                    outcome=record.outcome,
                    url=record.url,
                    points=points.get((kind.code, type_id, str(record.source.uuid))),
                )
            )
    lines.sort(key=lambda line: (line.date, line.kind))
    return lines


def by_section(lines: list[ArchiveLine]) -> list[tuple[contributions.ArchiveSection, list[ArchiveLine]]]:
    """The lines grouped by archive section, in the sections' order; sections without lines left out."""
    grouped: dict[str, list[ArchiveLine]] = defaultdict(list)
    for line in lines:
        grouped[line.section].append(line)
    return [(section, grouped[section.code]) for section in contributions.sections if grouped[section.code]]


def point_totals(mandate: Mandate) -> list[dict]:
    return list(mandate.point_entries.values("year").annotate(total=Sum("points")).order_by("-year"))


def archive_document(mandate: Mandate, *, viewer, footer_note: str) -> bytes:
    """The archive as ``viewer`` may read it, as a Word document in the official layout
    (documents.word); ``footer_note`` is the export's stamp (``accounts.exports.ExportGrant.footer``)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from renda.documents.word import Section, Table, official_document

    person = mandate.person
    lines = timeline(mandate, viewer=viewer)
    facts = [
        _("Name: %(name)s; gender: %(gender)s; ethnicity: %(ethnicity)s; born: %(born)s.")
        % {
            "name": person.full_name,
            "gender": person.get_gender_display(),
            "ethnicity": person.ethnicity,
            "born": person.birth_display or "—",
        },
        _("Workplace and position: %(workplace)s.") % {"workplace": person.workplace or "—"},
        _("Mandate: %(level)s, %(term)s, deputy card number %(number)s, deputy group %(group)s, station %(station)s.")
        % {
            "level": mandate.get_level_display(),
            "term": mandate.term or "—",
            "number": mandate.deputy_number or "—",
            "group": mandate.group or "—",
            "station": mandate.station or "—",
        },
    ]
    totals = point_totals(mandate)
    sections = [
        Section(heading=_("Basic information"), paragraphs=facts),
        *(
            []
            if lines
            else [Section(heading=_("Record of work"), paragraphs=(_("Nothing recorded for this term yet."),))]
        ),
        *[
            Section(
                heading=str(section.label),
                table=Table(
                    headers=[_("Date"), _("Kind"), _("Record"), _("Points")],
                    rows=[
                        [
                            f"{line.date:%Y-%m-%d}",
                            line.kind_label,
                            line.title + (f"（{line.outcome}）" if line.outcome else ""),
                            "" if line.points is None else str(line.points),
                        ]
                        for line in section_lines
                    ],
                    widths_mm=[28, 36, 70, 20],
                ),
            )
            for section, section_lines in by_section(lines)
        ],
        Section(
            heading=_("Points"),
            paragraphs=[
                _("%(year)s: %(total)s points.") % {"year": row["year"], "total": row["total"]} for row in totals
            ]
            or [_("No points recorded.")],
        ),
    ]
    now = timezone.localtime()
    return official_document(
        title=_("Archive of deputy %(name)s") % {"name": person.full_name},
        subtitle=str(mandate.term or ""),
        sections=sections,
        issuer=str(person.township.name),
        issued_on=now.date(),
        footer_note=footer_note,
    )
