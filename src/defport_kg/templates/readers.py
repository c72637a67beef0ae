"""Reading filled-in templates (CSV files, XLSX workbooks) into rows of cell texts.

Safety before parsing: an XLSX file is a zip archive, so its declared uncompressed sizes are
checked before openpyxl opens it (a zip bomb is refused unread) and its XML parts must not carry
a DOCTYPE (no entity expansion). Formulas are read as their own text, never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from defport_kg.errors import InputError, InputTooLargeError, UnsafeInputError
from defport_kg.templates.cells import FORMULA_START
from defport_kg.templates.columns import SHEETS_BY_NAME, Sheet, sheet_for
from defport_kg.templates.problems import Problem, raise_problems

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# A sheet's declared size (its <dimension>, or one cell at XFD1048576) is not trusted: rows are read
# only this wide (no template has a tenth as many columns; a column further right is not read) and
# only as far as Excel's own last row.
MAX_COLUMNS = 256
MAX_SHEET_ROWS = 1_048_576
# Sheets of a workbook that are not data: the template's own help sheet.
IGNORED_SHEETS = {"readme", "help", "about", "leesmij", "uitleg"}


@dataclass
class Cell:
    """One cell's text; ``formula`` when the spreadsheet stored a formula (read as its text)."""

    text: str
    column: str  # the header
    letter: str  # the spreadsheet column letter (A, B, ...)
    formula: bool = False


@dataclass
class Row:
    number: int  # 1-based, as the spreadsheet shows it (the header is row 1)
    cells: dict[str, Cell]

    def text(self, column: str) -> str:
        cell = self.cells.get(column)
        return cell.text if cell else ""


@dataclass
class RawSheet:
    """The rows of one sheet or CSV file, checked against its template's header."""

    sheet: Sheet
    source: str  # file name
    label: str  # how a position is written: 'orgs.csv' or 'book.xlsx!organisations'
    rows: list[Row] = field(default_factory=list)
    skipped_example: bool = False


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _check_header(sheet: Sheet, headers: list[str], label: str, source: str, problems: list[Problem]) -> dict[int, str]:
    """Column index -> known header; unknown, doubled or missing required headers are problems."""
    known = set(sheet.headers)
    mapping: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(headers):
        name = _normalise_header(raw)
        if not name:
            continue
        letter = get_column_letter(index + 1)
        if name not in known:
            problems.append(
                Problem(
                    source,
                    label,
                    1,
                    letter,
                    raw,
                    f"unknown column {raw!r}: the {sheet.name} template has "
                    f"{', '.join(sheet.headers)} (see docs/templates.md)",
                )
            )
            continue
        if name in seen:
            problems.append(Problem(source, label, 1, letter, raw, f"column {name!r} appears twice"))
            continue
        seen[name] = index
        mapping[index] = name
    for column in sheet.columns:
        if column.required and column.name not in seen:
            problems.append(Problem(source, label, 1, None, None, f"required column {column.name!r} is missing"))
    return mapping


def _cell_text(value: Any) -> str:
    """Spreadsheet values as the text a person typed: 3.0 -> '3', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    # A cell written by ``neutralise`` ('=x) reads back as what was meant (=x): still data, not a formula.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def _build_rows(
    raw: RawSheet, records: list[tuple[int, list[Any], list[bool]]], mapping: dict[int, str], max_rows: int
) -> None:
    example = [_cell_text(v) for v in raw.sheet.example_row]
    for number, values, formulas in records:
        cells: dict[str, Cell] = {}
        for index, name in mapping.items():
            value = values[index] if index < len(values) else None
            text = _cell_text(value)
            if text:
                formula = formulas[index] if index < len(formulas) else False
                cells[name] = Cell(text, name, get_column_letter(index + 1), formula)
        if not cells:
            continue  # an empty row
        if [cells[c].text if c in cells else "" for c in raw.sheet.headers] == example:
            raw.skipped_example = True  # the template's example row, left in: not data
            continue
        raw.rows.append(Row(number, cells))
        if len(raw.rows) > max_rows:
            raise InputTooLargeError(
                f"{raw.label} has more than {max_rows} rows (setting DEFPORT_KG_MAX_TEMPLATE_ROWS)", source=raw.source
            )


# -- CSV -------------------------------------------------------------------------------------


def _sniff_delimiter(first_line: str) -> str:
    """',' by default; ';' or tab when the header uses them (a Dutch Excel saves CSV with ';')."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, source: str, sheet: Sheet, *, max_rows: int) -> RawSheet:
    """One CSV file of one template; UTF-8 (with or without BOM), ',' or ';' or tab separated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        try:
            text = data.decode("cp1252")  # what older Excel versions save as "CSV"
        except UnicodeDecodeError:
            raise InputError(f"not UTF-8 text: {error}", source=source) from None
    if "\x00" in text:
        raise InputError("not a text file (it holds NUL bytes): save the sheet as CSV UTF-8", source=source)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    label = source.rsplit("/", 1)[-1]
    raw = RawSheet(sheet, source, label)
    problems: list[Problem] = []
    try:
        rows = list(reader)
    except csv.Error as error:
        raise InputError(f"not a readable CSV file: {error}", source=source, line=reader.line_num) from None
    if not rows:
        raise_problems([Problem(source, label, 1, None, None, "the file is empty: it needs at least the header row")])
    mapping = _check_header(sheet, rows[0], label, source, problems)
    raise_problems(problems)
    records = [(number, values, [False] * len(values)) for number, values in enumerate(rows[1:], start=2)]
    _build_rows(raw, records, mapping, max_rows)
    return raw


# -- XLSX ------------------------------------------------------------------------------------


def check_xlsx_archive(data: bytes, source: str, *, max_uncompressed: int, max_ratio: int) -> None:
    """Refuse a zip bomb or an XML entity trick before openpyxl sees the file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("not an XLSX workbook (not a zip archive): save it as .xlsx", source=source) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > 10_000:
            raise UnsafeInputError(f"the workbook holds {len(entries)} parts: refused", source=source)
        total = sum(entry.file_size for entry in entries)
        if total > max_uncompressed:
            raise InputTooLargeError(
                f"the workbook unpacks to {total} bytes, above the limit of {max_uncompressed} "
                "(setting DEFPORT_KG_MAX_XLSX_UNCOMPRESSED_BYTES); a file this compressed is refused unread",
                source=source,
            )
        for entry in entries:
            if entry.file_size > 1_000_000 and entry.file_size > max_ratio * max(entry.compress_size, 1):
                raise UnsafeInputError(
                    f"part {entry.filename} unpacks {entry.file_size // max(entry.compress_size, 1)} times its "
                    f"packed size (at most {max_ratio}): refused as a zip bomb",
                    source=source,
                )
        if "[Content_Types].xml" not in archive.namelist():
            raise InputError("not an XLSX workbook (no [Content_Types].xml): save it as .xlsx", source=source)
        for entry in entries:
            # The whole part, not its head: comments or whitespace may put a DOCTYPE anywhere in the
            # prolog (a billion-laughs sheet after 8 KB of comment). Parts are bounded by the size
            # check above; read in chunks that overlap by the longest match, ``<!`` + spaces + ENTITY.
            if entry.filename.endswith((".xml", ".rels", ".vml")) and _declares_doctype(archive, entry, source):
                raise UnsafeInputError(
                    f"part {entry.filename} declares a DOCTYPE or ENTITY (entity expansion is unsafe): refused",
                    source=source,
                )


