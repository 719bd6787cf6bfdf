"""Excel exports of the roster and the composition report, through the documents module."""

from __future__ import annotations

from renda.core.pii import mask_id_number, mask_phone
from renda.documents import excel

from .models.choices import EDUCATION_WORDS, GENDER_WORDS, OCCUPATION_WORDS, PARTY_WORDS
from .models.people import mask_address
from .roster_columns import EXPORT_HEADERS as ROSTER_HEADERS


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def roster_rows(people, *, unmasked: bool) -> list[list[object]]:
    """One row per mandate shown on the roster (a person with two mandates has two rows)."""
    rows: list[list[object]] = []
    for person in people:
        phone = person.phone if unmasked else mask_phone(person.phone)
        id_number = person.id_number if unmasked else mask_id_number(person.id_number)
        address = person.address if unmasked else mask_address(person.address)
        for mandate in person.shown_mandates:
            rows.append(
                [
                    len(rows) + 1,
                    person.full_name,
                    GENDER_WORDS.get(person.gender, ""),
                    person.ethnicity,
                    person.birth_display,
                    PARTY_WORDS.get(person.party, ""),
                    EDUCATION_WORDS.get(person.education, ""),
                    person.workplace,
                    OCCUPATION_WORDS.get(person.occupation, ""),
                    person.township.name,
                    str(mandate.get_level_display()),
                    mandate.deputy_number,
                    mandate.constituency,
                    mandate.group.name if mandate.group else "",
                    mandate.station.name if mandate.station else "",
                    phone,
                    address,
                    id_number,
                    mandate.starts_on,
                    _yes(mandate.is_reelected),
                    _yes(mandate.is_returned_overseas),
                    person.note,
                ]
            )
    return rows


def roster_workbook(*, rows, caption: str, footer_note: str) -> bytes:
    return excel.workbook(
        sheets=[
            excel.Sheet(title="代表名册", headers=ROSTER_HEADERS, rows=rows, caption=caption, footer_note=footer_note)
        ]
    )
