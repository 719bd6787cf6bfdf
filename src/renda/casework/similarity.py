"""Ranking of likely duplicate cases by Chinese text similarity (issue 10, point 7).

Pure functions, no Django: ``rank(query, candidates)`` returns the candidates most similar to the
query with a score in [0, 1]; ``selectors.propose_duplicates`` feeds it the county's open and recent
cases, and ``manage.py evaluate_duplicates`` measures it on ``data/duplicate_set.json``.

How two texts are compared
  * The topic: words from jieba (pinned; the most used Chinese segmenter, whose dictionary and IDF
    table ``jieba/analyse/idf.txt`` ship with the wheel), each weighing ``(1 + log tf) * idf`` with
    the IDF of jieba's table (a large general corpus), so a word common in any Chinese text weighs
    little whatever the handful of candidates at hand; plus the characters and character bigrams of
    the runs of Chinese characters, which catch what the segmenter cuts differently in two texts
    (人民路路灯 → 人民/路路/灯 vs 人民/路/路灯) and the same matter in other words (吃水难 / 饮水困难),
    weighed with the IDF of the collection being ranked (query + candidates, smoothed), as no corpus
    table exists for them. Boilerplate of petitions
    (建议, 关于, 问题, 希望, 请求, 群众反映 …) is dropped. Topic score = cosine of the two vectors.
  * The places: a word followed by 村/组/路/街/镇/社区… is one place token (青石 + 村 → 青石村);
    a number with a unit naming a place or a building is one token (3组, 12号楼; Chinese numerals
    before such a unit are read as digits: 三组 → 3组), and so is a road (320国道, G320 → g320); a
    place followed by such a number adds a compound token (青石村·3组). Place names are taken out of the topic text.
  * Score = topic × (PLACE_FLOOR + (1 − PLACE_FLOOR) × cosine of the place tokens) when both texts
    name places, topic × NO_PLACE_FACTOR when one does not. A duplicate needs both the same matter
    and the same place: the same problem in another village keeps about a third of its score, in
    another group of the same village about half; another problem in the same village stays as low
    as its topic score. The score is in [0, 1]; ties keep the candidates' order, so the ranking is
    deterministic.

Why not a BM25 library: bm25s (the maintained one) brings numpy/scipy for an index built once over
a static corpus and gives unbounded scores; here the collection is the county's open and recent
cases read per request (hundreds, not millions), the scores must be comparable to a fixed threshold,
and the domain boosts are per token. A cosine over TF-IDF vectors is a few lines on top of the
library doing the hard part (segmentation and the corpus IDF).

jieba loads its dictionary lazily (about a second); ``_tokenizer()`` does it once per process under
a lock, and the analysis of a text is cached, so tests and repeated requests pay it once.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

K = TypeVar("K")

# Weights, tuned on data/duplicate_set.json (see evaluate_duplicates).
BIGRAM_WEIGHT = 1.0  # a character bigram against a word of the same IDF
# Single characters carry much of the meaning in Chinese (吃水 / 饮水 / 缺水 share 水): weighed high, they
# catch the same matter in other words, which words and bigrams miss.
UNIGRAM_WEIGHT = 3.0
QUANTITY_WEIGHT = 0.5  # 1.2 公里, 46 户: a quantity says less than a word
COMPOUND_WEIGHT = 1.0  # 青石村·3组 against 青石村 or 3组 alone
PLACE_FLOOR = 0.35  # share of the topic score kept when both texts name places and none agree
NO_PLACE_FACTOR = 0.75  # when one of the texts names no place: neither confirmed nor contradicted


def _words(text: str) -> list[str]:
    return text.split()


# A unit after a number that names a place or a building, not a quantity.
PLACE_UNITS = tuple(_words("号楼 国道 省道 县道 乡道 村道 单元 组 队 社 号 栋 幢 楼 路 巷 弄 期"))
# A word followed by one of these (as a separate token) is a place name: 青石 + 村, 人民 + 路.
PLACE_SUFFIXES = frozenset(_words("村 组 社区 小区 路 街 巷 镇 乡 桥 河 湾 坪 渠"))
# A single word ending in one of these is a place name (红星村, 老街, 白沙小学); 路 and 河 are left out
# here, too many common words end in them (公路, 销路, 河道 is generic anyway).
WORD_PLACE_SUFFIXES = ("村", "镇", "乡", "街", "社区", "小区", "小学", "中学", "幼儿园", "卫生院", "卫生室")
# Generic words ending in a place suffix that name no place.
GENERIC_PLACES = frozenset(
    _words(
        "农村 乡村 城乡 乡镇 村镇 全村 本村 我村 该村 各村 村里 集镇 城镇 街 大街 上街 "
        "逛街 社区 小区 小学 中学 幼儿园 卫生院 卫生室 本组 各组 村组 小组 通组 "
        "公办幼儿园 民办幼儿园 村卫生室 乡镇卫生院 这个村 沿街 临街"
    )
)
# Words that, before 路/村/组…, make no place name: 那条 + 路, 几个 + 组, 帮助 + 村(卫生室).
NOT_PLACE_HEADS = frozenset(_words("这条 那条 一条 每条 条 几个 各个 两个 帮助 沿 大雨 小雨 下雨"))
STOP_WORDS = frozenset(
    _words(
        "建议 关于 问题 希望 请求 要求 反映 群众 群众反映 村民 居民 有关 部门 有关部门 尽快 "
        "解决 进行 相关 我们 他们 现在 目前 今年 一直 非常 十分 比较 已经 没有 存在 影响 "
        "情况 方面 工作 加强 政府 代表 走访 发现 调研 视察 接待 选民 帮忙 麻烦 一下 一个 "
        "这个 那个 可以 能够 需要 提出 多次 经常 严重 困难 不便 方便 实在 的 了 和 是 在 "
        "有 也 就 都 把 将 对 从 到 为 被 请 让 给 又 很 太 还 要 能 会 着 过 我 你 "
        "他 这 那 个 等 及 与 或 并 而 但 则 之 其 该 上 下 中"
    )
)

_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_UNITS = "|".join(sorted(PLACE_UNITS, key=len, reverse=True))
_CN_NUMBER_BEFORE_UNIT = re.compile(rf"([零〇一二两三四五六七八九十]{{1,4}})(?=(?:{_UNITS}))")
_ROAD_CLASSES = {"国道": "g", "省道": "s", "县道": "x", "乡道": "y"}
# A number, or a road code (G320 national, S205 provincial, X205 county, Y012 township road), with the
# unit that may follow; 路 is no unit before 面, 口, 段… (205路面 is a road's surface).
_NUMBER = re.compile(rf"((?<![a-z])[gsxy]\d{{3}}(?!\d)|\d+(?:\.\d+)?)((?:{_UNITS})(?<!路)|路(?![面口段边灯上况线基]))?")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_WORDLIKE = re.compile(r"[\u4e00-\u9fffa-z]")
# 青山集镇 (the town centre) is the place 青山镇.
_TOWN_CENTRE = re.compile(r"(?<=[\u4e00-\u9fff])集镇")

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _cn_to_int(text: str) -> int | None:
    """Read a Chinese numeral up to 99 (三 → 3, 十二 → 12, 二十三 → 23); None if it is not one."""
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    high = _CN_DIGITS.get(tens, 0) if tens else 1
    low = _CN_DIGITS.get(ones, 0) if ones else 0
    return high * 10 + low


def _tokenizer() -> tuple[Any, dict[str, float], float]:
    """jieba's tokenizer and IDF table, loaded once per process."""
    if not _state:
        with _lock:
            if not _state:
                import jieba
                import jieba.analyse

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                idf, median = jieba.analyse.TFIDF().idf_loader.get_idf()
                _state.update(tokenizer=tokenizer, idf=idf, median=median)
    return _state["tokenizer"], _state["idf"], _state["median"]


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, Chinese numerals before a place unit as digits."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _TOWN_CENTRE.sub("镇", text)

    def digits(match: re.Match[str]) -> str:
        value = _cn_to_int(match.group(1))
        return match.group(1) if value is None else str(value)

    return _CN_NUMBER_BEFORE_UNIT.sub(digits, text)


