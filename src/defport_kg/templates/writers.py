"""Writing empty templates (a header and one example row) for stewards to fill in.

Every written cell is plain text or a number, never a formula: openpyxl would store a string that
starts with '=' as a formula, so each string cell is typed as a string explicitly, and CSV cells
that a spreadsheet would read as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from defport_kg.templates.cells import neutralise
from defport_kg.templates.columns import CHOICE, SHEETS, Sheet


def csv_text(sheet: Sheet, rows: list[list[str]] | None = None) -> str:
    """One template as CSV text: the header, then ``rows`` (default: the example row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(sheet.headers)
    for row in rows if rows is not None else [sheet.example_row]:
        writer.writerow([neutralise(value) for value in row])
    return out.getvalue()


def write_csv_templates(directory: str | Path) -> list[Path]:
    """One CSV file per template in ``directory`` (created if needed); returns the files written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in SHEETS:
        path = folder / f"{sheet.name}.csv"
        path.write_text(csv_text(sheet), encoding="utf-8")
        written.append(path)
    return written


def xlsx_bytes() -> bytes:
    """The workbook: a README sheet, then a sheet per template with its header and example row."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    readme = workbook.active
    readme.title = "README"
    _text_row(readme, ["sheet", "column", "required", "example", "meaning"])
    for cell in readme[1]:
        cell.font = Font(bold=True)
    for sheet in SHEETS:
        for column in sheet.columns:
            _text_row(
                readme, [sheet.name, column.name, "yes" if column.required else "", column.example, column.description]
            )
    readme.column_dimensions["A"].width = 14
    readme.column_dimensions["B"].width = 20
    readme.column_dimensions["D"].width = 32
    readme.column_dimensions["E"].width = 100
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        _text_row(worksheet, sheet.headers)
        _text_row(worksheet, sheet.example_row)
        for index, column in enumerate(sheet.columns, start=1):
            header = worksheet.cell(row=1, column=index)
            header.font = Font(bold=True)
            header.fill = header_fill
            header.comment = Comment(column.description, "defport-kg", width=320, height=140)
            letter = header.column_letter
            worksheet.column_dimensions[letter].width = max(12, min(40, len(column.example) + 4, 40))
            if column.kind == CHOICE and column.choices:
                names = ",".join(v.rsplit("#", 1)[-1] for v in column.choices.values())
                check = DataValidation(type="list", formula1=f'"{names}"', allow_blank=not column.required)
                check.error = f"Use one of: {names}"
                worksheet.add_data_validation(check)
                check.add(f"{letter}2:{letter}10000")
        worksheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_row(worksheet: object, values: list[str]) -> None:
    row = worksheet.max_row + 1 if worksheet.max_row > 1 or worksheet.cell(1, 1).value else 1  # type: ignore[attr-defined]
    for index, value in enumerate(values, start=1):
        cell = worksheet.cell(row=row, column=index)  # type: ignore[attr-defined]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with


def write_xlsx_template(path: str | Path) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(xlsx_bytes())
    return target
