"""Every change to the assessment: a county's scheme for a year (new or copied from an earlier one),
its sections and indicators while a draft, the points the county enters with evidence, adjustments
with a reason, publication (which stores each township's result and freezes the scheme), and the
year documents. Each service checks who may act (PermissionDenied), checks the rules
(ValidationError in Chinese, keyed by the form field), locks what it changes and writes one audit
entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.permissions import require
from renda.core.locking import StaleEdit
from renda.core.periods import Period
from renda.core.uploads import check_upload
from renda.meetings.compliance import congress_townships
from renda.organisations.models import County, Township

from . import permissions as may
from . import scoring
from .measures import measures
from .models import (
    Adjustment,
    DocumentKind,
    EnteredScore,
    Formula,
    Indicator,
    IndicatorKind,
    Result,
    Scheme,
    SchemeState,
    Section,
    YearDocument,
)

INDICATOR_FIELDS = (
    "name",
    "guidance",
    "order",
    "max_score",
    "weight",
    "kind",
    "is_bonus",
    "measure",
    "formula",
    "full_at",
    "zero_at",
    "per_unit",
)


def assessed_townships(county: County):
    """The townships a county assesses: its active townships with a congress of their own. A
    subdistrict has none (the county congress keeps a working committee there), so it would score
    nothing on the congress's sessions and deputies."""
    return congress_townships(county).order_by("name")


def _lock(scheme: Scheme, expected_version: int | None = None) -> Scheme:
    locked = Scheme.objects.unscoped().select_for_update(of=("self",)).get(pk=scheme.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    return locked


def _editable(scheme: Scheme, actor: User) -> Scheme:
    require(may.may_manage_schemes(actor) and actor.county_id == scheme.county_id)
    locked = _lock(scheme)
    if locked.is_published:
        raise ValidationError(_("The results have been published: the scheme is frozen. Copy it for another year."))
    return locked


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})


@transaction.atomic
def create_scheme(county: County, actor: User, *, year: int, title: str, notes: str = "") -> Scheme:
    require(may.may_manage_schemes(actor) and actor.county_id == county.pk)
    _check_year(year)
    if Scheme.objects.unscoped().filter(county=county, year=year).exists():
        raise ValidationError({"year": _("The county has an assessment scheme for this year already.")})
    scheme = Scheme.objects.create(county=county, year=year, title=title.strip(), notes=notes)
    audit.record("assessment.scheme.create", actor=actor, target=scheme, data={"year": year})
    return scheme


@transaction.atomic
def copy_scheme(source: Scheme, actor: User, *, year: int, title: str = "") -> Scheme:
    """A new draft for ``year`` with the sections and indicators of ``source`` (last year's)."""
    scheme = create_scheme(
        source.county, actor, year=year, title=title or _("%(year)s assessment of townships") % {"year": year}
    )
    scheme.copied_from = source
    scheme.notes = source.notes
    scheme.save(update_fields=["copied_from", "notes"])
    for section in Section.objects.unscoped().filter(scheme=source).prefetch_related("indicators"):
        copy = Section.objects.create(scheme=scheme, name=section.name, order=section.order)
        Indicator.objects.bulk_create(
            Indicator(section=copy, **{name: getattr(i, name) for name in INDICATOR_FIELDS})
            for i in section.indicators.all()
        )
    audit.record("assessment.scheme.copy", actor=actor, target=scheme, data={"year": year, "copied_from": source.year})
    return scheme


@transaction.atomic
def update_scheme(scheme: Scheme, actor: User, *, version: int, title: str, notes: str) -> Scheme:
    locked = _editable(scheme, actor)
    if locked.version != version:
        raise StaleEdit(StaleEdit.message)
    locked.title, locked.notes = title.strip(), notes
    locked.version += 1
    locked.save(update_fields=["title", "notes", "version", "updated_at"])
    audit.record("assessment.scheme.update", actor=actor, target=locked, data={"fields": ["title", "notes"]})
    return locked


@transaction.atomic
def add_section(scheme: Scheme, actor: User, *, name: str, order: int = 0) -> Section:
    locked = _editable(scheme, actor)
    if not name.strip():
        raise ValidationError({"name": _("Name the section.")})
    section = Section.objects.create(scheme=locked, name=name.strip(), order=order)
    audit.record("assessment.section.add", actor=actor, target=locked, data={"name": section.name})
    return section


