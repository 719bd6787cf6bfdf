"""The agency's side of casework through its pages: the inbox (待办件) and each step on a case,
for the lead agency, a co-agency and an outsider agency."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from renda.accounts.models import AuditEntry
from renda.accounts.roles import Role
from renda.casework import inbox, services
from renda.casework.models import Case, CaseAssignment, CaseAttachment, CaseExtension, CaseNote, CaseSource, CaseState
from renda.core.locking import StaleEdit
from tests import factories

S = CaseState
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def zh(message) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def assigned_case(world, *, side="a", title="甲镇自来水管网改造建议", co=(), accept=False) -> Case:
    staff = world.staff_a if side == "a" else world.staff_b
    case = services.file_case(
        staff,
        township=getattr(world, f"township_{side}"),
        source=CaseSource.RECESS_SUGGESTION,
        title=title,
        content="老旧管网漏水严重，请安排改造。",
        signers=[getattr(world, f"mandate_{side}")],
    )
    case = services.accept(case, staff)
    case = services.assign(case, staff, lead=getattr(world, f"agency_{side}"), co=list(co))
    if accept:
        case = services.agency_accept(case, world.handler_x if side == "a" else world.handler_y)
    return case


def fresh(case: Case) -> Case:
    return Case.objects.unscoped().get(pk=case.pk)


@pytest.fixture
def co_handler(world):
    return factories.UserFactory(username="handler_co", role=Role.AGENCY_HANDLER, agency=world.county_agency)


def test_the_inbox_shows_the_own_agency_cases_and_never_another(client_for, world):
    mine = assigned_case(world, title="甲镇待签收")
    theirs = assigned_case(world, side="b", title="乙镇待签收")
    client = client_for(world.handler_x)
    page = client.get(reverse("casework:inbox")).content.decode()
    assert mine.title in page and mine.reference in page
    assert theirs.title not in page
    page_y = client_for(world.handler_y).get(reverse("casework:inbox")).content.decode()
    assert theirs.title in page_y and mine.title not in page_y


def test_an_outsider_agency_gets_404_on_every_page_of_the_case(client_for, world):
    case = assigned_case(world, accept=True)
    attachment = services.add_attachment(case, world.handler_x, upload=SimpleUploadedFile("照片.png", PNG))
    client = client_for(world.handler_y)
    for name in (
        "agency_case",
        "agency_accept",
        "agency_hand_back",
        "agency_note",
        "agency_co_view",
        "agency_extension",
        "agency_answer",
        "attachment_add",
        "rate",
    ):
        url = reverse(f"casework:{name}", args=[case.uuid])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"text": "x", "reason": "x"}).status_code == 404, name
    assert client.get(reverse("casework:attachment", args=[attachment.uuid])).status_code == 404
    assert fresh(case).state == S.IN_PROGRESS


def test_the_inbox_sorts_cases_into_sections_with_their_colours(client_for, world, co_handler):
    today = timezone.localdate()
    awaiting = assigned_case(world, title="待签收件")
    overdue = assigned_case(world, title="超期件", accept=True)
    near = assigned_case(world, title="临期件", accept=True)
    calm = assigned_case(world, title="办理中件", accept=True)
    Case.objects.unscoped().filter(pk=overdue.pk).update(answer_due_on=today - timedelta(days=1))
    Case.objects.unscoped().filter(pk=near.pk).update(answer_due_on=today + timedelta(days=3))
    Case.objects.unscoped().filter(pk=calm.pk).update(answer_due_on=today + timedelta(days=60))
    answered = assigned_case(world, title="已答复件", accept=True)
    services.answer(answered, world.handler_x, reply_class="A", done_items="已办", consultation="phone", signer="王")
    co_case = assigned_case(world, title="协办件", co=[world.county_agency])

    sections = {s.code: [c.case.title for c in s.cards] for s in inbox.inbox(world.handler_x, today)}
    # The case with a co-agency is led by agency A: it awaits A's acceptance.
    assert set(sections["awaiting"]) == {"待签收件", "协办件"}
    assert sections["overdue"] == ["超期件"]
    assert sections["due_soon"] == ["临期件"]
    assert sections["in_progress"] == ["办理中件"]
    assert sections["answered"] == ["已答复件"]
    assert sections["co"] == []
    assert inbox.inbox_counts(world.handler_x, today) == {
        "awaiting": 2,
        "overdue": 1,
        "due_soon": 1,
        "in_progress": 1,
        "answered": 1,
        "co": 0,
    }
    co_sections = {s.code: [c.case.title for c in s.cards] for s in inbox.inbox(co_handler, today)}
    assert co_sections["co"] == [co_case.title]
    assert sum(len(titles) for titles in co_sections.values()) == 1

    page = client_for(world.handler_x).get(reverse("casework:inbox")).content.decode()
    assert "text-bg-danger" in page and "text-bg-warning" in page and "text-bg-success" in page
    assert awaiting.title in page


def test_a_co_agency_sees_the_case_but_cannot_answer(client_for, world, co_handler):
    case = assigned_case(world, co=[world.county_agency], accept=True)
    client = client_for(co_handler)
    page = client.get(reverse("casework:agency_case", args=[case.uuid]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("casework:agency_co_view", args=[case.uuid]) in body
    assert reverse("casework:agency_answer", args=[case.uuid]) not in body
    answer_url = reverse("casework:agency_answer", args=[case.uuid])
    assert client.get(answer_url).status_code == 403
    assert client.post(answer_url, {"reply_class": "A", "signer": "x", "done_items": "x"}).status_code == 403
    assert client.post(reverse("casework:agency_accept", args=[case.uuid])).status_code == 403
    response = client.post(reverse("casework:agency_co_view", args=[case.uuid]), {"text": "同意主办单位方案"})
    assert response.status_code == 302
    view = CaseAssignment.objects.unscoped().get(case=case, agency=world.county_agency)
    assert view.view_text == "同意主办单位方案" and view.view_sent_at is not None
    assert fresh(case).state == S.IN_PROGRESS


def test_accepting_through_the_page_moves_the_case_and_a_stale_form_is_refused(client_for, world):
    case = assigned_case(world)
    client = client_for(world.handler_x)
    url = reverse("casework:agency_accept", args=[case.uuid])
    assert client.get(url).status_code == 200
    stale = client.post(url, {"version": case.version - 1})
    assert stale.status_code == 200
    assert zh(StaleEdit.message) in stale.content.decode()
    assert fresh(case).state == S.ASSIGNED
    response = client.post(url, {"version": case.version, "next": reverse("casework:inbox")})
    assert response.status_code == 302 and response.url == reverse("casework:inbox")
    assert fresh(case).state == S.IN_PROGRESS
    again = client.post(url, {"version": fresh(case).version})
    assert again.status_code == 200 and "alert-danger" in again.content.decode()


def test_an_unsafe_next_address_is_not_followed(client_for, world):
    case = assigned_case(world)
    response = client_for(world.handler_x).post(
        reverse("casework:agency_accept", args=[case.uuid]), {"version": case.version, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == reverse("casework:agency_case", args=[case.uuid])


def test_handing_back_within_the_window_returns_the_case(client_for, world):
    case = assigned_case(world)
    client = client_for(world.handler_x)
    url = reverse("casework:agency_hand_back", args=[case.uuid])
    empty = client.post(url, {"version": case.version, "reason": " "})
    assert empty.status_code == 200 and fresh(case).state == S.ASSIGNED
    response = client.post(url, {"version": case.version, "reason": "属于水务公司职责"})
    assert response.status_code == 302 and response.url == reverse("casework:inbox")
    assert fresh(case).state == S.RETURNED
    assert client.get(reverse("casework:agency_case", args=[case.uuid])).status_code == 404


def test_handing_back_after_the_window_is_refused_with_the_reason_kept(client_for, world):
    case = assigned_case(world, accept=True)
    last_day = timezone.localdate() - timedelta(days=1)
    CaseAssignment.objects.unscoped().filter(case=case).update(hand_back_until=last_day)
    response = client_for(world.handler_x).post(
        reverse("casework:agency_hand_back", args=[case.uuid]),
        {"version": fresh(case).version, "reason": "不属于本单位职责范围"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert last_day.isoformat() in body
    assert "不属于本单位职责范围" in body
    assert fresh(case).state == S.IN_PROGRESS


def test_a_progress_note_through_the_page(client_for, world):
    case = assigned_case(world, accept=True)
    client = client_for(world.handler_x)
    url = reverse("casework:agency_note", args=[case.uuid])
    assert client.post(url, {"text": "   "}).status_code == 200
    assert not CaseNote.objects.unscoped().filter(case=case).exists()
    assert client.post(url, {"text": "已完成现场勘查"}).status_code == 302
    assert CaseNote.objects.unscoped().get(case=case).text == "已完成现场勘查"
    assert "已完成现场勘查" in client.get(reverse("casework:agency_case", args=[case.uuid])).content.decode()


def test_an_extension_past_the_cap_is_refused_and_the_cap_shown(client_for, world):
    case = assigned_case(world, accept=True)
    client = client_for(world.handler_x)
    url = reverse("casework:agency_extension", args=[case.uuid])
    page = client.get(url).content.decode()
    from renda.casework import deadlines

    cap = deadlines.answer_cap(case.assigned_on)
    assert cap.strftime("%Y-%m-%d") in page
    too_far = client.post(url, {"until": (cap + timedelta(days=1)).isoformat(), "reason": "需要招标采购"})
    assert too_far.status_code == 200
    body = too_far.content.decode()
    assert "需要招标采购" in body and cap.isoformat() in body
    assert not CaseExtension.objects.unscoped().filter(case=case).exists()
    ok = client.post(url, {"until": cap.isoformat(), "reason": "需要招标采购"})
    assert ok.status_code == 302
    assert CaseExtension.objects.unscoped().get(case=case).until == cap


def test_answering_through_the_page_and_bad_input_keeps_what_was_typed(client_for, world):
    case = assigned_case(world, accept=True)
    client = client_for(world.handler_x)
    url = reverse("casework:agency_answer", args=[case.uuid])
    page = client.get(url).content.decode()
    assert "A类" in page and 'name="consultation"' in page
    bad = client.post(
        url, {"version": fresh(case).version, "public_text": "管网改造已列入计划", "planned_items": "明年改造"}
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "管网改造已列入计划" in body and "明年改造" in body
    assert body.count("invalid-feedback") >= 3  # reply class, consultation, signer, planned date
    assert fresh(case).state == S.IN_PROGRESS
    response = client.post(
        url,
        {
            "version": fresh(case).version,
            "reply_class": "B",
            "done_items": "已更换部分管道",
            "planned_items": "明年完成全部改造",
            "planned_by": "2027-06-30",
            "not_adopted_reasons": "",
            "consultation": "visit",
            "public_text": "管网改造已列入计划",
            "signer": "李局长",
            "contact_name": "张三",
            "contact_phone": "0731-1234567",
            "document_number": "水复〔2026〕12号",
        },
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.state == S.ANSWERED
    reply = case.replies.get()
    assert (reply.reply_class, reply.consultation, reply.signer) == ("B", "visit", "李局长")
    assert reply.planned_by.isoformat() == "2027-06-30" and reply.document_number == "水复〔2026〕12号"


def test_attachments_are_checked_served_through_the_scope_and_audited(client_for, world, settings):
    settings.RENDA_CASE_ATTACHMENT_MAX_MB = 1
    case = assigned_case(world, accept=True)
    client = client_for(world.handler_x)
    url = reverse("casework:attachment_add", args=[case.uuid])
    wrong = client.post(url, {"file": SimpleUploadedFile("程序.exe", b"MZ" + b"\x00" * 10)})
    assert wrong.status_code == 200
    assert zh("Only these file types are accepted: %(types)s.").split("：")[0] in wrong.content.decode()
    big = client.post(url, {"file": SimpleUploadedFile("大图.png", PNG + b"\x00" * (1024 * 1024))})
    assert big.status_code == 200 and "1 MB" in big.content.decode()
    assert not CaseAttachment.objects.unscoped().filter(case=case).exists()

    detail = reverse("casework:agency_case", args=[case.uuid])
    good = client.post(url, {"file": SimpleUploadedFile("现场照片.png", PNG), "next": detail})
    assert good.status_code == 302 and good.url == detail
    attachment = CaseAttachment.objects.unscoped().get(case=case)
    assert "现场照片.png" in client.get(detail).content.decode()
    download = client.get(reverse("casework:attachment", args=[attachment.uuid]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PNG
    assert AuditEntry.objects.filter(event="export.casework.attachment", actor=world.handler_x).count() == 1
    assert not attachment.file.url.startswith("/media/") or client.get(attachment.file.url).status_code == 404


def test_the_inbox_costs_a_bounded_number_of_queries(client_for, world, django_assert_max_num_queries):
    client = client_for(world.handler_x)
    assigned_case(world, title="首件")
    client.get(reverse("casework:inbox"))
    for number in range(30):
        case = assigned_case(world, title=f"第{number}件", co=[world.county_agency] if number % 3 else [])
        if number % 2:
            services.agency_accept(case, world.handler_x)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("casework:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count("card-body") >= 31


def test_the_home_card_and_menu_of_a_handler(client_for, world):
    assigned_case(world)
    page = client_for(world.handler_x).get(reverse("home")).content.decode()
    assert reverse("casework:inbox") in page
    assert "Cases assigned to your agency will be listed here" not in page
    assert inbox.home_agency(world.handler_x)["counts"]["awaiting"] == 1
    assert reverse("casework:inbox") not in client_for(world.staff_a).get(reverse("home")).content.decode()
    assert client_for(world.staff_a).get(reverse("casework:inbox")).status_code == 403


def _render(template: str, case: Case, user, rf) -> str:
    from django.template.loader import render_to_string

    request = rf.get("/cases/detail/")
    request.user = user
    return render_to_string(template, {"case": case, "request": request})


def test_the_detail_partials_offer_each_agency_its_own_steps(rf, world, co_handler):
    case = assigned_case(world, co=[world.county_agency])
    lead_html = _render("casework/_actions_agency.html", case, world.handler_x, rf)
    assert reverse("casework:agency_accept", args=[case.uuid]) in lead_html
    assert f'name="version" value="{case.version}"' in lead_html
    assert reverse("casework:agency_hand_back", args=[case.uuid]) in lead_html
    assert reverse("casework:agency_answer", args=[case.uuid]) in lead_html  # answering accepts too
    co_html = _render("casework/_actions_agency.html", case, co_handler, rf)
    assert reverse("casework:agency_co_view", args=[case.uuid]) in co_html
    assert reverse("casework:agency_answer", args=[case.uuid]) not in co_html
    assert reverse("casework:agency_accept", args=[case.uuid]) not in co_html
    assert _render("casework/_actions_agency.html", case, world.deputy_a, rf).strip() == ""

    services.add_attachment(case, world.handler_x, upload=SimpleUploadedFile("函件.pdf", b"%PDF-1.4\n%%EOF"))
    files_html = _render("casework/_attachments.html", case, world.staff_a, rf)
    attachment = CaseAttachment.objects.unscoped().get(case=case)
    assert reverse("casework:attachment", args=[attachment.uuid]) in files_html
    assert "函件.pdf" in files_html and 'enctype="multipart/form-data"' in files_html
    assert "/media/" not in files_html


def test_the_handler_case_page_costs_a_bounded_number_of_queries(client_for, world, django_assert_max_num_queries):
    case = assigned_case(world, co=[world.county_agency], accept=True)
    for number in range(5):
        services.add_note(case, world.handler_x, text=f"进展{number}")
        services.add_attachment(case, world.handler_x, upload=SimpleUploadedFile(f"图{number}.png", PNG))
    client = client_for(world.handler_x)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("casework:agency_case", args=[case.uuid]))
    assert response.status_code == 200 and "进展4" in response.content.decode()
