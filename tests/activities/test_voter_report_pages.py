"""Reports to voters (述职): staff schedule a deputy's report (the deputy finds it on the notice
board), record it held with the ballot counts — never more than the voters present — missed or
cancelled; the reporting rate per township and term; outsiders get 404."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from renda.activities import selectors_voter_reports as selectors
from renda.activities import services_voter_reports as services
from renda.activities.models import VoterReport
from renda.core.locking import StaleEdit
from renda.notices.models import Notice
from tests import factories

pytestmark = pytest.mark.django_db


def _scheduled(world, days=10):
    return services.schedule(
        world.staff_a,
        mandate=world.mandate_a,
        scheduled_on=timezone.localdate() + timedelta(days=days),
        place="甲镇村委会",
    )


def test_staff_schedule_a_report_and_the_deputy_is_notified(client_for, world):
    client = client_for(world.staff_a)
    day = timezone.localdate() + timedelta(days=7)
    response = client.post(
        "/activities/voter-reports/new/",
        {"mandate": world.mandate_a.pk, "scheduled_on": day.isoformat(), "place": "甲镇文化站"},
    )
    report = VoterReport.objects.unscoped().get(place="甲镇文化站")
    assert response.status_code == 302 and report.township == world.township_a and report.state == "scheduled"
    notice = Notice.objects.unscoped().get(source_uuid=report.uuid)
    assert list(notice.recipients.values_list("user__username", flat=True)) == ["deputy_a"]
    page = client_for(world.deputy_a).get(f"/activities/voter-reports/{report.uuid}/").content.decode()
    assert "甲镇文化站" in page and "登记已述职" not in page


def test_schedule_form_errors_are_per_field_and_keep_what_was_typed(client_for, world):
    response = client_for(world.staff_a).post(
        "/activities/voter-reports/new/", {"mandate": world.mandate_a.pk, "scheduled_on": "", "place": "保留地点"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "请填写述职日期" in page and "保留地点" in page
    # Another township's deputy is no choice for township A's staff.
    response = client_for(world.staff_a).post(
        "/activities/voter-reports/new/",
        {"mandate": world.mandate_b.pk, "scheduled_on": "2026-12-01", "place": "x"},
    )
    assert response.status_code == 200 and "请选择代表" in response.content.decode()


def test_recording_held_counts_may_not_exceed_the_voters_present(client_for, world):
    report = _scheduled(world, days=0)
    client = client_for(world.staff_a)
    url = f"/activities/voter-reports/{report.uuid}/held/"
    data = {
        "version": report.version,
        "held_on": timezone.localdate().isoformat(),
        "voters_present": 20,
        "satisfied": 15,
        "basically_satisfied": 5,
        "dissatisfied": 1,
        "summary": "述职摘要",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "超过了到会选民人数" in refused.content.decode()
    assert "述职摘要" in refused.content.decode()
    data["dissatisfied"] = 0
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.state == "held" and report.voters_present == 20
    assert str(selectors.satisfaction(report)) == "1"
    page = client.get(f"/activities/voter-reports/{report.uuid}/").content.decode()
    assert "100.0%" in page


def test_an_edit_from_a_stale_page_is_refused(world):
    report = _scheduled(world)
    services.update(
        report, world.staff_a, expected_version=report.version, scheduled_on=report.scheduled_on, place="新地点"
    )
    with pytest.raises(StaleEdit):
        services.update(
            report, world.staff_a, expected_version=report.version, scheduled_on=report.scheduled_on, place="旧"
        )


def test_missed_needs_a_note_and_then_no_more_changes(client_for, world):
    report = _scheduled(world)
    client = client_for(world.staff_a)
    url = f"/activities/voter-reports/{report.uuid}/missed/"
    assert "请说明原因" in client.post(url, {"version": report.version, "note": ""}).content.decode()
    client.post(url, {"version": report.version, "note": "代表外出务工"})
    report.refresh_from_db()
    assert report.state == "missed" and report.note == "代表外出务工"
    response = client.post(f"/activities/voter-reports/{report.uuid}/cancel/", {"version": report.version, "note": "x"})
    assert "不能再修改" in response.content.decode()


def test_the_reporting_rate_per_township_and_the_county_view(client_for, world):
    others = [factories.MandateFactory(person__township=world.township_a, term=world.mandate_a.term) for _ in range(3)]
    # The world's deputy A reported on 2026-07-01 (tests/conftest.py) if the rows exist; make our own.
    VoterReport.objects.unscoped().all().delete()
    report = services.schedule(world.staff_a, mandate=others[0], scheduled_on=date(2026, 11, 1), place="甲镇")
    services.record_held(
        report,
        world.staff_a,
        expected_version=report.version,
        held_on=date(2026, 11, 1),
        voters_present=10,
        satisfied=8,
        basically_satisfied=1,
        dissatisfied=1,
    )
    result = selectors.term_rate(world.township_a, world.mandate_a.term)
    assert (result.reported, result.serving, result.percent) == (1, 4, "25.0%")
    page = client_for(world.staff_a).get(f"/activities/voter-reports/rates/{world.township_a.uuid}/").content.decode()
    assert "25.0%" in page and "尚未述职" in page and str(others[0].person) in page
    county = client_for(world.county_admin).get("/activities/voter-reports/rates/").content.decode()
    assert "甲镇" in county and "乙镇" in county and "25.0%" in county
    own = {r.township.name for r in selectors.county_rates(world.staff_a)}
    assert own == {"甲镇"}


@pytest.mark.parametrize("outsider", ["staff_b", "deputy_b", "other_county_admin"])
def test_an_outsider_gets_404_on_every_page_of_a_report(client_for, world, outsider):
    report = _scheduled(world)
    client = client_for(getattr(world, outsider))
    for part in ("", "edit/", "held/", "missed/", "cancel/"):
        assert client.get(f"/activities/voter-reports/{report.uuid}/{part}").status_code == 404
    if outsider != "deputy_b":
        assert client.get(f"/activities/voter-reports/rates/{world.township_a.uuid}/").status_code == 404
