"""The case's Word documents: each opens with python-docx and says what it must; the reply letter
goes to each signer, of merged cases too; the reminder letter's number is stored on its reminder;
outsiders get 404; a citizen's phone leaves the office masked."""

import io
from datetime import timedelta

import docx
import pytest
from django.contrib.messages import get_messages
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.casework import documents
from renda.casework import services as cases
from renda.casework.models import CaseReminder, CaseSource
from tests import factories


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for line in table.rows for cell in line.cells]
    return "\n".join(parts)


def assigned_case(world, *, source=CaseSource.RECESS_SUGGESTION, signers=None, co=(), **extra):
    case = cases.file_case(
        world.staff_a,
        township=world.township_a,
        source=source,
        title="村道硬化建议",
        content="甲村至乙村道路泥泞，建议硬化。",
        signers=signers if signers is not None else [world.mandate_a],
        **extra,
    )
    case = cases.accept(case, world.staff_a)
    return cases.assign(case, world.staff_a, lead=world.agency_a, co=list(co))


def answered(world, case):
    case = cases.agency_accept(case, world.handler_x)
    cases.answer(
        case,
        world.handler_x,
        reply_class="A",
        done_items="已完成道路硬化二公里",
        consultation="meeting",
        signer="李局长",
        contact_name="王干事",
        contact_phone="0571-1234567",
        document_number="甲农复〔2026〕3号",
    )
    case.refresh_from_db()
    return case


def download(client, user, name, **kwargs):
    client.force_login(user)
    response = client.get(reverse(f"casework:{name}", kwargs=kwargs))
    assert response.status_code == 200, response.status_code
    assert "wordprocessingml" in response["Content-Type"]
    return text_of(response.content)


@pytest.mark.django_db
def test_assignment_notice_names_case_agencies_and_deadline(client, world):
    co_agency = factories.AgencyFactory(township=world.township_a, name="甲镇城建办")
    case = assigned_case(world, co=[co_agency])
    text = download(client, world.staff_a, "document_assignment_notice", uuid=case.uuid)
    for expected in (case.reference, case.title, world.agency_a.name, co_agency.name, "交办单", "甲镇人大主席团"):
        assert expected in text
    assert world.mandate_a.person.full_name in text
    # The lead agency's handler downloads it too; the download is audited.
    download(client, world.handler_x, "document_assignment_notice", uuid=case.uuid)
    assert AuditEntry.objects.filter(event="export.casework.assignment_notice").count() == 2


@pytest.mark.django_db
def test_citizen_opinion_documents_never_print_the_phone_or_name_outside_the_office(client, world):
    case = assigned_case(
        world,
        source=CaseSource.CITIZEN_OPINION,
        signers=[],
        citizen_name="赵小民",
        citizen_phone="13912345678",
    )
    notice = download(client, world.handler_x, "document_assignment_notice", uuid=case.uuid)
    assert "13912345678" not in notice and "139****5678" in notice
    assert "赵小民" not in notice
    case = answered(world, case)
    letter = download(client, world.staff_a, "document_reply_citizen", uuid=case.uuid)
    assert "赵小民" not in letter and "13912345678" not in letter
    # The opinion form is the office's: it names the citizen, the phone masked by default.
    form = download(client, world.staff_a, "document_opinion_form", uuid=case.uuid)
    assert "赵小民" in form and "139****5678" in form and "13912345678" not in form
    # The agency may not download it.
    client.force_login(world.handler_x)
    assert client.get(reverse("casework:document_opinion_form", kwargs={"uuid": case.uuid})).status_code == 403


@pytest.mark.django_db
def test_blank_opinion_form(client, world):
    text = download(client, world.staff_a, "blank_opinion_form")
    assert "群众意见表" in text and "反映人" in text


