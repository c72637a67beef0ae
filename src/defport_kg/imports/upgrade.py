"""Store upkeep after installing a new version: reload the shipped graphs, revalidate the data.

The ontology, the shapes, the reference files (and the example, where loaded) are replaced from
the installed package, each graph in one atomic update (staged first; an interruption leaves at
most a staging graph that the next open drops). Then the whole live data is validated against the
new shapes and what they reject is reported — nothing is deleted: stewards fix it with imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defport_kg.bootstrap import plan
from defport_kg.namespaces import GRAPH, LIVE_GRAPH, SHAPES_GRAPH
from defport_kg.rdfio import parse_file, to_rdflib
from defport_kg.resources import shapes_file
from defport_kg.settings import get_settings
from defport_kg.store import EmbeddedStore

STAGING_PREFIX = GRAPH + "staging/"

Progress = Callable[[str, int, int], None]


@dataclass
class GraphChange:
    graph: str
    file: str
    role: str
    action: str  # "unchanged", "replaced", "added", "kept" (in the store, no longer shipped)
    triples: int

    def to_json(self) -> dict[str, Any]:
        return {
            "graph": self.graph,
            "file": self.file,
            "role": self.role,
            "action": self.action,
            "triples": self.triples,
        }


@dataclass
class UpgradeResult:
    changes: list[GraphChange] = field(default_factory=list)
    report: Any = None
    dry_run: bool = False

    @property
    def conforms(self) -> bool:
        return bool(self.report is None or self.report.conforms)

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "graphs": [c.to_json() for c in self.changes],
            "conforms": self.conforms,
            "report": self.report.to_json() if self.report is not None else None,
        }


def _ground(quads: Any) -> tuple[set[tuple[str, str, str]], int]:
    """The statements without blank nodes, and how many have one (blank nodes get new names per load)."""
    ground: set[tuple[str, str, str]] = set()
    blank = 0
    for q in quads:
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            blank += 1
        else:
            ground.add((str(q.subject), str(q.predicate), str(q.object)))
    return ground, blank


def _same(store: EmbeddedStore, graph: str, quads: list[ox.Quad]) -> bool:
    return _ground(store.graph_quads(graph)) == _ground(quads)


def _replace(store: EmbeddedStore, graph: str, quads: list[ox.Quad], role: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    staged = f"{STAGING_PREFIX}{graph.rsplit('/', 1)[-1]}-{stamp}"
    store.stage_graph(staged, quads, role=role, label=f"upgrade of {graph}")
    store.replace_from_staged(graph, staged)


def upgrade(store: EmbeddedStore, *, dry_run: bool = False, progress: Progress | None = None) -> UpgradeResult:
    """Bring the shipped graphs up to the installed version and revalidate the live data."""
    result = UpgradeResult(dry_run=dry_run)
    catalogued = {row["g"]: row for row in store.source_graphs()}
    has_example = any(str(row.get("role")) == "example" for row in catalogued.values())
    steps = [(SHAPES_GRAPH, shapes_file(), "shapes"), *((s.graph, s.path, s.role) for s in plan(has_example))]
    for index, (graph, path, role) in enumerate(steps, start=1):
        if progress:
            progress(f"loading {Path(path).name}", index, len(steps) + 1)
        quads = parse_file(path).quads
        exists = graph == SHAPES_GRAPH or graph in catalogued
        if exists and _same(store, graph, quads):
            action = "unchanged"
        elif exists:
            action = "replaced"
            if not dry_run:
                _replace(store, graph, quads, role)
        else:
            action = "added"
            if not dry_run:
                store.add_source_graph(graph, quads, role=role, label=Path(path).name)
        result.changes.append(GraphChange(graph, Path(path).name, role, action, len(quads)))
    shipped = {graph for graph, _path, _role in steps}
    for graph, row in sorted(catalogued.items()):
        role = str(row.get("role"))
        if role in ("ontology", "reference", "example") and graph not in shipped:
            # No longer shipped: kept (deleting is a steward's decision, not an upgrade's).
            label = str(row.get("label") or "")
            result.changes.append(GraphChange(graph, label, role, "kept", store.triple_count(graph)))
    if progress:
        progress("validating the live data", len(steps) + 1, len(steps) + 1)
    result.report = validate_live(store)
    return result


def validate_live(store: EmbeddedStore) -> Any:
    """The whole live data against the installed shapes: what they reject now."""
    from defport_kg.validation import validate

    data = to_rdflib(store.graph_quads(LIVE_GRAPH))
    return validate(data, max_per_shape=get_settings().max_report_results_per_shape)
