"""Word documents in the official layout of Party and government documents (党政机关公文格式,
GB/T 9704-2012), written with python-docx.

Layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the text area is
156 mm × 225 mm; body in 仿宋_GB2312 三号 (16 pt), 28 characters × 22 lines per page. Word keeps
the 28 × 22 through the section's document grid (``w:docGrid type="linesAndChars"``), exactly as a
公文 template made in Word does: the line pitch is 225 mm / 22 ≈ 28.95 pt and the character pitch
156 mm / 28 ≈ 15.79 pt, stored as the difference from the 16 pt default font in 4096ths of a point.
Every paragraph also has a fixed line spacing of the same 28.95 pt, so the page holds 22 lines in
programs that ignore the grid. Word and WPS squeeze each 16 pt character into its 15.79 pt cell;
LibreOffice (7.4, checked by converting to PDF) gives a character wider than its cell two cells, so
it shows 14 characters a line, 22 lines a page. Titles are set off the grid for the same reason.

Fonts: each run and style names both its Western font (w:ascii/w:hAnsi, Times New Roman) and its
Chinese font (w:eastAsia: 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体). The official
fonts are not free to redistribute: a machine without them shows Word's fallback (usually 宋体 or
等线), and LibreOffice on Linux its own (Noto CJK when installed), with the same sizes, so the
layout holds but the faces differ. Install the fonts on the machines that print.

Page numbers: "— 1 —" in 宋体 四号 (14 pt) under the text area, on odd pages at the right and on
even pages at the left, each one character in from the edge of the text area (separate odd and
even footers, ``w:evenAndOddHeaders``).

The elements of correspondence (交办单, 督办函, 答复函, 决议), each optional, in the order of §7:
- 版头: the 发文机关标志 (issuing_authority) in red 方正小标宋简体, its top edge 35 mm below the top of
  the text area, as large as fits one line up to 初号; two lines below it the 发文字号
  (document_number, "龙人大〔2026〕12号", see ``format_document_number``) centred in 仿宋 三号; 4 mm
  below that a red rule as wide as the text area; the title two lines below the rule.
- 主送机关 (main_recipients): one line below the title, flush left, ending in a full-width colon.
- 附件说明 (attachments): one line below the body, two characters in, "附件：1.…", further names
  aligned with the first, a long name wrapping under its own first character.
- 版记 (copy_recipients, printed_by, printed_on) in 仿宋 四号 at the foot of the last page: "抄送："
  one character in from each side, wrapping under the first name, ending in "。"; below it the
  印发机关 one character in from the left and "2026年3月7日印发" one character in from the right.
  Rules as wide as the text area: the first and last thick (0.35 mm → 1 pt), the one between thin
  (0.25 mm → ¾ pt); the last rule on the bottom edge of the text area. It is a table floating at the
  bottom of the text area (``w:tblpPr tblpYSpec="bottom"``), so it stays at the foot of whichever
  page the document ends on and body text flows around it rather than under it.
"""

import copy
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt, RGBColor

from .dates import format_chinese_date

# --- Page (GB/T 9704-2012 §5.2) --------------------------------------------------------------
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
# Page numbers: the dashes sit 7 mm below the text area (§7.5). The footer paragraph is one 14 pt
# line (≈ 4.9 mm) whose middle is 7 mm + half a line below the text area, so its bottom edge is
# ≈ 35 − 7 − 2.5 − 2.5 mm from the bottom of the page.
FOOTER_DISTANCE_MM = 23
HEADER_DISTANCE_MM = 15

# --- Type sizes (字号) in points ---------------------------------------------------------------
SIZE_2 = 22.0  # 二号: title
SIZE_3 = 16.0  # 三号: body, headings, subtitle
SIZE_4 = 14.0  # 四号: page numbers, table cells
SIZE_5 = 10.5  # 五号: the footer note
TITLE_LINE_PT = 35.0

# --- Fonts -------------------------------------------------------------------------------------
LATIN_FONT = "Times New Roman"
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# --- 版头 and 版记 (§7.2, §7.4) ----------------------------------------------------------------
RED = "FF0000"
AUTHORITY_TOP_MM = 35  # 发文机关标志上边缘至版心上边缘
AUTHORITY_MAX_PT = 42.0  # 初号 (≈ 15 mm a character, the widest §7.2.3 allows for a joint mark)
SEPARATOR_GAP_PT = 11  # the red rule 4 mm below the 发文字号
SEPARATOR_EIGHTHS = 12  # the red rule 1.5 pt thick (the standard leaves the weight open)
IMPRINT_THICK_EIGHTHS = 8  # 版记 first and last rules, 0.35 mm
IMPRINT_THIN_EIGHTHS = 6  # 版记 rules between, 0.25 mm

