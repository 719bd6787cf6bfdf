"""Names: pinyin for search and order, and the 姓氏笔画 key for the official order of published lists.

Pinyin comes from pypinyin, which has no surname mode: a surname read differently from the word
(单 shan, 曾 zeng, 解 xie…) and the compound surnames are taken from ``SURNAME_READINGS`` first.
The stroke key orders names as published lists do: by the stroke count of the first character,
then by its strokes in writing order (横 竖 撇 点 折), then the same for the next character.
"""

from functools import cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin

# Surnames whose reading as a surname differs from pypinyin's guess, and compound surnames, with
# the tone of each syllable (1–4) for the dictionary order.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu4", "chi2"),
    "万俟": ("mo4", "qi2"),
    "长孙": ("zhang3", "sun1"),
    "欧阳": ("ou1", "yang2"),
    "令狐": ("ling2", "hu2"),
    "澹台": ("tan2", "tai2"),
    "单于": ("chan2", "yu2"),
    "皇甫": ("huang2", "fu3"),
    "上官": ("shang4", "guan1"),
    "司马": ("si1", "ma3"),
    "诸葛": ("zhu1", "ge3"),
    "单": ("shan4",),
    "曾": ("zeng1",),
    "解": ("xie4",),
    "仇": ("qiu2",),
    "朴": ("piao2",),
    "查": ("zha1",),
    "区": ("ou1",),
    "盖": ("ge3",),
    "缪": ("miao4",),
    "翟": ("zhai2",),
    "乐": ("yue4",),
    "覃": ("qin2",),
    "尉": ("yu4",),
    "种": ("chong2",),
    "繁": ("po2",),
    "员": ("yun4",),
    "占": ("zhan1",),
    "任": ("ren2",),
    "沈": ("shen3",),
    "秘": ("bi4",),
    "召": ("shao4",),
    "华": ("hua4",),
    "纪": ("ji3",),
    "过": ("guo1",),
    "宿": ("su4",),
    "那": ("na1",),
    "都": ("du1",),
    "朝": ("chao2",),
    "重": ("chong2",),
    "叶": ("ye4",),
    "燕": ("yan1",),
    "折": ("she2",),
    "句": ("gou1",),
    "阚": ("kan4",),
    "隗": ("wei3",),
}
STROKE_TABLE = Path(__file__).with_name("data") / "strokes.txt"
# Strokes compared per character; no character in a name has more differing strokes than this.
STROKES_COMPARED = 24
UNKNOWN_COUNT = 99  # characters missing from the table sort after every known one of the same position


def toned_syllables(name: str) -> list[str]:
    """Pinyin syllables of a name with the tone as a digit (1–4, 5 for the neutral tone), the
    surname read as a surname: ["li3", "ming2"]."""
    name = "".join(name.split())
    for length in (2, 1):
        surname = name[:length]
        if len(surname) == length and surname in SURNAME_READINGS:
            rest = name[length:]
            return list(SURNAME_READINGS[surname]) + (_plain(rest) if rest else [])
    return _plain(name)


def _plain(text: str) -> list[str]:
    result = []
    for part in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore"):
        cleaned = "".join(ch for ch in part.lower() if ch.isascii() and ch.isalnum())
        if cleaned:
            result.append(cleaned)
    return result


def syllables(name: str) -> list[str]:
    """Toneless pinyin syllables of a name, the surname read as a surname."""
    return [syllable.rstrip("012345") for syllable in toned_syllables(name)]


def name_pinyin(name: str) -> str:
    return "".join(syllables(name))


def name_initials(name: str) -> str:
    return "".join(syllable[0] for syllable in syllables(name))


def pinyin_order_key(name: str) -> str:
    """A string whose order is the dictionary (拼音) order of names: character by character, by
    syllable, then by tone. Each syllable ends with its tone digit, which sorts before every
    letter, so 李 (li3) comes before 林 (lin2) and 陈 (chen2) before 程 (cheng2); comparing the
    toneless whole string would put lin… before lit…."""
    return "".join(toned_syllables(name))[:255]


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
