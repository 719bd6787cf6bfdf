"""The meetings' documents: Word files in the official layout (``renda.documents.word``) and Excel
tables (``renda.documents.excel``), built from what the caller read (a bounded number of queries,
listed with each reader below).

- 会议通知 (notice): the notice as it was sent, or one drawn up from the meeting's plan and agenda;
- 会议记录 (minutes): the meeting's figures, agenda and minutes, and its decisions — the votes and
  the resolutions it adopted, listed from the records, never typed twice;
- 签到表 (sign-in sheet), Word and Excel: every deputy expected with status and time, and a column
  for the signature; the observers below;
- 表决结果 (vote tally), Word and Excel: each item voted on with its figures, the votes needed
  under the all-deputies majority, the outcome and any corrections.

The documents' wording is the official Chinese of these forms, written here as it is printed (as in
``casework.documents``); what the interface says goes through gettext. Deputies' names are printed
(the sign-in sheet is for signing); phones and ID numbers never are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.casework.documents import township_office
from renda.documents import excel
from renda.documents.dates import format_chinese_date
from renda.documents.word import Section, Table, chinese_number, official_document

from . import rules
from .models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    Observer,
    Resolution,
    ResolutionKind,
    ResolutionUnit,
    Vote,
    VoteCorrection,
    VoteKind,
    VoteMethod,
)
from .services import Quorum, quorum

if TYPE_CHECKING:
    from .compliance import CountyYear

STATUS_WORDS: dict[str, str] = {
    AttendanceStatus.EXPECTED: "未签到",
    AttendanceStatus.PRESENT: "出席",
    AttendanceStatus.LEAVE: "请假",
    AttendanceStatus.ABSENT: "缺席",
}
VOTE_KIND_WORDS: dict[str, str] = {
    VoteKind.RESOLUTION: "决议",
    VoteKind.DECISION: "决定",
    VoteKind.ELECTION: "选举",
    VoteKind.BY_ELECTION: "补选代表",
    VoteKind.OTHER: "其他事项",
}
METHOD_WORDS: dict[str, str] = {
    VoteMethod.SHOW_OF_HANDS: "举手表决",
    VoteMethod.BALLOT: "无记名投票",
    VoteMethod.ELECTRONIC: "电子表决",
}
RESOLUTION_KIND_WORDS: dict[str, str] = {ResolutionKind.RESOLUTION: "决议", ResolutionKind.DECISION: "决定"}


def _date(day) -> str:
    return format_chinese_date(day) if day else "—"


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _addressees(meeting: Meeting) -> str:
    return "主席团各位成员" if meeting.kind == MeetingKind.PRESIDIUM else "各位代表"


def _when(meeting: Meeting) -> str:
    start = f"{_date(meeting.date)}{_time(meeting.starts_at)}"
    if meeting.ends_on > meeting.date:
        return f"{start}至{_date(meeting.ends_on)}"
    return start


# ---------------------------------------------------------------- what the documents read


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in order (one query)."""
    return list(AgendaItem.objects.unscoped().filter(meeting=meeting).order_by("position", "id"))


@dataclass(frozen=True)
class Decisions:
    """What the meeting decided: its votes (with their corrections) and the resolutions it adopted
    (with their responsible units). The meeting was read through the user's scope; its parts are its own."""

    votes: list[Vote]
    resolutions: list[Resolution]


def decisions_of(meeting: Meeting) -> Decisions:
    """Four queries: votes, their corrections, resolutions, their units."""
    votes = list(
        Vote.objects.unscoped()
        .filter(meeting=meeting)
        .prefetch_related(Prefetch("corrections", queryset=VoteCorrection.objects.unscoped().order_by("created_at")))
        .order_by("position", "id")
    )
    resolutions = list(
        Resolution.objects.unscoped()
        .filter(meeting=meeting)
        .prefetch_related(Prefetch("units", queryset=ResolutionUnit.objects.unscoped().select_related("agency")))
        .order_by("adopted_on", "id")
    )
    return Decisions(votes=votes, resolutions=resolutions)


@dataclass(frozen=True)
class SigninSheet:
    attendances: list[Attendance]
    observers: list[Observer]
    count: Quorum


