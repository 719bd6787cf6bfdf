"""人大代表之声: compiled by the county, issued as a Word document, fixed after issue except by a
recorded correction, with the leaders' instructions tracked back to the case."""

import io
from datetime import timedelta

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.casework import digest as digests
from renda.casework import services as cases
from renda.casework.models import CaseSource, DigestCorrection, DigestItem, DigestState


def a_case(world, township=None, title="农村饮水安全建议"):
    township = township or world.township_a
    mandate = world.mandate_a if township == world.township_a else world.mandate_b
    case = cases.file_case(
        world.county_admin,
        township=township,
        source=CaseSource.RECESS_SUGGESTION,
        title=title,
        content="部分村组自来水水压不足，夏季经常停水。",
        signers=[mandate],
    )
    return cases.accept(case, world.county_admin)


def draft(world):
    today = timezone.localdate()
    return digests.create_digest(
        world.county, world.county_admin, period_start=today - timedelta(days=30), period_end=today
    )


@pytest.mark.django_db
def test_compile_issue_correct_and_feedback(world):
    digest = draft(world)
    assert digest.state == DigestState.DRAFT and digest.number == 1
    case_a, case_b = a_case(world), a_case(world, world.township_b, "乡村道路安全建议")
    item_a = digests.add_item(digest, world.county_admin, case=case_a, summary="甲镇饮水问题摘要")
    digests.add_item(digest, world.county_admin, case=case_b)
    with pytest.raises(ValidationError):
        digests.add_item(digest, world.county_admin, case=case_a)  # once per digest
    digests.edit_item(item_a, world.county_admin, summary="甲镇饮水问题摘要（修改）", heading="饮水安全")
    digests.issue(digest, world.county_admin)
    digest.refresh_from_db()
    assert digest.is_issued and digest.issued_on == timezone.localdate()
    # Issued: no more plain edits, only a recorded correction.
    with pytest.raises(ValidationError):
        digests.edit_item(item_a, world.county_admin, summary="偷偷修改", heading="饮水安全")
    with pytest.raises(ValidationError):
        digests.add_item(digest, world.county_admin, case=a_case(world))
    correction = digests.correct_item(
        item_a, world.county_admin, summary="更正后的摘要", heading="饮水安全", reason="数字有误"
    )
    assert "甲镇饮水问题摘要（修改）" in correction.before and correction.after.endswith("更正后的摘要")
    # A leader's instruction, tracked back to the case, making it a case of key supervision.
    digests.record_feedback(
        item_a,
        world.county_admin,
        leader_name="王县长",
        given_on=timezone.localdate(),
        text="请水利局牵头解决",
        mark_key=True,
    )
    case_a.refresh_from_db()
    assert case_a.is_key and case_a.key_leader == "王县长"
    assert [item.feedback.get().leader_name for item in digests.case_feedback(case_a, world.staff_a)] == ["王县长"]
    # Township B's staff do not see township A's item.
    assert digests.case_feedback(case_a, world.staff_b) == []
    events = set(AuditEntry.objects.filter(event__startswith="casework.digest.").values_list("event", flat=True))
    assert events >= {
        "casework.digest.create",
        "casework.digest.item_add",
        "casework.digest.item_edit",
        "casework.digest.issue",
        "casework.digest.correct",
        "casework.digest.feedback",
    }


@pytest.mark.django_db
def test_only_county_admins_compile(world):
    with pytest.raises(PermissionDenied):
        digests.create_digest(
            world.county, world.staff_a, period_start=timezone.localdate(), period_end=timezone.localdate()
        )
    digest = draft(world)
    with pytest.raises(PermissionDenied):
        digests.add_item(digest, world.leader, case=a_case(world))


@pytest.mark.django_db
def test_feedback_needs_leader_date_and_text(world):
    digest = draft(world)
    item = digests.add_item(digest, world.county_admin, case=a_case(world))
    with pytest.raises(ValidationError) as refused:
        digests.record_feedback(item, world.county_admin, leader_name="王县长", given_on=timezone.localdate(), text="x")
    assert "text" in refused.value.message_dict  # not issued yet
    digests.issue(digest, world.county_admin)
    with pytest.raises(ValidationError) as refused:
        digests.record_feedback(item, world.county_admin, leader_name="", given_on=None, text="")
    assert {"leader_name", "given_on", "text"} <= set(refused.value.message_dict)