@pytest.mark.django_db
def test_reply_letter_for_each_signer_of_merged_cases_with_receipt(client, world):
    second = factories.MandateFactory(person__township=world.township_a, person__full_name="孙二")
    third = factories.MandateFactory(person__township=world.township_a, person__full_name="周三")
    merged = cases.file_case(
        world.staff_a,
        township=world.township_a,
        source=CaseSource.RECESS_SUGGESTION,
        title="道路硬化（重复）",
        content="同一事项。",
        signers=[third],
    )
    main = assigned_case(world, signers=[world.mandate_a, second])
    cases.merge(merged, world.staff_a, into=main)
    main = answered(world, main)
    recipients = documents.reply_recipients(main)
    assert {mandate.pk for _case, mandate in recipients} == {world.mandate_a.pk, second.pk, third.pk}
    for mandate, on_case in ((world.mandate_a, main), (second, main), (third, merged)):
        text = download(client, world.staff_a, "document_reply_letter", uuid=on_case.uuid, mandate=mandate.uuid)
        assert f"{mandate.person.full_name}代表" in text
        assert main.reference in text and main.title in text and world.agency_a.name in text
        assert "回执" in text and "基本满意" in text and "已完成道路硬化二公里" in text
    # The merged case's letter says it was handled with the main case.
    assert merged.reference in text and "并案" in text
    # A deputy who did not sign: 404.
    client.force_login(world.staff_a)
    url = reverse("casework:document_reply_letter", kwargs={"uuid": main.uuid, "mandate": third.uuid})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_reminder_letter_is_numbered_and_stored_on_the_reminder(client, world):
    case = assigned_case(world)
    # Near its deadline: the letter may be issued.
    case.answer_due_on = timezone.localdate() + timedelta(days=3)
    case.save(update_fields=["answer_due_on"])
    client.force_login(world.staff_a)
    response = client.post(reverse("casework:reminder_letter_issue", kwargs={"uuid": case.uuid}))
    assert response.status_code == 302
    reminder = CaseReminder.objects.unscoped().get(case=case)
    year = timezone.localdate().year
    assert reminder.document_number == f"甲人大督〔{year}〕1号"
    assert AuditEntry.objects.filter(event="casework.reminder_letter.issue").exists()
    text = download(client, world.handler_x, "document_reminder_letter", uuid=case.uuid, year=year, sequence=1)
    assert reminder.document_number in text and case.reference in text and world.agency_a.name in text
    # A second letter within the reminder interval is refused with a message, and numbers nothing.
    client.force_login(world.staff_a)
    response = client.post(reverse("casework:reminder_letter_issue", kwargs={"uuid": case.uuid}))
    assert response.status_code == 302
    assert [message.level_tag for message in get_messages(response.wsgi_request)][-1] == "error"
    assert CaseReminder.objects.unscoped().filter(case=case).count() == 1
    assert CaseReminder.objects.unscoped().exclude(document_number="").count() == 1


@pytest.mark.django_db
def test_reminder_letter_refused_for_a_case_on_time(world):
    from django.core.exceptions import ValidationError

    case = assigned_case(world)
    with pytest.raises(ValidationError):
        documents.issue_reminder_letter(case, world.staff_a)
    assert not CaseReminder.objects.unscoped().filter(case=case).exists()


@pytest.mark.django_db
def test_reminder_letter_numbers_count_up_per_township(world):
    first, second = assigned_case(world), assigned_case(world)
    for case in (first, second):
        case.answer_due_on = timezone.localdate() - timedelta(days=1)
        case.save(update_fields=["answer_due_on"])
    one = documents.issue_reminder_letter(first, world.staff_a)
    two = documents.issue_reminder_letter(second, world.staff_a)
    assert one.document_number.endswith("〕1号") and two.document_number.endswith("〕2号")


@pytest.mark.django_db
def test_outsiders_get_404(client, world):
    case = answered(world, assigned_case(world))
    urls = [
        reverse("casework:document_assignment_notice", kwargs={"uuid": case.uuid}),
        reverse("casework:document_reply_letter", kwargs={"uuid": case.uuid, "mandate": world.mandate_a.uuid}),
        reverse("casework:document_opinion_form", kwargs={"uuid": case.uuid}),
    ]
    for user in (world.staff_b, world.handler_y, world.deputy_b, world.other_county_admin):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)


@pytest.mark.django_db
def test_documents_partial_offers_the_links_each_user_may_follow(world):
    case = answered(world, assigned_case(world))
    template = engines["django"].from_string('{% include "casework/_documents.html" %}')

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return template.render({"case": case, "request": request}, request)

    staff = render(world.staff_a)
    assert reverse("casework:document_assignment_notice", kwargs={"uuid": case.uuid}) in staff
    assert str(world.mandate_a.uuid) in staff
    handler = render(world.handler_x)
    assert reverse("casework:document_assignment_notice", kwargs={"uuid": case.uuid}) in handler
    assert reverse("casework:document_opinion_form", kwargs={"uuid": case.uuid}) not in handler
    # The signing deputy gets the answer in the platform: no documents are offered to them.
    deputy = render(world.deputy_a)
    assert "case-documents-title" in staff and "case-documents-title" not in deputy
    assert reverse("casework:document_assignment_notice", kwargs={"uuid": case.uuid}) not in deputy
