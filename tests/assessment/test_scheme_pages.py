"""The scheme pages: the county's schemes by year, a new one and a copy of last year's, the scheme's
sections and indicators with each rule in words and the check that they count 100, the county
administrator's edits while a draft (errors in Chinese beside the kept input, a stale edit refused),
read-only for everyone else and once published. Outsiders get 404, deputies and handlers 403."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.assessment import services
from renda.assessment.models import Formula, Indicator, IndicatorKind, Scheme, Section

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
D = Decimal


@pytest.fixture(autouse=True)
def _on_a_fixed_day(time_machine):
    time_machine.move_to(datetime(2025, 11, 2, 10, 0, tzinfo=TZ), tick=True)


@pytest.fixture
def scheme(world):
    admin = world.county_admin
    scheme = services.create_scheme(world.county, admin, year=2025, title="2025年度乡镇人大工作考核")
    duty = services.add_section(scheme, admin, name="依法履职", order=1)
    services.add_indicator(
        duty,
        admin,
        name="建议按期答复",
        max_score=D(20),
        weight=D("1.5"),
        kind=IndicatorKind.COMPUTED,
        measure="casework.on_time",
        formula=Formula.LINEAR,
        full_at=D(95),
        zero_at=D(60),
    )
    own = services.add_section(scheme, admin, name="特色工作", order=2)
    services.add_indicator(own, admin, name="一镇街一特色", max_score=D(5), kind=IndicatorKind.ENTERED, is_bonus=True)
    return scheme


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_list_shows_the_years_and_the_county_admins_buttons(client_for, world, scheme):
    body = page(client_for(world.county_admin), reverse("assessment:schemes"))
    assert "2025年度乡镇人大工作考核" in body and "新建考核方案" in body and "沿用往年方案" in body
    body = page(client_for(world.staff_a), reverse("assessment:schemes"))
    assert "2025年度乡镇人大工作考核" in body and "新建考核方案" not in body
    body = page(client_for(world.other_county_admin), reverse("assessment:schemes"))
    assert "2025年度乡镇人大工作考核" not in body


@pytest.mark.parametrize("username", ["deputy_a", "handler_x"])
def test_deputies_and_handlers_have_no_part(client_for, world, scheme, username):
    client = client_for(world.users[username])
    assert client.get(reverse("assessment:schemes")).status_code == 403
    assert client.get(reverse("assessment:scheme", args=[scheme.uuid])).status_code == 403


def test_scheme_page_states_each_rule_in_words_and_warns_when_it_does_not_count_100(client_for, world, scheme):
    body = page(client_for(world.leader), reverse("assessment:scheme", args=[scheme.uuid]))
    assert "建议按期答复" in body and "≥95% 满分，≤60% 0分，之间按比例" in body
    assert "一镇街一特色" in body and "县人大评定录入" in body
    # 20 × 1.5 = 30 counted under 100; the bonus does not count.
    assert "计分满分合计 30 分" in body and "合计应为 100 分" in body
    assert "修改考核方案" not in body  # the leader reads


def test_outsiders_get_404_and_other_roles_cannot_edit(client_for, world, scheme):
    section = scheme.sections.first()
    indicator = Indicator.objects.unscoped().filter(section__scheme=scheme).first()
    edits = [
        reverse("assessment:scheme_edit", args=[scheme.uuid]),
        reverse("assessment:section_add", args=[scheme.uuid]),
        reverse("assessment:section_edit", args=[section.uuid]),
        reverse("assessment:indicator_add", args=[section.uuid]),
        reverse("assessment:indicator_edit", args=[indicator.uuid]),
        reverse("assessment:indicator_remove", args=[indicator.uuid]),
    ]
    client = client_for(world.other_county_admin)
    assert client.get(reverse("assessment:scheme", args=[scheme.uuid])).status_code == 404
    for url in edits:
        assert client.get(url).status_code == 404, url
    for username in ("leader", "staff_a"):
        client = client_for(world.users[username])
        assert client.get(reverse("assessment:scheme", args=[scheme.uuid])).status_code == 200
        for url in [*edits, reverse("assessment:scheme_new"), reverse("assessment:scheme_copy")]:
            assert client.post(url, {"name": "改名"}).status_code == 403, (username, url)
    assert Section.objects.unscoped().filter(name="改名").count() == 0


def test_create_a_scheme_and_refuse_a_second_for_the_year_in_chinese_keeping_the_input(client_for, world, scheme):
    client = client_for(world.county_admin)
    response = client.post(reverse("assessment:scheme_new"), {"year": 2026, "title": "2026年度考核", "notes": "说明"})
    created = Scheme.objects.unscoped().get(year=2026)
    assert response.url == reverse("assessment:scheme", args=[created.uuid])
    assert AuditEntry.objects.filter(event="assessment.scheme.create").count() == 2
    body = client.post(reverse("assessment:scheme_new"), {"year": 2025, "title": "重复的方案"}).content.decode()
    assert "重复的方案" in body and "本县该年度已有考核方案" in body


def test_copy_last_years_scheme(client_for, world, scheme):
    client = client_for(world.county_admin)
    body = page(client, reverse("assessment:scheme_copy"))
    assert 'value="2026"' in body  # the year after the latest scheme
    response = client.post(reverse("assessment:scheme_copy"), {"source": scheme.uuid, "year": 2026, "title": ""})
    copy = Scheme.objects.unscoped().get(year=2026)
    assert response.url == reverse("assessment:scheme", args=[copy.uuid])
    assert copy.copied_from == scheme
    assert sorted(Indicator.objects.unscoped().filter(section__scheme=copy).values_list("name", flat=True)) == [
        "一镇街一特色",
        "建议按期答复",
    ]
    assert "沿用 2025 年度方案" in page(client, reverse("assessment:schemes"))


def test_add_edit_and_remove_sections_and_indicators(client_for, world, scheme):
    client = client_for(world.county_admin)
    client.post(reverse("assessment:section_add", args=[scheme.uuid]), {"name": "自身建设", "order": 3})
    section = Section.objects.unscoped().get(scheme=scheme, name="自身建设")
    add = reverse("assessment:indicator_add", args=[section.uuid])
    # Chosen from the measures: its usual thresholds are offered.
    body = page(client, f"{add}?measure=casework.satisfaction")
    assert 'value="90' in body and 'value="60' in body and "满意率" in body
    assert "使用" in body
    # A computed indicator without its full-marks figure is refused beside the field, input kept.
    values = {
        "name": "代表满意度",
        "max_score": "10",
        "weight": "1",
        "kind": "computed",
        "measure": "casework.satisfaction",
        "formula": "linear",
        "full_at": "",
        "zero_at": "60",
    }
    body = client.post(add, values).content.decode()
    assert "代表满意度" in body and "满分" in body
    assert not Indicator.objects.unscoped().filter(name="代表满意度").exists()
    response = client.post(add, {**values, "full_at": "90"})
    assert response.status_code == 302
    indicator = Indicator.objects.unscoped().get(name="代表满意度")
    assert (indicator.full_at, indicator.zero_at, indicator.section) == (D(90), D(60), section)
    body = page(client, reverse("assessment:scheme", args=[scheme.uuid]))
    assert "≥90% 满分，≤60% 0分，之间按比例" in body

    edit = reverse("assessment:indicator_edit", args=[indicator.uuid])
    client.post(edit, {**values, "full_at": "90", "kind": "entered", "name": "满意度评定"})
    indicator.refresh_from_db()
    assert (indicator.kind, indicator.measure, indicator.name) == ("entered", "", "满意度评定")
    client.post(reverse("assessment:section_edit", args=[section.uuid]), {"name": "自身建设类", "order": 3})
    section.refresh_from_db()
    assert section.name == "自身建设类"
    client.post(reverse("assessment:indicator_remove", args=[indicator.uuid]))
    assert not Indicator.objects.unscoped().filter(pk=indicator.pk).exists()
    client.post(reverse("assessment:section_remove", args=[section.uuid]))
    assert not Section.objects.unscoped().filter(pk=section.pk).exists()
    events = set(AuditEntry.objects.filter(event__startswith="assessment.").values_list("event", flat=True))
    assert {"assessment.indicator.update", "assessment.section.remove", "assessment.indicator.remove"} <= events


def test_a_stale_edit_is_refused_and_keeps_the_input(client_for, world, scheme):
    client = client_for(world.county_admin)
    url = reverse("assessment:scheme_edit", args=[scheme.uuid])
    services.update_scheme(scheme, world.county_admin, version=scheme.version, title="别人改的标题", notes="")
    body = client.post(url, {"title": "我的标题", "notes": "我的说明", "version": 1}).content.decode()
    assert "此记录已被他人修改" in body and "我的标题" in body and "我的说明" in body
    scheme.refresh_from_db()
    assert scheme.title == "别人改的标题"
    client.post(url, {"title": "我的标题", "notes": "", "version": scheme.version})
    scheme.refresh_from_db()
    assert scheme.title == "我的标题"


def test_a_published_scheme_is_read_only(client_for, world, scheme):
    services.publish(scheme, world.county_admin, version=scheme.version)
    client = client_for(world.county_admin)
    body = page(client, reverse("assessment:scheme", args=[scheme.uuid]))
    assert "已锁定" in body and "修改考核方案" not in body and "添加指标" not in body
    response = client.post(
        reverse("assessment:scheme_edit", args=[scheme.uuid]), {"title": "改", "notes": "", "version": 9}, follow=True
    )
    assert "已锁定" in response.content.decode()
    section = scheme.sections.first()
    response = client.post(reverse("assessment:section_remove", args=[section.uuid]), follow=True)
    assert "已锁定" in response.content.decode()
    assert Section.objects.unscoped().filter(pk=section.pk).exists()
    scheme.refresh_from_db()
    assert scheme.title == "2025年度乡镇人大工作考核"


def test_the_menu_entry_is_for_the_office_roles(client_for, world):
    href = f'href="{reverse("assessment:schemes")}"'
    for username, shown in (("county_admin", True), ("leader", True), ("staff_a", True), ("deputy_a", False)):
        body = client_for(world.users[username]).get(reverse("home")).content.decode()
        assert (href in body) is shown, username
