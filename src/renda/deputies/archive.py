"""A deputy's archive for one term (一人一档、一任一册): every declared record, in date order,
with the points it earned. Built from the capabilities' records, never typed twice."""

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
    kind: str
    kind_label: str
    title: str
    outcome: str
    url: str
    points: Decimal | None


def timeline(mandate: Mandate) -> list[ArchiveLine]:
    one = Mandate.objects.filter(pk=mandate.pk)
    points: dict[tuple, Decimal] = defaultdict(Decimal)
    for kind, type_id, uuid, value in mandate.point_entries.values_list(
        "kind", "source_type_id", "source_uuid", "points"
    ):
        points[(kind, type_id, str(uuid))] += value
    lines = []
    for kind in contributions.kinds():
        if not kind.in_archive:
            continue
        for record in kind.records(one):
            type_id = ContentType.objects.get_for_model(type(record.source)).pk
            lines.append(
                ArchiveLine(
                    date=record.date,
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


def point_totals(mandate: Mandate) -> list[dict]:
    return list(mandate.point_entries.values("year").annotate(total=Sum("points")).order_by("-year"))


def archive_document(mandate: Mandate, *, actor) -> bytes:
    """The archive as a Word document in the official layout (documents.word)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from renda.documents.word import Section, Table, official_document

    person = mandate.person
    lines = timeline(mandate)
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
        Section(
            heading=_("Record of work"),
            paragraphs=() if lines else (_("Nothing recorded for this term yet."),),
            table=Table(
                headers=[_("Date"), _("Kind"), _("Record"), _("Points")],
                rows=[
                    [
                        f"{line.date:%Y-%m-%d}",
                        line.kind_label,
                        line.title + (f"（{line.outcome}）" if line.outcome else ""),
                        "" if line.points is None else str(line.points),
                    ]
                    for line in lines
                ],
                widths_mm=[28, 36, 70, 20],
            )
            if lines
            else None,
        ),
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
        footer_note=_("Exported by %(user)s at %(time)s")
        % {"user": actor.full_name or actor.username, "time": f"{now:%Y-%m-%d %H:%M}"},
    )
