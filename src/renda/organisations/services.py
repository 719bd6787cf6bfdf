"""Writes to the organisation tree. Every function is atomic and writes its audit entry."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.core.locking import VersionedModel

from . import divisions
from .models import Agency, County, DeputyGroup, Station, Term, Township, TownshipKind


class OrganisationError(Exception):
    """A change to the organisation tree that cannot be made; the message is shown to the user."""


def _event(instance: Model, verb: str) -> str:
    return f"organisations.{instance._meta.model_name}.{verb}"


@transaction.atomic
def unit_save(*, instance: Model, actor: User, changed_fields: list[str], expected_version: int | None = None) -> Model:
    """Create or update a township, station, deputy group, agency or term from a validated form.

    An edit of a versioned unit saves only if nobody saved it since ``expected_version`` was
    read; otherwise StaleEdit is raised and nothing is written.
    """
    created = instance._state.adding
    if isinstance(instance, VersionedModel) and not created:
        fields = [f.name for f in instance._meta.concrete_fields if f.editable and not f.primary_key]
        instance.save_versioned(expected_version=expected_version or instance.version, update_fields=fields)
    else:
        instance.save()
    audit.record(
        _event(instance, "create" if created else "update"),
        actor=actor,
        target=instance,
        data={"fields": sorted(changed_fields)},
    )
    return instance


@transaction.atomic
def unit_set_active(
    *, instance: Township | Station | DeputyGroup | Agency, active: bool, actor: User
) -> Township | Station | DeputyGroup | Agency:
    """Deactivate or reactivate a unit. Units are never deleted: their history must stay readable."""
    if instance.is_active != active:
        instance.is_active = active
        instance.save(update_fields=["is_active", "updated_at"])
        audit.record(_event(instance, "activate" if active else "deactivate"), actor=actor, target=instance)
    return instance


@transaction.atomic
def county_create_from_division(*, division_code: str, actor: User | None) -> County:
    """Create a county from its six-digit code together with all its townships.

    Raises OrganisationError for an unknown code or a county that already exists.
    """
    division = divisions.county(division_code)
    if division is None:
        raise OrganisationError(_("No county has the division code %(code)s.") % {"code": division_code})
    if County.objects.unscoped().filter(division_code=division_code).exists():
        raise OrganisationError(_("The county %(code)s is set up already.") % {"code": division_code})
    county = County.objects.create(name=division.name, division_code=division_code)
    audit.record("organisations.county.create", actor=actor, target=county)
    townships_import_from_divisions(county=county, actor=actor)
    return county


@transaction.atomic
def townships_import_from_divisions(*, county: County, actor: User | None) -> list[Township]:
    """Add the county's townships that the statistical division list has and the county lacks.

    Existing townships are matched by code, then by name (a township typed in by hand gets its
    code); nothing is renamed or removed, so running it twice changes nothing.
    """
    existing = {t.division_code: t for t in county.townships.exclude(division_code="")}
    by_name = {t.name: t for t in county.townships.filter(division_code="")}
    created: list[Township] = []
    coded: list[str] = []
    for division in divisions.townships_of(county.division_code):
        if division.code in existing:
            continue
        if division.name in by_name:
            township = by_name[division.name]
            township.division_code = division.code
            township.save(update_fields=["division_code", "updated_at"])
            coded.append(township.name)
            continue
        created.append(
            Township.objects.create(
                county=county,
                name=division.name,
                division_code=division.code,
                kind=TownshipKind.from_name(division.name),
            )
        )
    if created or coded:
        audit.record(
            "organisations.township.import",
            actor=actor,
            target=county,
            data={"created": [t.name for t in created], "coded": coded},
        )
    return created


@dataclass(frozen=True)
class TermPlan:
    township: Township | None  # None: the county congress itself
    number: int
    starts_on: date
    ends_on: date


@transaction.atomic
def terms_set(*, county: County, plans: list[TermPlan], actor: User) -> list[Term]:
    """Record the terms of the county congress and of many township congresses at once (换届).

    All or nothing: raises OrganisationError naming every body whose term cannot be recorded
    (a subdistrict, which has no congress, or a term number recorded already)."""
    problems = []
    terms = []
    recorded = set(Term.objects.unscoped().filter(county=county).values_list("township_id", "number"))
    for plan in plans:
        if plan.township is not None and not plan.township.has_congress:
            problems.append(_("%(name)s has no congress of its own.") % {"name": plan.township.name})
            continue
        term = Term(
            county=county, township=plan.township, number=plan.number, starts_on=plan.starts_on, ends_on=plan.ends_on
        )
        if (plan.township.pk if plan.township else None, plan.number) in recorded:
            problems.append(_("%(term)s is recorded already.") % {"term": term})
            continue
        terms.append(term)
    if problems:
        raise OrganisationError(" ".join(problems))
    for term in terms:
        unit_save(instance=term, actor=actor, changed_fields=["number", "starts_on", "ends_on"])
    return terms


@transaction.atomic
def county_allow_township_terms(*, county: County, allowed: bool, actor: User) -> County:
    """Let (or stop letting) each township's staff record its own congress terms."""
    if county.townships_register_terms != allowed:
        county.townships_register_terms = allowed
        county.save(update_fields=["townships_register_terms", "updated_at"])
        audit.record("organisations.county.township_terms", actor=actor, target=county, data={"allowed": allowed})
    return county
