"""Download responses: a Chinese filename arrives intact, and nothing is cached."""

from urllib.parse import quote

import pytest

from renda.documents.http import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    docx_response,
    download_response,
    safe_filename,
    xlsx_response,
)


def test_docx_response_with_chinese_filename():
    response = docx_response(b"content", "代表履职档案-张三.docx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('代表履职档案-张三.docx')}" in disposition
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Length"] == "7"
    assert response.content == b"content"


def test_xlsx_response_adds_the_extension_and_keeps_ascii_names_readable():
    response = xlsx_response(b"x", "roster 2026")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="roster 2026.xlsx"'
    assert response["Cache-Control"] == "no-store"


def test_unsafe_filenames_are_cleaned():
    assert safe_filename('../../etc/"passwd"\r\n', ".docx") == "etc_passwd.docx"
    assert safe_filename("名册.XLSX", ".xlsx") == "名册.xlsx"
    assert safe_filename("", ".xlsx").endswith(".xlsx")
    assert len(safe_filename("长" * 500, ".docx")) <= 125


def test_download_response_picks_the_type_by_extension():
    assert download_response(b"x", "名册.XLSX")["Content-Type"] == XLSX_CONTENT_TYPE
    assert download_response(b"x", "档案.docx")["Content-Type"] == DOCX_CONTENT_TYPE
    with pytest.raises(ValueError):
        download_response(b"x", "名册.csv")
