"""Every change to the study library: the county administrator adds the county's documents (read in
every township), township staff their township's own (its work rules, study material). A file is
checked like every upload; each change is audited."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.permissions import require as _require
from renda.core.uploads import check_upload
from renda.organisations.models import County, Township

from . import permissions_plans as may
from .models import LibraryCategory, LibraryDocument

FIELDS = ("category", "title", "issuer", "issued_on", "summary")



def _errors(values: dict[str, Any], upload: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("category") not in LibraryCategory.values:
        errors["category"] = _("Choose a category.")
    if not str(values.get("title") or "").strip():
        errors["title"] = _("Enter the document's title.")
    issued_on = values.get("issued_on")
    if issued_on is not None and not isinstance(issued_on, date):
        errors["issued_on"] = _("Enter a valid date.")
    if upload is not None:
        try:
            check_upload(upload)
        except ValidationError as error:
            errors.update({name: " ".join(messages) for name, messages in error.message_dict.items()})
    return errors


def _store(document: LibraryDocument, upload: Any) -> None:
    name = PurePath(upload.name).name[:200]
    document.file.save(name, upload, save=False)
    document.file_name = name


def place_for(actor: User, township: Township | None = None) -> tuple[County | None, Township | None]:
    """Where the actor's documents go: the county administrator's are the county's (or, when it names
    one, a township's of the county), staff's their own township's."""
    if may.may_add_county_documents(actor):
        if township is not None and township.county_id != actor.county_id:
            raise PermissionDenied
        return actor.county, township
    own = actor.township
    return (own.county if own else None), own


@transaction.atomic
def add_document(
    actor: User, *, upload: Any = None, township: Township | None = None, **values: Any
) -> LibraryDocument:
    _require(may.may_add_library(actor))
    county, township = place_for(actor, township)
    _require(county is not None)
    errors = _errors(values, upload)
    if errors:
        raise ValidationError(errors)
    document = LibraryDocument(county=county, township=township, created_by=actor)
    for name in FIELDS:
        setattr(document, name, values.get(name) if name == "issued_on" else str(values.get(name) or "").strip())
    if upload is not None:
        _store(document, upload)
    document.save()
    audit.record(
        "activities.library.add",
        actor=actor,
        target=document,
        data={"title": document.title, "file": document.file_name},
    )
    return document


@transaction.atomic
def update_document(document: LibraryDocument, actor: User, *, upload: Any = None, **values: Any) -> LibraryDocument:
    _require(may.may_edit_library(actor, document))
    errors = _errors(values, upload)
    if errors:
        raise ValidationError(errors)
    changed = []
    for name in FIELDS:
        value = values.get(name) if name == "issued_on" else str(values.get(name) or "").strip()
        if getattr(document, name) != value:
            changed.append(name)
            setattr(document, name, value)
    if upload is not None:
        _store(document, upload)
        changed.append("file")
    document.save()
    audit.record("activities.library.update", actor=actor, target=document, data={"fields": changed})
    return document


@transaction.atomic
def remove_document(document: LibraryDocument, actor: User) -> None:
    _require(may.may_edit_library(actor, document))
    title = document.title
    audit.record("activities.library.remove", actor=actor, target=document, data={"title": title})
    if document.file:
        document.file.delete(save=False)
    document.delete()