# First-level headings are numbered 一、二、… (§7.3.3): this is the document's official text, not UI.
CHINESE_NUMERALS = "一二三四五六七八九十"
_NUMBERED_HEADING = re.compile(r"^[一二三四五六七八九十百]+、")
# An attachment's name carries no punctuation at its end (§7.3.4).
_TRAILING_PUNCTUATION = "。.，,；;：:、"
# Characters XML 1.0 cannot hold; lxml refuses them, and pasted text sometimes has them.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths_mm: Sequence[float] | None = None  # optional column widths


@dataclass(frozen=True)
class Section:
    heading: str = ""  # rendered as a 一、二、… level heading in 黑体 三号
    paragraphs: Sequence[str] = ()  # body paragraphs, 仿宋 三号, first-line indent 2 characters
    table: Table | None = None  # optional table after the paragraphs (仿宋 四号 in cells)


def line_pitch_twips() -> int:
    """Line pitch of the grid in twentieths of a point: 225 mm / 22 lines ≈ 28.95 pt → 579."""
    text_height_pt = (PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM) / 25.4 * 72
    return int(text_height_pt / LINES_PER_PAGE * 20)


def char_space(text_width_twips: int, font_size_pt: float = SIZE_3) -> int:
    """Word's ``w:charSpace``: how much the character pitch differs from the default font size, in
    4096ths of a point, rounded down so that 28 characters always fit the line."""
    pitch_pt = text_width_twips / 20 / CHARS_PER_LINE
    return int((pitch_pt - font_size_pt) * 4096 // 1)


def chinese_number(n: int) -> str:
    """一 … 九十九, enough for headings."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, units = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CHINESE_NUMERALS[tens - 1]) + "十"
    if units:
        text += CHINESE_NUMERALS[units - 1]
    return text


def text_width_chars(text: str) -> float:
    """Width in characters of the body font: Chinese characters one, Latin letters and digits half."""
    return sum(1.0 if ord(char) > 0x2E7F else 0.5 for char in text)


def format_document_number(*, prefix: str, year: int, sequence: int) -> str:
    """发文字号 as §7.2.4 writes it: the year in full inside 〔〕, the number without 第 or leading
    zeros, then 号: ``format_document_number(prefix="龙人大", year=2026, sequence=12)`` →
    "龙人大〔2026〕12号". Raises ``ValueError`` for a number below 1."""
    if sequence < 1:
        raise ValueError("a document number starts at 1")
    return f"{prefix}〔{year}〕{sequence}号"


def _clean(text: object) -> str:
    return _XML_INVALID.sub("", "" if text is None else str(text))


# --- Low-level formatting ------------------------------------------------------------------------


def _set_fonts(rpr, east_asia: str, latin: str = LATIN_FONT, size_pt: float | None = None) -> None:
    """Name both fonts on a run or style; drop theme fonts, which would override the names."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size_pt is not None:
        half_points = str(round(size_pt * 2))
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), half_points)


def _run(paragraph, text: str, *, font: str, size: float, bold: bool = False, latin: str = LATIN_FONT):
    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(size)
    if bold:
        run.bold = True
    _set_fonts(run._r.get_or_add_rPr(), font, latin)
    return run


def _indent_chars(
    paragraph, *, first_line: float = 0, hanging: float = 0, left: float = 0, right: float = 0, size: float = SIZE_3
):
    """Indents in characters (w:firstLineChars etc., which Word prefers) with a twips fallback."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for name, chars in (("firstLine", first_line), ("hanging", hanging), ("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * size * 20)))
    # python-docx appends; the schema wants w:ind before w:jc and a few others: re-order.
    _order_ppr(ppr)


# Order of pPr children in the schema (CT_PPrBase), for the elements this module writes.
_PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:widowControl",
    "w:pBdr",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:jc",
    "w:rPr",
]


def _order_ppr(ppr) -> None:
    rank = {qn(tag): index for index, tag in enumerate(_PPR_ORDER)}
    children = list(ppr)
    children.sort(key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        ppr.append(child)


def _set_flag(ppr, tag: str, on: bool) -> None:
    element = ppr.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        ppr.append(element)
    element.set(qn("w:val"), "1" if on else "0")
    _order_ppr(ppr)


def _loose(paragraph, *, size: float) -> None:
    """A paragraph off the grid with single spacing (table cells, footer, small print)."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(0)
    _set_flag(paragraph._p.get_or_add_pPr(), "w:snapToGrid", False)


