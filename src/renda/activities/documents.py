"""An activity's documents: the notice (活动通知, Word in the official layout) and the sign-in sheet
(签到表, Word and Excel), built from rows the caller read (one query for the sheet).

The wording is the official Chinese of these forms, written as printed (as in
``meetings.documents``). Deputies' names are printed (the sheet is for signing); phones and ID
numbers never are."""

from __future__ import annotations

from django.utils import timezone

from renda.casework.documents import county_office, township_office
from renda.documents import excel
from renda.documents.dates import format_chinese_date
from renda.documents.word import Section, Table, official_document

from .models import Activity, Participant, ParticipantStatus

STATUS_WORDS: dict[str, str] = {
    ParticipantStatus.INVITED: "未签到",
    ParticipantStatus.PRESENT: "出席",
    ParticipantStatus.LEAVE: "请假",
    ParticipantStatus.ABSENT: "缺席",
}


def _office(activity: Activity) -> str:
    return township_office(activity.township) if activity.township is not None else county_office(activity.county)


def _when(activity: Activity) -> str:
    start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    text = f"{format_chinese_date(start.date())}{start:%H:%M}"
    if end.date() != start.date():
        return f"{text}至{format_chinese_date(end.date())}{end:%H:%M}"
    return f"{text}至{end:%H:%M}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def notice_document(activity: Activity, *, footer_note: str) -> bytes:
    """The notice as sent (its text as written), or drawn up from the plan while none has been."""
    office = _office(activity)
    sent_on = timezone.localtime(activity.notice_sent_at).date() if activity.notice_sent_at else None
    if activity.notice_text.strip():
        sections = [Section(paragraphs=_lines(activity.notice_text))]
    else:
        sections = [
            Section(
                paragraphs=[
                    f"经研究，定于{_when(activity)}在{activity.place}开展{activity.title}。现将有关事项通知如下。"
                ]
            ),
            Section(heading="活动时间", paragraphs=[f"{_when(activity)}。"]),
            Section(heading="活动地点", paragraphs=[f"{activity.place}。"]),
        ]
        if activity.purpose.strip():
            sections.append(Section(heading="活动内容", paragraphs=_lines(activity.purpose)))
        if activity.other_participants.strip():
            sections.append(Section(heading="参加人员", paragraphs=[f"受邀代表及{activity.other_participants}。"]))
        sections.append(
            Section(heading="有关要求", paragraphs=[f"请按时参加。因故不能参加的，请提前向{activity.organiser}请假。"])
        )
    return official_document(
        title=f"关于开展{activity.title}的通知",
        main_recipients=["各位代表"],
        sections=sections,
        issuer=office,
        issued_on=sent_on,
        footer_note=footer_note,
    )


def signin_sheet_of(activity: Activity) -> list[Participant]:
    """The invited deputies in stroke order (one query)."""
    return list(
        Participant.objects.unscoped()
        .filter(activity=activity)
        .select_related("mandate__person")
        .order_by("mandate__person__name_stroke_key", "id")
    )


def _counts(rows: list[Participant]) -> str:
    def count(status: str) -> int:
        return sum(1 for row in rows if row.status == status)

    return (
        f"应到{len(rows)}人，实到{count(ParticipantStatus.PRESENT)}人，"
        f"请假{count(ParticipantStatus.LEAVE)}人，缺席{count(ParticipantStatus.ABSENT)}人。"
    )


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def signin_sheet_document(activity: Activity, rows: list[Participant], *, footer_note: str) -> bytes:
    table = Table(
        headers=["序号", "姓名", "状态", "签到时间", "签名"],
        rows=[
            [
                str(n),
                row.mandate.person.full_name,
                STATUS_WORDS.get(row.status, row.status),
                _time(row.signed_in_at),
                "",
            ]
            for n, row in enumerate(rows, start=1)
        ],
        widths_mm=[14, 30, 40, 24, 48],
    )
    sections = [Section(paragraphs=[f"时间：{_when(activity)}　地点：{activity.place}", _counts(rows)], table=table)]
    if activity.other_participants.strip():
        sections.append(Section(heading="其他参加人员", paragraphs=[activity.other_participants]))
    return official_document(title=f"{activity.title}签到表", sections=sections, footer_note=footer_note)


def signin_sheet_workbook(activity: Activity, rows: list[Participant], *, footer_note: str) -> bytes:
    return excel.workbook(
        sheets=[
            excel.Sheet(
                title="签到表",
                headers=["序号", "姓名", "状态", "签到时间", "签到方式", "签名"],
                rows=[
                    [
                        n,
                        row.mandate.person.full_name,
                        STATUS_WORDS.get(row.status, row.status),
                        timezone.localtime(row.signed_in_at) if row.signed_in_at else None,
                        row.get_signin_method_display() if row.signin_method else "",
                        "",
                    ]
                    for n, row in enumerate(rows, start=1)
                ],
                caption=f"{activity.title}签到表（{_when(activity)}，{activity.place}）",
                footer_note=f"{_counts(rows)}\n{footer_note}",
                column_widths=[6, 14, 12, 18, 12, 20],
            )
        ]
    )
