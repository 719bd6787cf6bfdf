"""The evaluation's results for the township party committee: an Excel workbook (per round, per
unit) and a Word report (units, rates, rectification items and their state). Counts only: no
document names a deputy's choice, nothing stores one."""

from __future__ import annotations

from collections.abc import Sequence

from renda.casework.documents import township_office
from renda.documents import excel
from renda.documents.word import Section, Table, official_document

from .models import Evaluation, EvaluationUnit, RectificationState
from .selectors_evaluations import RoundView, is_overdue

HEADERS = [
    "序号",
    "被评议单位",
    "满意",
    "基本满意",
    "不满意",
    "无效",
    "满意率",
    "基本满意占比",
    "不满意占比",
    "是否需整改",
]


def _round_title(view: RoundView) -> str:
    return f"第{view.round.number}轮{view.round.get_kind_display()}"


def _rows(view: RoundView) -> list[list[object]]:
    return [
        [
            n,
            row.unit.agency.name,
            row.result.satisfied,
            row.result.basically,
            row.result.dissatisfied,
            row.result.invalid,
            row.satisfaction,
            row.basically_share,
            row.dissatisfied_share,
            "是" if row.result.must_rectify else "否",
        ]
        for n, row in enumerate(view.rows, start=1)
    ]


def _turnout(view: RoundView) -> str:
    return f"应参加测评代表{view.round.electorate}名，实参加{view.voted}名，参评率{view.turnout}。"


def results_workbook(evaluation: Evaluation, rounds: Sequence[RoundView], *, footer_note: str) -> bytes:
    sheets = [
        excel.Sheet(
            title=_round_title(view),
            headers=HEADERS,
            rows=_rows(view),
            caption=f"{evaluation.title}{_round_title(view)}结果（{_turnout(view)}）",
            footer_note=footer_note,
        )
        for view in rounds
    ] or [
        excel.Sheet(
            title="测评结果",
            headers=HEADERS,
            rows=[],
            caption=f"{evaluation.title}：尚无已结束的测评",
            footer_note=footer_note,
        )
    ]
    return excel.workbook(sheets=sheets)


def _item_state(item) -> str:
    if item.state == RectificationState.DONE:
        return f"已整改（{item.done_on:%Y-%m-%d}）" if item.done_on else "已整改"
    return "逾期未完成" if is_overdue(item) else "整改中"


def report_document(
    evaluation: Evaluation, rounds: Sequence[RoundView], units: Sequence[EvaluationUnit], *, footer_note: str
) -> bytes:
    names = "、".join(unit.agency.name for unit in units) or "（未确定）"
    sections = [Section(paragraphs=[f"{evaluation.year}年，{evaluation.township.name}人大对{names}开展代表评议。"])]
    for view in rounds:
        sections.append(
            Section(
                heading=f"{_round_title(view)}结果",
                paragraphs=[_turnout(view)],
                table=Table(headers=HEADERS[1:8], rows=[[str(c) for c in row[1:8]] for row in _rows(view)]),
            )
        )
    items = [
        [unit.agency.name, item.demand, f"{item.deadline:%Y-%m-%d}", _item_state(item)]
        for unit in units
        for item in unit.rectifications.all()
    ]
    if items:
        sections.append(
            Section(heading="整改落实情况", table=Table(headers=["单位", "整改事项", "整改期限", "状态"], rows=items))
        )
    return official_document(
        title=f"关于{evaluation.title}情况的报告",
        sections=sections,
        issuer=township_office(evaluation.township),
        footer_note=footer_note,
    )