# --- Document set-up -----------------------------------------------------------------------------


def _set_up_styles(document) -> None:
    line = Pt(line_pitch_twips() / 20)
    # Document defaults: the grid's character pitch is counted from this font size.
    rpr_default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    _set_fonts(rpr, FANGSONG, size_pt=SIZE_3)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    _set_fonts(normal.element.get_or_add_rPr(), FANGSONG, size_pt=SIZE_3)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # Widow control moves lines to the next page and breaks the 22 lines a page.
    fmt.widow_control = False
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    footer = document.styles["Footer"]
    _set_fonts(footer.element.get_or_add_rPr(), SONGTI, latin=SONGTI, size_pt=SIZE_4)

    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _set_up_page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)

    text_width = section.page_width - section.left_margin - section.right_margin
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch_twips()))
    grid.set(qn("w:charSpace"), str(char_space(Emu(text_width).twips)))


def _page_number(paragraph) -> None:
    """ "— PAGE —": em dashes around a PAGE field, 宋体 四号."""

    def run(text: str = ""):
        r = _run(paragraph, text, font=SONGTI, size=SIZE_4, latin=SONGTI)
        # The em dash is ambiguous in width; the hint makes Word draw it full-width (一字线).
        r._r.get_or_add_rPr().find(qn("w:rFonts")).set(qn("w:hint"), "eastAsia")
        return r

    def field_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run()._r.append(element)

    run("— ")
    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run()._r.append(instruction)
    field_char("separate")
    run("1")
    field_char("end")
    run(" —")


def _set_up_footers(document) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, alignment, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),  # odd pages: 单页码居右空一字
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),  # even pages: 双页码居左空一字
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        _loose(paragraph, size=SIZE_4)
        paragraph.alignment = alignment
        _indent_chars(paragraph, size=SIZE_4, **{side: 1})
        _page_number(paragraph)


# --- Content ---------------------------------------------------------------------------------------


def _blank_line(document) -> None:
    document.add_paragraph()


def _border(paragraph, side: str, *, eighths: int, space_pt: int = 0, color: str = "auto") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), str(space_pt))
    line.set(qn("w:color"), color)
    borders.append(line)
    _order_ppr(ppr)


def _letterhead(document, issuing_authority: str, document_number: str, text_width) -> None:
    """版头 (§7.2): mark, two lines, number, red rule 4 mm below it; then two lines to the title."""
    if issuing_authority:
        # As large as fits the text area on one line, never above 初号; one character to spare,
        # since programs round the widths differently and a wrapped last character looks broken.
        size = min(AUTHORITY_MAX_PT, Emu(text_width).pt / (text_width_chars(issuing_authority) + 1))
        size = int(size * 2) / 2  # Word stores half points
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_before = Mm(AUTHORITY_TOP_MM)
        # An exact line of the type size puts the top of the characters where the spacing ends.
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(size)
        fmt.keep_with_next = True
        _set_flag(paragraph._p.get_or_add_pPr(), "w:snapToGrid", False)
        run = _run(paragraph, issuing_authority, font=XIAOBIAOSONG, size=size)
        run.font.color.rgb = RGBColor.from_string(RED)
        _blank_line(document)
        _blank_line(document)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    if document_number:
        _run(paragraph, document_number, font=FANGSONG, size=SIZE_3)
    _border(paragraph, "bottom", eighths=SEPARATOR_EIGHTHS, space_pt=SEPARATOR_GAP_PT, color=RED)
    _blank_line(document)
    _blank_line(document)


