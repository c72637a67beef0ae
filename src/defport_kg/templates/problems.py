"""Wrong cells, collected and reported together with their sheet, row and column.

A steward fixing a sheet wants every wrong cell at once, not one per attempt, so readers and the
row mapping collect problems and raise one ``TemplateError`` that lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from defport_kg.errors import TemplateError

MAX_LISTED = 50


@dataclass(frozen=True)
class Problem:
    """One wrong cell (or header, or sheet) and what is wrong with it."""

    source: str  # the file
    sheet: str  # 'orgs.csv' or 'book.xlsx!organisations'
    row: int | None
    letter: str | None  # spreadsheet column letter, when known
    value: str | None
    message: str
    column: str | None = None  # the header name, when known

    @property
    def position(self) -> str:
        return position(self.sheet, self.row, self.column, self.letter)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": f"{self.letter}{self.row}" if self.letter and self.row else None,
            "value": self.value,
            "message": self.message,
        }


def position(sheet: str, row: int | None, column: str | None, letter: str | None) -> str:
    """How a cell is named in reports: ``book.xlsx!supply row 4, column share (F4)``."""
    text = sheet
    if row is not None:
        text += f" row {row}"
    if column:
        text += f", column {column}"
    if letter and row is not None:
        text += f" ({letter}{row})"
    elif letter:
        text += f", column {letter}"
    return text


def raise_problems(problems: Iterable[Problem]) -> None:
    """Raise one TemplateError listing every problem (the first ones in the message), if any."""
    found = list(problems)
    if not found:
        return
    lines = []
    for problem in found[:MAX_LISTED]:
        shown = problem.value not in (None, "") and repr(problem.value) not in problem.message
        value = f" {problem.value!r}" if shown else ""
        lines.append(f"  {problem.position}:{value} {problem.message}")
    if len(found) > MAX_LISTED:
        lines.append(f"  ... and {len(found) - MAX_LISTED} more")
    first = found[0]
    message = f"{len(found)} wrong cell(s) in the template; nothing was stored:\n" + "\n".join(lines)
    error = TemplateError(message, problems=[p.to_json() for p in found])
    error.source = first.source
    raise error
