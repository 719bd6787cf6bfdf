"""Photos of an activity: uploaded by the staff who run it (JPEG or PNG, checked by
``core.uploads``), stored under a random name, read only through the scoped download."""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.core.uploads import CONTENT_TYPES, check_upload

from . import permissions_findings as may
from .models import Activity, ActivityPhoto

PHOTO_TYPES = frozenset({"jpg", "jpeg", "png"})


def photo_content_type(photo: ActivityPhoto) -> str:
    extension = PurePath(photo.file.name).suffix.lstrip(".").lower()
    return CONTENT_TYPES.get(extension, "application/octet-stream")


@transaction.atomic
def add_photo(activity: Activity, actor: User, *, upload: Any, caption: str = "") -> ActivityPhoto:
    if not may.may_add_photos(actor, activity):
        raise PermissionDenied
    if upload is None:
        raise ValidationError({"file": _("Choose a photo.")})
    name = PurePath(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in PHOTO_TYPES:
        raise ValidationError({"file": _("Photos are accepted as JPG or PNG files.")})
    extension = check_upload(upload)
    photo = ActivityPhoto(activity=activity, name=name[:200], caption=(caption or "").strip()[:200], uploaded_by=actor)
    photo.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
    photo.save()
    audit.record("activities.photo.add", actor=actor, target=activity, data={"file": photo.name})
    return photo


@transaction.atomic
def delete_photo(photo: ActivityPhoto, actor: User) -> None:
    activity = photo.activity
    if not may.may_add_photos(actor, activity):
        raise PermissionDenied
    name, stored = photo.name, photo.file.name
    photo.delete()
    audit.record("activities.photo.delete", actor=actor, target=activity, data={"file": name})
    storage = ActivityPhoto._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)
