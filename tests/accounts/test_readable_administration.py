"""The audit and security administrators read events, details and browsers in words, never codes,
Python dict text or field paths."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from renda.accounts import audit, events
from renda.accounts.models import SessionRecord
from renda.accounts.user_agents import describe_user_agent

SRC = Path(__file__).resolve().parents[2] / "src" / "renda"


def _recorded_event_codes() -> set[str]:
    """Every event code written literally as the first argument of audit.record in the code base."""
    pattern = re.compile(r"\brecord\(\s*\"([a-z_]+(?:\.[a-z_]+)+)\"")
    codes = set()
    for path in SRC.rglob("*.py"):
        codes |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_recorded_event_has_a_chinese_name():
    codes = _recorded_event_codes()
    assert len(codes) > 40
    # benchmark_audit writes its entries into a throwaway database that nobody reads.
    unnamed = sorted(code for code in codes if events.event_label(code) == code and not code.startswith("bench."))
    assert unnamed == []
    # The units' events are built from the model name (organisations.services._event).
    for code in ("organisations.township.create", "organisations.deputygroup.deactivate", "export.deputies.roster"):
        assert events.event_label(code) != code


def test_an_undeclared_code_is_shown_as_it_is():
    assert events.event_label("plugin.something") == "plugin.something"


def test_declaring_one_code_with_two_names_fails():
    try:
        events.register_events({"probe.twice": "甲"})
        events.register_events({"probe.twice": "甲"})  # the same name again is fine
        with pytest.raises(ValueError):
            events.register_events({"probe.twice": "乙"})
        assert events.event_label("probe.twice") == "甲"
    finally:
        events._events.pop("probe.twice", None)


def test_details_are_labelled_values():
    pairs = events.describe(
        {"rows": 56, "masked": True, "fields": ["full_name", "id_number"], "level": "township", "kind": "elected"},
        target_type="deputies.person",
    )
    assert pairs == [
        ("行数", "56"),
        ("脱敏", "是"),
        ("字段", "姓名、身份证号码"),
        ("层级", "乡镇"),
        ("类型", "选举产生"),
    ]


def test_a_field_path_is_named_by_model_and_field():
    assert events.field_path_label("deputies.person.id_number") == "人员 · 身份证号码"
    assert events.field_path_label("nowhere.thing.field") == "nowhere.thing.field"


@pytest.mark.parametrize(
    ("user_agent", "words"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36",
            "Chrome 120 · Windows 10",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.1 Mobile/15E148 Safari/604.1",
            "Mobile Safari 17 · iOS 17.1",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            "Edge 120 · Windows 10",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox 121 · Linux"),
        ("something odd", "未知浏览器 · 未知系统"),
        ("", "—"),
    ],
)
def test_user_agent_in_words(user_agent, words):
    assert describe_user_agent(user_agent) == words


def _main(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def test_audit_log_shows_names_and_labelled_details(client, world):
    audit.record("pii.reveal", actor=world.staff_a, target=world.person_a, data={"field": "id_number"})
    audit.record("export.deputies.roster", actor=world.staff_a, data={"rows": 56, "masked": True})
    client.force_login(world.auditadmin)
    main = _main(client.get(reverse("accounts:audit_log")))
    assert "查看完整个人信息" in main and "导出代表名册" in main
    assert "身份证号码" in main and "行数：</span>56" in main
    text = re.sub(r'title="[^"]*"', "", main)
    assert "pii.reveal" not in text and "{'rows'" not in text and "id_number" not in text


def test_audit_log_finds_entries_by_the_shown_name(client, world):
    audit.record("export.deputies.roster", actor=world.staff_a, data={"rows": 3, "masked": True})
    audit.record("pii.reveal", actor=world.staff_a, target=world.person_a, data={"field": "phone"})
    client.force_login(world.auditadmin)
    main = _main(client.get(reverse("accounts:audit_log"), {"event": "导出代表名册"}))
    assert "导出代表名册" in main and "查看完整个人信息" not in main


def test_audit_home_and_chain_pages_name_events(client, world):
    client.force_login(world.auditadmin)  # the login itself is audited
    assert "登录" in _main(client.get(reverse("home")))
    assert "auth.login" not in re.sub(r'title="[^"]*"', "", _main(client.get(reverse("home"))))


def test_security_page_shows_browsers_and_fields_in_words(client, world):
    SessionRecord.objects.create(
        user=world.staff_a,
        key_digest="k" * 64,
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36",
    )
    client.force_login(world.secadmin)
    main = _main(client.get(reverse("accounts:security_overview")))
    assert "Chrome 120 · Windows 10" in main
    assert "人员 · 身份证号码" in main
    text = re.sub(r'title="[^"]*"', "", main)
    assert "deputies.person.id_number" not in text and "AppleWebKit" not in text
