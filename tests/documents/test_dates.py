"""Dates as officials type them."""

from datetime import date

import pytest

from renda.documents.dates import format_chinese_date, parse_chinese_date


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("1975.03", date(1975, 3, 1), "month"),
        ("1975.3", date(1975, 3, 1), "month"),
        ("1975.10", date(1975, 10, 1), "month"),
        ("1975年3月", date(1975, 3, 1), "month"),
        ("1975年03月", date(1975, 3, 1), "month"),
        ("1975年3月7日", date(1975, 3, 7), "day"),
        ("1975 年 3 月 7 日", date(1975, 3, 7), "day"),
        ("1975-03-07", date(1975, 3, 7), "day"),
        ("1975/3/7", date(1975, 3, 7), "day"),
        ("1975.3.7", date(1975, 3, 7), "day"),
        ("19750307", date(1975, 3, 7), "day"),
        ("197503", date(1975, 3, 1), "month"),
        ("1975-03", date(1975, 3, 1), "month"),
        ("１９７５．０３", date(1975, 3, 1), "month"),  # full-width, as a Chinese input method types
        (" 1975.03 ", date(1975, 3, 1), "month"),
        ("2024-02-29", date(2024, 2, 29), "day"),
        ("1980-01-02 00:00", date(1980, 1, 2), "day"),
    ],
)
def test_parses(text, expected, precision):
    parsed = parse_chinese_date(text)
    assert parsed == (expected, precision)
    value, parsed_precision = parsed
    assert value == expected and parsed_precision == precision
    assert parsed.date == expected and parsed.precision == precision


@pytest.mark.parametrize(
    "text",
    [
        "1975.13",
        "1975年13月",
        "1975.00",
        "1975年2月30日",
        "2023-02-29",
        "19751301",
        "197513",
        "abc",
        "",
        None,
        "1975",
        "75.03",
        "1975.03 前后",
        "1875.03",
        "13800138000",
    ],
)
def test_invalid_is_none(text):
    assert parse_chinese_date(text) is None


def test_format_chinese_date():
    assert format_chinese_date(date(2026, 3, 7)) == "2026年3月7日"
    assert format_chinese_date(date(1975, 3, 1), "month") == "1975年3月"
