"""Natural order for the names offices give their units: 第二代表小组 before 第十代表小组, and
第三 before 第二十. Plain string order would give 第一, 第三, 第二, 第十 (by code point)."""

import re

from django.db import models

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"[0-9]+|[零〇一二两三四五六七八九十百千]+")
# Wide enough for any unit number an office writes; longer numbers keep their own width.
WIDTH = 6


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral up to 9999: 十二 → 12, 二十 → 20, 一百零五 → 105, 三〇五 → 305."""
    if not any(char in _UNITS for char in text):
        # Digit by digit, as in house numbers and years: 三〇五, 二〇二六.
        return int("".join(str(_DIGITS[char]) for char in text))
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
    return total + (digit or 0)


def natural_key(name: str) -> str:
    """``name`` with every number, Arabic or Chinese, written as zero-padded digits."""
    return _NUMBER.sub(
        lambda match: f"{int(match[0]) if match[0].isdigit() else chinese_number(match[0]):0{WIDTH}d}", name
    )


class NaturalKeyField(models.CharField):
    """Kept equal to ``natural_key`` of another field on every save, bulk_create included, so that
    querysets can order by it in the database."""

    def __init__(self, *args, source: str = "name", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 255), ("editable", False), ("blank", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = natural_key(getattr(model_instance, self.source) or "")[: self.max_length]
        setattr(model_instance, self.attname, value)
        return value
