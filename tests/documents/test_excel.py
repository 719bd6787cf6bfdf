"""Excel tables: our own exports read back, and uploads as officials keep them."""

import io
from datetime import date, datetime

import pytest
import python_calamine
import xlsxwriter

from renda.documents.excel import LARGE_SHEET_ROWS, Sheet, UnreadableFile, read_table, workbook

ROSTER_HEADERS = ["序号", "姓名", "手机号", "出生日期", "备注"]


def _roster(**overrides) -> Sheet:
    values = {
        "title": "代表名册",
        "headers": ROSTER_HEADERS,
        "rows": [
            [1, "张三", 13800138000.0, date(1975, 3, 7), None],
            [2, "李四", "13900000000", "1975.03", "  前后有空格  "],
            [3, "王五", 13700000000, datetime(1980, 1, 2, 0, 0), 1.5],  # noqa: DTZ001 - Excel has no time zones
        ],
        "caption": "湖镇镇第十八届人民代表大会代表名册",
        "footer_note": "导出人：赵六 导出时间：2026-11-27 10:00",
    }
    values.update(overrides)
    return Sheet(**values)


def _cells(content: bytes, sheet: int = 0) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(sheet).to_python(skip_empty_area=False)


def test_round_trip_through_workbook_and_read_table():
    table = read_table(workbook(sheets=[_roster()]), header_names=["姓名", "手机号", "出生日期"])
    assert table.headers == ROSTER_HEADERS
    assert [row.number for row in table.rows] == [3, 4, 5]  # caption in row 1, header in row 2
    first, second, third = (row.values for row in table.rows)
    assert first == {"序号": "1", "姓名": "张三", "手机号": "13800138000", "出生日期": "1975-03-07", "备注": ""}
    assert second["出生日期"] == "1975.03"  # a date typed as text stays text for the caller to parse
    assert second["备注"] == "前后有空格"
    assert third["手机号"] == "13700000000"
    assert third["出生日期"] == "1980-01-02"
    assert third["备注"] == "1.5"
    # The exporter's note under the table is not a data row.
    assert all("导出人" not in value for row in table.rows for value in row.values.values())


def test_workbook_layout_caption_merged_header_frozen():
    content = workbook(sheets=[_roster()])
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    sheet = book.get_sheet_by_index(0)
    assert book.sheet_names == ["代表名册"]
    assert ((0, 0), (0, 4)) in sheet.merged_cell_ranges  # the caption spans the table
    rows = sheet.to_python(skip_empty_area=False)
    assert rows[0][0] == "湖镇镇第十八届人民代表大会代表名册"
    assert rows[1] == ROSTER_HEADERS
    assert rows[2][3] == date(1975, 3, 7)  # written as a real Excel date
    # Frozen panes below the header, date format yyyy-mm-dd: read from the sheet's XML.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        styles_xml = archive.read("xl/styles.xml").decode()
    assert 'ySplit="2"' in sheet_xml and 'state="frozen"' in sheet_xml
    assert 'formatCode="yyyy-mm-dd"' in styles_xml


def test_text_that_looks_like_a_formula_stays_text():
    content = workbook(sheets=[Sheet(title="s", headers=["a", "b"], rows=[["=1+1", "http://example.com"]])])
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    assert read_table(content, header_names=["a", "b"]).rows[0].values == {"a": "=1+1", "b": "http://example.com"}


def test_sheet_names_are_sanitised_and_unique():
    long = "关于" * 20
    content = workbook(
        sheets=[
            Sheet(title="a/b:c*?", headers=["x"], rows=[]),
            Sheet(title=long, headers=["x"], rows=[]),
            Sheet(title=long, headers=["x"], rows=[]),
        ]
    )
    names = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)).sheet_names
    assert names[0] == "a b c"
    assert names[1] == long[:31]
    assert len(names[2]) <= 31 and names[2] != names[1]


