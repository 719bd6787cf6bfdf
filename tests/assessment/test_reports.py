"""The year-end documents of the scheme in tests/assessment/conftest.py (totals worked out by hand in
test_scoring.py: 甲镇 62.5, 乙镇 61, 丙乡 46): the assessment table in rank order with every
indicator's points, the summary report's ranking and sentences made from the figures; a township's
staff get their own row before publication; every download is audited.

The Excel files are read with python-calamine, the project's reader (openpyxl is not a dependency)."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
import python_calamine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.assessment import services
from tests.assessment.records import YEAR, answered_case, session

pytestmark = pytest.mark.django_db


def sheets(response) -> dict[str, list[list]]:
    assert response.status_code == 200, response.status_code
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def table_rows(rows: list[list]) -> tuple[list, list[list]]:
    """The header (under the caption) and the townships' rows (up to the blank row before the note)."""
    header, body = rows[1], []
    for row in rows[2:]:
        if not any(cell not in ("", None) for cell in row):
            break
        body.append(row)
    return header, body


def excel_url(scheme) -> str:
    return reverse("assessment:scheme_excel", args=[scheme.uuid])


def word_url(scheme) -> str:
    return reverse("assessment:scheme_word", args=[scheme.uuid])


def test_the_county_gets_every_township_in_rank_order_with_each_indicators_points(client_for, world, county):
    scheme = county["scheme"]
    book = sheets(client_for(world.county_admin).get(excel_url(scheme)))
    assert list(book) == ["考核汇总", "指标得分明细"]
    summary = book["考核汇总"]
    assert "统计截至" in summary[0][0] and str(YEAR) in summary[0][0]
    header, body = table_rows(summary)
    assert header[:7] == [
        "名次",
        "乡镇（街道）",
        "依法履职／依法召开人代会（10分）",
        "依法履职／建议按期答复（30分）",  # 20 points counted 1.5 times
        "依法履职／接待选民日（10分）",
        "特色工作／实地检查（30分）",
        "特色工作／特色亮点（5分）",
    ]
    subtotals = ["依法履职小计（50分）", "特色工作小计（35分）"]
    assert header[7:] == [*subtotals, "基础分（80分）", "加分（5分）", "总分", "等次"]
    assert [row[:2] for row in body] == [[1.0, "甲镇"], [2.0, "乙镇"], [3.0, "丙乡"]]
    by_name = {row[1]: row for row in body}
    # 甲镇: 10 + 15 + 10 + 24.5 + 3; subtotals 35 and 27.5; base 59.5, bonus 3, total 62.5.
    assert by_name["甲镇"][2:] == [10, 15, 10, 24.5, 3, 35, 27.5, 59.5, 3, 62.5, "通报批评"]
    assert by_name["乙镇"][-2] == 61 and by_name["丙乡"][-2] == 46
    assert "90分及以上为优秀" in summary[-1][0]
    # The details: the figure with its unit, the adjustment with its reason, the entered evidence.
    detail_header, details = table_rows(book["指标得分明细"])
    assert detail_header[:3] == ["乡镇（街道）", "考核板块", "指标"]
    lines = {(row[0], row[2]): dict(zip(detail_header, row, strict=True)) for row in details}
    assert len(lines) == 15
    assert lines[("甲镇", "建议按期答复")]["完成情况"] == "75.0%"
    assert lines[("甲镇", "建议按期答复")]["得分"] == 15
    assert lines[("乙镇", "实地检查")]["调整分"] == -2
    assert lines[("乙镇", "实地检查")]["调整理由"] == "检查发现两名代表履职档案缺失"
    assert lines[("丙乡", "特色亮点")]["评分依据"] == "一镇一特色：智慧联络站"
    assert lines[("丙乡", "建议按期答复")]["完成情况"] == "—"  # nothing answered: no figure


def test_township_staff_get_their_own_row_before_publication_and_the_ranking_after(client_for, world, county):
    scheme = county["scheme"]
    staff = client_for(world.staff_a)
    header, body = table_rows(sheets(staff.get(excel_url(scheme)))["考核汇总"])
    assert [row[:2] for row in body] == [["—", "甲镇"]]  # no rank among one township
    assert body[0][-2] == 62.5
    services.publish(scheme, world.county_admin, version=scheme.version, today=date(YEAR + 1, 1, 15))
    # A record changed after publication does not move the published table.
    session(county["c"], date(YEAR, 11, 30))
    book = sheets(staff.get(excel_url(scheme)))
    caption = book["考核汇总"][0][0]
    assert f"于 {timezone.localdate():%Y-%m-%d} 发布" in caption and "统计截至" not in caption
    _, body = table_rows(book["考核汇总"])
    assert [(row[0], row[1], row[-2]) for row in body] == [(1, "甲镇", 62.5), (2, "乙镇", 61), (3, "丙乡", 46)]
    _, details = table_rows(book["指标得分明细"])
    reasons = {(row[0], row[2]): row[8] for row in details}
    # The others' points, not the county's notes on them: those are the county's and the township's own.
    assert reasons[("丙乡", "依法召开人代会")] == ""
    assert "台账齐全，阵地建设规范" in {cell for row in details if row[0] == "甲镇" for cell in row}
    assert "全部达标" not in {cell for row in details for cell in row}
    _, county_details = table_rows(sheets(client_for(world.county_admin).get(excel_url(scheme)))["指标得分明细"])
    assert {(row[0], row[2]): row[8] for row in county_details}[
        ("丙乡", "依法召开人代会")
    ] == "因撤乡并镇延期召开，经县人大同意"


