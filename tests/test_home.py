"""Each role's home page shows its own work and nothing it does not have."""

import pytest
from django.urls import reverse

HOME_TEXT = {
    "county_admin": ["甲镇", "乙镇"],
    "leader": ["甲镇", "乙镇"],
    "staff_a": ["甲镇"],
    "handler_x": ["handler_x"],
    "sysadmin": [],
    "secadmin": ["12"],
    "auditadmin": [],
}


@pytest.mark.parametrize("username", list(HOME_TEXT))
def test_each_role_reaches_its_home_page(client, world, username):
    user = world.users[username]
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    for text in HOME_TEXT[username]:
        assert text in body or text in user.username


def test_deputy_home_lists_own_mandates(client, world):
    client.force_login(world.deputy_a)
    body = client.get(reverse("home")).content.decode()
    assert world.group_a.name in body and world.group_b.name not in body


def test_handler_home_names_the_agency_and_shows_no_invented_figures(client, world):
    client.force_login(world.handler_x)
    body = client.get(reverse("home")).content.decode()
    assert world.agency_a.name in body


def test_login_page_is_public_and_in_chinese(client, world):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.content.decode()
