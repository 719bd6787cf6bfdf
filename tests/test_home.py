"""Each role's home page shows its own work and nothing it does not have."""

import re

import pytest
from django.urls import reverse

# What each role's home page must show and must not show, as functions of the personas.
HOME_TEXT = {
    "county_admin": (lambda w: [w.township_a.name, w.township_b.name], lambda w: [w.other_county.name]),
    "leader": (lambda w: [w.township_a.name, w.township_b.name], lambda w: [w.other_county.name]),
    "staff_a": (lambda w: [w.township_a.name], lambda w: [w.township_b.name]),
    "handler_x": (lambda w: [w.agency_a.name], lambda w: [w.agency_b.name, w.township_b.name]),
    "sysadmin": (lambda w: ["各角色账号数", "系统管理员"], lambda w: [w.township_a.name]),
    "secadmin": (lambda w: ["安全告警", "密码至少为 12 个字符"], lambda w: [w.township_a.name]),
    "auditadmin": (lambda w: ["最新审计记录"], lambda w: [w.township_a.name]),
}


def main_text(response) -> str:
    """The words inside <main>, without tags: what the page itself says, not the menu."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("username", list(HOME_TEXT))
def test_each_role_reaches_its_home_page(client, world, username):
    client.force_login(world.users[username])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = main_text(response)
    shown, hidden = HOME_TEXT[username]
    for words in shown(world):
        assert words in text
    for words in hidden(world):
        assert words not in text


def test_deputy_home_lists_own_mandates(client, world):
    client.force_login(world.deputy_a)
    body = client.get(reverse("home")).content.decode()
    assert world.group_a.name in body and world.group_b.name not in body


def test_handler_home_names_the_agency_and_counts_its_cases(client, world):
    # The handler's page says which agency it is and counts what awaits it in the inbox (real
    # counts of the agency's cases), never the township figures of other roles.
    client.force_login(world.handler_x)
    response = client.get(reverse("home"))
    text = main_text(response)
    agency = world.agency_a
    assert agency.name in text and agency.get_kind_display() in text and agency.township.name in text
    assert reverse("casework:inbox") in response.content.decode()
    assert world.township_b.name not in text


def test_login_page_is_public_and_in_chinese(client, world):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.content.decode()
