"""The official layout (GB/T 9704-2012), checked by re-opening the generated file with python-docx."""

import io
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from renda.documents.word import (
    Section,
    Table,
    char_space,
    chinese_number,
    format_document_number,
    line_pitch_twips,
    official_document,
)


def _open(content: bytes):
    return docx.Document(io.BytesIO(content))


def _east_asia(run) -> str:
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def _latin(run) -> str:
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:ascii"))


@pytest.fixture
def notice() -> bytes:
    return official_document(
        title="关于交办县人大代表建议的通知",
        subtitle="（第一批）",
        sections=[
            Section(heading="基本情况", paragraphs=["本次会议期间，代表共提出建议32件。", "第二段正文。"]),
            Section(
                heading="办理要求",
                paragraphs=["请各承办单位按时办理并答复代表。"],
                table=Table(
                    headers=["序号", "建议标题", "承办单位"],
                    rows=[["1", "关于修建村道路灯的建议", "建设办"], ["2", "关于饮水安全的建议"]],
                    widths_mm=[20, 96, 40],
                ),
            ),
        ],
        issuer="湖镇镇人民代表大会主席团",
        issued_on=date(2026, 3, 7),
        footer_note="导出人：王五 导出时间：2026-11-27 10:00",
    )


def test_page_is_a4_with_the_official_margins(notice):
    section = _open(notice).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.right_margin - Mm(26)) < Mm(0.1)


def test_document_grid_gives_28_characters_by_22_lines(notice):
    section = _open(notice).sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch")))
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert int(Emu(text_height).twips / line_pitch) == 22
    char_pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    text_width_pt = Emu(section.page_width - section.left_margin - section.right_margin).pt
    assert int(text_width_pt / char_pitch_pt) == 28
    # Body paragraphs also carry the fixed line spacing, for programs that ignore the grid.
    normal = _open(notice).styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(line_pitch / 20)


def test_grid_helpers():
    assert line_pitch_twips() == 579  # 28.95 pt
    assert char_space(8845) == -842  # 156 mm wide text area at Word's twips rounding
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_title_subtitle_and_body_fonts(notice):
    paragraphs = _open(notice).paragraphs
    title = paragraphs[0]
    assert title.text == "关于交办县人大代表建议的通知"
    assert title.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)  # 二号
    assert _east_asia(title.runs[0]) == "方正小标宋简体"
    assert _latin(title.runs[0]) == "Times New Roman"
    assert paragraphs[1].text == "（第一批）"
    assert _east_asia(paragraphs[1].runs[0]) == "楷体_GB2312"

    body = next(p for p in paragraphs if p.text.startswith("本次会议期间"))
    assert body.runs[0].font.size == Pt(16)  # 三号
    assert _east_asia(body.runs[0]) == "仿宋_GB2312"
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"


def test_styles_name_the_chinese_font_too(notice):
    normal = _open(notice).styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would override the name
    assert normal.font.size == Pt(16)


def test_headings_are_numbered_in_heiti(notice):
    headings = [p for p in _open(notice).paragraphs if p.runs and _east_asia(p.runs[0]) == "黑体"]
    assert [p.text for p in headings] == ["一、基本情况", "二、办理要求"]
    assert all(p.runs[0].font.size == Pt(16) for p in headings)


def test_heading_already_numbered_is_not_numbered_again():
    content = official_document(title="通知", sections=[Section(heading="一、总体要求"), Section(heading="工作安排")])
    texts = [p.text for p in _open(content).paragraphs]
    assert "一、总体要求" in texts
    assert "二、工作安排" in texts


def test_table_content_and_cell_font(notice):
    document = _open(notice)
    assert len(document.tables) == 1
    table = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["序号", "建议标题", "承办单位"],
        ["1", "关于修建村道路灯的建议", "建设办"],
        ["2", "关于饮水安全的建议", ""],  # a short row is padded
    ]
    run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert run.font.size == Pt(14)  # 四号
    assert _east_asia(run) == "仿宋_GB2312"
    assert abs(table.columns[1].width - Mm(96)) < Mm(0.1)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeats on each page


def test_table_row_longer_than_header_is_refused():
    with pytest.raises(ValueError, match="row 1"):
        official_document(title="表", sections=[Section(table=Table(headers=["a"], rows=[["1", "2"]]))])


def _field_footer_text(footer) -> tuple[str, str]:
    paragraph = footer.paragraphs[0]
    instructions = "".join(node.text for node in paragraph._p.iter(qn("w:instrText")))
    return paragraph.text, instructions


def test_page_number_field_odd_right_even_left(notice):
    document = _open(notice)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd_text, odd_field = _field_footer_text(section.footer)
    even_text, even_field = _field_footer_text(section.even_page_footer)
    assert odd_field.strip() == "PAGE" and even_field.strip() == "PAGE"
    assert odd_text == even_text == "— 1 —"
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    assert odd._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "100"  # 单页码居右空一字
    assert even._p.pPr.find(qn("w:ind")).get(qn("w:leftChars")) == "100"  # 双页码居左空一字
    run = odd.runs[0]
    assert run.font.size == Pt(14)
    assert _east_asia(run) == "宋体"


