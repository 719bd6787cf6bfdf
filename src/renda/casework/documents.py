"""The casework's documents: Word files in the official layout (``renda.documents.word``) and the
case list in Excel.

- 交办单 (assignment notice) from the office that assigned the case to its agencies;
- 督办函 (reminder letter), numbered (发文字号) and tied to the ``CaseReminder`` it is sent with;
- 答复函 (reply letter) from the lead agency to each signing deputy — of the case and of the cases
  merged into it — with the 回执 (receipt: the deputy's rating of handling and result) at its end;
- 意见表 (citizen's opinion form), blank for a reception day, or filled from a case for the file.

The documents' wording is the official Chinese text of these forms, written here as it is printed
(as the Excel headers of the roster are); what the interface says goes through gettext.

Personal data: of the Word files, a citizen's name is printed only on the filled opinion form,
which stays in the office (its download needs the export role); a citizen's phone is printed masked
everywhere, and on the opinion form in full only through the audited unmasked export. The Excel
case list (export role too) masks name and phone (钱**, 138****5678) unless it is the audited
unmasked export.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.roles import has_role
from renda.core.pii import mask_phone
from renda.documents import excel
from renda.documents.dates import format_chinese_date
from renda.documents.word import Section, Table, format_document_number, official_document
from renda.organisations.models import Township, TownshipKind

from . import deadlines
from . import services as case_services
from .models import (
    COUNTY_EDITORS,
    Case,
    CaseReminder,
    CaseReply,
    CaseSigner,
    CaseSource,
    CaseState,
    Consultation,
)
from .workflow import Step

if TYPE_CHECKING:
    from renda.accounts.models import User
    from renda.deputies.models import Mandate
    from renda.organisations.models import County

SOURCE_WORDS: dict[str, str] = {
    CaseSource.SESSION_SUGGESTION: "大会期间代表建议",
    CaseSource.RECESS_SUGGESTION: "闭会期间代表建议",
    CaseSource.CITIZEN_OPINION: "群众意见",
    CaseSource.ACTIVITY_FINDING: "活动发现问题",
}
CONSULTATION_WORDS: dict[str, str] = {
    Consultation.MEETING: "当面沟通",
    Consultation.VISIT: "走访",
    Consultation.PHONE: "电话沟通",
    Consultation.NONE: "未面商",
}
RATING_CHOICES = "□满意　　□基本满意　　□不满意"
ANONYMOUS = "匿名"


# ---------------------------------------------------------------- offices and numbers


def township_office(township: Township) -> str:
    """The township congress's office: 乡镇人大主席团, or the 人大工委 of a subdistrict."""
    suffix = "人大工委" if township.kind == TownshipKind.SUBDISTRICT else "人大主席团"
    return f"{township.name}{suffix}"


def county_office(county: County) -> str:
    return f"{county.name}人大常委会办公室"


def _short(name: str) -> str:
    """The place's name as document numbers abbreviate it: the name without its 县/区/市/镇/乡."""
    trimmed = re.sub(r"(自治县|县|区|市|镇|乡|街道)$", "", name)
    return trimmed or name


def assigning_office(case: Case) -> str:
    """Who assigned the case: the county office when a county administrator did, else the township's."""
    event = case.events.filter(transition=Step.ASSIGN).select_related("actor").order_by("-at", "-id").first()
    if event is not None and event.actor is not None and has_role(event.actor, COUNTY_EDITORS):
        return county_office(case.county)
    return township_office(case.township)


def reminder_prefix(case: Case) -> str:
    return f"{_short(case.township.name)}人大督"


def _next_sequence(prefix: str, year: int, numbers: Iterable[str]) -> int:
    pattern = re.compile(rf"^{re.escape(prefix)}〔{year}〕(\d+)号$")
    found = [int(match.group(1)) for number in numbers if (match := pattern.match(number or ""))]
    return max(found, default=0) + 1


