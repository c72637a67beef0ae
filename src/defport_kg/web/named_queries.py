"""The named queries as the query page offers them: title, description, parameters, editor text.

The registry (``defport_kg.queries``) reads the files; here each query gets the text the editor is
prefilled with: parameters that have a default are bound by a ``VALUES`` block at the start of the
WHERE clause (visible and editable, like the rest of the query), the others stay unbound and then
match any value. The quality checks of ``queries/qc/`` are offered in their own group.
"""

from __future__ import annotations

from typing import Any

from defport_kg.queries import NamedQuery, list_queries, parse_query_file
from defport_kg.resources import queries_dir
from defport_kg.store.binding import bind_values


def editor_text(query: NamedQuery) -> str:
    """The query text with every parameter that has a default bound by a VALUES block."""
    bindings = {}
    for param in query.params:
        if param.default is None:
            continue
        try:
            bindings[param.variable] = param.to_term(param.default, query.name)
        except Exception:  # a bad default leaves the parameter unbound rather than the page broken
            continue
    if not bindings:
        return query.text
    try:
        return bind_values(query.text, bindings)
    except Exception:
        return query.text


def _entry(query: NamedQuery, group: str) -> dict[str, Any]:
    return {
        "name": query.name,
        "group": group,
        "title": query.summary or query.name.replace("-", " "),
        "description": query.description,
        "parameters": [p.as_dict() for p in query.params],
        "text": editor_text(query),
    }


def named_queries() -> list[dict[str, Any]]:
    """The library queries by name, then the quality checks; [] when none are installed."""
    try:
        found = [_entry(q, "") for q in list_queries()]
        qc = queries_dir() / "qc"
    except FileNotFoundError:
        return []
    if qc.is_dir():
        for path in sorted(qc.glob("*.rq")):
            query = parse_query_file(path.read_text(encoding="utf-8"), "qc/" + path.stem, path)
            found.append(_entry(query, "qc"))
    return found
