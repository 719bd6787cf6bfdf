"""Excel tables: written with xlsxwriter, read with python-calamine.

``workbook()`` writes the tables officials expect: a merged caption row, a bold bordered header that
stays in view, dates as yyyy-mm-dd, an optional note such as the exporter and the export time.
``read_table()`` reads an uploaded table as officials really keep it: title rows above the header, a
序号 column, merged cells, numbers typed as numbers, empty rows and a signature block at the end.
"""

import io
import math
import re
import zipfile
import zlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import python_calamine
import xlsxwriter
from django.utils.translation import gettext as _

# Above this many rows in a sheet, xlsxwriter streams rows to an anonymous temporary file
# (deleted by the operating system when closed) instead of keeping every cell in memory.
LARGE_SHEET_ROWS = 1000
MAX_SHEET_ROWS = 1_048_576
SHEET_NAME_MAX = 31
# Column widths are in Excel "characters" of the default font; a Chinese character takes two.
MIN_COLUMN_WIDTH = 6.0
MAX_COLUMN_WIDTH = 50.0
WIDTH_SAMPLE_ROWS = 500
FONT_NAME = "宋体"
# Limits on what read_table() accepts, so that one upload cannot exhaust the server's memory:
# 3 million cells is a 100,000-row roster of 30 columns.
MAX_CELLS = 3_000_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024

# A reader that knows many names for each column (synonyms) names only the first few as examples.
HEADER_EXAMPLES = 8

SERIAL_NUMBER_HEADERS = frozenset({"序号", "编号", "编号序号", "No.", "No", "#"})

# The words that open the lines officials put below a table: who filled it in and who checked it
# (填表人：… 审核人：… 填表日期：…), the office's stamp, notes (注：/说明：), a total. A row whose first
# filled cell opens with one of them ends the table; "单位负责人" and "制表单位（盖章）" count too.
FOOTER_WORDS = (
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "审批人",
    "负责人",
    "联系人",
    "经办人",
    "签发人",
    "填表日期",
    "填报日期",
    "制表日期",
    "审核日期",
    "填表单位",
    "填报单位",
    "制表单位",
    "联系电话",
    "注",
    "说明",
    "备注",
    "合计",
    "总计",
)
_FOOTER_LINE = re.compile(
    r"(?:单位|主要|分管)?(?:" + "|".join(FOOTER_WORDS) + r")(?:[（(][^）)]{0,10}[）)])?(?:\s*[:：]|$)"
)


@dataclass(frozen=True)
class Sheet:
    title: str  # sheet name (≤ 31 chars, sanitised)
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]  # str, int, float, date, datetime, None
    caption: str = ""  # merged title row above the header, as officials' tables have
    footer_note: str = ""  # e.g. "导出人：… 导出时间：…" below the table
    column_widths: Sequence[float] | None = None


@dataclass(frozen=True)
class RowData:
    number: int  # 1-based Excel row number, for messages such as "row 7: …"
    values: dict[str, str]


@dataclass(frozen=True)
class TableData:
    headers: list[str]
    rows: list[RowData] = field(default_factory=list)


class UnreadableFile(ValueError):
    """The upload is not a workbook we can read, or holds no table. The message is for the user."""


def _damaged() -> UnreadableFile:
    return UnreadableFile(_("The workbook is damaged and cannot be read. Save it again from Excel."))


# ---------------------------------------------------------------------------------------------
# Writing


