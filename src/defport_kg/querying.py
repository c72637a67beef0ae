"""Running a SPARQL query given as text, a .rq file or a named query, and writing its results."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defport_kg.errors import QueryError, UsageError
from defport_kg.namespaces import CATALOG_GRAPH, PREFIXES, compact
from defport_kg.resources import queries_dir

RESULT_FORMATS = ("table", "json", "csv", "tsv", "turtle", "xml", "ntriples")


def _looks_like_a_name(query: str) -> bool:
    return query.replace("-", "").replace("_", "").isalnum()


def is_named_query(query: str) -> bool:
    """A bare name (letters, digits, - and _) of a file in queries/."""
    return _looks_like_a_name(query) and (queries_dir() / f"{query}.rq").is_file()


def resolve_query_text(query: str) -> tuple[str, str]:
    """(text, origin): QUERY is a .rq file, a named query in queries/, or the query itself."""
    candidate = Path(query)
    if query.endswith(".rq") or (len(query) < 250 and "\n" not in query and candidate.is_file()):
        try:
            return candidate.read_text(encoding="utf-8"), str(candidate)
        except OSError as error:
            raise UsageError(f"cannot read the query file {query}: {error.strerror}") from None
    if is_named_query(query):
        return (queries_dir() / f"{query}.rq").read_text(encoding="utf-8"), f"named query {query}"
    if _looks_like_a_name(query):
        raise UsageError(f"unknown named query {query!r}: `defport-kg query --list` shows the named queries")
    return query, "query text"


_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update request (recognised without executing anything)."""
    return bool(_UPDATE.match(_strip_comments(text)))


def run_query(store: Any, text: str) -> Any:
    """Run a read-only query over the live data; updates are refused, parse errors explained."""
    if is_update(text):
        raise QueryError("updates are refused here: use `defport-kg import` to change data")
    try:
        return store.query_with_prefixes(text, PREFIXES, named_graphs=[*store.live_graphs(), CATALOG_GRAPH])
    except SyntaxError as error:
        from defport_kg.sparql.parse_errors import engine_syntax_error  # the SPARQL checker: loaded on error

        raise QueryError(engine_syntax_error(text, str(error))) from None
    except OSError as error:
        raise QueryError(f"the query failed: {error}") from None


def serialize_results(result: Any, fmt: str) -> str:
    """Results as text in one of RESULT_FORMATS (table for people, the W3C formats for tools)."""
    # pyoxigraph's triples, or a remote store's (which have no ``variables``, unlike solutions)
    if isinstance(result, ox.QueryTriples) or not isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
        rdf = {
            "turtle": ox.RdfFormat.TURTLE,
            "ntriples": ox.RdfFormat.N_TRIPLES,
            "table": ox.RdfFormat.TURTLE,
            "json": ox.RdfFormat.JSON_LD,
        }.get(fmt)
        if rdf is None:
            raise UsageError(f"format {fmt} is for SELECT/ASK results; use turtle, ntriples or json")
        from defport_kg.rdfio import serialize

        return serialize(list(result), rdf, PREFIXES if rdf == ox.RdfFormat.TURTLE else None).decode("utf-8")
    if fmt == "turtle" or fmt == "ntriples":
        raise UsageError(f"format {fmt} is for CONSTRUCT/DESCRIBE; use table, json, csv, tsv or xml")
    if fmt == "table":
        return _table(result)
    formats = {
        "json": ox.QueryResultsFormat.JSON,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
        "xml": ox.QueryResultsFormat.XML,
    }
    return result.serialize(format=formats[fmt]).decode("utf-8")


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def _table(result: Any) -> str:
    if isinstance(result, ox.QueryBoolean):
        return "yes" if bool(result) else "no"
    names = [v.value for v in result.variables]
    rows = [[_cell(row[n]) for n in names] for row in result]
    from rich.console import Console
    from rich.table import Table

    table = Table(*names, show_lines=False)
    for row in rows:
        table.add_row(*row)
    buffer = io.StringIO()
    Console(file=buffer, width=200, force_terminal=False).print(table)
    return buffer.getvalue() + f"{len(rows)} row(s)\n"


def neutralise_cell(value: str) -> str:
    """A cell that a spreadsheet would take for a formula is written as text (one rule for every export)."""
    from defport_kg.templates.cells import neutralise

    return neutralise(value)


def rows_to_csv(rows: list[dict[str, Any]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise_cell("" if v is None else str(v)) for k, v in row.items()})
    return buffer.getvalue()
