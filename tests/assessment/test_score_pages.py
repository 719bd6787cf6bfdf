"""The score pages: the county's table of townships by section (live while a draft, as published
after), a township's lines, and the records behind each figure; who sees which township before and
after publication; entering and adjusting points through the forms, publishing and the freeze; any
period within the year; a bounded number of queries whatever the number of records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from renda.assessment import services
from renda.assessment.models import Adjustment, EnteredScore, Formula, IndicatorKind, Scheme
from tests.assessment.test_scoring import answered_case, session

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
D = Decimal
YEAR = 2025


@pytest.fixture(autouse=True)
def _on_a_fixed_day(time_machine):
    time_machine.move_to(datetime(YEAR, 11, 2, 10, 0, tzinfo=TZ), tick=True)


class Setup:
    def __init__(self, world):
        admin = world.county_admin
        self.scheme = services.create_scheme(world.county, admin, year=YEAR, title="2025年度考核")
        duty = services.add_section(self.scheme, admin, name="依法履职", order=1)
        check = services.add_section(self.scheme, admin, name="实地检查", order=2)
        self.sessions = services.add_indicator(
            duty,
            admin,
            name="依法召开人代会",
            max_score=D(10),
            kind=IndicatorKind.COMPUTED,
            measure="meetings.sessions",
            formula=Formula.LINEAR,
            full_at=D(2),
            zero_at=D(0),
        )
        self.on_time = services.add_indicator(
            duty,
            admin,
            name="建议按期答复",
            max_score=D(20),
            kind=IndicatorKind.COMPUTED,
            measure="casework.on_time",
            formula=Formula.LINEAR,
            full_at=D(100),
            zero_at=D(50),
        )
        self.field = services.add_indicator(check, admin, name="阵地建设", max_score=D(30), kind=IndicatorKind.ENTERED)
        first = session(world.township_a, date(YEAR, 1, 10))
        second = session(world.township_a, date(YEAR, 9, 20))
        first.title, second.title = "甲镇第一次会议", "甲镇第二次会议"
        first.save(update_fields=["title"])
        second.save(update_fields=["title"])
        session(world.township_b, date(YEAR, 1, 12))

    def url(self, name, *args):
        return reverse(f"assessment:{name}", args=[self.scheme.uuid, *args])


@pytest.fixture
def setup(world):
    return Setup(world)


def body_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_county_sees_every_township_ranked_with_the_sections(client_for, world, setup):
    body = body_of(client_for(world.county_admin), setup.url("scores"))
    assert "甲镇" in body and "乙镇" in body and "排名" in body and "依法履职" in body and "实地检查" in body
    assert f'href="{setup.url("scores_publish")}"' in body
    # 甲镇 held two sessions (10 points), 乙镇 one (5).
    assert "10.0" in body and "5.0" in body
    leader = body_of(client_for(world.leader), setup.url("scores"))
    assert "乙镇" in leader and setup.url("scores_publish") not in leader


def test_the_figure_links_to_the_records_behind_it(client_for, world, setup):
    client = client_for(world.county_admin)
    township = body_of(client, setup.url("township_score", world.township_a.uuid))
    line = setup.url("score_line", world.township_a.uuid, setup.sessions.uuid)
    assert f'href="{line}"' in township and ">2次</a>" in township
    evidence = body_of(client, line)
    assert "甲镇第一次会议" in evidence and "甲镇第二次会议" in evidence
    assert 'id="evidence-explanation"' in evidence
    # Each record links to its own page.
    assert "/meetings/" in evidence


def test_township_staff_see_their_own_before_publication_and_the_others_after(client_for, world, setup):
    client = client_for(world.staff_a)
    body = body_of(client, setup.url("scores"))
    assert "甲镇" in body and "乙镇" not in body and "<th>排名</th>" not in body
    assert setup.url("scores_publish") not in body
    body_of(client, setup.url("township_score", world.township_a.uuid))
    body_of(client, setup.url("score_line", world.township_a.uuid, setup.sessions.uuid))
    body_of(client, setup.url("township_score", world.township_b.uuid), 404)
    body_of(client, setup.url("score_line", world.township_b.uuid, setup.sessions.uuid), 404)

    services.publish(setup.scheme, world.county_admin, version=setup.scheme.version)
    body = body_of(client, setup.url("scores"))
    assert "甲镇" in body and "乙镇" in body and "<th>排名</th>" in body
    other = body_of(client, setup.url("township_score", world.township_b.uuid))
    assert "全县第 2 名" in other


def test_scores_open_lets_townships_see_each_other_before_publication(client_for, world, setup, settings):
    settings.RENDA_ASSESSMENT_SCORES_OPEN = True
    body = body_of(client_for(world.staff_a), setup.url("scores"))
    assert "乙镇" in body and "<th>排名</th>" in body


def test_outsiders_get_404_and_deputies_and_handlers_403(client_for, world, setup):
    urls = [
        setup.url("scores"),
        setup.url("township_score", world.township_a.uuid),
        setup.url("score_line", world.township_a.uuid, setup.sessions.uuid),
        setup.url("score_enter", world.township_a.uuid, setup.field.uuid),
        setup.url("score_adjust", world.township_a.uuid, setup.field.uuid),
        setup.url("scores_publish"),
    ]
    client = client_for(world.other_county_admin)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"points": "5", "evidence": "x", "reason": "x", "version": 1}).status_code == 404
    for username in ("deputy_a", "handler_x"):
        client = client_for(world.users[username])
        for url in urls:
            assert client.get(url).status_code == 403, (username, url)
    client = client_for(world.staff_a)
    for url in urls[3:]:
        assert client.post(url, {"points": "5", "evidence": "x", "reason": "x", "version": 1}).status_code == 403
    assert not EnteredScore.objects.exists() and not Adjustment.objects.exists()
    setup.scheme.refresh_from_db()
    assert not setup.scheme.is_published


def test_entering_and_adjusting_through_the_forms(client_for, world, setup):
    client = client_for(world.county_admin)
    line = setup.url("score_line", world.township_a.uuid, setup.field.uuid)
    body = body_of(client, line)
    assert "录入得分" in body and "记录加减分" in body
    enter = setup.url("score_enter", world.township_a.uuid, setup.field.uuid)
    body = client.post(enter, {"points": "40", "evidence": "台账齐全，阵地规范"}).content.decode()
    assert "台账齐全，阵地规范" in body and "30" in body and not EnteredScore.objects.exists()
    response = client.post(enter, {"points": "26", "evidence": "台账齐全，阵地规范"})
    assert response.status_code == 302 and response.url == line
    assert EnteredScore.objects.get().points == D(26)

    adjust = setup.url("score_adjust", world.township_a.uuid, setup.field.uuid)
    body = client.post(adjust, {"points": "-2", "reason": ""}).content.decode()
    assert "-2" in body and not Adjustment.objects.exists()
    client.post(adjust, {"points": "-2", "reason": "资料报送迟交"})
    body = body_of(client, line)
    assert "台账齐全，阵地规范" in body and "资料报送迟交" in body and "24.0" in body
    township = body_of(client, setup.url("township_score", world.township_a.uuid))
    assert "资料报送迟交" in township and "24.0 / 30" in township
    # A computed indicator is adjusted, not entered.
    computed = setup.url("score_line", world.township_a.uuid, setup.sessions.uuid)
    body = body_of(client, computed)
    assert "记录加减分" in body and 'id="enter-form"' not in body


def test_township_staff_read_their_own_evidence_and_adjustments(client_for, world, setup):
    services.enter_score(setup.field, world.township_a, world.county_admin, points=D(20), evidence="甲镇检查记录")
    services.adjust(setup.field, world.township_b, world.county_admin, points=D(-3), reason="乙镇扣分原因")
    services.publish(setup.scheme, world.county_admin, version=setup.scheme.version)
    client = client_for(world.staff_a)
    own = body_of(client, setup.url("township_score", world.township_a.uuid))
    assert "甲镇检查记录" in own and 'id="enter-form"' not in own
    # Another township's points are public once published; the county's notes on it are not.
    other = body_of(client, setup.url("score_line", world.township_b.uuid, setup.field.uuid))
    assert "乙镇扣分原因" not in other and "-3.0" in other


def test_publishing_stores_the_results_and_freezes_the_scores(client_for, world, setup):
    client = client_for(world.county_admin)
    body = body_of(client, setup.url("scores_publish"))
    assert "锁定" in body
    response = client.post(setup.url("scores_publish"), {"version": setup.scheme.version})
    assert response.status_code == 302
    scheme = Scheme.objects.unscoped().get(pk=setup.scheme.pk)
    assert scheme.is_published and scheme.results.count() == 2
    # Later records do not move the published score.
    session(world.township_b, date(YEAR, 10, 1))
    body = body_of(client, setup.url("scores"))
    assert "县里公布的考核结果" in body and setup.url("scores_publish") not in body
    line = setup.url("score_line", world.township_a.uuid, setup.field.uuid)
    assert 'id="enter-form"' not in body_of(client, line) and 'id="adjust-form"' not in body_of(client, line)
    enter = setup.url("score_enter", world.township_a.uuid, setup.field.uuid)
    response = client.post(enter, {"points": "20", "evidence": "补录"}, follow=True)
    assert "已锁定" in response.content.decode() and not EnteredScore.objects.exists()
    response = client.post(setup.url("scores_publish"), {"version": scheme.version}, follow=True)
    assert "考核结果已经公布" in response.content.decode()


def test_a_stale_publication_is_refused(client_for, world, setup):
    client = client_for(world.county_admin)
    body = client.post(setup.url("scores_publish"), {"version": setup.scheme.version + 5}).content.decode()
    assert "此记录已被他人修改" in body
    assert not Scheme.objects.unscoped().get(pk=setup.scheme.pk).is_published


@pytest.mark.parametrize("end", ["x", "2024-12-31", "2025-13-01", "2026-01-01", "' or 1=1"])
def test_a_wrong_end_day_is_refused_in_chinese(client_for, world, setup, end):
    client = client_for(world.county_admin)
    for url in (setup.url("scores"), setup.url("township_score", world.township_a.uuid)):
        response = client.get(url, {"end": end})
        assert response.status_code == 200
        body = response.content.decode()
        assert 'class="invalid-feedback d-block"' in body and "日期" in body
        if end in ("2024-12-31", "2026-01-01"):
            assert "请选择考核年度 2025 年内的日期" in body
        # The year to date is shown meanwhile.
        assert "2025-01-01 至 2025-11-02" in body


def test_any_period_within_the_year(client_for, world, setup):
    client = client_for(world.county_admin)
    body = body_of(client, setup.url("scores") + "?end=2025-06-30")
    assert "2025-01-01 至 2025-06-30" in body
    township = setup.url("township_score", world.township_a.uuid)
    assert f"{township}?end=2025-06-30" in body
    # Up to June 甲镇 held one session: 1次 and 5 points.
    body = body_of(client, f"{township}?end=2025-06-30")
    assert ">1次</a>" in body and "5.0 / 10" in body
    line = body_of(client, setup.url("score_line", world.township_a.uuid, setup.sessions.uuid) + "?end=2025-06-30")
    assert "甲镇第一次会议" in line and "甲镇第二次会议" not in line


def test_pages_take_a_bounded_number_of_queries(client_for, world, setup, django_assert_max_num_queries):
    for n in range(12):
        session(world.township_a, date(YEAR, 2, 1 + n))
        answered_case(world.township_a, world.agency_a, on_time=n % 2 == 0)
        answered_case(world.township_b, world.agency_b, on_time=True)
    services.enter_score(setup.field, world.township_a, world.county_admin, points=D(20), evidence="检查")
    for n in range(5):
        services.adjust(setup.field, world.township_a, world.county_admin, points=D(1), reason=f"理由{n}")
    client = client_for(world.county_admin)
    urls = [
        setup.url("scores"),
        setup.url("township_score", world.township_a.uuid),
        setup.url("score_line", world.township_a.uuid, setup.sessions.uuid),
        setup.url("score_line", world.township_a.uuid, setup.on_time.uuid),
        setup.url("score_line", world.township_a.uuid, setup.field.uuid),
    ]
    for url in urls:
        client.get(url)  # warm the session and caches
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
    services.publish(setup.scheme, world.county_admin, version=setup.scheme.version)
    for url in urls[:2]:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