@transaction.atomic
def issue_reminder_letter(case: Case, actor: User) -> CaseReminder:
    """督办函: a reminder (``services.remind``) with the next document number of the township's
    reminder letters for the year. When a reminder was sent too recently for another (the nightly
    sweep's, say), the letter goes with that one if it has none yet. Only for cases near or past
    their deadline. Raises PermissionDenied, ValidationError (Chinese message), IllegalTransition."""
    due = deadlines.due_of(case, timezone.localdate())
    if due is None or due.urgency == deadlines.Urgency.GREEN:
        raise ValidationError(_("A reminder letter is for cases near or past their deadline."))
    try:
        reminder = case_services.remind(case, actor)
    except ValidationError:
        latest = case.reminders.order_by("-sent_at", "-id").first()
        allowed_after = case_services.reminder_allowed_after(case)
        if latest is None or latest.document_number or allowed_after is None or timezone.now() >= allowed_after:
            raise
        reminder = latest
    # One township's letters are numbered in turn: lock its row while the next number is taken.
    Township.objects.unscoped().select_for_update().filter(pk=case.township_id).first()
    year = timezone.localdate().year
    prefix = reminder_prefix(case)
    numbers = CaseReminder.objects.unscoped().filter(
        case__township_id=case.township_id, document_number__startswith=f"{prefix}〔{year}〕"
    )
    sequence = _next_sequence(prefix, year, numbers.values_list("document_number", flat=True))
    reminder.document_number = format_document_number(prefix=prefix, year=year, sequence=sequence)
    reminder.save(update_fields=["document_number"])
    audit.record(
        "casework.reminder_letter.issue",
        actor=actor,
        target=case,
        data={"document": reminder.document_number, "agency": str(reminder.agency)},
    )
    return reminder


def reminder_by_number(case: Case, year: int, sequence: int) -> CaseReminder | None:
    """The case's reminder sent with the letter numbered ``sequence`` of ``year``."""
    if sequence < 1:
        return None
    number = format_document_number(prefix=reminder_prefix(case), year=year, sequence=sequence)
    return case.reminders.select_related("agency").filter(document_number=number).first()


