"""Findings of an activity: recorded by staff or an invited deputy, turned into a casework case in
one step, once only; the case keeps the link back to the activity (page and API)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.activities import services_findings
from renda.activities.models import Finding
from renda.casework.models import Case, CaseSource
from tests.activities.findings_helpers import held_inspection, inspection, second_deputy

pytestmark = pytest.mark.django_db


def test_a_finding_from_an_inspection_becomes_a_case_that_keeps_the_link_back(client_for, world):
    activity = held_inspection(world)
    finding = services_findings.add_finding(
        activity, world.staff_a, text="河道垃圾清理不及时", raised_by=world.mandate_a
    )
    client = client_for(world.staff_a)
    page = client.get(reverse("activities:finding_to_case", args=[finding.uuid]))
    assert page.status_code == 200 and "将发现的问题转为案件" in page.content.decode()
    response = client.post(reverse("activities:finding_to_case", args=[finding.uuid]), {"title": "河道垃圾清理"})
    finding.refresh_from_db()
    case = finding.case
    assert case is not None and response.url == reverse("casework:detail", args=[case.uuid])
    assert case.source == CaseSource.ACTIVITY_FINDING and case.township == world.township_a
    assert "河道垃圾清理不及时" in case.content and "甲镇视察河道整治" in case.content
    assert [(s.mandate, s.is_lead) for s in case.signers.all()] == [(world.mandate_a, True)]
    assert AuditEntry.objects.filter(event="activities.finding.to_case").count() == 1

    # The case page says where it came from, with a link back to the activity.
    body = client.get(reverse("casework:detail", args=[case.uuid])).content.decode()
    assert "来源：" in body and "甲镇视察河道整治" in body
    assert reverse("activities:detail", args=[activity.uuid]) in body or str(activity.uuid) in body
    # So does the case in the API.
    detail = client.get(f"/api/v1/cases/{case.uuid}").json()
    assert detail["activity"] == str(activity.uuid) and detail["activity_title"] == "甲镇视察河道整治"
    # And the activity's findings part links to the case.
    part = client.get(reverse("activities:detail", args=[activity.uuid])).content.decode()
    assert case.reference in part and "转为案件" not in part


def test_a_finding_becomes_a_case_once_only(client_for, world):
    activity = held_inspection(world)
    finding = services_findings.add_finding(activity, world.staff_a, text="路灯损坏")
    case = services_findings.finding_to_case(finding, world.staff_a, title="路灯维修")
    assert list(case.signers.all()) == []
    with pytest.raises(ValidationError) as refused:
        services_findings.finding_to_case(Finding.objects.get(pk=finding.pk), world.staff_a, title="再来一次")
    assert refused.value.messages == ["该问题已转为案件，不能重复转办。"]
    assert Case.objects.filter(source=CaseSource.ACTIVITY_FINDING, title="再来一次").count() == 0
    # The page sends the second attempt back to the activity with the news.
    response = client_for(world.staff_a).get(reverse("activities:finding_to_case", args=[finding.uuid]))
    assert response.status_code == 302


def test_the_case_page_asks_no_more_queries_for_the_link_back(client_for, world):
    activity = held_inspection(world)
    from_activity = services_findings.finding_to_case(
        services_findings.add_finding(activity, world.staff_a, text="桥梁护栏缺失", raised_by=world.mandate_a),
        world.staff_a,
        title="桥梁护栏",
    )
    plain = services_findings.finding_to_case(
        services_findings.add_finding(activity, world.staff_a, text="桥梁护栏缺失二", raised_by=world.mandate_a),
        world.staff_a,
        title="桥梁护栏二",
    )
    Finding.objects.filter(case=plain).update(case=None)
    client = client_for(world.staff_a)
    counts = []
    for case in (from_activity, plain):
        client.get(reverse("casework:detail", args=[case.uuid]))  # warm caches (menus, sessions)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("casework:detail", args=[case.uuid])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_invited_deputy_records_their_own_finding_and_files_it(client_for, world):
    activity = inspection(world)
    client = client_for(world.deputy_a)
    form = client.get(reverse("activities:finding_add", args=[activity.uuid]))
    assert form.status_code == 200 and 'name="raised_by"' not in form.content.decode()
    client.post(reverse("activities:finding_add", args=[activity.uuid]), {"text": "村道坑洼"})
    finding = Finding.objects.get(activity=activity)
    assert finding.raised_by == world.mandate_a and finding.created_by == world.deputy_a
    # It becomes their own suggestion, signed by them.
    client.post(reverse("activities:finding_to_case", args=[finding.uuid]), {"title": "村道坑洼"})
    finding.refresh_from_db()
    assert finding.case is not None and finding.case.signers.get().mandate == world.mandate_a


def test_a_deputy_cannot_name_someone_else_and_an_empty_finding_is_refused(client_for, world):
    other = second_deputy(world)
    activity = inspection(world, invite=[world.mandate_a, other])
    with pytest.raises(ValidationError) as refused:
        services_findings.add_finding(activity, world.deputy_a, text="问题", raised_by=other)
    assert refused.value.message_dict == {"raised_by": ["您只能登记本人提出的问题。"]}
    response = client_for(world.staff_a).post(reverse("activities:finding_add", args=[activity.uuid]), {"text": "  "})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert not Finding.objects.filter(activity=activity).exists()


def test_staff_name_a_participant_and_the_finding_lists_who_raised_it(client_for, world):
    other = second_deputy(world)
    activity = inspection(world, invite=[world.mandate_a, other])
    client = client_for(world.staff_a)
    client.post(
        reverse("activities:finding_add", args=[activity.uuid]),
        {"text": "学校门口缺少减速带", "raised_by": str(other.uuid)},
    )
    assert Finding.objects.get(activity=activity).raised_by == other
    body = client.get(reverse("activities:detail", args=[activity.uuid])).content.decode()
    assert "学校门口缺少减速带" in body and other.person.full_name in body


def test_a_joint_activity_files_the_case_in_the_raising_deputys_township_or_a_chosen_one(world):
    from datetime import timedelta

    from django.utils import timezone

    from renda.activities import services
    from renda.activities.models import ActivityType

    now = timezone.now()
    joint = services.plan_activity(
        world.county_admin,
        county=world.county,
        township=None,
        townships=[world.township_a, world.township_b],
        type=ActivityType.objects.get(county=world.county, name="县镇联动活动"),
        title="县镇联动执法检查",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        place="县城",
        organiser="示范县人大常委会",
        invite=[world.mandate_a, world.mandate_b],
    )
    raised = services_findings.add_finding(joint, world.county_admin, text="执法不规范", raised_by=world.mandate_b)
    assert services_findings.finding_to_case(raised, world.county_admin, title="执法").township == world.township_b
    nobody = services_findings.add_finding(joint, world.county_admin, text="台账缺失")
    with pytest.raises(ValidationError) as refused:
        services_findings.finding_to_case(nobody, world.county_admin, title="台账")
    assert refused.value.message_dict == {"township": ["请在参加的乡镇中选择一个。"]}
    case = services_findings.finding_to_case(
        Finding.objects.get(pk=nobody.pk), world.county_admin, title="台账", township=world.township_a
    )
    assert case.township == world.township_a


@pytest.mark.parametrize("username", ["staff_b", "deputy_b", "other_county_admin"])
def test_outsiders_get_404_on_the_findings_pages(client_for, world, username):
    activity = held_inspection(world)
    finding = services_findings.add_finding(activity, world.staff_a, text="问题")
    client = client_for(world.users[username])
    for url in (
        reverse("activities:detail", args=[activity.uuid]),
        reverse("activities:finding_add", args=[activity.uuid]),
        reverse("activities:finding_to_case", args=[finding.uuid]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x", "title": "x"}).status_code == 404, url
    assert not Case.objects.filter(source=CaseSource.ACTIVITY_FINDING).exists()
