"""Activities in deputies' archives and points: supervision attended (+3), study, group and other
activities attended (+1), absent without leave (−2), findings raised (+1); a cancelled activity
counts for nobody; the archive page shows the section to those who may see the deputy."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.activities import records, services
from renda.activities.models import ActivityType, Finding
from renda.deputies import archive, contributions
from renda.deputies import services as deputy_services
from renda.deputies.models import PointEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inside_the_worlds_term(time_machine):
    time_machine.move_to(datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)


def _held(world, category: str, invite, *, present=(), title=None):
    starts = timezone.now() - timedelta(hours=1)
    activity = services.plan_activity(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        type=ActivityType.objects.unscoped().filter(county=world.county, category=category).first(),
        title=title or f"甲镇{category}活动",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="甲镇政府",
        organiser="甲镇人大主席团",
        invite=invite,
    )
    for mandate in present:
        services.sign_in(activity, world.staff_a, participant=activity.participants.get(mandate=mandate))
    activity.refresh_from_db()
    return services.record_held(activity, world.staff_a, expected_version=activity.version)


def _points(mandate) -> dict[str, list]:
    found: dict[str, list] = {}
    for entry in PointEntry.objects.filter(mandate=mandate, kind__startswith="activities.").order_by("kind", "id"):
        found.setdefault(entry.kind, []).append(entry.points)
    return found


def _lines(mandate, viewer):
    return [line for line in archive.timeline(mandate, viewer=viewer) if line.section == records.SECTION]


def test_kinds_and_section_are_declared_with_default_points():
    section = contributions.sections.get(records.SECTION)
    assert section is not None and section.order == 160 and str(section.label) == "活动与监督"
    expected = {
        records.SUPERVISION_ATTENDED: 3,
        records.STUDY_ATTENDED: 1,
        records.GROUP_ATTENDED: 1,
        records.OTHER_ATTENDED: 1,
        records.ABSENT: -2,
        records.FINDING_RAISED: 1,
    }
    assert {code: contributions.get(code).default_points for code in expected} == expected


def test_points_for_attendance_absence_and_findings(world, django_capture_on_commit_callbacks):
    other = factories.MandateFactory(person__township=world.township_a, term=world.mandate_a.term)
    deputy_services.point_rules_initialise(county=world.county, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        inspection = _held(world, "inspection", [world.mandate_a, other], present=[world.mandate_a])
        _held(world, "study", [world.mandate_a], present=[world.mandate_a])
        _held(world, "group", [world.mandate_a], present=[world.mandate_a])
        _held(world, "reception", [world.mandate_a], present=[world.mandate_a])
        Finding.objects.create(activity=inspection, text="甲镇水厂管网老化", raised_by=world.mandate_a)
    assert _points(world.mandate_a) == {
        records.SUPERVISION_ATTENDED: [3],
        records.STUDY_ATTENDED: [1],
        records.GROUP_ATTENDED: [1],
        records.OTHER_ATTENDED: [1],
        records.FINDING_RAISED: [1],
    }
    assert _points(other) == {records.ABSENT: [-2]}
    # The nightly recomputation finds the ledger as the refreshes left it.
    entries = PointEntry.objects.filter(kind__startswith="activities.")
    before = sorted(entries.values_list("uuid", "points"))
    deputy_services.points_recompute(county=world.county, actor=None)
    assert sorted(entries.values_list("uuid", "points")) == before


def test_archive_page_shows_the_lines_to_the_deputy_and_not_to_others(client_for, world):
    _held(world, "inspection", [world.mandate_a], present=[world.mandate_a], title="甲镇视察敬老院")
    lines = _lines(world.mandate_a, world.staff_a)
    assert [line.kind for line in lines] == [records.SUPERVISION_ATTENDED]
    assert lines[0].title == "甲镇视察敬老院"
    url = reverse("deputies:mandate_archive", args=[world.mandate_a.uuid])
    page = client_for(world.deputy_a).get(url).content.decode()
    assert "活动与监督" in page and "甲镇视察敬老院" in page
    other = client_for(world.deputy_b).get(url)
    assert other.status_code == 404 or "甲镇视察敬老院" not in other.content.decode()
    assert client_for(world.staff_b).get(url).status_code == 404
    own_b = client_for(world.deputy_b).get(reverse("deputies:mandate_archive", args=[world.mandate_b.uuid]))
    assert "甲镇视察敬老院" not in own_b.content.decode()


def test_a_cancelled_activity_counts_for_nobody(world):
    starts = timezone.now() - timedelta(minutes=5)
    activity = services.plan_activity(
        world.staff_a,
        county=world.county,
        township=world.township_a,
        type=ActivityType.objects.unscoped().filter(county=world.county, category="study").first(),
        title="甲镇学习培训",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="甲镇政府",
        organiser="甲镇人大主席团",
        invite=[world.mandate_a],
    )
    services.sign_in(activity, world.staff_a, participant=activity.participants.get())
    assert [line.kind for line in _lines(world.mandate_a, world.staff_a)] == [records.STUDY_ATTENDED]
    activity.refresh_from_db()
    services.cancel_activity(activity, world.staff_a, expected_version=activity.version, reason="改期")
    assert _lines(world.mandate_a, world.staff_a) == []