def signin_sheet_of(meeting: Meeting) -> SigninSheet:
    """Three queries: the deputies expected in stroke order, the observers, the counts."""
    attendances = list(
        Attendance.objects.unscoped()
        .filter(meeting=meeting)
        .select_related("mandate__person")
        .order_by("mandate__person__name_stroke_key", "id")
    )
    observers = list(Observer.objects.unscoped().filter(meeting=meeting).order_by("id"))
    return SigninSheet(attendances=attendances, observers=observers, count=quorum(meeting))


def _status(row: Attendance) -> str:
    word = STATUS_WORDS.get(row.status, row.status)
    if row.status == AttendanceStatus.PRESENT and row.leave_half_days:
        return f"{word}（请假{row.leave_half_days}个半天）"
    return word


def _counts_line(count: Quorum) -> str:
    absent = count.deputies_total - count.present - count.on_leave
    line = f"应到{count.deputies_total}人，实到{count.present}人，请假{count.on_leave}人，未到{absent}人。"
    if count.applies:
        line += f"全体代表三分之二为{count.needed}人，" + ("符合法定人数。" if count.reached else "未达到法定人数。")
    return line


def _outcome(vote: Vote) -> str:
    return "通过" if vote.passed else "未通过"


def _votes_table(votes: Sequence[Vote]) -> Table:
    return Table(
        headers=["序号", "表决事项", "赞成", "反对", "弃权", "结果"],
        rows=[
            [
                str(index),
                vote.title,
                str(vote.votes_for),
                str(vote.votes_against),
                str(vote.abstentions),
                _outcome(vote),
            ]
            for index, vote in enumerate(votes, start=1)
        ],
        widths_mm=[14, 70, 17, 17, 17, 21],
    )


def _correction_lines(votes: Sequence[Vote]) -> list[str]:
    lines = []
    for vote in votes:
        for correction in vote.corrections.all():
            before, after = correction.before, correction.after
            lines.append(
                f"“{vote.title}”计票更正：赞成{before.get('for')}、反对{before.get('against')}、弃权{before.get('abstain')}"
                f"更正为赞成{after.get('for')}、反对{after.get('against')}、弃权{after.get('abstain')}，"
                f"理由：{correction.reason}（{_date(timezone.localtime(correction.created_at).date())}）。"
            )
    return lines


def _resolution_line(resolution: Resolution) -> str:
    units = "、".join(unit.agency.name for unit in resolution.units.all()) or "—"
    kind = RESOLUTION_KIND_WORDS.get(resolution.kind, resolution.kind)
    return f"{_date(resolution.adopted_on)}通过《{resolution.title}》（{kind}），责任单位：{units}。"


# ---------------------------------------------------------------- 会议通知


def notice_document(meeting: Meeting, agenda: Sequence[AgendaItem], *, footer_note: str) -> bytes:
    """The notice as sent (its text, printed as it is), or drawn up from the plan while none has
    been written: time, venue, agenda, and the rule on leave."""
    office = township_office(meeting.township)
    sent_on = timezone.localtime(meeting.notice_sent_at).date() if meeting.notice_sent_at else None
    if meeting.notice_text.strip():
        sections = [Section(paragraphs=_lines(meeting.notice_text))]
    else:
        venue = meeting.venue or "另行通知"
        sections = [
            Section(paragraphs=[f"经研究，定于{_when(meeting)}在{venue}召开{meeting.name}。现将有关事项通知如下。"]),
            Section(heading="会议时间", paragraphs=[f"{_when(meeting)}。"]),
            Section(heading="会议地点", paragraphs=[f"{venue}。"]),
            Section(
                heading="会议议程",
                paragraphs=[f"（{chinese_number(n)}）{item.title}；" for n, item in enumerate(agenda, start=1)]
                or ["议程另行通知。"],
            ),
            Section(
                heading="有关要求",
                paragraphs=[f"请按时出席会议。因故不能出席的，请提前向{office}请假。"],
            ),
        ]
    return official_document(
        title=f"关于召开{meeting.name}的通知",
        main_recipients=[_addressees(meeting)],
        sections=sections,
        issuer=office,
        issued_on=sent_on,
        footer_note=footer_note,
    )


# ---------------------------------------------------------------- 会议记录


