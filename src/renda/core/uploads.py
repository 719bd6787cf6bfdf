"""Uploaded files (case attachments, meeting documents): the accepted types, checked by extension
and by the file's first bytes, and the size limit (RENDA_CASE_ATTACHMENT_TYPES / _MAX_MB)."""

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The first bytes of the accepted types: a renamed executable is refused whatever its name says.
SIGNATURES = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF-",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_upload(upload: Any) -> str:
    """The file's type (its extension) if it is an accepted type and size; ValidationError if not."""
    name = PurePath(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = settings.RENDA_CASE_ATTACHMENT_TYPES
    if extension not in allowed or extension not in SIGNATURES:
        raise ValidationError(
            {"file": _("Only these file types are accepted: %(types)s.") % {"types": "、".join(allowed)}}
        )
    limit = settings.RENDA_CASE_ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.RENDA_CASE_ATTACHMENT_MAX_MB}}
        )
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    return extension
