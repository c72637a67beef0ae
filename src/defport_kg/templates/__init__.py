"""Steward templates: CSV files and one XLSX workbook for organisations, sites, items (with their
bill of materials), supply relations and capabilities, read into RDF with stable IRIs.

The columns are defined once (``columns``); the reader, the template writers and
docs/templates.md all come from that definition.
"""

from __future__ import annotations

from pathlib import Path

from defport_kg.errors import UsageError
from defport_kg.settings import get_settings
from defport_kg.templates.columns import SHEETS, SHEETS_BY_NAME, Column, Sheet, sheet_for
from defport_kg.templates.mapping import CellRef, TemplateGraph, to_rdf
from defport_kg.templates.problems import Problem
from defport_kg.templates.readers import RawSheet, read_csv, read_xlsx
from defport_kg.templates.writers import csv_text, write_csv_templates, write_xlsx_template, xlsx_bytes

TEMPLATE_SUFFIXES = (".csv", ".xlsx")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "SHEETS",
    "SHEETS_BY_NAME",
    "TEMPLATE_SUFFIXES",
    "XLSX_MEDIA_TYPE",
    "CellRef",
    "Column",
    "Problem",
    "RawSheet",
    "Sheet",
    "TemplateGraph",
    "csv_text",
    "is_template",
    "read_template",
    "sheet_for",
    "to_rdf",
    "write_csv_templates",
    "write_xlsx_template",
    "xlsx_bytes",
]


def is_template(name: str) -> bool:
    return Path(name).suffix.lower() in TEMPLATE_SUFFIXES


def csv_sheet(name: str, template: str | None = None) -> Sheet:
    """Which template a CSV file is: given explicitly, else told by its file name."""
    if template:
        sheet = sheet_for(template)
        if sheet is None:
            raise UsageError(f"unknown template {template!r}: use one of {', '.join(SHEETS_BY_NAME)}")
        return sheet
    stem = Path(name).stem
    sheet = sheet_for(stem)
    if sheet is None:
        for candidate in SHEETS:  # 'acme-supply-2025.csv', 'organisations_nidv.csv'
            if any(part and sheet_for(part) is candidate for part in _words(stem)):
                return candidate
        raise UsageError(
            f"{name}: cannot tell which template this CSV file is: name it after one "
            f"({', '.join(f'{s}.csv' for s in SHEETS_BY_NAME)}) or say it with --template"
        )
    return sheet


def _words(stem: str) -> list[str]:
    import re

    return re.split(r"[^A-Za-z]+", stem)


def read_template(data: bytes, name: str, *, template: str | None = None) -> list[RawSheet]:
    """The rows of one CSV file or XLSX workbook (``name`` is its file name; its suffix decides)."""
    settings = get_settings()
    if Path(name).suffix.lower() == ".xlsx":
        return read_xlsx(
            data,
            name,
            max_rows=settings.max_template_rows,
            max_uncompressed=settings.max_xlsx_uncompressed_bytes,
            max_ratio=settings.max_xlsx_compression_ratio,
        )
    return [read_csv(data, name, csv_sheet(name, template), max_rows=settings.max_template_rows)]
