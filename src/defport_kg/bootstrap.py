"""Creating a store: the ontology, the shapes, the reference data and (optionally) the example.

Each shipped file becomes its own source graph (CONTRACT §1), so that an upgrade can replace one
file's graph without touching the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from defport_kg.namespaces import GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH_PREFIX, SHAPES_GRAPH
from defport_kg.rdfio import parse_file
from defport_kg.resources import data_dir, ontology_file, shapes_file
from defport_kg.store import EmbeddedStore

EXAMPLE_GRAPH_PREFIX = GRAPH + "example/"

Progress = Callable[[str, int, int], None]


@dataclass
class LoadPlan:
    graph: str
    path: Path
    role: str


def plan(example: bool) -> list[LoadPlan]:
    """The shipped files in load order, each with its graph and role."""
    steps = [LoadPlan(ONTOLOGY_GRAPH, ontology_file(), "ontology")]
    steps += [
        LoadPlan(REFERENCE_GRAPH_PREFIX + path.stem, path, "reference")
        for path in sorted((data_dir() / "reference").glob("*.ttl"))
    ]
    if example:
        steps += [
            LoadPlan(EXAMPLE_GRAPH_PREFIX + path.stem, path, "example")
            for path in sorted((data_dir() / "example").glob("*.ttl"))
        ]
    return steps


def initialise(store: EmbeddedStore, *, example: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """Load whatever of the plan is not in the store yet; returns triples per graph loaded."""
    loaded: dict[str, int] = {}
    steps = plan(example)
    if not _has_shapes(store):
        shapes = parse_file(shapes_file())
        store.add_quads(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(SHAPES_GRAPH)) for q in shapes.quads)
        loaded[SHAPES_GRAPH] = len(shapes.quads)
    for index, step in enumerate(steps, start=1):
        if progress:
            progress(step.path.name, index, len(steps))
        if store.has_graph(step.graph):
            continue
        parsed = parse_file(step.path)
        loaded[step.graph] = store.add_source_graph(step.graph, parsed.quads, role=step.role, label=step.path.name)
    return loaded


def _has_shapes(store: EmbeddedStore) -> bool:
    return bool(store.has_triples(SHAPES_GRAPH))