def test_large_sheet_is_streamed_and_reads_back():
    rows = [[n, f"代表{n}", 13800000000 + n, date(1970, 1, 1)] for n in range(1, LARGE_SHEET_ROWS + 2)]
    content = workbook(sheets=[Sheet(title="名册", headers=["序号", "姓名", "手机号", "出生日期"], rows=rows)])
    table = read_table(content, header_names=["姓名", "手机号"])
    assert len(table.rows) == LARGE_SHEET_ROWS + 1
    assert table.rows[-1].values["手机号"] == str(13800000000 + LARGE_SHEET_ROWS + 1)
    assert table.rows[-1].values["出生日期"] == "1970-01-01"


def test_row_longer_than_header_is_refused():
    with pytest.raises(ValueError, match="row 1"):
        workbook(sheets=[Sheet(title="s", headers=["a"], rows=[["1", "2"]])])


def _official_upload() -> bytes:
    """A table as an official keeps it: two title rows, padded headers, a pre-numbered 序号 column,
    a merged cell, numbers typed as numbers, a real date and dates as text, empty rows at the end."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    dated = book.add_format({"num_format": "yyyy年m月d日"})
    sheet.merge_range("A1:E1", "湖镇镇人大代表花名册", None)
    sheet.write("A2", "填报单位：湖镇镇人大（盖章）")
    sheet.write_row("A3", ["序号", "姓  名", "联系电话", "出生年月", "代表小组"])
    sheet.write_row("A4", [1, " 张三 ", 13800138000.0])
    sheet.write_datetime("D4", datetime(1975, 3, 7), dated)  # noqa: DTZ001 - Excel has no time zones
    sheet.merge_range("E4:E5", "第一小组", None)  # one group for two deputies
    sheet.write_row("A5", [2, "李四", "139 0000 0000", "1975年3月"])
    sheet.write_row("A6", [3, "王五", 13700000000, "1980.10", "第二小组"])
    for number in range(4, 30):  # the template came numbered down to 29
        sheet.write(f"A{number + 3}", number)
    book.close()
    return output.getvalue()


def test_read_table_as_officials_keep_it():
    table = read_table(_official_upload(), header_names=["姓名", "联系电话", "出生年月"])
    assert table.headers == ["序号", "姓名", "联系电话", "出生年月", "代表小组"]
    assert [row.number for row in table.rows] == [4, 5, 6]
    zhang, li, wang = (row.values for row in table.rows)
    assert zhang == {
        "序号": "1",
        "姓名": "张三",
        "联系电话": "13800138000",
        "出生年月": "1975-03-07",
        "代表小组": "第一小组",
    }
    # Merged cells are returned as cells: the value is in the first cell only.
    assert li["代表小组"] == ""
    assert li["联系电话"] == "139 0000 0000"
    assert li["出生年月"] == "1975年3月"
    assert wang["出生年月"] == "1980.10"
    assert wang["联系电话"] == "13700000000"


def test_header_needs_two_known_names():
    with pytest.raises(UnreadableFile, match="未找到标题行"):
        read_table(_official_upload(), header_names=["姓名", "身份证号码", "民族"])
    # With one name asked for, one is enough.
    assert read_table(_official_upload(), header_names=["联系电话"]).headers[2] == "联系电话"


def test_header_found_on_a_later_sheet():
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    book.add_worksheet("说明").write("A1", "填表说明：请勿修改表头")
    book.add_worksheet("名册").write_row("B3", ["姓名", "电话"])
    book.get_worksheet_by_name("名册").write_row("B4", ["张三", "123"])
    book.close()
    table = read_table(output.getvalue(), header_names=["姓名", "电话"])
    assert table.rows[0].number == 4
    assert table.rows[0].values == {"姓名": "张三", "电话": "123"}


@pytest.mark.parametrize(
    "content",
    [b"", b"this is not a workbook at all" * 10, b"PK\x03\x04" + b"\x00" * 100, "姓名,电话\n张三,1\n".encode()],
    ids=["empty-bytes", "garbage", "broken-zip", "csv"],
)
def test_unreadable_files(content):
    with pytest.raises(UnreadableFile) as raised:
        read_table(content, header_names=["姓名", "电话"])
    assert str(raised.value)  # a message the user can act on


def test_empty_workbook_is_unreadable():
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    book.add_worksheet("Sheet1")
    book.close()
    with pytest.raises(UnreadableFile, match="没有数据"):
        read_table(output.getvalue(), header_names=["姓名", "电话"])


def test_a_far_away_cell_is_refused_before_it_exhausts_memory():
    # calamine would allocate the whole grid up to XFD1048576 (512 GiB) and abort the process.
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row("A1", ["姓名", "电话"])
    sheet.write(1_048_575, 16_383, "x")
    book.close()
    with pytest.raises(UnreadableFile, match="过大|太大"):
        read_table(output.getvalue(), header_names=["姓名", "电话"])


def test_a_merged_range_far_beyond_the_table_is_harmless():
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row("A1", ["姓名", "电话"])
    sheet.write_row("A2", ["张三", "1"])
    sheet.merge_range(2, 0, 1_048_575, 1, "", None)
    book.close()
    table = read_table(output.getvalue(), header_names=["姓名", "电话"])
    assert [row.values for row in table.rows] == [{"姓名": "张三", "电话": "1"}]


def _signed_table(*, titles: list[tuple[str, bool]], footer: list[tuple[list[str], bool]]) -> bytes:
    """Title rows (text, merged?), a header, three deputies, a blank row, then footer lines
    (cells, merged?), and one more numbered line below the footer that must not become a row."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet()
    line = 0
    for text, merged in titles:
        if merged:
            sheet.merge_range(line, 0, line, 3, text)
        else:
            sheet.write(line, 0, text)
        line += 1
    sheet.write_row(line, 0, ["序号", "姓名", "电话", "备注"])
    for n, name in enumerate(["张三", "李四", "王五"], start=1):
        sheet.write_row(line + n, 0, [n, name, str(13800000000 + n), ""])
    line += 5  # three rows and a blank one
    for cells, merged in footer:
        if merged:
            sheet.merge_range(line, 0, line, 1, cells[0])  # merged, but not across the whole table
        else:
            sheet.write_row(line, 0, cells)
        line += 1
    sheet.write_row(line, 0, [4, "本表一式两份"])
    book.close()
    return output.getvalue()


