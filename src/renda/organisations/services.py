"""Writes to the organisation tree. Every function is atomic and writes its audit entry."""

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.core.locking import VersionedModel

from . import divisions
from .models import County, Township, TownshipKind


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
def unit_set_active(*, instance: Model, active: bool, actor: User) -> Model:
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