def _is_han_word(token: tuple[str, str] | None) -> bool:
    return token is not None and token[0] == "word" and bool(_HAN.fullmatch(token[1]))


def _is_place(word: str) -> bool:
    if word in GENERIC_PLACES or not _HAN.fullmatch(word):
        return False
    return any(word.endswith(suffix) and len(word) > len(suffix) for suffix in WORD_PLACE_SUFFIXES)


def tokens(text: str) -> list[tuple[str, str]]:
    """The text's tokens as (kind, token), kind one of word, place, number, quantity, compound.

    Stop-words are left out. ``place`` is a place name (青石村), ``number`` a number naming a place,
    a building or a road (3组, 12号楼, g320 for 320国道), ``compound`` a place followed by such a
    number (青石村·3组).
    """
    return [token for token in _segments(text) if token[0] not in ("stop", "gap")]


def _segments(text: str) -> list[tuple[str, str]]:
    """``tokens`` with the stop-words (kind stop) and the punctuation and spaces (kind gap) kept."""
    tokenizer, _, _ = _tokenizer()
    text = normalise(text)
    result: list[tuple[str, str]] = []
    position = 0
    pieces: list[tuple[str, str]] = []
    for match in _NUMBER.finditer(text):
        pieces.append(("text", text[position : match.start()]))
        value, unit = match.group(1), match.group(2)
        if unit in _ROAD_CLASSES:  # 320国道, G320国道 and G320 are the same road: g320
            pieces.append(("number", value if value[0].isalpha() else _ROAD_CLASSES[unit] + value))
        elif unit or value[0].isalpha():
            pieces.append(("number", value + (unit or "")))
        else:
            pieces.append(("quantity", value))
        position = match.end()
    pieces.append(("text", text[position:]))

    for kind, piece in pieces:
        if kind != "text":
            if kind == "number" and result and result[-1][0] == "place":
                result.append(("compound", f"{result[-1][1]}·{piece}"))
            result.append((kind, piece))
            continue
        for raw in tokenizer.lcut(piece):
            word = raw.strip()
            if not word or not _WORDLIKE.search(word):
                result.append(("gap", ""))
                continue
            previous = result[-1] if result else None
            if (
                word in PLACE_SUFFIXES
                and previous is not None
                and _is_han_word(previous)
                and previous[1] not in STOP_WORDS
                and previous[1] not in NOT_PLACE_HEADS
            ):
                result[-1] = ("place", previous[1] + word)
            elif word in STOP_WORDS:
                result.append(("stop", word))
            elif _is_place(word):
                result.append(("place", word))
            else:
                result.append(("word", word))
            # jieba cuts an unknown name before a known word: 青/山镇 → 青山镇.
            if (
                result[-1][0] == "place"
                and len(result[-1][1]) <= 3
                and len(result) > 1
                and _is_han_word(result[-2])
                and len(result[-2][1]) == 1
                and result[-2][1] not in STOP_WORDS
            ):
                result[-2:] = [("place", result[-2][1] + result[-1][1])]
    return result


