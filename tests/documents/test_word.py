"""The official layout (GB/T 9704-2012), checked by re-opening the generated file with python-docx."""

import io
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from renda.documents.word import Section, Table, char_space, chinese_number, line_pitch_twips, official_document


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
