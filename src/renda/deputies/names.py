"""Names: pinyin for search and the 姓氏笔画 key for the official order of published lists.

Pinyin comes from pypinyin, which has no surname mode: a surname read differently from the word
(单 shan, 曾 zeng, 解 xie…) and the compound surnames are taken from ``SURNAME_READINGS`` first.
The stroke key orders names as published lists do: by the stroke count of the first character,
then by its strokes in writing order (横 竖 撇 点 折), then the same for the next character.
"""

from functools import cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin

# Surnames whose reading as a surname differs from pypinyin's guess, and compound surnames.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "欧阳": ("ou", "yang"),
    "令狐": ("ling", "hu"),
    "澹台": ("tan", "tai"),
    "单于": ("chan", "yu"),
    "皇甫": ("huang", "fu"),
    "上官": ("shang", "guan"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "查": ("zha",),
    "区": ("ou",),
    "盖": ("ge",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "乐": ("yue",),
    "覃": ("qin",),
    "尉": ("yu",),
    "种": ("chong",),
    "繁": ("po",),
    "员": ("yun",),
    "占": ("zhan",),
    "任": ("ren",),
    "沈": ("shen",),
    "秘": ("bi",),
    "召": ("shao",),
    "华": ("hua",),
    "纪": ("ji",),
    "过": ("guo",),
    "宿": ("su",),
    "那": ("na",),
    "都": ("du",),
    "朝": ("chao",),
    "重": ("chong",),
    "叶": ("ye",),
    "燕": ("yan",),
    "折": ("she",),
    "句": ("gou",),
    "阚": ("kan",),
    "隗": ("wei",),
}
STROKE_TABLE = Path(__file__).with_name("data") / "strokes.txt"
# Strokes compared per character; no character in a name has more differing strokes than this.
STROKES_COMPARED = 24
UNKNOWN_COUNT = 99  # characters missing from the table sort after every known one of the same position


def syllables(name: str) -> list[str]:
    """Toneless pinyin syllables of a name, the surname read as a surname."""
    name = "".join(name.split())
    for length in (2, 1):
        surname = name[:length]
        if len(surname) == length and surname in SURNAME_READINGS:
            rest = name[length:]
            return list(SURNAME_READINGS[surname]) + (_plain(rest) if rest else [])
    return _plain(name)


def _plain(text: str) -> list[str]:
    result = []
    for part in lazy_pinyin(text, style=Style.NORMAL, errors="ignore"):
        cleaned = "".join(ch for ch in part.lower() if ch.isascii() and ch.isalnum())
        if cleaned:
            result.append(cleaned)
    return result


def name_pinyin(name: str) -> str:
    return "".join(syllables(name))


def name_initials(name: str) -> str:
    return "".join(syllable[0] for syllable in syllables(name))


@cache
def _strokes() -> dict[str, str]:
    table: dict[str, str] = {}
    with STROKE_TABLE.open(encoding="utf-8") as handle:
        for line in handle:
            if line and not line.startswith("#"):
                line = line.rstrip("\n")
                table[line[0]] = line[1:]
    return table


def strokes_of(char: str) -> str | None:
    """The character's strokes as digits 1–5 (横竖撇点折), or None if the table lacks it."""
    return _strokes().get(char)


def stroke_key(name: str) -> str:
    """A string whose order is the 姓氏笔画 order of names. Characters outside the table sort after
    the known ones (then by code point), so a rare character never breaks the list."""
    parts = []
    for char in name:
        if char.isspace() or char in "·•.-":
            continue
        strokes = strokes_of(char)
        if strokes is None:
            parts.append(f"{UNKNOWN_COUNT:02d}{'':0<{STROKES_COMPARED}}{ord(char):06x}")
        else:
            parts.append(f"{len(strokes):02d}{strokes[:STROKES_COMPARED]:0<{STROKES_COMPARED}}{ord(char):06x}")
    return "".join(parts)[:255]
