"""How fast a roster-sized sheet is written and read back: ``python -m renda.documents.bench [rows]``.

Prints seconds and rows per second for ``workbook()`` and ``read_table()``, and the same for a Word
document with a table of the same rows. A measurement to quote, not a test: nothing here asserts.
"""

import os
import sys
import time
from datetime import date, timedelta


def _rows(count: int) -> list[list[object]]:
    start = date(1960, 1, 1)
    return [
        [
            number,
            f"代表{number:05d}",
            "男" if number % 2 else "女",
            start + timedelta(days=number % 15000),
            13800000000 + number,
            f"湖镇镇第{number % 12 + 1}代表小组",
            "中共党员" if number % 3 else "群众",
            f"浙江省衢州市龙游县湖镇镇某某村{number % 300}号",
        ]
        for number in range(1, count + 1)
    ]


def _report(label: str, rows: int, seconds: float, size: int | None = None) -> None:
    rate = rows / seconds if seconds else float("inf")
    extra = f", {size / 1024:.0f} KiB" if size is not None else ""
    print(f"{label:<28} {rows:>7} rows  {seconds:7.3f} s  {rate:>10,.0f} rows/s{extra}")


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    import django

    django.setup()
    from renda.documents.excel import Sheet, read_table, workbook
    from renda.documents.word import Section, Table, official_document

    count = int(argv[0]) if argv else 10_000
    headers = ["序号", "姓名", "性别", "出生日期", "手机号", "代表小组", "政治面貌", "住址"]
    rows = _rows(count)

    started = time.perf_counter()
    content = workbook(
        sheets=[Sheet(title="代表名册", headers=headers, rows=rows, caption="代表名册", footer_note="导出人：bench")]
    )
    _report("workbook() write .xlsx", count, time.perf_counter() - started, len(content))

    started = time.perf_counter()
    table = read_table(content, header_names=headers)
    _report("read_table() read .xlsx", len(table.rows), time.perf_counter() - started)
    if len(table.rows) != count:
        raise SystemExit(f"read back {len(table.rows)} rows, wrote {count}")

    word_rows = min(count, 1000)
    started = time.perf_counter()
    document = official_document(
        title="代表名册",
        sections=[Section(table=Table(headers=headers, rows=[[str(v) for v in row] for row in rows[:word_rows]]))],
    )
    _report("official_document() table", word_rows, time.perf_counter() - started, len(document))


if __name__ == "__main__":
    main(sys.argv[1:])
