"""Casework in deputies' archives and points: suggestions filed, co-signed, answered and rated."""

import io
import re
import zipfile

from django.urls import reverse

from renda.casework import records
from renda.casework import services as cases
from renda.deputies import archive, contributions
from renda.deputies import services as deputy_services
from renda.deputies.models import PointEntry, PointRule
from tests import factories

CITIZEN_NAME, CITIZEN_PHONE = "孙小群", "13912340000"
REPLY = {"reply_class": "A", "done_items": "已修复", "consultation": "visit", "signer": "李局长"}


def walk_suggestion(world, *, co_signer, merged_citizen: bool = False):
    """deputy_a's suggestion with a co-signer, answered, rated 不满意, answered again, rated 满意."""
    case = cases.file_case(
        world.deputy_a,
        township=world.township_a,
        source="recess_suggestion",
        title="甲镇中心小学门口增设红绿灯",
        content="上下学高峰车流大。",
        lead=world.mandate_a,
        signers=[co_signer],
    )
    if merged_citizen:
        opinion = cases.file_case(
            world.staff_a,
            township=world.township_a,
            source="citizen_opinion",
            title="学校门口太乱",
            content=f"我是{CITIZEN_NAME}，电话{CITIZEN_PHONE}，学校门口太乱。",
            station=world.station_a,
            citizen_name=CITIZEN_NAME,
            citizen_phone=CITIZEN_PHONE,
        )
        cases.merge(opinion, world.staff_a, into=case, reason="同一事项")
    case = cases.accept(case, world.staff_a)
    case = cases.assign(case, world.staff_a, lead=world.agency_a)
    cases.answer(case, world.handler_x, **REPLY)
    cases.rate(case, world.deputy_a, mandate=world.mandate_a, handling="satisfied", result="unsatisfied")
    case.refresh_from_db()
    cases.answer(
        case, world.handler_x, **{**REPLY, "reply_class": "B", "planned_items": "明年实施", "planned_by": "2027-06-30"}
    )
    cases.rate(case, world.deputy_a, mandate=world.mandate_a, handling="satisfied", result="satisfied")
    case.refresh_from_db()
    return case


def test_kinds_and_section_are_declared_with_default_points():
    assert contributions.get(records.FILED).default_points == 3
    assert contributions.get(records.COSIGNED).default_points == 1
    assert contributions.get(records.ANSWERED).default_points == 0
    assert contributions.get(records.RATING_RETURNED).default_points == 1
    assert contributions.sections.get(records.SECTION) is not None


def test_points_follow_the_steps_through_the_existing_refresh(world, django_capture_on_commit_callbacks):
    co = factories.MandateFactory(person__township=world.township_a)
    deputy_services.point_rules_initialise(county=world.county, actor=None)
    PointRule.objects.filter(county=world.county, kind=records.ANSWERED).update(amount=2)
    with django_capture_on_commit_callbacks(execute=True):
        case = walk_suggestion(world, co_signer=co)
    mine = PointEntry.objects.filter(mandate=world.mandate_a, kind__startswith="casework.")
    kinds = sorted(mine.values_list("kind", flat=True))
    assert kinds == sorted(
        [records.FILED, records.ANSWERED, records.ANSWERED, records.RATING_RETURNED, records.RATING_RETURNED]
    )
    co_kinds = sorted(
        PointEntry.objects.filter(mandate=co, kind__startswith="casework.").values_list("kind", flat=True)
    )
    assert co_kinds == sorted([records.COSIGNED, records.ANSWERED, records.ANSWERED])
    filed = PointEntry.objects.get(mandate=world.mandate_a, kind=records.FILED)
    assert filed.points == 3 and filed.source_uuid == case.uuid
    # The 未表态 a lapsed window records is no rating returned.
    assert not PointEntry.objects.filter(mandate=co, kind=records.RATING_RETURNED).exists()


def test_archive_lists_suggestions_and_never_a_citizens_name_or_phone(client, world):
    co = factories.MandateFactory(person__township=world.township_a)
    case = walk_suggestion(world, co_signer=co, merged_citizen=True)
    lines = [
        line for line in archive.timeline(world.mandate_a, viewer=world.staff_a) if line.section == records.SECTION
    ]
    filed = next(line for line in lines if line.kind == records.FILED)
    assert filed.title == case.title
    assert str(case.get_state_display()) in filed.outcome and world.agency_a.name in filed.outcome
    assert "满意/满意" in filed.outcome
    # One line per suggestion: answers and ratings count in the points, not as lines of their own.
    assert [line.kind for line in lines] == [records.FILED]

    for user in (world.staff_a, world.deputy_a):
        client.force_login(user)
        page = client.get(reverse("deputies:mandate_archive", args=[world.mandate_a.uuid])).content.decode()
        assert "建议办理" in page and case.title in page
        response = client.get(reverse("deputies:mandate_archive_docx", args=[world.mandate_a.uuid]))
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        with zipfile.ZipFile(io.BytesIO(content)) as docx:
            text = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode())
        assert case.title in text
        for body in (page, text):
            assert CITIZEN_NAME not in body and CITIZEN_PHONE not in body
