"""Template rows to RDF, deterministically: the same sheet always yields the same graph.

Subjects get stable IRIs ``dpid:{kind}/{id}`` from the row's id, else from its name (a supply
relation's from its supplier, item and site), never from row numbers or random blank nodes, so
importing a corrected sheet again replaces like with like. Where each triple came from (sheet, row,
column) is kept, so that a SHACL result about a node points back at the cell to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from defport_kg.namespaces import DP, DPID, RDF
from defport_kg.templates import cells
from defport_kg.templates.cells import CellError
from defport_kg.templates.columns import (
    CHOICE,
    CHOICES,
    CODE,
    COMPONENTS,
    COUNTRY,
    DATE,
    DECIMAL,
    DIGITS,
    ID,
    INTEGER,
    NSN,
    REF,
    REFS,
    SOURCE,
    TARGET_PATTERNS,
    TEXT,
    TEXTS,
    WEB,
    Column,
    Sheet,
)
from defport_kg.templates.problems import Problem, position, raise_problems
from defport_kg.templates.readers import RawSheet, Row

_TYPE = ox.NamedNode(RDF + "type")
_COMPONENT_USE = ox.NamedNode(DP + "ComponentUse")
_ASSEMBLY = ox.NamedNode(DP + "assembly")
_COMPONENT = ox.NamedNode(DP + "component")
_QUANTITY = ox.NamedNode(DP + "quantity")
_HAS_COMPONENT = ox.NamedNode(DP + "hasComponent")


@dataclass(frozen=True)
class CellRef:
    """Where a node or one of its statements came from."""

    source: str
    sheet: str
    row: int
    column: str | None = None
    letter: str | None = None

    def __str__(self) -> str:
        return position(self.sheet, self.row, self.column, self.letter)


@dataclass
class TemplateGraph:
    """The triples of some filled-in templates, and where each subject and statement came from."""

    quads: list[ox.Quad] = field(default_factory=list)
    rows: dict[str, CellRef] = field(default_factory=dict)  # subject IRI -> its row
    cells: dict[tuple[str, str], CellRef] = field(default_factory=dict)  # (subject, predicate) -> cell
    notes: list[str] = field(default_factory=list)
    row_count: int = 0


def _subject(sheet: Sheet, row: Row) -> ox.NamedNode:
    """The row's IRI: its id, else its name (supply: supplier--item[--site]); CellError when neither."""
    given = row.text("id")
    if given:
        if given.startswith(("http://", "https://", "urn:", "dpid:")):
            return cells.reference(given, sheet.kind)
        slug = cells.slugify(given)
        if not slug:
            raise CellError(f"{given!r} cannot be an id: use letters, digits and '-'")
        return ox.NamedNode(DPID + TARGET_PATTERNS[sheet.kind].format(slug))
    if sheet.kind == "supply":
        parts = []
        for name in ("supplier", "item", "site"):
            text = row.text(name)
            if text:
                parts.append(cells.slug_of(cells.reference(text, sheet.column(name).target or "org")))
        if len(parts) < 2:
            raise CellError("no id, and no supplier and item to make one from")
        return ox.NamedNode(DPID + TARGET_PATTERNS["supply"].format("--".join(parts)))
    name = row.text("name")
    slug = cells.slugify(name)
    if not slug:
        raise CellError("no id, and no name to make one from" if not name else f"name {name!r} gives no id")
    return ox.NamedNode(DPID + TARGET_PATTERNS[sheet.kind].format(slug))


def _objects(column: Column, text: str) -> list[ox.NamedNode | ox.Literal]:
    kind = column.kind
    if kind == TEXT:
        return [ox.Literal(text, language=column.lang) if column.lang else ox.Literal(text)]
    if kind == TEXTS:
        return [
            ox.Literal(part, language=column.lang) if column.lang else ox.Literal(part)
            for part in cells.split_list(text)
        ]
    if kind == REF:
        return [cells.reference(text, column.target or "org")]
    if kind == REFS:
        return [cells.reference(part, column.target or "org") for part in cells.split_list(text)]
    if kind == COUNTRY:
        return [cells.reference(text, "country")]
    if kind == DECIMAL:
        return [cells.decimal(text)]
    if kind == INTEGER:
        return [cells.integer(text)]
    if kind == DATE:
        return [cells.date(text)]
    if kind == DIGITS:
        return [cells.digits(text, column.width)]
    if kind == CODE:
        return [cells.code(text)]
    if kind == NSN:
        return [cells.nsn(text)]
    if kind == CHOICE:
        return [cells.choice(text, column.choices)]
    if kind == CHOICES:
        return [cells.choice(part, column.choices) for part in cells.split_list(text)]
    if kind == WEB:
        return [cells.web(text)]
    if kind == SOURCE:
        return [cells.source(text)]
    raise CellError(f"internal: unknown column kind {kind!r}")  # pragma: no cover - definitions are fixed