def test_issuer_and_date_at_the_end_then_the_note(notice):
    paragraphs = [p for p in _open(notice).paragraphs if p.text]
    issuer, issued_on, note = paragraphs[-3:]
    assert issuer.text == "湖镇镇人民代表大会主席团"
    assert issued_on.text == "2026年3月7日"
    right = docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert issuer.alignment == right and issued_on.alignment == right
    # The date starts two characters to the right of the issuer's first character.
    issuer_right = int(issuer._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))
    date_right = int(issued_on._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))
    assert issuer_right == 200
    # The issuer is 12 characters wide; 2026年3月7日 is 6 (Arabic digits are half-width).
    assert (issuer_right + 1200) - (date_right + 600) == 200
    assert note.text == "导出人：王五 导出时间：2026-11-27 10:00"
    assert note.runs[0].font.size < Pt(14)


def test_control_characters_in_pasted_text_do_not_break_the_file():
    content = official_document(title="标题\x07", sections=[Section(paragraphs=["正文\x0b内容"])])
    texts = [p.text for p in _open(content).paragraphs]
    assert "标题" in texts
    assert "正文内容" in texts


def test_every_table_row_is_written_with_line_breaks_kept():
    rows = [[str(n), f"第{n}条\n第二行"] for n in range(1, 51)]
    content = official_document(title="表", sections=[Section(table=Table(headers=["序号", "内容"], rows=rows))])
    table = _open(content).tables[0]
    assert len(table.rows) == 51
    assert [row.cells[0].text for row in table.rows[1:]] == [str(n) for n in range(1, 51)]
    last = table.rows[50].cells[1].paragraphs[0]
    assert last.text == "第50条\n第二行"
    assert _east_asia(last.runs[0]) == "仿宋_GB2312"


# --- Correspondence: 版头, 主送, 附件说明, 版记 --------------------------------------------------


@pytest.fixture
def letter() -> bytes:
    return official_document(
        issuing_authority="龙泉县人大常委会办公室",
        document_number=format_document_number(prefix="龙人大办", year=2026, sequence=12),
        title="关于交办代表建议的通知",
        main_recipients=["县人民政府办公室", "县交通运输局"],
        sections=[Section(paragraphs=["请认真研究办理，并在三个月内答复代表。"])],
        attachments=["代表建议交办清单。", "答复函格式"],
        issuer="龙泉县人大常委会办公室",
        issued_on=date(2026, 3, 7),
        copy_recipients=["县委办公室", "各乡镇人大主席团"],
        printed_by="龙泉县人大常委会办公室",
        printed_on=date(2026, 3, 9),
    )


def _indent(paragraph, name: str) -> int:
    ind = paragraph._p.pPr.find(qn("w:ind"))
    return int(ind.get(qn(f"w:{name}Chars")) or 0) if ind is not None else 0


def test_document_number_is_written_as_the_standard_says():
    assert format_document_number(prefix="龙人大", year=2026, sequence=12) == "龙人大〔2026〕12号"
    assert format_document_number(prefix="龙人大", year=2026, sequence=1) == "龙人大〔2026〕1号"  # no 01, no 第
    with pytest.raises(ValueError):
        format_document_number(prefix="龙人大", year=2026, sequence=0)


def test_letterhead_red_mark_two_lines_then_centred_number_over_a_red_rule(letter):
    paragraphs = _open(letter).paragraphs
    mark, blank1, blank2, number, blank3, blank4, title = paragraphs[:7]
    assert mark.text == "龙泉县人大常委会办公室"
    assert mark.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    assert _east_asia(mark.runs[0]) == "方正小标宋简体"
    assert abs(mark.paragraph_format.space_before - Mm(35)) < Mm(0.1)  # 35 mm below the text area's top
    assert blank1.text == blank2.text == ""  # 发文机关标志下空二行
    assert number.text == "龙人大办〔2026〕12号"
    assert number.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert number.runs[0].font.size == Pt(16) and _east_asia(number.runs[0]) == "仿宋_GB2312"
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    assert rule.get(qn("w:space")) == "11"  # 4 mm below the number
    assert blank3.text == blank4.text == ""  # 红色分隔线下空二行
    assert title.text == "关于交办代表建议的通知"


def test_a_short_mark_is_set_in_chuhao_a_long_one_shrinks_to_fit_one_line():
    short = official_document(issuing_authority="湖镇镇人大主席团", title="通知", sections=[])
    assert _open(short).paragraphs[0].runs[0].font.size == Pt(42)  # 初号
    content = official_document(issuing_authority="龙泉县人民代表大会常务委员会办公室", title="通知", sections=[])
    size = _open(content).paragraphs[0].runs[0].font.size.pt
    assert 20 < size < 42
    assert size * (17 + 1) <= Emu(Mm(156)).pt  # 17 characters and one to spare within 156 mm


