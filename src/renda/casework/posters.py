"""QR codes (segno) of the citizens' pages and the A4 poster that carries one, for a station or a
deputy: the name, the address, the reception days, the code and a short instruction. The poster is
not correspondence, so it is laid out here rather than in the official-document layout of
``documents.word`` (which has no picture); it uses the same fonts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from django.conf import settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from renda.documents.word import FANGSONG, HEITI, LATIN_FONT, XIAOBIAOSONG


def public_address(path: str, request=None) -> str:
    """The absolute address of a public page: ``RENDA_PUBLIC_BASE_URL`` when set (the address the
    public reaches, which may differ from the office's), else the request's own host."""
    if settings.RENDA_PUBLIC_BASE_URL:
        return settings.RENDA_PUBLIC_BASE_URL + path
    if request is None:
        raise ValueError("RENDA_PUBLIC_BASE_URL is not set and there is no request to take the host from")
    return request.build_absolute_uri(path)


def qr(address: str) -> segno.QRCode:
    # Level M survives a poster's creases and a little dirt, and keeps the code small.
    return segno.make_qr(address, error="m")


def qr_png(address: str, *, scale: int = 12) -> bytes:
    output = io.BytesIO()
    qr(address).save(output, kind="png", scale=scale, border=4)
    return output.getvalue()


def qr_svg(address: str, *, scale: int = 8) -> bytes:
    output = io.BytesIO()
    qr(address).save(output, kind="svg", scale=scale, border=4, xmldecl=True)
    return output.getvalue()


@dataclass(frozen=True)
class Poster:
    heading: str  # "扫码反映意见建议"
    title: str  # the station's or the deputy's name
    lines: Sequence[str]  # address, reception days…
    address: str  # what the QR code holds
    instruction: str


def _paragraph(
    document, text: str, *, font: str, size: float, bold: bool = False, center: bool = True, after: float = 6
):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    run.font.name = LATIN_FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    return paragraph


def poster_docx(poster: Poster) -> bytes:
    """An A4 portrait page: heading, name, lines, the QR code 12 cm wide, the instruction, the address."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    _paragraph(document, poster.heading, font=XIAOBIAOSONG, size=36, bold=True, after=12)
    _paragraph(document, poster.title, font=HEITI, size=26, after=12)
    for line in poster.lines:
        if line:
            _paragraph(document, line, font=FANGSONG, size=16)
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(qr_png(poster.address)), width=Mm(120))
    _paragraph(document, poster.instruction, font=FANGSONG, size=16, after=12)
    _paragraph(document, poster.address, font=LATIN_FONT, size=10)
    properties = document.core_properties
    properties.title, properties.author, properties.comments = poster.title[:255], "renda", ""
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