@lru_cache(maxsize=4096)
def _analyse(text: str) -> tuple[dict[str, float], dict[str, float], Counter[str]]:
    """Weighted topic words, weighted place features and character and bigram counts of one text (cached)."""
    _, idf, median = _tokenizer()
    segments = _segments(text)
    counts: Counter[tuple[str, str]] = Counter(t for t in segments if t[0] not in ("stop", "gap"))
    topic: dict[str, float] = {}
    places: dict[str, float] = {}
    for (kind, token), count in counts.items():
        tf = 1 + math.log(count)
        if kind == "word":
            topic[token] = tf * idf.get(token, median)
        elif kind == "quantity":
            topic["#" + token] = tf * QUANTITY_WEIGHT * median
        else:
            places[f"{kind}:{token}"] = tf * (COMPOUND_WEIGHT if kind == "compound" else 1.0)
    # Characters and bigrams of the runs of plain words: places, numbers, stop-words and punctuation
    # break the runs, so that the topic score is about the matter, not where it is or the boilerplate.
    runs = "".join(token if kind == "word" else " " for kind, token in segments)
    grams: Counter[str] = Counter()
    for run in _HAN.findall(runs):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
        grams.update(char for char in run if char not in STOP_WORDS)
    return topic, places, grams


def _topic_vector(text: str, gram_idf: dict[str, float], unseen_idf: float) -> dict[str, float]:
    words, _, grams = _analyse(text)
    vector = dict(words)
    for gram, count in grams.items():
        weight = BIGRAM_WEIGHT if len(gram) == 2 else UNIGRAM_WEIGHT
        vector["chars:" + gram] = weight * (1 + math.log(count)) * gram_idf.get(gram, unseen_idf)
    return vector


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b.get(feature, 0.0) for feature, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return min(1.0, dot / norm) if norm else 0.0


def similarity(topic: float, places_a: dict[str, float], places_b: dict[str, float]) -> float:
    """Combine the topic score with the agreement of the places the two texts name.

    The same matter in another village keeps only ``PLACE_FLOOR`` of its topic score (in another group
    of the same village, a little more: the village agrees); another matter in the same village stays
    as low as its topic score: a duplicate needs both.
    """
    if not places_a or not places_b:
        return topic * NO_PLACE_FACTOR
    return topic * (PLACE_FLOOR + (1 - PLACE_FLOOR) * _cosine(places_a, places_b))


