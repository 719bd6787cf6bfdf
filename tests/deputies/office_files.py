"""Roster workbooks shaped like the files county and township offices keep: a merged title and a
second title line above the header, the office's own column names (and one column the import does
not know), a blank row and a signature block with notes below the data."""

import io
from datetime import date

import xlsxwriter
from stdnum.cn import ric

TITLE = "甲镇第十二届人民代表大会代表花名册"
SUBTITLE = ["填报单位：甲镇人大主席团（盖章）", "", "", "", "", "", "", "填报日期：2024年1月5日"]

# The office's words for the roster columns, and what the import takes each one to mean.
HEADERS = [
    "编号",
    "姓  名",
    "性别",
    "民族",
    "出生日期",
    "党派",
    "学历",
    "工作单位",
    "代表构成",
    "代表证编号",
    "选举单位",
    "所属代表小组",
    "代表联络站",
    "联系电话",
    "家庭住址",
    "身份证号码",
    "籍贯",
    "备注",
]
MAPPING = {
    "编号": "serial",
    "姓名": "name",
    "性别": "gender",
    "民族": "ethnicity",
    "出生日期": "birth",
    "党派": "party",
    "学历": "education",
    "工作单位": "workplace",
    "代表构成": "occupation",
    "代表证编号": "deputy_number",
    "选举单位": "constituency",
    "所属代表小组": "group",
    "代表联络站": "station",
    "联系电话": "phone",
    "家庭住址": "address",
    "身份证号码": "id_number",
    "备注": "note",
}
UNKNOWN = "籍贯"

FOOTER = [
    ["填表人：王专干", "", "", "", "审核人：李主席", "", "", "", "填表日期：2024年1月5日"],
    ["注：1. 性别填“男”或“女”；2. 出生日期按身份证填写。"],  # merged across the table
    ["说明：代表构成按县人大常委会口径填写。"],
    [1, "本表一式两份，报县人大常委会代表工委一份。"],  # looks like data, lies below the notes
]


def id_number(born: date, *, male: bool, n: int) -> str:
    """A valid ID number (region 110105) for a birth date and gender; n keeps numbers apart."""
    body = f"110105{born:%Y%m%d}{n % 100:02d}{(n % 5) * 2 + (1 if male else 0)}"
    return body + ric.calc_check_digit(body + "0")


def deputy(n: int, world, **changes) -> dict:
    """A valid row keyed by the office's headers."""
    male = n % 2 == 0
    born = date(1960 + n % 30, n % 12 + 1, n % 28 + 1)
    row = {
        "编号": n,
        "姓  名": "王" + "伟芳敏静强磊军勇杰涛"[n % 10] + "明华"[n % 2],
        "性别": "男" if male else "女",
        "民族": "汉族",
        "出生日期": f"{born.year}.{born.month:02d}",
        "党派": "中共党员",
        "学历": "大专",
        "工作单位": "东村党支部书记",
        "代表构成": "农民",
        "代表证编号": f"J{n:04d}",
        "选举单位": "第一选区",
        "所属代表小组": world.group_a.name,
        "代表联络站": world.station_a.name,
        "联系电话": 13900000000 + n,  # typed as a number, as Excel users do
        "家庭住址": "浙江省衢州市龙游县甲镇东村8号",
        "身份证号码": id_number(born, male=male, n=n),
        "籍贯": "浙江龙游",
        "备注": "",
    }
    row.update(changes)
    return row


def workbook(
    rows: list[dict],
    *,
    headers: list[str] = HEADERS,
    titles: int = 2,
    merged_subtitle: bool = False,
    footer: list[list] = FOOTER,
) -> bytes:
    """The file: ``titles`` title rows (the first merged; the second merged when asked), the header,
    the rows, a blank row, then the footer lines (a one-cell footer line is merged across)."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    last = len(headers) - 1
    line = 0
    if titles >= 1:
        sheet.merge_range(line, 0, line, last, TITLE)
        line += 1
    if titles >= 2:
        if merged_subtitle:
            sheet.merge_range(line, 0, line, last, "　　".join(text for text in SUBTITLE if text))
        else:
            sheet.write_row(line, 0, SUBTITLE)
        line += 1
    sheet.write_row(line, 0, headers)
    line += 1
    for row in rows:
        for col, header in enumerate(headers):
            value = row.get(header, "")
            if isinstance(value, int):
                sheet.write_number(line, col, value)
            elif value:
                sheet.write_string(line, col, value)
        line += 1
    line += 1  # a blank row between the data and the signatures
    for cells in footer:
        if len(cells) == 1:
            sheet.merge_range(line, 0, line, last, cells[0])
        else:
            sheet.write_row(line, 0, cells)
        line += 1
    book.close()
    return output.getvalue()


def first_data_row(titles: int = 2) -> int:
    """The Excel row number of the first deputy: below the titles and the header."""
    return titles + 2
