"""The study library: the county administrator's documents are read in every township, a
township's own only there; deputies read them too; filtered by category and title; a file is
checked on upload and its download audited; a township's study attendance per deputy."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.activities import services_library
from renda.activities.models import LibraryDocument, Participant

from .test_plan_progress import held_activity

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.fixture(autouse=True)
def _on_a_fixed_day(time_machine):
    time_machine.move_to(datetime(2026, 11, 2, 10, 0, tzinfo=TZ), tick=True)


def test_county_documents_reach_every_township_and_township_ones_stay_home(world, client_for):
    client = client_for(world.county_admin)
    response = client.post(
        reverse("activities:library_new"),
        {
            "category": "law",
            "title": "中华人民共和国监督法",
            "issuer": "全国人民代表大会常务委员会",
            "issued_on": "2024-11-08",
            "summary": "各级人大常委会监督工作",
            "file": SimpleUploadedFile("监督法.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    law = LibraryDocument.objects.get(title="中华人民共和国监督法")
    assert law.township is None and law.file_name == "监督法.png"
    rule = services_library.add_document(world.staff_a, category="work_rule", title="甲镇代表学习制度")
    assert rule.township == world.township_a

    for reader in (world.staff_a, world.deputy_a):
        text = client_for(reader).get(reverse("activities:library")).content.decode()
        assert "中华人民共和国监督法" in text and "甲镇代表学习制度" in text
    for reader in (world.staff_b, world.deputy_b, world.leader):
        text = client_for(reader).get(reverse("activities:library")).content.decode()
        assert "中华人民共和国监督法" in text
    for outsider in (world.staff_b, world.deputy_b):
        assert client_for(outsider).get(reverse("activities:library_detail", args=[rule.uuid])).status_code == 404
    other = client_for(world.other_county_admin)
    assert other.get(reverse("activities:library_detail", args=[law.uuid])).status_code == 404
    assert "中华人民共和国监督法" not in other.get(reverse("activities:library")).content.decode()
    # Township staff read the county's documents but do not change them.
    assert client_for(world.staff_a).get(reverse("activities:library_edit", args=[law.uuid])).status_code == 404

    download = client_for(world.deputy_b).get(reverse("activities:library_file", args=[law.uuid]))
    assert download.status_code == 200
    assert AuditEntry.objects.filter(event="export.activities.library_file", actor=world.deputy_b).exists()


def test_the_list_filters_by_category_and_title(world, client_for):
    services_library.add_document(world.county_admin, category="law", title="中华人民共和国宪法")
    services_library.add_document(world.county_admin, category="law", title="中华人民共和国代表法")
    services_library.add_document(world.staff_a, category="work_rule", title="甲镇视察制度")
    client = client_for(world.staff_a)
    laws = client.get(reverse("activities:library"), {"category": "law"}).content.decode()
    assert "中华人民共和国宪法" in laws and "甲镇视察制度" not in laws
    found = client.get(reverse("activities:library"), {"q": "代表法"}).content.decode()
    assert "中华人民共和国代表法" in found and "中华人民共和国宪法" not in found
    assert client.get(reverse("activities:library"), {"category": "nonsense"}).status_code == 200


def test_a_wrong_file_is_refused_beside_what_was_typed(world, client_for):
    response = client_for(world.staff_a).post(
        reverse("activities:library_new"),
        {"category": "study", "title": "学习材料", "file": SimpleUploadedFile("run.exe", b"MZ...", content_type="x")},
    )
    assert response.status_code == 200
    assert "学习材料" in response.content.decode()
    assert not LibraryDocument.objects.filter(title="学习材料").exists()


def test_staff_edit_and_remove_their_townships_documents(world, client_for):
    rule = services_library.add_document(world.staff_a, category="work_rule", title="甲镇会议制度")
    client = client_for(world.staff_a)
    data = {"category": "work_rule", "title": "甲镇会议制度（修订）", "issuer": "甲镇人大主席团"}
    assert client.post(reverse("activities:library_edit", args=[rule.uuid]), data).status_code == 302
    rule.refresh_from_db()
    assert rule.title == "甲镇会议制度（修订）"
    assert client_for(world.staff_b).post(reverse("activities:library_remove", args=[rule.uuid])).status_code == 404
    assert client_for(world.deputy_a).post(reverse("activities:library_remove", args=[rule.uuid])).status_code == 404
    assert client_for(world.staff_a).post(reverse("activities:library_remove", args=[rule.uuid])).status_code == 302
    assert not LibraryDocument.objects.filter(pk=rule.pk).exists()
    assert AuditEntry.objects.filter(event="activities.library.remove").exists()


def test_study_attendance_lists_each_deputys_attendance(world, client_for):
    first = held_activity(world, world.township_a, date(2026, 3, 5), category="study")
    second = held_activity(world, world.township_a, date(2026, 9, 5), category="study")
    held_activity(world, world.township_a, date(2026, 10, 5), category="study", state="cancelled")
    Participant.objects.create(activity=first, mandate=world.mandate_a, status="present")
    Participant.objects.create(activity=second, mandate=world.mandate_a, status="leave")
    url = reverse("activities:study_attendance", args=[world.township_a.uuid])
    page = client_for(world.staff_a).get(url, {"year": 2026})
    text = page.content.decode()
    assert page.status_code == 200
    assert world.mandate_a.person.full_name in text
    assert "03-05" in text and "09-05" in text and "10-05" not in text
    assert client_for(world.county_admin).get(url).status_code == 200
    for outsider in (world.staff_b, world.other_county_admin):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(world.deputy_a).get(url).status_code == 403