def test_main_recipients_flush_left_below_the_title_ending_in_a_colon(letter):
    paragraphs = _open(letter).paragraphs
    title_index = next(i for i, p in enumerate(paragraphs) if p.text == "关于交办代表建议的通知")
    blank, recipients, body = paragraphs[title_index + 1 : title_index + 4]
    assert blank.text == ""  # 标题下空一行
    assert recipients.text == "县人民政府办公室、县交通运输局："
    assert _indent(recipients, "firstLine") == _indent(recipients, "left") == 0  # 居左顶格
    assert body.text.startswith("请认真研究办理")


def test_attachments_below_the_body_two_characters_in_and_aligned(letter):
    paragraphs = _open(letter).paragraphs
    first_index = next(i for i, p in enumerate(paragraphs) if p.text.startswith("附件："))
    assert paragraphs[first_index - 1].text == ""  # 正文下空一行
    assert paragraphs[first_index - 2].text.startswith("请认真研究办理")
    first, second = paragraphs[first_index : first_index + 2]
    assert first.text == "附件：1.代表建议交办清单"  # no punctuation after a name
    assert second.text == "2.答复函格式"
    # "附件：" starts two characters in; "1." and "2." start at the same place; a wrapped name
    # continues under its first character (left indent = where the name starts).
    assert _indent(first, "left") - _indent(first, "hanging") == 200
    assert _indent(second, "left") - _indent(second, "hanging") == 200 + 300
    assert _indent(first, "left") == _indent(second, "left") == 200 + 300 + 100
    # Attachments come before the issuer's name.
    assert paragraphs[first_index + 3].text == "龙泉县人大常委会办公室"


def test_a_single_attachment_is_not_numbered():
    content = official_document(title="函", sections=[Section(paragraphs=["正文"])], attachments=["办理情况表"])
    note = next(p for p in _open(content).paragraphs if p.text.startswith("附件"))
    assert note.text == "附件：办理情况表"
    assert _indent(note, "left") == 500 and _indent(note, "hanging") == 300


def test_imprint_at_the_foot_of_the_last_page_with_thick_outer_and_thin_inner_rules(letter):
    document = _open(letter)
    table = document.tables[-1]
    copy_row, printed_row = table.rows
    assert copy_row.cells[0].text == "抄送：县委办公室，各乡镇人大主席团。"
    assert printed_row.cells[0].text == "龙泉县人大常委会办公室"
    assert printed_row.cells[1].text == "2026年3月9日印发"
    # 四号 仿宋 throughout.
    for cell in (copy_row.cells[0], printed_row.cells[0], printed_row.cells[1]):
        run = cell.paragraphs[0].runs[0]
        assert run.font.size == Pt(14) and _east_asia(run) == "仿宋_GB2312"
    # 抄送 one character in from each side, wrapping under the first name after the colon.
    copy_paragraph = copy_row.cells[0].paragraphs[0]
    assert _indent(copy_paragraph, "left") == 400 and _indent(copy_paragraph, "hanging") == 300
    assert _indent(copy_paragraph, "right") == 100
    # 印发机关左空一字, 印发日期右空一字.
    assert _indent(printed_row.cells[0].paragraphs[0], "left") == 100
    assert printed_row.cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert _indent(printed_row.cells[1].paragraphs[0], "right") == 100
    # Rules: the first and last thick, the middle thin, none at the sides.
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "bottom", "insideH")}
    assert sizes == {"top": "8", "bottom": "8", "insideH": "6"}
    assert borders.find(qn("w:insideV")).get(qn("w:val")) == "nil"
    # As wide as the text area, floating at the bottom of it, on the page where the text ends.
    assert abs(int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) - Emu(Mm(156)).twips) <= 1
    position = table._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:vertAnchor")) == "margin" and position.get(qn("w:tblpYSpec")) == "bottom"
    assert abs(int(position.get(qn("w:tblpX"))) - Emu(Mm(28)).twips) <= 1
    # Nothing of the document follows it but the anchor paragraph.
    body = document.element.body
    assert body.index(table._tbl) == len(body) - 3  # table, anchor paragraph, sectPr


def test_imprint_without_copy_recipients_has_one_row():
    content = official_document(title="决议", sections=[], printed_by="湖镇镇人大主席团", printed_on=date(2026, 1, 5))
    table = _open(content).tables[-1]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [["湖镇镇人大主席团", "2026年1月5日印发"]]


def test_a_plain_document_has_no_letterhead_or_imprint(notice):
    document = _open(notice)
    assert document.paragraphs[0].text == "关于交办县人大代表建议的通知"
    assert all(p._p.pPr is None or p._p.pPr.find(qn("w:pBdr")) is None for p in document.paragraphs)
    assert len(document.tables) == 1  # the body's table only
