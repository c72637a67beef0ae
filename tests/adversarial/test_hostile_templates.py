"""Hostile steward templates POSTed to /api/imports through the real app.

Malformed CSV and XLSX, zip bombs (declared and disguised), a sheet that claims a million rows and
sixteen thousand columns, wrong encodings and formulas in cells: each is a 4xx problem+json that
names the problem and where (file, sheet, row, column), the store's data stays as it was, and the
service keeps answering.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from typing import Any

import openpyxl
import pytest

from tests.adversarial.conftest import assert_alive, assert_problem, data_snapshot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = "id,name,type,country\n"
GOOD_ROW = "adv-org,Adversarial Optics B.V.,Company,NL\n"


def post(client: Any, token: str, body: bytes, media: str, template: str | None = "organisations") -> Any:
    params = {"template": template} if template and media == "text/csv" else {}
    return client.post(
        "/api/imports",
        content=body,
        params=params,
        headers={"Authorization": f"Bearer {token}", "Content-Type": media},
    )


def refused(client: Any, disk_store: Any, token: str, body: bytes, media: str, status: int = 400) -> dict[str, Any]:
    """POST, expect a ``status`` problem; the data unchanged and the service up afterwards."""
    before = data_snapshot(disk_store)
    started = time.monotonic()
    problem = assert_problem(post(client, token, body, media), status)
    assert time.monotonic() - started < 20, "a hostile template must be refused quickly"
    assert data_snapshot(disk_store) == before
    assert_alive(client)
    return problem


def workbook(rows: list[list[Any]], title: str = "organisations") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_part(data: bytes, name: str, change: Any) -> bytes:
    """The workbook with one part's bytes replaced by ``change(old)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            target.writestr(entry, change(content) if entry.filename == name else content)
    return out.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def sheet_xml(data: bytes) -> str:
    return next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("xl/worksheets/sheet"))


# -- CSV -------------------------------------------------------------------------------------------


