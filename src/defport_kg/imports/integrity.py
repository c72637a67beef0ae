"""Store checks that concern imports: the graphs match the import history.

``EmbeddedStore.check`` verifies the live union and the catalogue in general; these add what only
the import history knows: every recorded import still has its graph with the triple count its
provenance states, no interrupted import left anything, and versions that replaced one another are
not live at the same time.
"""

from __future__ import annotations

from defport_kg.imports.history import import_id, list_imports
from defport_kg.namespaces import IMPORT_PREFIX
from defport_kg.store import STATUS_LIVE, EmbeddedStore

_REQUIRED = ("sha256", "triple_count", "shapes_version", "generated_at", "user")


def check_imports(store: EmbeddedStore) -> list[str]:
    """Problems found in the import history; an empty list means it matches the stored graphs."""
    problems: list[str] = []
    records = list_imports(store)
    known = {r.graph for r in records}
    by_graph = {r.graph: r for r in records}
    for record in records:
        if record.status_name in ("staging", "activating"):
            problems.append(f"import {record.id} was interrupted ({record.status_name}) and not cleaned up")
            continue
        missing = [name for name in _REQUIRED if getattr(record, name) in (None, "")]
        if missing:
            problems.append(f"import {record.id} lacks provenance: {', '.join(missing)}")
        stored = store.triple_count(record.graph)
        if record.triple_count is not None and stored != record.triple_count:
            problems.append(f"import {record.id} records {record.triple_count} triples but its graph holds {stored}")
        for old in record.revision_of:
            if old not in by_graph:
                problems.append(f"import {record.id} replaced {import_id(old)}, which is not in the history")
            elif record.status == STATUS_LIVE and by_graph[old].status == STATUS_LIVE:
                problems.append(f"import {record.id} and the version it replaced, {import_id(old)}, are both live")
    for name in store.graph_names(IMPORT_PREFIX):
        if name not in known:
            problems.append(f"graph {name} looks like an import but is not in the import history")
    return problems
