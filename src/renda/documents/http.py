"""Download responses for generated documents: the right content type, the Chinese filename in
``filename*`` (RFC 6266 / RFC 5987), and never a copy in a cache (the files carry personal
information)."""

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.timezone import now

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Path separators, quotes, control characters and the characters Windows forbids in file names.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
MAX_NAME_LENGTH = 120


def safe_filename(filename: str, extension: str) -> str:
    """A file name that every browser and Windows accept, ending in ``extension`` (".docx")."""
    name = _UNSAFE.sub("_", filename or "").strip(" ._")
    if name.lower().endswith(extension):
        name = name[: -len(extension)].rstrip(" .")
    if not name:
        name = now().strftime("renda-%Y%m%d-%H%M%S")
    return name[:MAX_NAME_LENGTH] + extension


def _download(content: bytes, filename: str, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # None only for an inline response without a file name, which this never is.
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename, extension)) or ""
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """A Word download; ``filename`` may be Chinese (e.g. "代表履职档案-张三.docx")."""
    return _download(content, filename, DOCX_CONTENT_TYPE, ".docx")


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An Excel download; ``filename`` may be Chinese (e.g. "代表名册.xlsx")."""
    return _download(content, filename, XLSX_CONTENT_TYPE, ".xlsx")


_BY_EXTENSION = {".docx": docx_response, ".xlsx": xlsx_response}


def download_response(content: bytes, filename: str) -> HttpResponse:
    """A Word or Excel download, chosen by the extension of ``filename``; raises ``ValueError`` for
    any other, so a new kind of file gets its content type here first."""
    for extension, response in _BY_EXTENSION.items():
        if filename.lower().endswith(extension):
            return response(content, filename)
    raise ValueError(f"no download type for {filename!r}")
