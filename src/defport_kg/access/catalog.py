"""The markings of the store's source graphs, read from the catalogue.

A graph's marking is catalogue data (``dp:marking``, ``dp:releasableTo``), written in the same
commit as the graph, so it is part of the graph's provenance and cannot lag behind its data. A
graph catalogued before markings existed (or without one) gets the lowest level when it is
shipped data (ontology, reference, example) and the default import marking otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from defport_kg.access.markings import PUBLIC_ROLES, Marking, Scheme
from defport_kg.namespaces import CATALOG_GRAPH, DCTERMS, DP, RDF

MARKING = DP + "marking"
RELEASABLE_TO = DP + "releasableTo"
_TYPE = RDF + "type"
_SOURCE_GRAPH = DP + "SourceGraph"
_ROLE = DP + "graphRole"
_STATUS = DP + "status"
_MODIFIED = DCTERMS + "modified"
_CATALOG = ox.NamedNode(CATALOG_GRAPH)


@dataclass(frozen=True)
class GraphRecord:
    """One catalogued source graph as access control needs it."""

    iri: str
    role: str
    status: str
    modified: str
    marking: Marking


@dataclass(frozen=True)
class Catalogue:
    """The catalogue's quads and the records of its source graphs."""

    quads: tuple[ox.Quad, ...]
    graphs: dict[str, GraphRecord]


def read_catalogue(store: Any, scheme: Scheme, default_import_marking: str) -> Catalogue:
    """Every catalogued source graph with its marking (one pass over the catalogue graph)."""
    quads = tuple(store.graph_quads(CATALOG_GRAPH))
    values: dict[str, dict[str, list[str]]] = {}
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode):
            values.setdefault(quad.subject.value, {}).setdefault(quad.predicate.value, []).append(quad.object.value)
    graphs: dict[str, GraphRecord] = {}
    for iri, props in values.items():
        if _SOURCE_GRAPH not in props.get(_TYPE, []):
            continue
        role = min(props.get(_ROLE, [""]))
        level = min(props[MARKING]) if props.get(MARKING) else None
        if level is None:
            level = scheme.lowest if role in PUBLIC_ROLES else default_import_marking
        # A level the scheme does not know stays as it is: only the unbounded clearance sees it.
        graphs[iri] = GraphRecord(
            iri=iri,
            role=role,
            status=min(props.get(_STATUS, [""])),
            modified=min(props.get(_MODIFIED, [""])),
            marking=Marking(level, frozenset(props.get(RELEASABLE_TO, []))),
        )
    return Catalogue(quads, graphs)


def marking_quads(graph: str, marking: Marking) -> list[ox.Quad]:
    """The catalogue statements that record ``graph``'s marking (written with the graph)."""
    node = ox.NamedNode(graph)
    quads = [ox.Quad(node, ox.NamedNode(MARKING), ox.Literal(marking.level), _CATALOG)]
    quads += [
        ox.Quad(node, ox.NamedNode(RELEASABLE_TO), ox.NamedNode(org), _CATALOG) for org in sorted(marking.releasable_to)
    ]
    return quads


def visible_catalogue_quads(catalogue: Catalogue, visible: Iterable[str]) -> list[ox.Quad]:
    """The part of the catalogue a clearance may see: the records of visible graphs and what they
    point to that is not itself a graph (e.g. a saved analysis's run), nothing of a hidden graph."""
    shown = set(visible)
    hidden = set(catalogue.graphs) - shown
    # Nor a visible record's link to a hidden graph (e.g. prov:wasRevisionOf a hidden earlier version).
    kept = [
        q
        for q in catalogue.quads
        if isinstance(q.subject, ox.NamedNode)
        and q.subject.value in shown
        and not (isinstance(q.object, ox.NamedNode) and q.object.value in hidden)
    ]
    linked = {q.object for q in kept if isinstance(q.object, ox.NamedNode | ox.BlankNode)}
    linked = {node for node in linked if not (isinstance(node, ox.NamedNode) and node.value in hidden | shown)}
    kept += [q for q in catalogue.quads if q.subject in linked]
    return kept