@pytest.mark.django_db
def test_pages_compile_and_issue(client, world):
    client.force_login(world.county_admin)
    today = timezone.localdate()
    response = client.post(
        reverse("casework:digest_list"),
        {
            "title": "人大代表之声",
            "period_start": f"{today - timedelta(days=30):%Y-%m-%d}",
            "period_end": f"{today:%Y-%m-%d}",
        },
    )
    assert response.status_code == 302
    digest = digests.digest_list(world.county_admin).get()
    case = a_case(world)
    edit = client.get(reverse("casework:digest_edit", kwargs={"uuid": digest.uuid}))
    assert case.title in edit.content.decode()  # offered as a candidate
    # htmx adds an item and answers with the items' partial.
    response = client.post(
        reverse("casework:digest_item_add", kwargs={"uuid": digest.uuid}),
        {"case": str(case.uuid)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="digest-items"' in response.content.decode()
    item = DigestItem.objects.unscoped().get(digest=digest)
    response = client.post(reverse("casework:digest_issue", kwargs={"uuid": digest.uuid}), {"version": ""})
    assert response.status_code == 302
    digest.refresh_from_db()
    assert digest.is_issued
    # A correction needs its reason: the form says so and keeps the text.
    url = reverse("casework:digest_item_edit", kwargs={"uuid": item.uuid})
    response = client.post(url, {"heading": "新标题", "summary": "新摘要"})
    assert response.status_code == 200 and "新摘要" in response.content.decode()
    assert not DigestCorrection.objects.unscoped().exists()
    client.post(url, {"heading": "新标题", "summary": "新摘要", "reason": "错别字"})
    assert DigestCorrection.objects.unscoped().get().reason == "错别字"
    response = client.post(
        reverse("casework:digest_feedback", kwargs={"uuid": item.uuid}),
        {"leader_name": "李书记", "given_on": f"{today:%Y-%m-%d}", "text": "高度重视"},
    )
    assert response.status_code == 302
    document = client.get(reverse("casework:digest_document", kwargs={"uuid": digest.uuid}))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(document.content)).paragraphs)
    assert "人大代表之声" in text and "新摘要" in text and case.reference in text and digest.issue_label in text


@pytest.mark.django_db
def test_who_sees_digests(client, world):
    digest = draft(world)
    url = reverse("casework:digest_edit", kwargs={"uuid": digest.uuid})
    client.force_login(world.leader)
    assert client.get(url).status_code == 200  # county leaders read
    assert client.post(reverse("casework:digest_issue", kwargs={"uuid": digest.uuid})).status_code == 404
    for user in (world.staff_a, world.handler_x, world.deputy_a, world.other_county_admin):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), user.username


@pytest.mark.django_db
def test_demo_seeds_issued_digests_with_instructions(world):
    import random

    from renda.casework.models import Digest, DigestFeedback
    from renda.demo.digest import seed_digests

    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=10)
    for index in range(4):
        cases.accept(
            cases.file_case(
                world.county_admin,
                township=world.township_a,
                source=CaseSource.CITIZEN_OPINION,
                title=f"群众意见{index}",
                content="内容",
                received_on=last_month,
            ),
            world.county_admin,
        )
    assert seed_digests(world.county, random.Random(3), today) >= 1
    issued = Digest.objects.unscoped().filter(county=world.county, state=DigestState.ISSUED)
    assert issued.exists()
    assert DigestItem.objects.unscoped().filter(digest__in=issued).count() >= 3
    assert DigestFeedback.objects.unscoped().filter(item__digest__in=issued).count() >= 0


@pytest.mark.django_db
def test_a_new_digest_proposes_the_month_before(client, world):
    client.force_login(world.county_admin)
    body = client.get(reverse("casework:digest_list")).content.decode()
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    assert f'value="{end.replace(day=1):%Y-%m-%d}"' in body and f'value="{end:%Y-%m-%d}"' in body