def rank(query: str, candidates: Iterable[tuple[K, str]], *, limit: int | None = 3) -> list[tuple[K, float]]:
    """The candidates (key, text) most similar to the query, best first, as (key, score in [0, 1]).

    ``limit=None`` scores them all. Scores are rounded to 4 places; equal scores keep the order in
    which the candidates came, so the result is deterministic.
    """
    items: Sequence[tuple[K, str]] = list(candidates)
    if not items or not (query or "").strip():
        return []
    documents = len(items) + 1
    frequency: Counter[str] = Counter()
    for text in [query, *(text for _, text in items)]:
        frequency.update(_analyse(text)[2].keys())
    gram_idf = {gram: math.log((documents + 1) / (df + 0.5)) + 1 for gram, df in frequency.items()}
    unseen_idf = math.log((documents + 1) / 1.5) + 1
    query_topic, query_places = _topic_vector(query, gram_idf, unseen_idf), _analyse(query)[1]
    scored = []
    for key, text in items:
        topic = _cosine(query_topic, _topic_vector(text, gram_idf, unseen_idf))
        scored.append((key, round(similarity(topic, query_places, _analyse(text)[1]), 4)))
    ordered = sorted(enumerate(scored), key=lambda pair: (-pair[1][1], pair[0]))
    result = [pair for _, pair in ordered]
    return result if limit is None else result[:limit]


# --- Evaluation on a labelled set -----------------------------------------------------------------


def evaluate(items: Sequence[dict[str, str]], *, k: int = 3, threshold: float = 0.0) -> dict[str, float]:
    """Precision and recall at k of ``rank`` on labelled items (dicts with id, cluster, title, content).

    Each item is the query in turn; the others are the candidates. For an item whose cluster has
    s members, the relevant candidates are the s - 1 others.
      * precision_at_k: relevant among the top k / k, averaged over the items with at least one
        relevant candidate (the usual P@k; with clusters of 2 to 4 it cannot reach 1 —
        ``precision_ceiling`` is its best possible value on the set).
      * recall_at_k: relevant among the top k / (s - 1), averaged over the same items.
      * With the threshold, only the top k scoring at least ``threshold`` are proposed:
        ``proposed_precision`` = relevant proposals / all proposals over every item (singletons
        included: what a clerk sees), ``proposed_recall`` = as recall_at_k counting only proposals,
        ``singletons_with_proposal`` = share of items with no duplicate that still get a proposal.
    """
    texts = [(item["id"], f"{item['title']}\n{item['content']}") for item in items]
    cluster = {item["id"]: item["cluster"] for item in items}
    size = Counter(cluster.values())
    precision, recall, ceiling, proposed_recall = [], [], [], []
    proposals = relevant_proposals = singletons = singletons_flagged = 0
    for key, text in texts:
        ranked = rank(text, [(other, body) for other, body in texts if other != key], limit=k)
        hits = [cluster[other] == cluster[key] for other, _ in ranked]
        kept = [hit for (_, score), hit in zip(ranked, hits, strict=True) if score >= threshold]
        proposals += len(kept)
        relevant_proposals += sum(kept)
        relevant = size[cluster[key]] - 1
        if relevant:
            precision.append(sum(hits) / k)
            recall.append(sum(hits) / relevant)
            ceiling.append(min(k, relevant) / k)
            proposed_recall.append(sum(kept) / relevant)
        else:
            singletons += 1
            singletons_flagged += bool(kept)

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    return {
        "items": len(texts),
        "queries_with_duplicates": len(precision),
        "precision_at_k": mean(precision),
        "precision_ceiling": mean(ceiling),
        "recall_at_k": mean(recall),
        "threshold": threshold,
        "proposed_precision": relevant_proposals / proposals if proposals else 1.0,
        "proposed_recall": mean(proposed_recall),
        "singletons_with_proposal": singletons_flagged / singletons if singletons else 0.0,
    }


def labelled_set(path: str | Path | None = None) -> list[dict[str, str]]:
    """The labelled items of ``path``, by default the set shipped in data/duplicate_set.json."""
    import json

    path = Path(path) if path else Path(__file__).with_name("data") / "duplicate_set.json"
    return list(json.loads(path.read_text(encoding="utf-8"))["items"])