def test_csv_with_an_unknown_column_names_it(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    body = refused(
        client, disk_store, tokens["steward"], b"id,name,type,country,colour\n" + GOOD_ROW.encode(), "text/csv"
    )
    assert "colour" in body["detail"]
    assert any(p["row"] == 1 and p["cell"] == "E1" for p in body["problems"]), body


def test_csv_wrong_cells_are_all_named(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    data = (HEADER + GOOD_ROW + "x2,Second,Spaceship,NL\nx3,Third,Company,Narnia\n").encode()
    body = refused(client, disk_store, tokens["steward"], data, "text/csv")
    cells = {p["cell"] for p in body["problems"]}
    assert {"C3", "D4"} <= cells, body["problems"]
    assert "row 3" in body["detail"] and "row 4" in body["detail"]


def test_csv_field_over_the_csv_limit(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    data = (HEADER + 'x,"' + "a" * 200_000 + '",Company,NL\n').encode()
    body = refused(client, disk_store, tokens["steward"], data, "text/csv")
    assert "upload.csv" in body["detail"] and ":2" in body["detail"], body["detail"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("utf-16", (HEADER + GOOD_ROW).encode("utf-16"), "NUL"),
        ("binary", b"\x81\x8d\x8f\x90\x9d" * 20 + b"\n", "UTF-8"),
        ("zip bytes as csv", workbook([["id", "name"]]), "UTF-8"),
    ],
)
def test_csv_in_a_wrong_encoding(
    client: Any, disk_store: Any, tokens: dict[str, str], name: str, data: bytes, words: str
) -> None:
    body = refused(client, disk_store, tokens["steward"], data, "text/csv")
    assert words in body["detail"] and "upload.csv" in body["detail"], body["detail"]


def test_latin1_csv_is_read_as_windows_1252(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    """Not an attack: what older Excel saves. Checked in a dry run (nothing stored)."""
    data = (HEADER + "adv-muller,Müller Präzision GmbH,Company,DE\n").encode("cp1252")
    response = client.post(
        "/api/imports",
        content=data,
        params={"template": "organisations", "dry_run": "true"},
        headers={"Authorization": f"Bearer {tokens['steward']}", "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text[:500]


@pytest.mark.parametrize(
    "formula", ['=HYPERLINK("http://127.0.0.1:9/x","click")', "=1+1", "@SUM(A1:A2)", "+cmd|' /C calc'!A0"]
)
def test_csv_formula_in_a_numeric_or_choice_cell(
    client: Any, disk_store: Any, tokens: dict[str, str], formula: str
) -> None:
    """A formula is text, never evaluated: where a type or a country is expected it is a named error."""
    data = f'id,name,type,country\nadv-f,Formula Ltd,"{formula.replace(chr(34), chr(34) * 2)}",NL\n'.encode()
    body = refused(client, disk_store, tokens["steward"], data, "text/csv")
    assert any(p["cell"] == "C2" for p in body["problems"]), body


# -- XLSX ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("random bytes", b"\x00\x01garbage" * 100, 400, "not a zip archive"),
        ("empty", b"", 400, "zip"),
        ("zip without workbook", _zip({"hello.txt": b"hi"}), 400, "Content_Types"),
        ("truncated", workbook([["id", "name", "type", "country"]])[:700], 400, "XLSX"),
    ],
)
def test_malformed_xlsx(
    client: Any, disk_store: Any, tokens: dict[str, str], name: str, data: bytes, status: int, words: str
) -> None:
    body = refused(client, disk_store, tokens["steward"], data, XLSX, status)
    assert words in body["detail"], body["detail"]


def test_zip_bomb_xlsx_is_refused_unread(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    good = workbook([["id", "name", "type", "country"]])
    bomb = rewrite_part(good, sheet_xml(good), lambda _: b" " * 150_000_000)  # ~150 KB packed
    assert len(bomb) < 400_000
    body = refused(client, disk_store, tokens["steward"], bomb, XLSX, 413)
    assert "unpacks" in body["detail"]


def _lying_zip(name: str, content: bytes, declared: int) -> bytes:
    """A zip whose only part is ``content`` deflated, with headers that claim it unpacks to ``declared``."""
    packed = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = packed.compress(content) + packed.flush()
    crc = zlib.crc32(content)
    encoded = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded), 0)
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded), 0, 0, 0, 0, 0, 0
    )
    body = local + encoded + data
    directory = central + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def test_zip_bomb_with_lying_sizes_is_bounded(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    """Headers that say 1 KB for 200 MB: the unpacking stops at the declared size (a CRC error), unread."""
    good = zipfile.ZipFile(io.BytesIO(workbook([["id", "name", "type", "country"]])))
    parts = {entry.filename: good.read(entry) for entry in good.infolist()}
    bomb_part = _lying_zip("xl/sharedStrings.xml", b"<a>" + b" " * 200_000_000, 1024)
    # Splice: every real part, then the lying one (its headers are ours, so the zip is built by hand).
    archive = zipfile.ZipFile(io.BytesIO(bomb_part))
    info = archive.infolist()[0]
    assert info.file_size == 1024 and info.compress_size < 300_000
    parts.pop("xl/sharedStrings.xml", None)
    honest = _zip(parts)
    with zipfile.ZipFile(io.BytesIO(honest)) as check:
        assert "xl/sharedStrings.xml" not in check.namelist()
    body = refused(client, disk_store, tokens["steward"], bomb_part, XLSX)
    assert "upload.xlsx" in body["detail"]


def test_sheet_claiming_a_million_rows_and_all_columns(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    """A few hundred bytes that place one cell at XFD1048576: were every row up to it padded to 16 384
    columns, that would be billions of empty cells; the reader must not walk them (a dry run)."""
    good = workbook([["id", "name", "type", "country"], ["adv-far", "Far Away", "Company", "NL"]])

    def far_cell(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:D2" />', b'<dimension ref="A1:XFD1048576" />')
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')

    data = rewrite_part(good, sheet_xml(good), far_cell)
    assert len(data) < 20_000
    before = data_snapshot(disk_store)
    started = time.monotonic()
    response = client.post(
        "/api/imports",
        content=data,
        params={"dry_run": "true"},
        headers={"Authorization": f"Bearer {tokens['steward']}", "Content-Type": XLSX},
    )
    assert time.monotonic() - started < 20
    # The far cell is in no known column: the one real row is read, and the dry run conforms.
    assert response.status_code == 200, response.text[:500]
    assert response.json()["triples"] == 3
    assert data_snapshot(disk_store) == before
    assert_alive(client)


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("doctype", lambda xml: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + xml),
        (
            "billion laughs after 8 KB of comment",
            lambda xml: (
                b'<?xml version="1.0"?><!--'
                + b"x" * 8192
                + b"-->"
                + b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                + b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
                + b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
                + b'<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
                + xml.replace(b"<t>adv-x</t>", b"<t>&h;</t>")
            ),
        ),
        ("not xml", lambda xml: b"\x00\xff not xml at all"),
        ("latin-1 bytes in utf-8 xml", lambda xml: xml.replace(b"</sheetData>", b"</sheetData>\xe9\xe8")),
        ("declared utf-16, is utf-8", lambda xml: b'<?xml version="1.0" encoding="UTF-16"?>' + xml),
        ("unclosed", lambda xml: xml[: len(xml) // 2]),
    ],
)
def test_damaged_sheet_xml(client: Any, disk_store: Any, tokens: dict[str, str], name: str, change: Any) -> None:
    good = workbook([["id", "name", "type", "country"], ["adv-x", "X", "Company", "NL"]])
    body = refused(client, disk_store, tokens["steward"], rewrite_part(good, sheet_xml(good), change), XLSX)
    assert "upload.xlsx" in body["detail"], body["detail"]


def test_xlsx_formulas_are_never_evaluated(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    data = workbook(
        [
            ["id", "name", "type", "country"],
            ["adv-f1", "Formula One", '=WEBSERVICE("http://127.0.0.1:9/")', "NL"],
            ["adv-f2", "Formula Two", "Company", '=LEFT("NLX",2)'],
        ]
    )
    body = refused(client, disk_store, tokens["steward"], data, XLSX)
    cells = {p["cell"] for p in body["problems"]}
    assert {"C2", "D3"} <= cells, body["problems"]
    assert all(p["sheet"] == "upload.xlsx!organisations" for p in body["problems"])


def test_xlsx_unknown_sheet_is_named(client: Any, disk_store: Any, tokens: dict[str, str]) -> None:
    body = refused(client, disk_store, tokens["steward"], workbook([["id"]], title="Sheet of lies"), XLSX)
    assert "Sheet of lies" in body["detail"]
