"""Dates as officials type them into tables and forms: 1975.03, 1975年3月7日, 19750307, …

A month-precision date (1975.03, 1975年3月, 197503) becomes the first day of that month, and the
caller learns the precision so it can show "1975年3月" rather than invent a day.
"""

import re
import unicodedata
from datetime import date
from typing import Literal, NamedTuple

Precision = Literal["day", "month"]

# Years outside this range are far more likely a typo or another number (an ID fragment, a phone
# number) than a date anyone means in this domain.
MIN_YEAR = 1900
MAX_YEAR = 2099


class ParsedDate(NamedTuple):
    """A ``(date, precision)`` pair: unpack it as ``value, precision = parse_chinese_date(text)``."""

    date: date
    precision: Precision


_SEP = r"\s*[.\-/．。、]\s*"
_TIME = r"(?:\s*[T\s]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_PATTERNS: tuple[tuple[re.Pattern[str], Precision], ...] = (
    # 1975年3月7日 / 1975年3月7号 / 1975年03月
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), "day"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月?"), "month"),
    # 1975-03-07, 1975/3/7, 1975.3.7 (optionally followed by a time, as an ISO datetime is)
    (re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}}){_TIME}"), "day"),
    # 1975.03, 1975.3, 1975-03, 1975/3
    (re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})"), "month"),
    # 19750307 and 197503
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), "day"),
    (re.compile(r"(\d{4})(\d{2})"), "month"),
)


def parse_chinese_date(text: str | None) -> ParsedDate | None:
    """Parse a date as typed in Chinese tables; ``None`` when it is not a real date.

    Accepts full-width digits and stray spaces. Month precision gives the first day of the month.
    The whole text must be the date: "1975.03 前后" is not parsed.
    """
    if not text:
        return None
    normalised = unicodedata.normalize("NFKC", str(text)).strip()
    for pattern, precision in _PATTERNS:
        match = pattern.fullmatch(normalised)
        if not match:
            continue
        parts = [int(group) for group in match.groups()]
        year, month = parts[0], parts[1]
        day = parts[2] if precision == "day" else 1
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        try:
            return ParsedDate(date(year, month, day), precision)
        except ValueError:
            return None
    return None


def format_chinese_date(value: date, precision: Precision = "day") -> str:
    """The official way of writing a date (GB/T 9704-2012 7.3.5.2): Arabic numerals, no leading zeros."""
    if precision == "month":
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"