def _main_recipients(document, recipients: Sequence[str]) -> None:
    """主送机关 (§7.3.2): flush left, wrapping flush left, a full-width colon after the last."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, "、".join(recipients) + "：", font=FANGSONG, size=SIZE_3)


def _attachment_note(document, attachments: Sequence[str]) -> None:
    """附件说明 (§7.3.4): "附件：" two characters in; with several, "1." "2." … under each other;
    a name that wraps continues under its own first character."""
    _blank_line(document)
    label = "附件："
    numbered = len(attachments) > 1
    for number, name in enumerate(attachments, start=1):
        prefix = f"{number}." if numbered else ""
        text_start = 2 + text_width_chars(label) + text_width_chars(prefix)
        lead = (label if number == 1 else "") + prefix
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = number < len(attachments)
        _indent_chars(paragraph, left=text_start, hanging=text_width_chars(lead))
        _run(paragraph, lead + name.rstrip(_TRAILING_PUNCTUATION), font=FANGSONG, size=SIZE_3)


def _imprint_paragraph(cell, text: str, *, alignment, left: float = 0, right: float = 0, hanging: float = 0):
    paragraph = cell.paragraphs[0]
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pitch_twips() / 20)
    # Off the grid: a 14 pt character on the 16 pt grid would not line up with the body anyway.
    _set_flag(paragraph._p.get_or_add_pPr(), "w:snapToGrid", False)
    _indent_chars(paragraph, left=left, right=right, hanging=hanging, size=SIZE_4)
    _run(paragraph, text, font=FANGSONG, size=SIZE_4)


def _imprint_table(document, *, rows: int, text_width):
    """A two-column table as wide as the text area, floating at its bottom, with thick top and
    bottom rules, thin rules between the rows and no side rules or cell padding."""
    table = document.add_table(rows=rows, cols=2)
    table.autofit = False
    half = Emu(text_width // 2)
    tbl_pr = table._tbl.tblPr
    float_at_bottom = OxmlElement("w:tblpPr")
    for name, value in (
        ("leftFromText", "0"),
        ("rightFromText", "0"),
        ("topFromText", "0"),
        ("bottomFromText", "0"),
        ("vertAnchor", "margin"),
        # From the page edge rather than centred in the margins: LibreOffice floats a table only
        # if it is narrower than what it is measured against, and this one is the text area's width.
        ("horzAnchor", "page"),
        ("tblpX", str(Emu(Mm(MARGIN_LEFT_MM)).twips)),
        ("tblpYSpec", "bottom"),
    ):
        float_at_bottom.set(qn(f"w:{name}"), value)
    overlap = OxmlElement("w:tblOverlap")
    overlap.set(qn("w:val"), "never")
    # CT_TblPr order: tblStyle, tblpPr, tblOverlap, …, tblW, jc, …, tblBorders, …, tblCellMar, tblLook.
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        style.addnext(float_at_bottom)
    else:
        tbl_pr.insert(0, float_at_bottom)
    float_at_bottom.addnext(overlap)
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(Emu(text_width).twips))
    borders = OxmlElement("w:tblBorders")
    for side, eighths in (
        ("top", IMPRINT_THICK_EIGHTHS),
        ("left", 0),
        ("bottom", IMPRINT_THICK_EIGHTHS),
        ("right", 0),
        ("insideH", IMPRINT_THIN_EIGHTHS),
        ("insideV", 0),
    ):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single" if eighths else "nil")
        if eighths:
            line.set(qn("w:sz"), str(eighths))
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "auto")
        borders.append(line)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    layout = tbl_pr.find(qn("w:tblLayout"))
    (layout if layout is not None else width).addnext(borders)
    borders.addnext(margins)
    for grid_col in table._tbl.tblGrid.findall(qn("w:gridCol")):
        grid_col.set(qn("w:w"), str(Emu(half).twips))
    for row in table.rows:
        for cell in row.cells:
            cell.width = half
    return table


def _imprint(document, copy_recipients: Sequence[str], printed_by: str, printed_on: date | None, text_width) -> None:
    """版记 (§7.4): 抄送 over 印发机关 and 印发日期, at the foot of the page the document ends on."""
    rows = (1 if copy_recipients else 0) + (1 if printed_by or printed_on else 0)
    table = _imprint_table(document, rows=rows, text_width=text_width)
    index = 0
    if copy_recipients:
        cell = table.rows[0].cells[0].merge(table.rows[0].cells[1])
        label = "抄送："
        text = label + "，".join(name.rstrip(_TRAILING_PUNCTUATION) for name in copy_recipients) + "。"
        # 左右各空一字; a second line starts under the first name, after the colon.
        _imprint_paragraph(
            cell,
            text,
            alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
            left=1 + text_width_chars(label),
            hanging=text_width_chars(label),
            right=1,
        )
        index = 1
    if printed_by or printed_on:
        by_cell, on_cell = table.rows[index].cells
        _imprint_paragraph(by_cell, printed_by, alignment=WD_ALIGN_PARAGRAPH.LEFT, left=1)
        on_text = f"{format_chinese_date(printed_on)}印发" if printed_on else ""
        _imprint_paragraph(on_cell, on_text, alignment=WD_ALIGN_PARAGRAPH.RIGHT, right=1)
    # Word wants a paragraph after a table; this one holds the anchor and takes next to no room.
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(1)
    _set_flag(paragraph._p.get_or_add_pPr(), "w:snapToGrid", False)


def _title(document, title: str, subtitle: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # A title of two or more lines (§7.3.1: 可分一行或多行居中排布) needs more than the body's pitch.
    paragraph.paragraph_format.line_spacing = Pt(TITLE_LINE_PT)
    paragraph.paragraph_format.keep_with_next = True
    # Off the grid: a 22 pt character would take two 15.79 pt cells and the title two grid lines.
    _set_flag(paragraph._p.get_or_add_pPr(), "w:snapToGrid", False)
    _run(paragraph, title, font=XIAOBIAOSONG, size=SIZE_2)
    if subtitle:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, subtitle, font=KAITI, size=SIZE_3)
    _blank_line(document)  # 标题下空一行


def _heading(document, text: str, number: int) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    _indent_chars(paragraph, first_line=2)
    if not _NUMBERED_HEADING.match(text):
        text = f"{chinese_number(number)}、{text}"
    _run(paragraph, text, font=HEITI, size=SIZE_3)


def _body(document, text: str) -> None:
    paragraph = document.add_paragraph()
    _indent_chars(paragraph, first_line=2)
    _run(paragraph, text, font=FANGSONG, size=SIZE_3)


def _table(document, table: Table, text_width) -> None:
    headers = [_clean(header) for header in table.headers]
    count = len(headers)
    if count == 0:
        raise ValueError("a table needs at least one column")
    if table.widths_mm:
        widths: list[Length] = [Mm(width) for width in table.widths_mm[:count]]
        if len(widths) < count:
            rest = max(text_width - sum(widths), 0) // (count - len(widths))
            widths += [Emu(rest)] * (count - len(widths))
    else:
        widths = [Emu(text_width // count)] * count

    word_table = document.add_table(rows=1, cols=count)
    word_table.style = document.styles["Table Grid"]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    word_table.autofit = False
    table_width = word_table._tbl.tblPr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(Emu(width).twips for width in widths)))
    grid_cols = word_table._tbl.tblGrid.findall(qn("w:gridCol"))
    for grid_col, width in zip(grid_cols, widths, strict=True):
        grid_col.set(qn("w:w"), str(Emu(width).twips))

    def fill(row, values: Sequence[object], *, header: bool) -> None:
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            _loose(paragraph, size=SIZE_4)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.LEFT
            _run(paragraph, _clean(value), font=FANGSONG, size=SIZE_4, bold=header)

    header_row = word_table.rows[0]
    fill(header_row, headers, header=True)
    # The header row repeats on every page the table runs over.
    tr_pr = header_row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))

    for number, values in enumerate(table.rows, start=1):
        if len(values) > count:
            raise ValueError(f"table row {number} has {len(values)} values for {count} columns")
    if table.rows:
        # Format one row through python-docx, then copy its XML for every row: a roster of a
        # thousand rows takes a fraction of the time formatting each cell anew would.
        prototype = word_table.add_row()
        fill(prototype, [" "] * count, header=False)
        prototype_tr = prototype._tr
        for values in table.rows:
            tr = copy.deepcopy(prototype_tr)
            prototype_tr.addprevious(tr)
            for tc, value in zip(tr.tc_lst, [*values, *([""] * (count - len(values)))], strict=True):
                tc.p_lst[0].r_lst[0].text = _clean(value)  # "\n" becomes a line break, as in add_run
        prototype_tr.getparent().remove(prototype_tr)
    # Word wants a paragraph after a table; it also keeps the next heading off the table's edge.
    _blank_line(document)


def _signature(document, issuer: str, issued_on: date | None) -> None:
    """Issuer and date at the end, as for a document without a seal (§7.3.5.2): the issuer two
    characters in from the right, the date on the next line starting two characters to the right of
    the issuer's first character; a date longer than the issuer sits two characters in instead and
    the issuer moves left to keep the two-character step."""
    date_text = format_chinese_date(issued_on) if issued_on else ""
    issuer_width, date_width = text_width_chars(issuer), text_width_chars(date_text)
    issuer_right = 2.0
    date_right = issuer_right + issuer_width - 2 - date_width
    if issuer and date_text and date_right < 2:
        date_right = 2.0
        issuer_right = date_right + date_width + 2 - issuer_width
    if not issuer:
        date_right = 4.0  # 成文日期右空四字 when it stands alone
    _blank_line(document)
    for text, right in ((issuer, issuer_right), (date_text, date_right)):
        if not text:
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.keep_with_next = True
        _indent_chars(paragraph, right=right)
        _run(paragraph, text, font=FANGSONG, size=SIZE_3)


def _footer_note(document, note: str) -> None:
    _blank_line(document)
    paragraph = document.add_paragraph()
    _loose(paragraph, size=SIZE_5)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run(paragraph, note, font=FANGSONG, size=SIZE_5)


def official_document(
    *,
    title: str,
    sections: Sequence[Section],
    subtitle: str = "",
    issuer: str = "",
    issued_on: date | None = None,
    footer_note: str = "",
    issuing_authority: str = "",
    document_number: str = "",
    main_recipients: Sequence[str] = (),
    attachments: Sequence[str] = (),
    copy_recipients: Sequence[str] = (),
    printed_by: str = "",
    printed_on: date | None = None,
) -> bytes:
    """A .docx in the official layout (GB/T 9704-2012): A4, margins top 37 mm, bottom 35 mm,
    left 28 mm, right 26 mm; title in 方正小标宋简体 二号 centred; body in 仿宋_GB2312 三号,
    28 characters × 22 lines per page (fixed line spacing); page numbers "— 1 —" in 宋体 四号 at
    the bottom, outside edge; issuer and date right-aligned at the end; footer_note (e.g. exporter
    and time) in small type at the end. Chinese fonts set through the w:eastAsia attribute.

    Correspondence, all optional (placement in the module docstring): issuing_authority
    (发文机关标志) and document_number (发文字号) make the 版头 with its red rule; main_recipients
    (主送机关) stand above the body; attachments (附件 names) are listed below it;
    copy_recipients (抄送机关), printed_by (印发机关) and printed_on (印发日期) make the 版记 at the
    foot of the last page.

    Section headings are numbered 一、二、… unless they already start with such a number; sections
    without a heading are not counted. Text may hold line breaks ("\\n"). Raises ``ValueError`` for a
    table row longer than its header.
    """
    document = Document()
    _set_up_styles(document)
    _set_up_page(document)
    _set_up_footers(document)
    text_width = Mm(PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM)  # what _set_up_page laid out

    if issuing_authority or document_number:
        _letterhead(document, _clean(issuing_authority), _clean(document_number), text_width)
    _title(document, _clean(title), _clean(subtitle))
    if main_recipients:
        _main_recipients(document, [_clean(name) for name in main_recipients])
    number = 0
    for part in sections:
        if part.heading:
            number += 1
            _heading(document, _clean(part.heading), number)
        for text in part.paragraphs:
            _body(document, _clean(text))
        if part.table is not None:
            _table(document, part.table, text_width)
    if attachments:
        _attachment_note(document, [_clean(name) for name in attachments])
    if issuer or issued_on:
        _signature(document, _clean(issuer), issued_on)
    if footer_note:
        _footer_note(document, _clean(footer_note))
    if copy_recipients or printed_by or printed_on:
        _imprint(document, [_clean(name) for name in copy_recipients], _clean(printed_by), printed_on, text_width)

    properties = document.core_properties
    properties.title = _clean(title)[:255]
    properties.subject = _clean(subtitle)[:255]
    properties.author = _clean(issuer)[:255] or "renda"
    properties.last_modified_by = properties.author
    properties.comments = ""
    properties.keywords = ""
    properties.revision = 1

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
