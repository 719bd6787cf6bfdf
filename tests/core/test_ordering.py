"""Units are listed in the order their names count: 第一, 第二 … 第十, 第十一, 第二十."""

import pytest
from django.urls import reverse

from renda.core.ordering import chinese_number, natural_key
from tests import factories


@pytest.mark.parametrize(
    "text, value",
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十五", 25),
        ("一百零五", 105),
        ("两百", 200),
        ("三〇五", 305),
    ],
)
def test_chinese_numerals(text, value):
    assert chinese_number(text) == value


def test_names_sort_by_the_numbers_in_them():
    names = [
        "第一代表小组",
        "第二代表小组",
        "第三代表小组",
        "第四代表小组",
        "第十代表小组",
        "第11代表小组",
        "第二十代表小组",
    ]
    given = list(reversed(names))  # a sort that did nothing would fail
    assert sorted(given, key=natural_key) == names


def test_a_townships_groups_and_stations_are_listed_in_natural_order(client, world):
    groups = ["第一代表小组", "第二代表小组", "第三代表小组", "第四代表小组", "第十代表小组"]
    for name in ["第三代表小组", "第十代表小组", "第一代表小组", "第四代表小组", "第二代表小组"]:
        factories.DeputyGroupFactory(township=world.township_a, name=name)
    client.force_login(world.staff_a)
    body = client.get(reverse("organisations:township_detail", args=[world.township_a.uuid])).content.decode()
    assert sorted(groups, key=body.index) == groups
    assert [g.name for g in world.township_a.deputy_groups.filter(name__in=groups)] == groups
