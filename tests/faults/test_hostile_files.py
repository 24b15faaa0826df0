"""Hostile and broken upload files (issue #17 item 7): each gives a clear Dutch error, no 500 and
no stuck or exhausted worker. The checks run before anything big is inflated or parsed."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from signals import importing
from signals.importing import parse_rows
from signals.models import ImportBatch

pytestmark = [pytest.mark.fault, pytest.mark.django_db]

HEADER = ["ontvangen_op", "bron", "fenomeen", "omschrijving"]


def _xlsx(rows=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, content if item.filename == name else src.read(item.filename))
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def test_zip_bomb_xlsx_is_refused_before_it_is_inflated():
    bomb = _replace_part(_xlsx(), SHEET, b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros: ~60 kB zipped
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    rows, result = parse_rows(bomb, "bom.xlsx")
    assert rows == [] and "uitgepakt te groot" in result.file_error
    assert time.monotonic() - started < 2  # nothing was inflated


def test_entity_expansion_bomb_is_a_clear_error():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'.encode() for i in range(1, 10)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    rows, result = parse_rows(_replace_part(_xlsx(), SHEET, laughs), "lol.xlsx")
    assert rows == [] and "XLSX-bestand" in result.file_error


def test_invalid_character_reference_is_a_clear_error():
    broken = SHEET_HEAD + (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>ontvangen_op</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>&#0;</t></is></c></row></sheetData></worksheet>'
    )
    rows, result = parse_rows(_replace_part(_xlsx(), SHEET, broken), "kapot.xlsx")
    assert rows == [] and "XLSX-bestand" in result.file_error


def test_too_many_rows_stop_the_check_early(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 1000)
    data = _xlsx([["2026-01-02", "intern", "drugs", f"Regel {i}"] for i in range(1001)])
    rows, result = parse_rows(data, "groot.xlsx")
    assert rows == [] and "meer dan 1.000 regels" in result.file_error


def test_too_many_columns_are_refused():
    data = (
        "ontvangen_op;bron;fenomeen;omschrijving;" + ";".join(f"k{i}" for i in range(100)) + "\n"
    ).encode()
    rows, result = parse_rows(data, "breed.csv")
    assert rows == [] and "meer dan 60 kolommen" in result.file_error


def test_hostile_upload_through_the_web_answers_with_the_error_not_a_500(
    analyst, login, django_capture_on_commit_callbacks
):
    client = login(analyst)
    bomb = _replace_part(_xlsx(), SHEET, b"\0" * (60 * 1024 * 1024))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("signals:import"), {"file": SimpleUploadedFile("bom.xlsx", bomb)})
    assert resp.status_code in (302, 400)
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "uitgepakt te groot" in batch.errors[0]
    assert batch.stored_file == ""  # the hostile file is not kept


@pytest.fixture
def analyst(make_user):
    return make_user("analyst")