def reminder_number_parts(reminder: CaseReminder) -> tuple[int, int] | None:
    match = re.search(r"〔(\d{4})〕(\d+)号$", reminder.document_number or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


# ---------------------------------------------------------------- pieces


def _date(day: dt.date | None) -> str:
    return format_chinese_date(day) if day else "—"


def signer_names(case: Case) -> list[str]:
    return [signer.mandate.person.full_name for signer in case.signers.all()]


def _raised_by(case: Case) -> str:
    """Who raised the matter, as documents leaving the office may name them: the deputies; a
    citizen only as 群众 (their name stays in the office's opinion form)."""
    names = signer_names(case)
    if names:
        return "、".join(names) + "代表"
    if case.is_citizen_opinion:
        return "群众"
    return "—"


def _assignments(case: Case) -> tuple[Any, list[Any]]:
    live = [a for a in case.assignments.all() if a.handed_back_at is None]
    lead = next((a for a in live if a.is_lead), None)
    return lead, [a for a in live if not a.is_lead]


def _case_table(case: Case, rows: Sequence[tuple[str, str]]) -> Table:
    return Table(headers=["项目", "内容"], rows=[[label, value] for label, value in rows], widths_mm=[36, 120])


# ---------------------------------------------------------------- 交办单


def assignment_notice(case: Case, *, footer_note: str) -> bytes:
    """交办单: the case, its agencies and its deadlines, from the office that assigned it."""
    lead, co = _assignments(case)
    office = assigning_office(case)
    kind = "群众意见" if case.is_citizen_opinion else "人大代表建议"
    rows = [
        ("编号", case.reference),
        ("来源", SOURCE_WORDS.get(case.source, case.source)),
        ("提出人", _raised_by(case)),
        ("所属乡镇", case.township.name),
        ("类别", case.category.name if case.category else "—"),
        ("标题", case.title),
        ("主要内容", case.content),
        ("主办单位", lead.agency.name if lead else "—"),
        ("协办单位", "、".join(a.agency.name for a in co) or "无"),
        ("交办日期", _date(case.assigned_on)),
        ("答复期限", _date(case.answer_due_on)),
        ("申请改交期限", _date(lead.hand_back_until if lead else None)),
    ]
    if co:
        rows.append(("协办意见报送期限", _date(co[0].view_due_on)))
    if case.is_citizen_opinion and case.citizen_phone:
        rows.append(("反映人联系电话", f"{mask_phone(case.citizen_phone)}（完整号码请在平台内查看）"))
    if case.is_key:
        rows.append(("重点督办", f"是（跟踪领导：{case.key_leader}）"))
    paragraphs = [
        f"现将{kind}“{case.title}”交由你单位办理。请于{_date(case.answer_due_on)}前书面答复提出人，"
        "答复前应与提出人沟通联系；如认为不属于本单位职责，请于申请改交期限内说明理由申请改交。"
    ]
    if co:
        paragraphs.append("协办单位应在协办意见报送期限内将协办意见送主办单位。")
    return official_document(
        title=f"{kind}交办单",
        subtitle=f"（{case.reference}）",
        sections=[Section(paragraphs=paragraphs, table=_case_table(case, rows))],
        main_recipients=[lead.agency.name] if lead else [],
        copy_recipients=[a.agency.name for a in co],
        issuer=office,
        issued_on=case.assigned_on,
        printed_by=office,
        printed_on=case.assigned_on,
        footer_note=footer_note,
    )


# ---------------------------------------------------------------- 督办函


def reminder_letter(reminder: CaseReminder, *, footer_note: str) -> bytes:
    case = reminder.case
    office = township_office(case.township)
    sent_on = timezone.localtime(reminder.sent_at).date()
    due = case.answer_due_on
    late = due is not None and sent_on > due
    when = f"已超过答复期限（{_date(due)}）" if late else f"答复期限为{_date(due)}，即将到期"
    rows = [
        ("编号", case.reference),
        ("标题", case.title),
        ("提出人", _raised_by(case)),
        ("交办日期", _date(case.assigned_on)),
        ("答复期限", _date(due)),
        ("承办单位", reminder.agency.name),
    ]
    return official_document(
        title=f"关于督促办理“{case.title}”的函",
        issuing_authority=office,
        document_number=reminder.document_number,
        main_recipients=[reminder.agency.name],
        sections=[
            Section(
                paragraphs=[
                    f"{_date(case.assigned_on)}交由你单位办理的第{case.reference}号“{case.title}”，{when}，"
                    "至今尚未答复。请你单位高度重视，抓紧办理，尽快与提出人沟通并书面答复；"
                    "确有困难需延期的，请按规定申请延期。",
                    "特此函告。",
                ],
                table=_case_table(case, rows),
            )
        ],
        issuer=office,
        issued_on=sent_on,
        printed_by=office,
        printed_on=sent_on,
        footer_note=footer_note,
    )


# ---------------------------------------------------------------- 答复函 and 回执


def latest_reply(case: Case) -> CaseReply | None:
    """The newest answer to ``case``: the answer of the case it was merged into, if it was."""
    main = case_services.main_case(case)
    return main.replies.select_related("agency").order_by("-round").first()


def signer_mandate(case: Case, mandate_uuid) -> Mandate | None:
    """The mandate of the signer of ``case`` named by ``mandate_uuid`` (None if none signed it). The
    case was read within the user's scope, so its signers are not scoped again."""
    signer = (
        CaseSigner.objects.unscoped().select_related("mandate__person").filter(case=case, mandate__uuid=mandate_uuid)
    ).first()
    return signer.mandate if signer is not None else None


def reply_recipients(case: Case) -> list[tuple[Case, Mandate | None]]:
    """Everyone the answer to ``case`` goes to: each signer of the case and of the cases merged into
    it, and (as None) the citizen of each citizen's opinion among them."""
    recipients: list[tuple[Case, Mandate | None]] = []
    for member in case_services.cases_answered_by(case_services.main_case(case)):
        for signer in member.signers.select_related("mandate__person"):
            recipients.append((member, signer.mandate))
        if member.source == CaseSource.CITIZEN_OPINION:
            recipients.append((member, None))
    return recipients


def reply_letter(case: Case, reply: CaseReply, *, mandate: Mandate | None, footer_note: str) -> bytes:
    """答复函 to one signer (``mandate``) or to the citizen (None) of ``case`` — which may be a case
    merged into the one answered — with the 回执 at its end."""
    addressee = f"{mandate.person.full_name}代表" if mandate is not None else "反映人"
    verb = "提出" if mandate is not None else "反映"
    answered_on = timezone.localtime(reply.answered_at).date()
    reply_class = settings.RENDA_CASE_REPLY_CLASSES.get(reply.reply_class, reply.reply_class)
    merged_note = []
    if case.merged_into_id:
        merged_note = [
            f"你{verb}的第{case.reference}号“{case.title}”与第{reply.case.reference}号并案办理，现一并答复如下。"
        ]
    paragraphs = [
        *merged_note,
        f"你{verb}的第{reply.case.reference}号“{reply.case.title}”收悉。"
        + ("经研究，现答复如下。" if not merged_note else ""),
    ]
    sections = [Section(paragraphs=paragraphs)]
    if reply.done_items:
        sections.append(Section(heading="已落实事项", paragraphs=[reply.done_items]))
    if reply.planned_items:
        sections.append(
            Section(
                heading="计划落实事项",
                paragraphs=[reply.planned_items, f"计划于{_date(reply.planned_by)}前落实。"],
            )
        )
    if reply.not_adopted_reasons:
        sections.append(Section(heading="未能采纳的事项及理由", paragraphs=[reply.not_adopted_reasons]))
    contact = "、".join(part for part in (reply.contact_name, reply.contact_phone) if part)
    closing = [
        f"答复类别：{reply_class}。沟通方式：{CONSULTATION_WORDS.get(reply.consultation, reply.consultation)}。",
        f"签发人：{reply.signer}。" + (f"联系人及电话：{contact}。" if contact else ""),
        "感谢对我单位工作的关心和支持。请填写所附回执，对办理工作和办理结果分别作出评价。",
    ]
    sections.append(Section(paragraphs=closing))
    sections.append(receipt_section(case, reply, addressee=addressee))
    subtitle = f"（第{reply.round}次重新办理）" if reply.round else ""
    return official_document(
        title=f"关于第{reply.case.reference}号“{reply.case.title}”的答复",
        subtitle=subtitle,
        issuing_authority=reply.agency.name,
        document_number=reply.document_number,
        main_recipients=[addressee],
        sections=sections,
        issuer=reply.agency.name,
        issued_on=answered_on,
        copy_recipients=[township_office(case.township)],
        printed_by=reply.agency.name,
        printed_on=answered_on,
        footer_note=footer_note,
    )


def receipt_section(case: Case, reply: CaseReply, *, addressee: str) -> Section:
    """回执: what the rater sends back; the platform records it as the rating (满意度测评)."""
    return Section(
        heading="回执",
        paragraphs=[
            f"请于{_date(case_services.main_case(case).rating_due_on)}前填写后交回。未按时交回的，视为未表态。"
        ],
        table=Table(
            headers=["项目", "内容"],
            rows=[
                ["编号", case.reference],
                ["标题", case.title],
                ["答复单位", reply.agency.name],
                ["评价人", addressee],
                ["对办理工作的评价", RATING_CHOICES],
                ["对办理结果的评价", RATING_CHOICES],
                ["意见和建议", ""],
                ["签名", ""],
                ["日期", "　　年　　月　　日"],
            ],
            widths_mm=[40, 116],
        ),
    )


# ---------------------------------------------------------------- 意见表


def opinion_form(*, township: Township | None, case: Case | None, masked: bool = True, footer_note: str = "") -> bytes:
    """群众意见表: blank (for a reception day) or filled from a citizen's opinion. The citizen's
    phone is masked unless ``masked`` is False (the audited unmasked export)."""
    place = township or (case.township if case else None)
    office = township_office(place) if place else ""
    if case is None:
        values: dict[str, str] = {}
    else:
        phone = case.citizen_phone or ""
        values = {
            "编号": case.reference,
            "收到日期": _date(case.received_on),
            "接待地点": case.station.name if case.station else "",
            "接待代表": "、".join(signer_names(case)),
            "反映人": case.citizen_name or ANONYMOUS,
            "联系电话": phone if not masked else mask_phone(phone),
            "类别": case.category.name if case.category else "",
            "标题": case.title,
            "意见内容": case.content,
            "办理情况": _opinion_progress(case),
        }
    labels = ["编号", "收到日期", "接待地点", "接待代表", "反映人", "联系电话", "类别", "标题", "意见内容", "办理情况"]
    table = Table(
        headers=["项目", "内容"], rows=[[label, values.get(label, "")] for label in labels], widths_mm=[36, 120]
    )
    notes = [
        "反映人可以不留姓名；留下的联系电话只用于回访，不对外公开。",
        "本表由接待代表或工作人员填写，由乡镇人大整理后交有关单位办理并反馈。",
    ]
    return official_document(
        title="群众意见表",
        subtitle=f"（{place.name}）" if place else "",
        sections=[Section(table=table), Section(paragraphs=notes)],
        issuer=office,
        footer_note=footer_note,
    )


def _opinion_progress(case: Case) -> str:
    reply = latest_reply(case)
    if reply is None:
        return str(CaseState(case.state).label)
    return reply.public_text or reply.done_items or reply.planned_items or reply.not_adopted_reasons


# ---------------------------------------------------------------- the case list in Excel

CASE_LIST_HEADERS = [
    "序号",
    "编号",
    "来源",
    "乡镇（街道）",
    "类别",
    "标题",
    "提出人",
    "反映人",
    "联系电话",
    "收到日期",
    "状态",
    "主办单位",
    "协办单位",
    "交办日期",
    "答复期限",
    "答复日期",
    "答复类别",
    "重新办理次数",
    "重点督办",
    "多年重复",
]


def mask_name(name: str) -> str:
    """张三丰 → 张**: the family name only."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def case_list_rows(cases: Iterable[Case], *, masked: bool) -> list[list[object]]:
    """One row per case; expects signers, assignments and replies prefetched (``filters.export_queryset``)."""
    rows: list[list[object]] = []
    for case in cases:
        lead, co = _assignments(case)
        replies = sorted(case.replies.all(), key=lambda reply: reply.round)
        last = replies[-1] if replies else None
        citizen = case.citizen_name if case.is_citizen_opinion else ""
        rows.append(
            [
                len(rows) + 1,
                case.reference,
                SOURCE_WORDS.get(case.source, case.source),
                case.township.name,
                case.category.name if case.category else "",
                case.title,
                "、".join(signer_names(case)),
                (mask_name(citizen) if masked else citizen) if case.is_citizen_opinion else "",
                (mask_phone(case.citizen_phone) if masked else case.citizen_phone) if case.citizen_phone else "",
                case.received_on,
                str(CaseState(case.state).label),
                lead.agency.name if lead else "",
                "、".join(a.agency.name for a in co),
                case.assigned_on,
                case.answer_due_on,
                timezone.localtime(last.answered_at).date() if last else None,
                last.reply_class if last else "",
                case.rehandle_count,
                "是" if case.is_key else "否",
                "是" if case.is_repeated else "否",
            ]
        )
    return rows


def case_list_workbook(*, rows: list[list[object]], caption: str, footer_note: str) -> bytes:
    return excel.workbook(
        sheets=[
            excel.Sheet(
                title="建议和意见", headers=CASE_LIST_HEADERS, rows=rows, caption=caption, footer_note=footer_note
            )
        ]
    )
