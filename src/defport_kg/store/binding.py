"""Binding values into SPARQL as RDF terms, never as pasted user text.

pyoxigraph's ``substitutions`` only accept variables of the SELECT projection, so a value that
filters the pattern (e.g. ``?_country`` in a named query) is bound by a ``VALUES`` block placed at
the start of the WHERE clause. The block holds terms serialised by pyoxigraph itself (an IRI is
validated when the NamedNode is built; a literal's quotes are escaped), so no value can change
the query's structure.
"""

from __future__ import annotations

import re
from typing import Any

from defport_kg.errors import QueryError
from defport_kg.store.terms import to_term

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _code_spans(query: str) -> list[tuple[int, int]]:
    """Start/end offsets of the query text that is not inside comments or strings."""
    spans = []
    pos = 0
    for line in query.splitlines(keepends=True):
        code = line
        in_string: str | None = None
        for i, ch in enumerate(line):
            if in_string:
                if ch == in_string and line[i - 1] != "\\":
                    in_string = None
            elif ch in "\"'":
                in_string = ch
            elif ch == "#":
                code = line[:i]
                break
        spans.append((pos, pos + len(code)))
        pos += len(line)
    return spans


def values_block(bindings: dict[str, Any]) -> str:
    names = " ".join(f"?{name.lstrip('?$')}" for name in bindings)
    terms = " ".join(str(to_term(value)) for value in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def bind_values(query: str, bindings: dict[str, Any]) -> str:
    """The query with ``bindings`` bound by a VALUES block at the start of its WHERE clause."""
    if not bindings:
        return query
    for start, end in _code_spans(query):
        match = _WHERE.search(query, start, end)
        if match:
            cut = match.end()
            return f"{query[:cut]} {values_block(bindings)} {query[cut:]}"
    raise QueryError("cannot bind parameters: the query has no WHERE clause")