def minutes_document(
    meeting: Meeting,
    *,
    agenda: Sequence[AgendaItem],
    sheet: SigninSheet,
    decisions: Decisions,
    footer_note: str,
) -> bytes:
    """The minutes: the meeting's figures and who was away, the agenda, the minutes as kept, and
    its decisions (votes and resolutions, from the records)."""
    office = township_office(meeting.township)
    away = {
        status: "、".join(row.mandate.person.full_name for row in sheet.attendances if row.status == status)
        for status in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)
    }
    facts = [
        f"时间：{_when(meeting)}。",
        f"地点：{meeting.venue or '—'}。",
        f"出席情况：{_counts_line(sheet.count)}",
    ]
    if away[AttendanceStatus.LEAVE]:
        facts.append(f"请假：{away[AttendanceStatus.LEAVE]}。")
    if away[AttendanceStatus.ABSENT]:
        facts.append(f"缺席：{away[AttendanceStatus.ABSENT]}。")
    if sheet.observers:
        facts.append(f"列席：{'、'.join(observer.name for observer in sheet.observers)}。")
    decided: list[str] = []
    if decisions.votes:
        decided.append("会议对下列事项进行了表决（按全体代表的过半数通过）：")
    decided += [_resolution_line(resolution) for resolution in decisions.resolutions]
    decided += _correction_lines(decisions.votes)
    if not decisions.votes and not decisions.resolutions:
        decided.append("本次会议未进行表决。")
    sections = [
        Section(heading="会议概况", paragraphs=facts),
        Section(
            heading="会议议程",
            paragraphs=[f"（{chinese_number(n)}）{item.title}" for n, item in enumerate(agenda, start=1)] or ["—"],
        ),
        Section(heading="会议记录", paragraphs=_lines(meeting.minutes) or ["（尚未记录）"]),
        Section(
            heading="会议决定事项",
            paragraphs=decided,
            table=_votes_table(decisions.votes) if decisions.votes else None,
        ),
    ]
    closed_on = timezone.localtime(meeting.closed_at).date() if meeting.closed_at else None
    return official_document(
        title=f"{meeting.name}记录",
        sections=sections,
        issuer=office,
        issued_on=closed_on,
        footer_note=footer_note,
    )


# ---------------------------------------------------------------- 签到表


def _signin_title(meeting: Meeting) -> str:
    return f"{meeting.name}签到表"


def signin_sheet_document(meeting: Meeting, sheet: SigninSheet, *, footer_note: str) -> bytes:
    """Each deputy expected, in stroke order, with status, time of sign-in and room to sign; the
    observers below."""
    deputies = Table(
        headers=["序号", "姓名", "状态", "签到时间", "签名"],
        rows=[
            [str(n), row.mandate.person.full_name, _status(row), _time(row.signed_in_at), ""]
            for n, row in enumerate(sheet.attendances, start=1)
        ],
        widths_mm=[14, 30, 40, 24, 48],
    )
    sections = [
        Section(
            paragraphs=[f"时间：{_when(meeting)}　地点：{meeting.venue or '—'}", _counts_line(sheet.count)],
            table=deputies,
        )
    ]
    if sheet.observers:
        sections.append(
            Section(
                heading="列席人员",
                table=Table(
                    headers=["序号", "姓名", "单位及职务", "签名"],
                    rows=[[str(n), o.name, o.position, ""] for n, o in enumerate(sheet.observers, start=1)],
                    widths_mm=[14, 30, 64, 48],
                ),
            )
        )
    return official_document(title=_signin_title(meeting), sections=sections, footer_note=footer_note)


def signin_sheet_workbook(meeting: Meeting, sheet: SigninSheet, *, footer_note: str) -> bytes:
    rows: list[list[object]] = [
        [
            n,
            row.mandate.person.full_name,
            _status(row),
            timezone.localtime(row.signed_in_at) if row.signed_in_at else None,
            row.get_signin_method_display() if row.signin_method else "",
            "",
        ]
        for n, row in enumerate(sheet.attendances, start=1)
    ]
    rows += [
        [None, f"{o.name}（列席）", o.position, timezone.localtime(o.signed_in_at) if o.signed_in_at else None, "", ""]
        for o in sheet.observers
    ]
    return excel.workbook(
        sheets=[
            excel.Sheet(
                title="签到表",
                headers=["序号", "姓名", "状态", "签到时间", "签到方式", "签名"],
                rows=rows,
                caption=_signin_title(meeting),
                footer_note=f"{_counts_line(sheet.count)}\n{footer_note}",
                column_widths=[6, 14, 22, 18, 12, 20],
            )
        ]
    )


