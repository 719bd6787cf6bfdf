"""The year-end documents of a scheme (domain.md §9), built from ``selectors_reports.Standings``:

- the assessment table (Excel): one row per township in rank order with every indicator's points,
  the section subtotals, base total, bonus, total and grade; a second sheet with each township's
  figure, base points, adjustment and reasons, and the entered evidence of every indicator;
- the summary report (Word, official layout) to the county congress's leaders: the ranking, the
  grade counts, per township its strengths and gaps and adjustments, and the spread between
  townships. Every sentence is made from the scores; nothing is typed.

The documents are the county's official text, written in Chinese (like the other official
documents of the platform), not interface strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings

from renda.casework.documents import county_office
from renda.documents import excel
from renda.documents.dates import format_chinese_date
from renda.documents.word import Section, Table, official_document

from .measures import measures
from .models import IndicatorKind
from .selectors_reports import Cell, Standing, Standings, grade_counts, highlights, published_on, widest_spreads

SUMMARY_SHEET = "考核汇总"
DETAIL_SHEET = "指标得分明细"
DETAIL_HEADERS = [
    "乡镇（街道）",
    "考核板块",
    "指标",
    "满分",
    "计分依据",
    "完成情况",
    "基础得分",
    "调整分",
    "调整理由",
    "得分",
    "评分依据",
]


def number(value: Decimal | float | int) -> str:
    """Points as officials write them: 15, 24.5 (no trailing zeros)."""
    text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def indicator_header(indicator) -> str:
    return f"{indicator.section.name}／{indicator.name}（{number(indicator.counted_max)}分）"


def _when(table: Standings) -> str:
    """ "统计截至 2025-12-31" for scores from the records, "于 2026-01-15 发布" for published ones."""
    if table.published:
        day = published_on(table.scheme)
        return f"于 {day:%Y-%m-%d} 发布" if day else "已发布"
    return f"统计截至 {table.period.end:%Y-%m-%d}"


def grade_note() -> str:
    grades = settings.RENDA_ASSESSMENT_GRADES
    excellent, passing = number(grades["excellent"]), number(grades["pass"])
    return f"等次：总分{excellent}分及以上为优秀，{passing}分及以上为合格，{passing}分以下为通报批评。"


# --- Excel -----------------------------------------------------------------------------------------


def _summary_row(table: Standings, row: Standing) -> list[object]:
    return [
        row.rank if row.rank is not None else "—",
        row.township.name,
        *(cell.points for cell in row.cells),
        *(row.subtotal(section) for section, _indicators in table.sections),
        row.base_total,
        row.bonus,
        row.total,
        row.grade_label,
    ]


def _source(cell: Cell) -> str:
    if cell.indicator.kind == IndicatorKind.COMPUTED:
        measure = measures.get(cell.indicator.measure)
        return str(measure.label) if measure else cell.indicator.measure
    return "县人大常委会评定"


def _detail_rows(table: Standings) -> list[list[object]]:
    return [
        [
            row.township.name,
            cell.indicator.section.name,
            cell.indicator.name,
            cell.indicator.counted_max,
            _source(cell),
            cell.figure,
            cell.base,
            cell.adjustment if cell.adjustment else None,
            "；".join(cell.reasons),
            cell.points,
            cell.evidence,
        ]
        for row in table.rows
        for cell in row.cells
    ]


def assessment_workbook(table: Standings, *, county_name: str, footer_note: str) -> bytes:
    """The year-end assessment table: a sheet of totals in rank order and a sheet of details."""
    scheme = table.scheme
    headers = [
        "名次",
        "乡镇（街道）",
        *(indicator_header(i) for i in table.indicators),
        *(f"{section.name}小计（{number(table.section_max(section))}分）" for section, _ in table.sections),
        f"基础分（{number(table.base_max)}分）",
        f"加分（{number(table.bonus_max)}分）",
        "总分",
        "等次",
    ]
    scope = "" if table.complete else "（本乡镇（街道）得分，排名在考核结果发布后公布）"
    caption = f"{county_name}{scheme.year}年度乡镇（街道）人大工作考核汇总表（{scheme.title}，{_when(table)}）{scope}"
    note = f"{grade_note()}　{footer_note}".strip()
    return excel.workbook(
        sheets=[
            excel.Sheet(
                title=SUMMARY_SHEET,
                headers=headers,
                rows=[_summary_row(table, row) for row in table.rows],
                caption=caption,
                footer_note=note,
            ),
            excel.Sheet(
                title=DETAIL_SHEET,
                headers=DETAIL_HEADERS,
                rows=_detail_rows(table),
                caption=f"{county_name}{scheme.year}年度乡镇（街道）人大工作考核指标得分明细（{_when(table)}）",
                footer_note=note,
            ),
        ]
    )


# --- Word ------------------------------------------------------------------------------------------


def _score_phrase(cell: Cell) -> str:
    """ " 75.0%、得 15/30 分" (computed) or "得 24.5/30 分" (entered): a cell without its name."""
    score = f"得 {number(cell.points)}/{number(cell.indicator.counted_max)} 分"
    if cell.indicator.kind == IndicatorKind.COMPUTED:
        figure = "无可计数据" if cell.value is None else cell.figure
        return f" {figure}、{score}"
    return score


def cell_phrase(cell: Cell) -> str:
    """ "建议按期答复 75.0%，得 15/30 分"; "实地检查得 24.5/30 分" for an entered indicator."""
    return cell.indicator.name + _score_phrase(cell).replace("、", "，")


def _adjustment_phrase(cell: Cell) -> str:
    verb = "加" if cell.adjustment > 0 else "扣"
    reasons = "；".join(cell.reasons)
    return f"{cell.indicator.name}{verb} {number(abs(cell.adjustment))} 分（{reasons}）"


def township_paragraph(row: Standing) -> str:
    strengths, gaps = highlights(row)
    rank = f"，排第 {row.rank} 名" if row.rank is not None else ""
    parts = [
        f"{row.township.name}：总分 {number(row.total)} 分（基础分 {number(row.base_total)} 分，"
        f"加分 {number(row.bonus)} 分），等次为{row.grade_label}{rank}。"
    ]
    if strengths:
        parts.append("得分较好的指标：" + "；".join(cell_phrase(c) for c in strengths) + "。")
    if gaps:
        parts.append("得分较低的指标：" + "；".join(cell_phrase(c) for c in gaps) + "。")
    else:
        parts.append("各项基础指标均得满分。")
    bonus = [c for c in row.cells if c.indicator.is_bonus and c.points > 0]
    if bonus:
        parts.append("加分项目：" + "；".join(cell_phrase(c) for c in bonus) + "。")
    adjusted = [c for c in row.cells if c.adjustment]
    if adjusted:
        parts.append("调整情况：" + "；".join(_adjustment_phrase(c) for c in adjusted) + "。")
    return "".join(parts)


def spread_paragraph(table: Standings) -> str:
    rows = table.rows
    if len(rows) < 2:
        return "本次考核仅一个乡镇（街道），无从比较。"
    high = max(rows, key=lambda r: r.total)
    low = min(rows, key=lambda r: r.total)
    text = (
        f"总分最高的是{high.township.name}（{number(high.total)} 分），最低的是{low.township.name}"
        f"（{number(low.total)} 分），相差 {number(high.total - low.total)} 分。"
    )
    spreads = widest_spreads(table)
    if not spreads:
        return text + "各乡镇（街道）在各项指标上的得分率相同。"
    items = [
        f"{s.indicator.name}（最高{s.high_township.name}{_score_phrase(s.high)}，"
        f"最低{s.low_township.name}{_score_phrase(s.low)}）"
        for s in spreads
    ]
    return text + "乡镇（街道）之间差距最大的指标是：" + "；".join(items) + "。"


def _intro(table: Standings, county) -> str:
    scheme = table.scheme
    bonus = f"，另设加分 {number(table.bonus_max)} 分" if table.bonus_max else ""
    if table.published:
        day = published_on(scheme)
        when = f"考核结果已于{format_chinese_date(day)}发布" if day else "考核结果已发布"
    else:
        when = f"得分统计截至{format_chinese_date(table.period.end)}，考核结果尚未发布"
    return (
        f"根据《{scheme.title}》，{county.name}人大常委会对 {len(table.rows)} 个乡镇（街道）{scheme.year}年度人大工作"
        f"进行了考核。考核满分 {number(table.base_max)} 分{bonus}；{when}。现将考核情况报告如下。"
    )


def ranking_rows(rows: Sequence[Standing]) -> list[list[str]]:
    return [
        [str(row.rank if row.rank is not None else "—"), row.township.name, number(row.total), row.grade_label]
        for row in rows
    ]


def summary_report(table: Standings, *, county, issued_on: date, footer_note: str) -> bytes:
    """关于{year}年度乡镇（街道）人大工作考核情况的报告, in the official layout."""
    counts = "、".join(f"{label} {n} 个" for label, n in grade_counts(table))
    sections = [
        Section(paragraphs=[_intro(table, county)]),
        Section(
            heading="考核排名",
            paragraphs=[f"按总分排名如下。其中{counts}。{grade_note()}"],
            table=Table(headers=["名次", "乡镇（街道）", "总分", "等次"], rows=ranking_rows(table.rows)),
        ),
        Section(heading="各乡镇（街道）考核情况", paragraphs=[township_paragraph(row) for row in table.rows]),
        Section(heading="总体情况", paragraphs=[spread_paragraph(table)]),
    ]
    return official_document(
        title=f"关于{table.scheme.year}年度乡镇（街道）人大工作考核情况的报告",
        sections=sections,
        issuer=county_office(county),
        issued_on=issued_on,
        footer_note=footer_note,
    )
