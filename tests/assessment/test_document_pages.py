"""The year documents' pages: the county's guidance is read in every township, a township's plan and
summary there and by the county only; the list filters by year, kind and township; adding keeps
what was typed when refused (a wrong file in Chinese); downloads are audited; deputies and agency
handlers have no part in them and the neighbouring county sees nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.assessment import services
from renda.assessment.models import YearDocument

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def _on_a_fixed_day(time_machine, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to(datetime(2026, 11, 2, 10, 0, tzinfo=TZ), tick=True)


@pytest.fixture
def documents(world):
    guidance = services.add_document(
        world.county,
        world.county_admin,
        township=None,
        year=2026,
        kind="guidance",
        title="关于做好2026年度乡镇人大工作的指导意见",
        text="一、坚持党的领导。\n二、依法召开人代会。",
    )
    plan_a = services.add_document(
        world.county, world.staff_a, township=world.township_a, year=2026, kind="plan", title="甲镇2026年工作计划",
        text="甲镇计划正文",
    )  # fmt: skip
    summary_b = services.add_document(
        world.county, world.staff_b, township=world.township_b, year=2025, kind="summary", title="乙镇2025年工作总结",
        text="乙镇总结正文",
    )  # fmt: skip
    return guidance, plan_a, summary_b


def test_each_reader_sees_the_guidance_and_their_own_townships_documents(world, client_for, documents):
    guidance, plan_a, summary_b = documents
    url = reverse("assessment:documents")
    text = client_for(world.county_admin).get(url).content.decode()
    assert all(d.title in text for d in documents)
    text = client_for(world.staff_a).get(url).content.decode()
    assert guidance.title in text and plan_a.title in text and summary_b.title not in text
    text = client_for(world.leader).get(url).content.decode()
    assert summary_b.title in text

    page = client_for(world.staff_a).get(reverse("assessment:document", args=[guidance.uuid]))
    assert page.status_code == 200 and "二、依法召开人代会。" in page.content.decode()
    assert "删除" not in page.content.decode()  # the county's guidance is the county's to remove
    assert client_for(world.staff_a).get(reverse("assessment:document", args=[plan_a.uuid])).status_code == 200
    assert client_for(world.staff_b).get(reverse("assessment:document", args=[plan_a.uuid])).status_code == 404
    other = client_for(world.other_county_admin)
    assert other.get(reverse("assessment:document", args=[guidance.uuid])).status_code == 404
    assert guidance.title not in other.get(url).content.decode()
    for refused in (world.deputy_a, world.handler_x):
        assert client_for(refused).get(url).status_code == 403
        assert client_for(refused).get(reverse("assessment:document", args=[plan_a.uuid])).status_code in (403, 404)


def test_the_list_filters_by_year_kind_and_township(world, client_for, documents, django_assert_max_num_queries):
    guidance, plan_a, summary_b = documents
    client = client_for(world.county_admin)
    url = reverse("assessment:documents")
    text = client.get(url, {"year": 2025}).content.decode()
    assert summary_b.title in text and plan_a.title not in text
    text = client.get(url, {"kind": "guidance"}).content.decode()
    assert guidance.title in text and plan_a.title not in text
    text = client.get(url, {"township": str(world.township_a.uuid)}).content.decode()
    assert plan_a.title in text and summary_b.title not in text
    for wrong in ({"year": "x"}, {"kind": "nonsense"}, {"township": "not-a-uuid"}):
        assert client.get(url, wrong).status_code == 200
    # Staff cannot filter on another township: the choice is not theirs.
    text = client_for(world.staff_a).get(url, {"township": str(world.township_b.uuid)}).content.decode()
    assert summary_b.title not in text
    with django_assert_max_num_queries(12):
        client.get(url)


def test_staff_add_their_townships_plan_and_the_county_its_guidance(world, client_for):
    client = client_for(world.staff_a)
    form = client.get(reverse("assessment:document_new")).content.decode()
    assert 'value="guidance"' not in form  # the guidance is the county's
    response = client.post(
        reverse("assessment:document_new"),
        {
            "kind": "plan",
            "township": str(world.township_a.uuid),
            "year": 2026,
            "title": "甲镇人大2026年度工作计划",
            "text": "一、依法召开人代会。",
            "file": SimpleUploadedFile("计划.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    plan = YearDocument.objects.get(title="甲镇人大2026年度工作计划")
    assert plan.township == world.township_a and plan.file_name == "计划.pdf"
    # Staff may not post the county's guidance nor a document of another township.
    refused = client.post(
        reverse("assessment:document_new"),
        {"kind": "guidance", "year": 2026, "title": "甲镇冒充的指导意见", "text": "正文"},
    )
    assert refused.status_code == 200 and not YearDocument.objects.filter(title="甲镇冒充的指导意见").exists()
    other = client.post(
        reverse("assessment:document_new"),
        {"kind": "plan", "township": str(world.township_b.uuid), "year": 2026, "title": "乙镇计划", "text": "x"},
    )
    assert other.status_code == 200 and not YearDocument.objects.filter(title="乙镇计划").exists()

    admin = client_for(world.county_admin)
    response = admin.post(
        reverse("assessment:document_new"),
        {"kind": "guidance", "year": 2027, "title": "关于做好2027年度乡镇人大工作的指导意见", "text": "一、……"},
    )
    assert response.status_code == 302
    assert YearDocument.objects.get(title__startswith="关于做好2027").township is None
    response = admin.post(
        reverse("assessment:document_new"),
        {"kind": "summary", "township": str(world.township_b.uuid), "year": 2026, "title": "乙镇总结", "text": "x"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(event="assessment.document.add").count() == 3
    for refused_user in (world.leader, world.deputy_a, world.handler_x):
        assert client_for(refused_user).get(reverse("assessment:document_new")).status_code == 403


def test_refusals_keep_what_was_typed(world, client_for):
    client = client_for(world.staff_a)
    url = reverse("assessment:document_new")
    bad_file = client.post(
        url,
        {
            "kind": "summary",
            "township": str(world.township_a.uuid),
            "year": 2025,
            "title": "甲镇2025年度工作总结",
            "text": "全年召开人代会两次。",
            "file": SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream"),
        },
    )
    text = bad_file.content.decode()
    assert bad_file.status_code == 200 and "只接受" in text
    assert "甲镇2025年度工作总结" in text and "全年召开人代会两次。" in text
    empty = client.post(url, {"kind": "summary", "township": str(world.township_a.uuid), "year": 2025, "title": "空"})
    assert empty.status_code == 200 and "请填写正文或上传文件" in empty.content.decode()
    admin = client_for(world.county_admin)
    no_township = admin.post(url, {"kind": "plan", "year": 2026, "title": "没有乡镇的计划", "text": "x"})
    assert no_township.status_code == 200 and "请选择乡镇（街道）" in no_township.content.decode()
    bad_year = admin.post(url, {"kind": "plan", "year": 1900, "title": "年份不对", "text": "x"})
    assert bad_year.status_code == 200 and "年份不对" in bad_year.content.decode()
    assert not YearDocument.objects.exists()


def test_downloads_are_scoped_and_audited(world, client_for):
    plan = services.add_document(
        world.county,
        world.staff_a,
        township=world.township_a,
        year=2026,
        kind="plan",
        title="甲镇计划",
        upload=SimpleUploadedFile("甲镇计划.pdf", PDF, content_type="application/pdf"),
    )
    url = reverse("assessment:document_file", args=[plan.uuid])
    response = client_for(world.county_admin).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(event="export.assessment.document_file", actor=world.county_admin).exists()
    for outsider in (world.staff_b, world.other_county_admin):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(world.deputy_a).get(url).status_code == 403
    assert not AuditEntry.objects.filter(event="export.assessment.document_file", actor=world.staff_b).exists()


def test_removing_is_for_the_township_and_the_county(world, client_for, documents):
    guidance, plan_a, summary_b = documents
    assert client_for(world.staff_b).post(reverse("assessment:document_remove", args=[plan_a.uuid])).status_code == 404
    assert (
        client_for(world.staff_a).post(reverse("assessment:document_remove", args=[guidance.uuid])).status_code == 404
    )
    assert client_for(world.staff_a).get(reverse("assessment:document_remove", args=[plan_a.uuid])).status_code == 200
    assert client_for(world.staff_a).post(reverse("assessment:document_remove", args=[plan_a.uuid])).status_code == 302
    assert (
        client_for(world.county_admin).post(reverse("assessment:document_remove", args=[guidance.uuid])).status_code
        == 302
    )
    assert set(YearDocument.objects.values_list("pk", flat=True)) == {summary_b.pk}
    assert AuditEntry.objects.filter(event="assessment.document.remove").count() == 2