@pytest.mark.parametrize(
    "titles",
    [
        [("甲镇人大代表名册", True)],
        [("甲镇人大代表名册", True), ("填报单位：甲镇人大（盖章）", False)],
        [("甲镇人大代表名册", True), ("填报日期：2024年1月5日", True)],
    ],
    ids=["one-merged-title", "merged-and-plain-titles", "two-merged-titles"],
)
@pytest.mark.parametrize(
    "footer",
    [
        [(["填表人：王专干", "", "审核人：李主席", "填表日期：2024年1月5日"], False)],
        [(["填表人：王专干    审核人：李主席    填表日期：2024年1月5日"], True)],
        [(["制表人：", "王专干"], False), (["负责人：李主席"], False), (["联系人：赵六  0570-7012345"], False)],
        [(["填表人", "王专干", "审核人", "李主席"], False)],
        [(["注：1. 性别填男或女；"], True), (["2. 出生年月按身份证填写。"], False)],
        [(["说明：代表构成按县人大常委会口径填写。"], False), (["单位负责人：李主席"], False)],
        [(["甲镇人民代表大会主席团（盖章）"], False), (["2024年1月5日"], False)],
    ],
    ids=["signatures-in-cells", "signatures-merged", "several-rows", "words-alone", "notes", "explanation", "stamp"],
)
def test_title_rows_and_the_signature_block_are_not_rows(titles, footer):
    table = read_table(_signed_table(titles=titles, footer=footer), header_names=["姓名", "电话"])
    assert table.headers == ["序号", "姓名", "电话", "备注"]
    assert [row.values["姓名"] for row in table.rows] == ["张三", "李四", "王五"]
    assert [row.number for row in table.rows] == [len(titles) + 2, len(titles) + 3, len(titles) + 4]


def test_a_repeated_header_is_numbered_not_dropped():
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row("A1", ["姓名", "电话", "电话"])
    sheet.write_row("A2", ["张三", "13800000000", "0570-7012345"])
    book.close()
    table = read_table(output.getvalue(), header_names=["姓名", "电话"])
    assert table.headers == ["姓名", "电话", "电话（2）"]
    assert table.rows[0].values == {"姓名": "张三", "电话": "13800000000", "电话（2）": "0570-7012345"}
