"""The roster's columns, declared once: the import template and the roster export take their headers
from here, and the importer recognises a file's column by any of its names.

Offices keep their own words for the same column (联系电话 for 手机, 代表构成 for 职业). Each column
lists the names seen in real county and township files; a header is compared without spaces, with
a trailing required-mark (*) or colon dropped and brackets of either width treated alike. A name
may belong to one column only (checked at import time by ``_check_unique``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RosterColumn:
    field: str  # the importer's key for the column
    header: str  # the name in the template and the export
    synonyms: tuple[str, ...] = ()  # other names offices give it
    in_template: bool = True  # every column is exported
    # Export-only columns (the township, the level) are recognised so that an exported roster reads
    # back, but the import takes them from the choices made on upload, not from the file.
    imported: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


ROSTER_COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("serial", "序号", ("编号", "No.")),
    RosterColumn("name", "姓名", ("代表姓名", "名字")),
    RosterColumn("gender", "性别"),
    RosterColumn("ethnicity", "民族"),
    RosterColumn("birth", "出生年月", ("出生日期", "出生年月日", "出生时间")),
    RosterColumn("party", "政治面貌", ("党派",)),
    RosterColumn("education", "文化程度", ("学历", "文化")),
    RosterColumn("workplace", "工作单位及职务", ("工作单位", "单位及职务", "工作单位和职务", "单位职务")),
    RosterColumn("occupation", "职业", ("代表构成", "构成", "代表结构")),
    RosterColumn("township", "乡镇（街道）", ("乡镇", "所属乡镇", "乡镇街道"), in_template=False, imported=False),
    RosterColumn("level", "代表级别", ("级别",), in_template=False, imported=False),
    RosterColumn("deputy_number", "代表证号", ("代表证编号", "代表证号码")),
    RosterColumn("constituency", "选区", ("选举单位", "所在选区", "所属选区")),
    RosterColumn("group", "代表小组", ("所属代表小组", "小组")),
    RosterColumn("station", "联络站", ("代表联络站", "所属联络站", "联络站（点）")),
    RosterColumn("phone", "手机", ("手机号码", "手机号", "联系电话", "联系方式", "电话", "电话号码")),
    RosterColumn("address", "通讯地址", ("联系地址", "家庭住址", "住址", "地址")),
    RosterColumn("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证")),
    RosterColumn("elected_on", "当选日期", ("当选时间",)),
    RosterColumn("reelected", "连任", ("是否连任",)),
    RosterColumn("returned_overseas", "归侨", ("是否归侨",)),
    RosterColumn("note", "备注"),
)

BY_FIELD = {column.field: column for column in ROSTER_COLUMNS}
TEMPLATE_HEADERS = [column.header for column in ROSTER_COLUMNS if column.in_template]
EXPORT_HEADERS = [column.header for column in ROSTER_COLUMNS]
IMPORTED_FIELDS = [column.field for column in ROSTER_COLUMNS if column.imported]
ALL_NAMES = [name for column in ROSTER_COLUMNS for name in column.names]

_IGNORED_CHARACTERS = re.compile(r"[\s*＊:：]")
_BRACKETS = str.maketrans("()", "（）")


def header_key(header: str) -> str:
    """The form a header is compared in: "姓 名*" is 姓名, "联络站(点)" is 联络站（点）."""
    return _IGNORED_CHARACTERS.sub("", header).translate(_BRACKETS)


def _check_unique() -> dict[str, str]:
    fields: dict[str, str] = {}
    for column in ROSTER_COLUMNS:
        for name in column.names:
            key = header_key(name)
            if fields.setdefault(key, column.field) != column.field:
                raise ValueError(f"roster column name {name} is declared for two columns")
    return fields


_FIELD_BY_KEY = _check_unique()


def field_for_header(header: str) -> str | None:
    """The column a file's header names, or None when no column has that name."""
    return _FIELD_BY_KEY.get(header_key(header))