@transaction.atomic
def update_section(section: Section, actor: User, *, name: str, order: int) -> Section:
    _editable(section.scheme, actor)
    if not name.strip():
        raise ValidationError({"name": _("Name the section.")})
    section.name, section.order = name.strip(), order
    section.save(update_fields=["name", "order"])
    audit.record("assessment.section.update", actor=actor, target=section.scheme, data={"name": section.name})
    return section


@transaction.atomic
def remove_section(section: Section, actor: User) -> None:
    scheme = _editable(section.scheme, actor)
    name = section.name
    section.delete()
    audit.record("assessment.section.remove", actor=actor, target=scheme, data={"name": name})


def check_indicator(values: dict[str, Any]) -> None:
    """The rule must be complete: a computed indicator names a known measure and a formula with its
    thresholds; an entered one has none of them."""
    errors: dict[str, str] = {}
    if values.get("kind") == IndicatorKind.COMPUTED:
        if measures.get(values.get("measure") or "") is None:
            errors["measure"] = _("Choose the measure the indicator is computed from.")
        formula = values.get("formula")
        if formula not in Formula.values:
            errors["formula"] = _("Choose a formula.")
        elif formula == Formula.PER_UNIT and values.get("per_unit") is None:
            errors["per_unit"] = _("Give the points for each unit.")
        elif formula in (Formula.LINEAR, Formula.STEP) and values.get("full_at") is None:
            errors["full_at"] = _("Give the figure that earns full marks.")
        elif formula == Formula.LINEAR and values.get("zero_at") is not None and values["zero_at"] == values["full_at"]:
            errors["zero_at"] = _("The two thresholds must differ.")
    elif values.get("kind") == IndicatorKind.ENTERED:
        values.update(measure="", formula="", full_at=None, zero_at=None, per_unit=None)
    else:
        errors["kind"] = _("Choose how the indicator is scored.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_indicator(section: Section, actor: User, **values: Any) -> Indicator:
    scheme = _editable(section.scheme, actor)
    check_indicator(values)
    indicator = Indicator.objects.create(section=section, **{k: v for k, v in values.items() if k in INDICATOR_FIELDS})
    audit.record("assessment.indicator.add", actor=actor, target=scheme, data={"name": indicator.name})
    return indicator


@transaction.atomic
def update_indicator(indicator: Indicator, actor: User, **values: Any) -> Indicator:
    scheme = _editable(indicator.section.scheme, actor)
    check_indicator(values)
    changed = [name for name in INDICATOR_FIELDS if name in values and getattr(indicator, name) != values[name]]
    for name in changed:
        setattr(indicator, name, values[name])
    indicator.save(update_fields=changed or None)
    audit.record(
        "assessment.indicator.update", actor=actor, target=scheme, data={"name": indicator.name, "fields": changed}
    )
    return indicator


@transaction.atomic
def remove_indicator(indicator: Indicator, actor: User) -> None:
    scheme = _editable(indicator.section.scheme, actor)
    name = indicator.name
    indicator.delete()
    audit.record("assessment.indicator.remove", actor=actor, target=scheme, data={"name": name})


# The columns' lengths (models.py): longer text is refused with a message, not cut.
EVIDENCE_LENGTH: int = EnteredScore._meta.get_field("evidence").max_length or 5000
REASON_LENGTH: int = Adjustment._meta.get_field("reason").max_length or 300


def _tenths(points: Decimal | None) -> Decimal | None:
    """Points are kept to a tenth: 0.04 is 0.0 (and refused where nothing would change)."""
    try:
        return None if points is None else Decimal(points).quantize(Decimal("0.1"))
    except InvalidOperation as exc:  # not a finite number of a sensible size
        raise ValidationError({"points": _("Enter a number of points.")}) from exc


def _check_township(indicator: Indicator, township: Township) -> None:
    if township.county_id != indicator.section.scheme.county_id:
        raise ValidationError({"township": _("Choose a township of the county.")})


@transaction.atomic
def enter_score(
    indicator: Indicator, township: Township, actor: User, *, points: Decimal | None, evidence: str
) -> EnteredScore:
    """The county's points for a township on an entered indicator, with the evidence (a field
    check's findings, the innovation recognised); entering again replaces them."""
    scheme = _editable(indicator.section.scheme, actor)
    _check_township(indicator, township)
    if indicator.kind != IndicatorKind.ENTERED:
        raise ValidationError(_("This indicator is computed from the records; adjust it with a reason instead."))
    tenths = _tenths(points)
    if len(evidence) > EVIDENCE_LENGTH:
        raise ValidationError({"evidence": _("Keep it within %(n)s characters.") % {"n": EVIDENCE_LENGTH}})
    if tenths is None or not Decimal(0) <= tenths <= indicator.max_score:
        raise ValidationError(
            {"points": _("Enter points between 0 and %(max)s.") % {"max": indicator.max_score.normalize()}}
        )
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what the points rest on.")})
    entry, created = EnteredScore.objects.unscoped().update_or_create(
        indicator=indicator,
        township=township,
        defaults={"points": tenths, "evidence": evidence.strip(), "entered_by": actor},
    )
    audit.record(
        "assessment.score.enter",
        actor=actor,
        target=scheme,
        data={"township": township.name, "indicator": indicator.name, "points": str(tenths)},
    )
    return entry


@transaction.atomic
def adjust(indicator: Indicator, township: Township, actor: User, *, points: Decimal | None, reason: str) -> Adjustment:
    """Points added (or taken, negative) on a township's indicator, with the recorded reason."""
    scheme = _editable(indicator.section.scheme, actor)
    _check_township(indicator, township)
    tenths = _tenths(points)
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": _("Keep it within %(n)s characters.") % {"n": REASON_LENGTH}})
    if tenths is None or tenths == 0 or abs(tenths) > indicator.max_score:
        raise ValidationError(
            {
                "points": _("Enter the points to add or take, at most %(max)s.")
                % {"max": indicator.max_score.normalize()}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    adjustment = Adjustment.objects.create(
        indicator=indicator, township=township, points=tenths, reason=reason.strip(), made_by=actor
    )
    audit.record(
        "assessment.score.adjust",
        actor=actor,
        target=scheme,
        data={"township": township.name, "indicator": indicator.name, "points": str(tenths), "reason": reason.strip()},
    )
    return adjustment


@transaction.atomic
def publish(scheme: Scheme, actor: User, *, version: int, today: date | None = None) -> list[Result]:
    """Store every township's result as it stands and freeze the scheme; the townships may then see
    each other's scores and the ranking."""
    locked = _editable(scheme, actor)
    if locked.version != version:
        raise StaleEdit(StaleEdit.message)
    indicators = scoring.indicators_of(locked)
    if not indicators:
        raise ValidationError(_("The scheme has no indicators yet."))
    today = today or timezone.localdate()
    period = Period.year_to_date(locked.year, today)
    scores = scoring.score(locked, assessed_townships(locked.county), period, indicators)
    results = Result.objects.bulk_create(
        Result(
            scheme=locked,
            township=s.township,
            total=s.total,
            bonus=s.bonus,
            grade=s.grade,
            rank=s.rank,
            lines={
                str(line.indicator.uuid): {
                    "value": None if line.value is None else str(line.value),
                    "base": str(line.base),
                    "adjustment": str(line.adjustment),
                    "points": str(line.points),
                }
                for line in s.lines
            },
        )
        for s in scores
    )
    locked.state, locked.published_at, locked.published_by = SchemeState.PUBLISHED, timezone.now(), actor
    locked.version += 1
    locked.save(update_fields=["state", "published_at", "published_by", "version", "updated_at"])
    audit.record(
        "assessment.scheme.publish",
        actor=actor,
        target=locked,
        data={"year": locked.year, "count": len(results), "end": period.end.isoformat()},
    )
    return results


@transaction.atomic
def add_document(
    county: County,
    actor: User,
    *,
    township: Township | None,
    year: int,
    kind: str,
    title: str,
    text: str = "",
    upload: Any = None,
) -> YearDocument:
    """The county's guidance (no township) or a township's plan or year-end summary."""
    require(may.may_add_documents(actor) and actor.county_id in (county.pk, None))
    _check_year(year)
    if kind == DocumentKind.GUIDANCE:
        require(may.is_county_wide(actor))
        township = None
    elif township is None:
        raise ValidationError({"township": _("Choose the township.")})
    if township is not None:
        require(township.county_id == county.pk and actor.township_id in (None, township.pk))
    if not (text.strip() or upload):
        raise ValidationError({"text": _("Write the text or attach the file.")})
    document = YearDocument(
        county=county, township=township, year=year, kind=kind, title=title.strip(), text=text, created_by=actor
    )
    if upload:
        check_upload(upload)
        name = PurePath(upload.name).name[:200]
        document.file.save(name, upload, save=False)
        document.file_name = name
    document.save()
    audit.record("assessment.document.add", actor=actor, target=document, data={"kind": kind, "year": year})
    return document


@transaction.atomic
def remove_document(document: YearDocument, actor: User) -> None:
    require(may.may_edit_document(actor, document))
    audit.record("assessment.document.remove", actor=actor, target=document, data={"kind": document.kind})
    document.delete()
