"""Export, composition report, archive (page and Word), the deputy's own page, liaison, and the API."""

import io
import re
import zipfile
from datetime import date

from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.deputies import services
from renda.deputies.models import LiaisonAssignment, VoterContact
from renda.documents.excel import read_table
from tests import factories


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_roster_export_is_scoped_masked_and_audited(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("deputies:roster_export"))
    assert response.status_code == 200
    table = read_table(_content(response), header_names=["姓名", "身份证号"])
    names = [row.values["姓名"] for row in table.rows]
    assert names == [world.person_a.full_name]
    assert table.rows[0].values["身份证号"] == "110105********002X"
    assert table.rows[0].values["手机"] == "139****5678"
    entry = AuditEntry.objects.get(event="export.deputies.roster")
    assert entry.actor == world.staff_a and entry.data["rows"] == 1 and entry.data["masked"] is True
    # Staff may ask for full values; a leader may not export at all (accounts.exports, S31).
    unmasked = reverse("deputies:roster_export") + "?unmasked=1"
    full = read_table(_content(client.post(unmasked, {"reason": "核对选举资格"})), header_names=["姓名"])
    assert full.rows[0].values["身份证号"] == "11010519491231002X"
    assert AuditEntry.objects.get(event="export.deputies.roster", data__masked=False).actor == world.staff_a
    client.force_login(world.leader)
    assert client.get(reverse("deputies:roster_export"), {"unmasked": "1"}).status_code == 403


def test_composition_report_counts_shares(client, world):
    woman = factories.MandateFactory(person__township=world.township_a, person__gender="female", is_worker_farmer=True)
    factories.MandateFactory(person__township=world.township_b, person__ethnicity="畲族")
    client.force_login(world.county_admin)
    response = client.get(reverse("deputies:composition"))
    rows = {row["person__township__name"]: row for row in response.context["rows"]}
    assert rows["甲镇"]["total"] == 2 and rows["甲镇"]["women"] == 1 and rows["甲镇"]["worker_farmer"] == 1
    assert rows["乙镇"]["minority"] == 1
    overall = response.context["overall"]
    assert overall["total"] == 4 and overall["shares"][0] == (1, 25.0)
    assert 'id="composition-data"' in response.content.decode()
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:composition")).content.decode()
    assert "乙镇" not in body
    export = client.get(reverse("deputies:composition_export"))
    table = read_table(_content(export), header_names=["乡镇（街道）", "代表总数"])
    assert [row.values["乡镇（街道）"] for row in table.rows][0] == "甲镇"
    assert woman.person.full_name not in str(table.rows)


def test_archive_page_and_word_document(client, world):
    VoterContact.objects.create(mandate=world.mandate_a, name="选民甲", village="东村", since=date(2022, 3, 1))
    services.mandate_event_record(
        mandate=world.mandate_a,
        kind="resigned",
        date=date(2024, 6, 1),
        document_number="甲人〔2024〕1号",
        actor=world.staff_a,
    )
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:mandate_archive", args=[world.mandate_a.uuid])).content.decode()
    assert "东村" in body and "甲人〔2024〕1号" in body
    response = client.get(reverse("deputies:mandate_archive_docx", args=[world.mandate_a.uuid]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(_content(response))) as docx:
        xml = docx.read("word/document.xml").decode()
    text = re.sub(r"<[^>]+>", "", xml)
    assert world.person_a.full_name in text and "东村" in text
    assert AuditEntry.objects.filter(event="export.deputies.archive").count() == 1
    client.force_login(world.staff_b)
    assert client.get(reverse("deputies:mandate_archive_docx", args=[world.mandate_a.uuid])).status_code == 404


def test_deputy_sees_own_work_and_what_is_asked(client, world):
    VoterContact.objects.create(mandate=world.mandate_a, name="选民甲", village="东村", since=timezone.localdate())
    LiaisonAssignment.objects.create(
        township=world.township_a, leader_name="李书记", mandate=world.mandate_a, since=date(2022, 1, 1)
    )
    services.points_recompute(county=world.county, actor=None)
    client.force_login(world.deputy_a)
    response = client.get(reverse("deputies:my_work"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "李书记" in body and "选民甲" in body and world.person_b.full_name not in body
    card = response.context["cards"][0]
    assert (len(card["contacts"]), card["min_contacts"], card["contacts_missing"]) == (1, 5, 4)
    assert card["points"]["year"] == 61  # base 60 + 1 for the voter kept in contact
    client.force_login(world.staff_a)
    assert client.get(reverse("deputies:my_work")).status_code == 403


def test_liaison_assignment(client, world):
    client.force_login(world.staff_a)
    url = reverse("deputies:liaison_list", args=[world.township_a.uuid])
    response = client.post(
        url, {"leader_name": "王镇长", "leader_title": "镇长", "mandate": world.mandate_a.pk, "since": "2024-01-01"}
    )
    assert response.status_code == 302
    assert LiaisonAssignment.objects.get().mandate == world.mandate_a
    assert AuditEntry.objects.filter(event="deputies.liaison.create").count() == 1
    client.force_login(world.leader)
    assert "王镇长" in client.get(url).content.decode()
    assert (
        client.post(url, {"leader_name": "x", "mandate": world.mandate_a.pk, "since": "2024-01-01"}).status_code == 403
    )
    client.force_login(world.staff_b)
    assert client.get(url).status_code == 404


def test_api_is_scoped_and_masked(client, world):
    client.force_login(world.staff_a)
    people = client.get("/api/v1/deputies").json()["items"]
    assert [p["uuid"] for p in people] == [str(world.person_a.uuid)]
    assert people[0]["id_number"] == "110105********002X" and people[0]["phone"] == "139****5678"
    assert client.get(f"/api/v1/deputies/{world.person_b.uuid}").status_code == 404
    mandates = client.get("/api/v1/mandates").json()["items"]
    assert [m["uuid"] for m in mandates] == [str(world.mandate_a.uuid)]
    members = client.get(f"/api/v1/groups/{world.group_a.uuid}/members").json()["items"]
    assert [m["person_name"] for m in members] == [world.person_a.full_name]
    assert client.get(f"/api/v1/stations/{world.station_b.uuid}/members").status_code == 404
    services.points_recompute(county=world.county, actor=None)
    board = client.get("/api/v1/points").json()["items"]
    assert [row["mandate"] for row in board] == [str(world.mandate_a.uuid)]
    entries = client.get(f"/api/v1/mandates/{world.mandate_a.uuid}/points").json()["items"]
    assert entries and entries[0]["source_uuid"] == str(world.mandate_a.uuid)
    client.force_login(world.deputy_b)
    assert client.get(f"/api/v1/mandates/{world.mandate_a.uuid}/points").status_code == 404
    assert [p["uuid"] for p in client.get("/api/v1/deputies").json()["items"]] == [str(world.person_b.uuid)]
    client.logout()
    assert client.get("/api/v1/deputies").status_code == 401