def workbook(*, sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx (xlsxwriter, in memory, constant_memory for large sheets): caption row merged
    and bold, header row bold with borders and frozen panes, dates formatted yyyy-mm-dd,
    sensible column widths for Chinese text.

    Strings are always written as text, never as formulas or links, so a cell typed "=HYPERLINK(…)"
    by a user cannot run in the official's Excel. Raises ``ValueError`` for a row longer than the
    header or a sheet beyond Excel's row limit.
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    large = any(len(sheet.rows) > LARGE_SHEET_ROWS for sheet in sheets)
    output = io.BytesIO()
    # in_memory overrides constant_memory in xlsxwriter, so set exactly one of them.
    options = {"constant_memory": True} if large else {"in_memory": True}
    book = xlsxwriter.Workbook(output, options)
    formats = _Formats(book)
    used_names: set[str] = set()
    for sheet in sheets:
        _write_sheet(book, formats, sheet, _unique_sheet_name(sheet.title, used_names))
    book.close()
    return output.getvalue()


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": FONT_NAME, "font_size": 11}
        cell = {**base, "border": 1, "valign": "vcenter"}
        self.caption = book.add_format({**base, "bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.header = book.add_format(
            {**cell, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"}
        )
        self.text = book.add_format({**cell, "text_wrap": True})
        self.number = book.add_format(cell)
        self.date = book.add_format({**cell, "num_format": "yyyy-mm-dd", "align": "left"})
        self.datetime = book.add_format({**cell, "num_format": "yyyy-mm-dd hh:mm", "align": "left"})
        self.time = book.add_format({**cell, "num_format": "hh:mm", "align": "left"})
        self.note = book.add_format({**base, "font_size": 10, "align": "left", "valign": "vcenter"})


_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _unique_sheet_name(title: str, used: set[str]) -> str:
    name = _INVALID_SHEET_CHARS.sub(" ", title or "").strip().strip("'").strip()
    # "History" is reserved by Excel.
    if not name or name.lower() == "history":
        name = "Sheet"
    name = name[:SHEET_NAME_MAX]
    candidate, counter = name, 1
    while candidate.lower() in used:
        counter += 1
        suffix = f" ({counter})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def display_width(text: str) -> float:
    """Width of a text in Excel characters: East Asian wide characters count two."""
    width = 0.0
    for char in text:
        width += 2 if ord(char) > 0x2E7F else 1
    return width


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return "yyyy-mm-dd"
    return str(value)


def _column_widths(sheet: Sheet) -> list[float]:
    count = len(sheet.headers)
    if sheet.column_widths is not None:
        widths = [float(width) for width in sheet.column_widths][:count]
        return widths + [MIN_COLUMN_WIDTH * 2] * (count - len(widths))
    widths = [display_width(str(header)) + 2 for header in sheet.headers]
    for row in sheet.rows[:WIDTH_SAMPLE_ROWS]:
        for index, value in enumerate(row[:count]):
            # A long text wraps in its cell; the longest line decides the width.
            longest = max((display_width(line) for line in _cell_text(value).splitlines()), default=0)
            widths[index] = max(widths[index], longest + 2)
    return [min(max(width, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH) for width in widths]


def _naive(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    # Officials read local time; Django's TIME_ZONE decides which.
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


def _write_cell(worksheet, row: int, col: int, value: object, formats: _Formats) -> None:
    if value is None or value == "":
        worksheet.write_blank(row, col, None, formats.text)
    elif isinstance(value, str):
        worksheet.write_string(row, col, value, formats.text)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, col, value, formats.number)
    elif isinstance(value, int | float | Decimal):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            worksheet.write_blank(row, col, None, formats.number)
        else:
            worksheet.write_number(row, col, number, formats.number)
    elif isinstance(value, datetime):
        worksheet.write_datetime(row, col, _naive(value), formats.datetime)
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, formats.date)
    elif isinstance(value, time):
        worksheet.write_datetime(row, col, value.replace(tzinfo=None), formats.time)
    else:
        worksheet.write_string(row, col, str(value), formats.text)


def _write_sheet(book: xlsxwriter.Workbook, formats: _Formats, sheet: Sheet, name: str) -> None:
    headers = [str(header) for header in sheet.headers]
    if not headers:
        raise ValueError("a sheet needs at least one column")
    width = len(headers)
    extra_rows = (2 if sheet.caption else 1) + (2 if sheet.footer_note else 0)
    if len(sheet.rows) + extra_rows > MAX_SHEET_ROWS:
        raise ValueError(f"sheet {name!r} has more rows than Excel allows")

    worksheet = book.add_worksheet(name)
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)  # all columns on the page width, as many pages as it takes
    if width > 6:
        worksheet.set_landscape()
    for index, column_width in enumerate(_column_widths(sheet)):
        worksheet.set_column(index, index, column_width)

    row_index = 0
    if sheet.caption:
        worksheet.set_row(row_index, 30)
        if width > 1:
            worksheet.merge_range(row_index, 0, row_index, width - 1, sheet.caption, formats.caption)
        else:
            worksheet.write_string(row_index, 0, sheet.caption, formats.caption)
        row_index += 1

    header_row = row_index
    for col, header in enumerate(headers):
        worksheet.write_string(header_row, col, header, formats.header)
    worksheet.freeze_panes(header_row + 1, 0)
    worksheet.repeat_rows(header_row)  # the header again on every printed page
    row_index += 1

    for number, row in enumerate(sheet.rows, start=1):
        if len(row) > width:
            raise ValueError(f"row {number} of sheet {name!r} has {len(row)} values for {width} columns")
        for col in range(width):
            _write_cell(worksheet, row_index, col, row[col] if col < len(row) else None, formats)
        row_index += 1

    if sheet.footer_note:
        row_index += 1  # one empty row between the table and the note
        if width > 1:
            worksheet.merge_range(row_index, 0, row_index, width - 1, sheet.footer_note, formats.note)
        else:
            worksheet.write_string(row_index, 0, sheet.footer_note, formats.note)


# ---------------------------------------------------------------------------------------------
# Reading

_WHITESPACE = re.compile(r"\s+")


def _normalise_header(value: object) -> str:
    # Officials pad headers to align them ("姓  名", "姓　名") and wrap them in their cells.
    return _WHITESPACE.sub("", _cell_to_str(value))


def _cell_to_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer():
            # A phone or ID number typed as a number: 13800138000.0 → "13800138000".
            return str(int(value))
        # 15 significant digits is what Excel shows and stores reliably.
        return format(value, ".15g")
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"([0-9]{1,7})\"")
_SCAN_CHUNK = 1 << 20
_SCAN_OVERLAP = 512


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_xlsx_size(data: bytes) -> None:
    """Refuse an .xlsx whose sheets would not fit in memory before calamine sees it.

    calamine holds a sheet as a dense grid from A1 to its last cell, and a failed allocation aborts
    the whole process: a 5 KB file with one value in XFD1048576 asks for 512 GiB. The cell
    references in the sheet XML give the grid's size without building it.
    """
    if not data.startswith(b"PK\x03\x04"):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # calamine reports it as unreadable
    try:
        with archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
                raise UnreadableFile(_("The workbook is too large to read. Split it into smaller files."))
            for info in infos:
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                max_row = max_col = 0
                with archive.open(info) as stream:
                    tail = b""
                    while chunk := stream.read(_SCAN_CHUNK):
                        text = tail + chunk
                        for letters, row in _CELL_REF.findall(text):
                            max_col = max(max_col, _column_number(letters))
                            max_row = max(max_row, int(row))
                        for row in _ROW_REF.findall(text):
                            max_row = max(max_row, int(row))
                        tail = text[-_SCAN_OVERLAP:]
                if max_row * max(max_col, 1) > MAX_CELLS:
                    raise UnreadableFile(
                        _(
                            "A sheet of the workbook reaches row %(row)s and column %(column)s, which is too large "
                            "to read. Delete the rows and columns beyond the table and try again."
                        )
                        % {"row": max_row, "column": max_col}
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        # A member whose compressed data or checksum is wrong fails here, on its first full read.
        raise _damaged() from exc


_MergedRanges = list[tuple[tuple[int, int], tuple[int, int]]]


def _sheets(data: bytes) -> Iterator[tuple[Sequence[Sequence[object]], _MergedRanges]]:
    """Each visible worksheet's rows from A1 (so row indexes are Excel's), with its merged ranges,
    one sheet at a time."""
    if not data:
        raise UnreadableFile(_("The file is empty."))
    _check_xlsx_size(data)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise UnreadableFile(_("The workbook is protected by a password. Remove the password and try again.")) from exc
    except Exception as exc:  # calamine raises several types (CalamineError, ValueError, …) for foreign bytes
        raise UnreadableFile(
            _("The file is not an Excel workbook (.xlsx or .xls). Save it from Excel as .xlsx and try again.")
        ) from exc
    try:
        with book:
            for metadata in book.sheets_metadata:
                if metadata.visible != python_calamine.SheetVisibleEnum.Visible:
                    continue  # hidden sheets hold drop-down lists and notes, not the table
                if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                    continue
                sheet = book.get_sheet_by_name(metadata.name)
                yield sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []
    except python_calamine.CalamineError as exc:
        raise _damaged() from exc


def _find_header(rows: Sequence[Sequence[object]], wanted: set[str]) -> int | None:
    needed = min(2, len(wanted))
    for index, row in enumerate(rows):
        names = {_normalise_header(value) for value in row}
        if len(names & wanted) >= needed:
            return index
    return None


def is_footer_line(row: Sequence[object]) -> bool:
    """A signature, note or total line below a table: its first filled cell opens with one of
    FOOTER_WORDS followed by a colon, or is one of them alone ("填表人" with the name in the next cell),
    or asks for the office's stamp (盖章)."""
    for value in row:
        text = _normalise_header(value)
        if text:
            return _FOOTER_LINE.match(text) is not None or "盖章" in text
    return False


def _spanning_rows(merged: _MergedRanges, first_col: int, last_col: int, row_count: int) -> set[int]:
    """Rows covered by one merged range across the whole table: a caption or a note, not data."""
    rows: set[int] = set()
    for (top, left), (bottom, right) in merged:
        if left <= first_col and right >= last_col and last_col > first_col:
            rows.update(range(top, min(bottom, row_count - 1) + 1))
    return rows


def read_table(data: bytes, *, header_names: Collection[str]) -> TableData:
    """Read an uploaded .xlsx with python-calamine as officials keep it: skip title rows above
    the header (find the header row as the first row containing at least two of header_names),
    handle merged cells (calamine returns the value in the first cell: carry it down/right where
    the header says so is NOT done — just return cells), strip whitespace, convert floats that
    are whole numbers to int-strings (phone numbers, ID numbers typed as numbers), return
    TableData(headers: list[str], rows: list[RowData(number: int  # 1-based Excel row number
    , values: dict[str, str])]). Stop at the first signature or note line below the data
    (``is_footer_line``). Raise documents.excel.UnreadableFile with a clear message for
    files that are not xlsx/xls or are empty.

    Details: the first visible worksheet that has such a header row is read. Header cells are
    compared without whitespace ("姓  名" is "姓名") and returned that way; ``values`` has a key for
    every non-empty header (a repeated header is numbered: 电话, 电话（2）). A row is skipped when it carries
    nothing but a 序号 (templates come pre-numbered), when it is empty, or when one merged range
    covers it across the table (a caption or a note such as "导出人：…"). Dates stored as Excel
    dates become yyyy-mm-dd; dates typed as text stay text (see ``dates.parse_chinese_date``).
    Note that Excel itself keeps only 15 digits of a number: an 18-digit ID number typed as a number
    has already lost its last digits, and its check digit will fail.
    """
    wanted = {_normalise_header(name) for name in header_names} - {""}
    if not wanted:
        raise ValueError("header_names must name at least one column")
    has_data = False
    for rows, merged in _sheets(data):
        header_index = _find_header(rows, wanted)
        if header_index is None:
            has_data = has_data or any(_cell_to_str(value) for row in rows for value in row)
            continue
        columns: list[tuple[int, str]] = []
        seen: set[str] = set()
        for col, value in enumerate(rows[header_index]):
            name = _normalise_header(value)
            if not name:
                continue
            # A repeated header (two 电话 columns) is kept under a numbered name, never dropped.
            occurrence, unique = 1, name
            while unique in seen:
                occurrence += 1
                unique = f"{name}（{occurrence}）"
            seen.add(unique)
            columns.append((col, unique))
        first_col, last_col = columns[0][0], columns[-1][0]
        skip = _spanning_rows(merged, first_col, last_col, len(rows))
        serial_columns = {name for _col, name in columns if name in SERIAL_NUMBER_HEADERS}

        table_rows: list[RowData] = []
        for index in range(header_index + 1, len(rows)):
            row = rows[index]
            if is_footer_line(row):
                break  # 填表人、审核人、注：… lie below the data, whether merged or not
            if index in skip:
                continue
            values = {name: (_cell_to_str(row[col]) if col < len(row) else "") for col, name in columns}
            if not any(value for name, value in values.items() if name not in serial_columns):
                continue
            table_rows.append(RowData(number=index + 1, values=values))
        return TableData(headers=[name for _col, name in columns], rows=table_rows)

    if not has_data:
        raise UnreadableFile(_("The workbook has no data."))
    raise UnreadableFile(
        _("No header row found. The table needs a row with the column names, for example: %(names)s.")
        % {"names": "、".join(list(header_names)[:HEADER_EXAMPLES])}
    )