# ---------------------------------------------------------------- 表决结果


def _tally_title(meeting: Meeting) -> str:
    return f"{meeting.name}表决结果"


def _tally_note(votes: Sequence[Vote]) -> str:
    return "表决事项须获全体代表的过半数赞成方为通过（不是出席代表的过半数）。" if votes else "本次会议未进行表决。"


def vote_tally_document(meeting: Meeting, votes: Sequence[Vote], *, footer_note: str) -> bytes:
    figures = [
        f"“{vote.title}”：全体代表{vote.deputies_total}名，出席{vote.present}名，"
        f"通过需{rules.votes_needed(vote.deputies_total)}票；{METHOD_WORDS.get(vote.method, vote.method)}，"
        f"赞成{vote.votes_for}票，反对{vote.votes_against}票，弃权{vote.abstentions}票，{_outcome(vote)}。"
        for vote in votes
    ]
    sections = [Section(paragraphs=[_tally_note(votes)], table=_votes_table(votes) if votes else None)]
    if votes:
        sections.append(Section(heading="表决情况", paragraphs=figures))
    corrections = _correction_lines(votes)
    if corrections:
        sections.append(Section(heading="计票更正", paragraphs=corrections))
    return official_document(
        title=_tally_title(meeting),
        sections=sections,
        issuer=township_office(meeting.township),
        footer_note=footer_note,
    )


def vote_tally_workbook(meeting: Meeting, votes: Sequence[Vote], *, footer_note: str) -> bytes:
    rows = [
        [
            n,
            vote.title,
            VOTE_KIND_WORDS.get(vote.kind, vote.kind),
            METHOD_WORDS.get(vote.method, vote.method),
            vote.deputies_total,
            vote.present,
            rules.votes_needed(vote.deputies_total),
            vote.votes_for,
            vote.votes_against,
            vote.abstentions,
            vote.not_voting,
            _outcome(vote),
            len(vote.corrections.all()),
        ]
        for n, vote in enumerate(votes, start=1)
    ]
    corrections = "\n".join(_correction_lines(votes))
    return excel.workbook(
        sheets=[
            excel.Sheet(
                title="表决结果",
                headers=[
                    "序号",
                    "表决事项",
                    "类别",
                    "表决方式",
                    "全体代表",
                    "出席",
                    "通过所需票数",
                    "赞成",
                    "反对",
                    "弃权",
                    "未表决",
                    "结果",
                    "更正次数",
                ],
                rows=rows,
                caption=_tally_title(meeting),
                footer_note="\n".join(part for part in (_tally_note(votes), corrections, footer_note) if part),
            )
        ]
    )


# ---------------------------------------------------------------- the compliance table


def compliance_headers() -> list[str]:
    return [
        str(_("Township")),
        str(_("Sessions held")),
        *[str(_("Presidium meetings, quarter %(quarter)s") % {"quarter": n}) for n in (1, 2, 3, 4)],
        str(_("Notices on time")),
        str(_("Notices late")),
        str(_("Attendance rate")),
        str(_("Resolutions with a report overdue")),
        str(_("Breaches")),
        str(_("Warnings")),
    ]


def compliance_workbook(result: CountyYear, *, caption: str, footer_note: str) -> bytes:
    rows = [
        [
            row.township.name,
            row.sessions_held,
            *[quarter.held for quarter in row.quarters],
            row.notices_on_time,
            row.notices_late,
            "—" if row.attendance_percent is None else f"{row.attendance_percent}%",
            len(row.overdue_resolutions),
            "\n".join(flag.text for flag in row.breaches),
            "\n".join(flag.text for flag in row.warnings),
        ]
        for row in result.townships
    ]
    return excel.workbook(
        sheets=[
            excel.Sheet(
                title=str(_("Compliance")),
                headers=compliance_headers(),
                rows=rows,
                caption=caption,
                footer_note=footer_note,
            )
        ]
    )