def test_the_summary_report_ranks_the_townships_and_says_what_the_figures_say(client_for, world, county):
    response = client_for(world.county_admin).get(word_url(county["scheme"]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"关于{YEAR}年度乡镇（街道）人大工作考核情况的报告" in text
    ranking = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert ranking == [
        ["名次", "乡镇（街道）", "总分", "等次"],
        ["1", "甲镇", "62.5", "通报批评"],
        ["2", "乙镇", "61", "通报批评"],
        ["3", "丙乡", "46", "通报批评"],
    ]
    assert "优秀 0 个、合格 0 个、通报批评 3 个" in text
    a = next(p.text for p in document.paragraphs if p.text.startswith("甲镇："))
    # Strengths: full marks on sessions (2) and reception days (3); gaps: on time 75% (15/30) and the
    # field check (24.5/30).
    assert "得分较好的指标：依法召开人代会 2次，得 10/10 分；接待选民日 3次，得 10/10 分。" in a
    assert "得分较低的指标：建议按期答复 75.0%，得 15/30 分；实地检查得 24.5/30 分。" in a
    assert "加分项目：特色亮点得 3/5 分。" in a
    b = next(p.text for p in document.paragraphs if p.text.startswith("乙镇："))
    assert "实地检查扣 2 分（检查发现两名代表履职档案缺失）" in b
    assert "总分最高的是甲镇（62.5 分），最低的是丙乡（46 分），相差 16.5 分。" in text
    # The widest spread: on time, 30/30 in 乙镇 and nothing to count in 丙乡.
    assert "差距最大的指标是：建议按期答复（最高乙镇 100.0%、得 30/30 分，最低丙乡 无可计数据、得 0/30 分）" in text


def test_only_the_county_gets_the_report_and_outsiders_get_nothing(client_for, world, county):
    scheme = county["scheme"]
    assert client_for(world.leader).get(word_url(scheme)).status_code == 200
    assert client_for(world.staff_a).get(word_url(scheme)).status_code == 403
    for user in (world.other_county_admin, world.deputy_a, world.handler_x):
        assert client_for(user).get(excel_url(scheme)).status_code in (403, 404)
        assert client_for(user).get(word_url(scheme)).status_code in (403, 404)
    assert client_for(world.other_county_admin).get(excel_url(scheme)).status_code == 404


def test_every_download_is_audited(client_for, world, county):
    scheme = county["scheme"]
    admin = client_for(world.county_admin)
    admin.get(excel_url(scheme))
    admin.get(word_url(scheme))
    client_for(world.staff_a).get(excel_url(scheme))
    entries = AuditEntry.objects.filter(event__startswith="export.assessment.").order_by("id")
    assert [(e.event, e.actor_id) for e in entries] == [
        ("export.assessment.scheme_table", world.county_admin.pk),
        ("export.assessment.scheme_report", world.county_admin.pk),
        ("export.assessment.scheme_table", world.staff_a.pk),
    ]
    assert entries[2].data["townships"] == ["甲镇"]


def test_the_reports_page_offers_the_downloads_each_may_have(client_for, world, county, django_assert_max_num_queries):
    scheme = county["scheme"]
    admin = client_for(world.county_admin)
    with django_assert_max_num_queries(20):
        page = admin.get(reverse("assessment:reports"))
    html = page.content.decode()
    assert excel_url(scheme) in html and word_url(scheme) in html
    html = client_for(world.staff_a).get(reverse("assessment:reports")).content.decode()
    assert excel_url(scheme) in html and word_url(scheme) not in html
    assert client_for(world.deputy_a).get(reverse("assessment:reports")).status_code == 403


def test_the_table_reads_the_same_few_queries_however_many_records(client_for, world, county):
    admin, url = client_for(world.county_admin), excel_url(county["scheme"])
    with CaptureQueriesContext(connection) as few:
        assert admin.get(url).status_code == 200
    agency = county["b_cases"][0].replies.first().agency
    for day in range(1, 6):
        answered_case(county["c"], agency, on_time=True)
        session(county["b"], date(YEAR, 8, day))
    with CaptureQueriesContext(connection) as more:
        admin.get(url)
    assert len(more) == len(few) <= 20