def to_rdf(sheets: Iterable[RawSheet]) -> TemplateGraph:
    """All rows of the given sheets as one graph; every wrong cell is reported together."""
    out = TemplateGraph()
    problems: list[Problem] = []
    seen: dict[str, CellRef] = {}
    for raw in sheets:
        if raw.skipped_example:
            out.notes.append(f"{raw.label}: the template's example row was left in and is not imported")
        for row in raw.rows:
            out.row_count += 1
            _row_to_rdf(raw, row, out, problems, seen)
    raise_problems(problems)
    return out


def _problem(raw: RawSheet, row: Row, column: str | None, value: str | None, message: str) -> Problem:
    cell = row.cells.get(column) if column else None
    return Problem(raw.source, raw.label, row.number, cell.letter if cell else None, value, message, column)


def _row_to_rdf(raw: RawSheet, row: Row, out: TemplateGraph, problems: list[Problem], seen: dict[str, CellRef]) -> None:
    sheet = raw.sheet
    id_cell = row.cells.get("id")
    missing = [c.name for c in sheet.columns if c.required and c.name not in row.cells]
    for name in missing:
        problems.append(_problem(raw, row, name, None, f"{name!r} is required"))
    try:
        subject = _subject(sheet, row)
    except CellError as error:
        if not missing:  # an id made from missing cells: the missing cells are the problem
            problems.append(_problem(raw, row, "id", row.text("id") or None, str(error)))
        return
    here = CellRef(raw.source, raw.label, row.number, "id", id_cell.letter if id_cell else None)
    if subject.value in seen:
        earlier = seen[subject.value]
        problems.append(
            _problem(
                raw,
                row,
                "id",
                row.text("id") or None,
                f"{subject.value} is already described at {earlier}: one row per thing (or give distinct ids)",
            )
        )
        return
    seen[subject.value] = here
    out.rows[subject.value] = here
    quads: list[ox.Quad] = [ox.Quad(subject, _TYPE, ox.NamedNode(t)) for t in sheet.types]
    for column in sheet.columns:
        if column.kind == ID:
            continue
        cell = row.cells.get(column.name)
        if cell is None:
            continue
        where = CellRef(raw.source, raw.label, row.number, column.name, cell.letter)
        if column.kind == COMPONENTS:
            _components(subject, cell.text, where, quads, out, problems, raw, row)
            continue
        try:
            objects = _objects(column, cell.text)
        except CellError as error:
            problems.append(_problem(raw, row, column.name, cell.text, str(error)))
            continue
        predicate = ox.NamedNode(column.predicate) if column.predicate else _TYPE
        for predicate_iri in (predicate.value, *column.also):
            out.cells.setdefault((subject.value, predicate_iri), where)
            for obj in objects:
                quads.append(ox.Quad(subject, ox.NamedNode(predicate_iri), obj))
    out.quads.extend(quads)


def _components(
    assembly: ox.NamedNode,
    text: str,
    where: CellRef,
    quads: list[ox.Quad],
    out: TemplateGraph,
    problems: list[Problem],
    raw: RawSheet,
    row: Row,
) -> None:
    """'a * 2; b' -> a dp:ComponentUse with quantity 2 (and the dp:hasComponent it implies), and b."""
    try:
        entries = cells.components(text)
    except CellError as error:
        problems.append(_problem(raw, row, "components", text, str(error)))
        return
    out.cells.setdefault((assembly.value, _HAS_COMPONENT.value), where)
    used: set[str] = set()
    for ref_text, quantity, entry in entries:
        try:
            component = cells.reference(ref_text, "item")
        except CellError as error:
            problems.append(_problem(raw, row, "components", entry, str(error)))
            continue
        if component.value in used:
            problems.append(
                _problem(
                    raw,
                    row,
                    "components",
                    entry,
                    f"{component.value} is listed twice: give it once, with the total quantity",
                )
            )
            continue
        used.add(component.value)
        quads.append(ox.Quad(assembly, _HAS_COMPONENT, component))
        if quantity is None:
            continue
        use = ox.NamedNode(f"{assembly.value}/use/{cells.slug_of(component)}")
        out.rows[use.value] = where
        for predicate in (_ASSEMBLY, _COMPONENT, _QUANTITY, _TYPE):
            out.cells[(use.value, predicate.value)] = where
        quads += [
            ox.Quad(use, _TYPE, _COMPONENT_USE),
            ox.Quad(use, _ASSEMBLY, assembly),
            ox.Quad(use, _COMPONENT, component),
            ox.Quad(use, _QUANTITY, cells.decimal_literal(quantity)),
        ]
