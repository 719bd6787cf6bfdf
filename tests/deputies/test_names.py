"""Pinyin search and the official 姓氏笔画 order on real names, rare and polyphonic surnames included."""

import pytest
from django.urls import reverse

from renda.deputies.names import name_initials, name_pinyin, pinyin_order_key, stroke_key, strokes_of
from tests import factories


def test_published_order_by_surname_strokes():
    # Four strokes each; first strokes 横 横 撇 点 折 折 折, then the second stroke decides (王 before 韦).
    surnames = ["邓", "孔", "尹", "方", "毛", "韦", "王"]
    assert sorted(surnames, key=stroke_key) == ["王", "韦", "毛", "方", "尹", "孔", "邓"]
    # 李 has 7 strokes, 张 7 too: 李 starts with 横, 张 with 折.
    assert sorted(["张三", "李四"], key=stroke_key) == ["李四", "张三"]
    # Fewer strokes first, whatever the pinyin says.
    assert sorted(["曾国强", "区小红", "王五"], key=stroke_key) == ["王五", "区小红", "曾国强"]


def test_same_surname_is_ordered_by_the_next_character():
    names = ["王五", "王一", "王二"]
    assert sorted(names, key=stroke_key) == ["王一", "王二", "王五"]


def test_stroke_table_has_the_rare_surnames():
    for char, count in {"曾": 12, "单": 8, "解": 13, "仇": 4, "区": 4, "尉": 11, "朴": 6}.items():
        assert len(strokes_of(char)) == count, char


@pytest.mark.parametrize(
    "name, pinyin, initials",
    [
        ("曾国强", "zengguoqiang", "zgq"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("区小红", "ouxiaohong", "oxh"),
        ("查良镛", "zhaliangyong", "zly"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("张伟", "zhangwei", "zw"),
    ],
)
def test_surnames_are_read_as_surnames(name, pinyin, initials):
    assert name_pinyin(name) == pinyin
    assert name_initials(name) == initials


def test_roster_search_by_pinyin_initials_and_order(client, world):
    for name in ["曾国强", "单雄信", "解缙", "仇英", "区小红", "张伟"]:
        factories.MandateFactory(person__township=world.township_a, person__full_name=name)
    client.force_login(world.staff_a)
    url = reverse("deputies:roster")

    def names(**params):
        body = client.get(url, params).content.decode()
        return [n for n in ["曾国强", "单雄信", "解缙", "仇英", "区小红", "张伟"] if n in body]

    assert names(q="zengguo") == ["曾国强"]
    assert names(q="shanx") == ["单雄信"]
    assert names(q="xiej") == ["解缙"]
    assert names(q="qiuy") == ["仇英"]
    assert names(q="oxh") == ["区小红"]
    assert names(q="zw") == ["张伟"]
    assert names(q="zhangwei") == ["张伟"]
    assert names(q="国强") == ["曾国强"]

    body = client.get(url).content.decode()
    shown = sorted(["曾国强", "单雄信", "解缙", "仇英", "区小红", "张伟"], key=body.index)
    assert shown == ["区小红", "仇英", "张伟", "单雄信", "曾国强", "解缙"]
    body = client.get(url, {"order": "pinyin"}).content.decode()
    shown = sorted(["曾国强", "单雄信", "解缙", "仇英", "区小红", "张伟"], key=body.index)
    assert shown == ["区小红", "仇英", "单雄信", "解缙", "曾国强", "张伟"]


@pytest.mark.parametrize(
    "names",
    [
        # Syllable by syllable, then by tone: li2 黎, li3 李, lin2 林, liu2 刘 — comparing the
        # toneless strings would put "linfang" before "litao".
        ["黎明", "李涛", "林芳", "刘洋"],
        ["陈刚", "程杰"],  # chen before cheng, whatever follows
        ["余波", "袁华"],  # yu before yuan
        ["卢平", "吕梁"],  # lu before lü
    ],
)
def test_pinyin_order_is_syllable_by_syllable(names):
    given = list(reversed(names))  # a sort that did nothing would fail
    assert sorted(given, key=pinyin_order_key) == names


def test_roster_in_pinyin_order_compares_syllables(client, world):
    names = ["黎明", "李涛", "林芳", "刘洋", "陈刚", "程杰", "余波", "袁华"]
    for name in reversed(names):
        factories.MandateFactory(person__township=world.township_a, person__full_name=name)
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:roster"), {"order": "pinyin"}).content.decode()
    assert sorted(names, key=body.index) == ["陈刚", "程杰", "黎明", "李涛", "林芳", "刘洋", "余波", "袁华"]