def _declares_doctype(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, source: str) -> bool:
    """Whether a part holds ``<!DOCTYPE`` or ``<!ENTITY`` anywhere. Unpacking stops at the part's declared
    size (zipfile checks it, and the CRC), so a part whose headers lie about its size is refused here."""
    overlap = b""
    try:
        with archive.open(entry) as part:
            while chunk := part.read(1 << 20):
                if _DOCTYPE.search(overlap + chunk):
                    return True
                overlap = chunk[-4096:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise InputError(f"not a readable XLSX workbook: part {entry.filename}: {error}", source=source) from None
    return False


def read_xlsx(data: bytes, source: str, *, max_rows: int, max_uncompressed: int, max_ratio: int) -> list[RawSheet]:
    """Every template sheet of a workbook (a sheet each for organisations, sites, items, ...)."""
    check_xlsx_archive(data, source, max_uncompressed=max_uncompressed, max_ratio=max_ratio)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InputError(f"not a readable XLSX workbook: {error}", source=source) from None
    file_label = source.rsplit("/", 1)[-1]
    sheets: list[RawSheet] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    where = file_label  # how far reading got, for the error a damaged sheet raises
    try:
        for worksheet in workbook.worksheets:
            title = worksheet.title
            where = f"{file_label}!{title}"
            sheet = sheet_for(title)
            if sheet is None:
                if title.strip().lower() in IGNORED_SHEETS:
                    continue
                problems.append(
                    Problem(
                        source,
                        f"{file_label}!{title}",
                        None,
                        None,
                        None,
                        f"unknown sheet {title!r}: name sheets {', '.join(SHEETS_BY_NAME)} (or README for notes)",
                    )
                )
                continue
            if sheet.name in seen:
                problems.append(
                    Problem(
                        source,
                        f"{file_label}!{title}",
                        None,
                        None,
                        None,
                        f"sheet {title!r} repeats sheet {seen[sheet.name]!r}",
                    )
                )
                continue
            seen[sheet.name] = title
            label = f"{file_label}!{title}"
            raw = RawSheet(sheet, source, label)
            records: list[tuple[int, list[Any], list[bool]]] = []
            header: list[str] | None = None
            gap: Any = None  # openpyxl yields the same tuple for every missing row: skipped at once
            rows = worksheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_SHEET_ROWS)
            for number, row in enumerate(rows, start=1):
                if row is gap:
                    continue
                where = f"{label}, after row {number - 1}"
                values = [getattr(cell, "value", None) for cell in row]
                if header is not None and all(v is None for v in values):
                    gap = row
                    continue
                formulas = [getattr(cell, "data_type", None) == "f" for cell in row]
                if header is None:
                    header = [_cell_text(v) for v in values]
                    continue
                records.append((number, values, formulas))
                if len(records) > max_rows * 2 + 1000:  # empty rows are skipped, but not without end
                    raise InputTooLargeError(
                        f"{label} has more than {max_rows} rows (setting DEFPORT_KG_MAX_TEMPLATE_ROWS)",
                        source=source,
                    )
            if header is None:
                continue  # an empty sheet: nothing to import
            mapping = _check_header(sheet, header, label, source, problems)
            if not problems:
                _build_rows(raw, records, mapping, max_rows)
            sheets.append(raw)
    except InputError:
        raise
    except Exception as error:  # openpyxl parses a sheet's XML as it is read: a damaged one fails here
        raise InputError(
            f"not a readable XLSX workbook: {where}: {type(error).__name__}: {error}", source=source
        ) from None
    finally:
        workbook.close()
    raise_problems(problems)
    if not sheets:
        raise_problems(
            [
                Problem(
                    source,
                    file_label,
                    None,
                    None,
                    None,
                    f"no template sheet found: name sheets {', '.join(SHEETS_BY_NAME)}",
                )
            ]
        )
    return sheets
