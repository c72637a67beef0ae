"""The PROV-O record of an import, written into the catalogue in the same commit as its data.

Every statement has the import graph as its subject, so that dropping an interrupted import's
catalogue entry (``<graph> ?p ?o``) removes its provenance completely, with nothing left behind.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from defport_kg.namespaces import CATALOG_GRAPH, DCTERMS, DP, PROV, RDF, XSD

if TYPE_CHECKING:
    from defport_kg.imports.sources import ImportSource

_CATALOG = ox.NamedNode(CATALOG_GRAPH)


def local_user() -> str:
    """Who runs the command line (``cli:{user}``), as the audit log names it too."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in a bare container
        return "cli:unknown"


def batch_sha256(sources: Sequence[ImportSource]) -> str:
    """The input's SHA-256; for several files, the SHA-256 of their digests in order."""
    if len(sources) == 1:
        return sources[0].sha256
    return hashlib.sha256("".join(s.sha256 for s in sources).encode()).hexdigest()


def source_label(sources: Sequence[ImportSource]) -> str:
    return ", ".join(Path(s.name).name for s in sources)


def provenance_quads(
    graph: str,
    sources: Sequence[ImportSource],
    *,
    triple_count: int,
    report: Any,
    user: str,
    shapes_version: str,
    replaced: Sequence[str] = (),
    generated_at: str | None = None,
) -> list[ox.Quad]:
    """Who, when, from what (names, formats, SHA-256), how much, against which shapes, with what result."""
    node = ox.NamedNode(graph)

    def quad(predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(node, ox.NamedNode(predicate), obj, _CATALOG)

    def typed(value: object, datatype: str) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))

    now = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    counts = getattr(report, "counts", {}) or {}
    quads = [
        quad(RDF + "type", ox.NamedNode(DP + "Import")),
        quad(RDF + "type", ox.NamedNode(PROV + "Entity")),
        quad(PROV + "generatedAtTime", typed(now, "dateTime")),
        quad(PROV + "wasAttributedTo", ox.Literal(user)),
        quad(DP + "tripleCount", typed(triple_count, "integer")),
        quad(DP + "shapesVersion", ox.Literal(shapes_version)),
        quad(DP + "conforms", typed("true" if getattr(report, "conforms", True) else "false", "boolean")),
        quad(DP + "violationCount", typed(int(counts.get("Violation", 0)), "integer")),
        quad(DP + "warningCount", typed(int(counts.get("Warning", 0)), "integer")),
        quad(DP + "sha256", ox.Literal(batch_sha256(sources))),
    ]
    for source in sources:
        quads.append(quad(DP + "sourceName", ox.Literal(Path(source.name).name)))
        quads.append(quad(DCTERMS + "format", ox.Literal(source.media_type)))
        for name in source.graph_names:
            # Graph names inside a TriG / N-Quads upload: kept here; their triples are in the import graph.
            quads.append(quad(DCTERMS + "hasPart", ox.NamedNode(name)))
    if len(sources) > 1:
        parts = [f"{Path(s.name).name} ({s.media_type}, {len(s.quads)} triples, sha256 {s.sha256})" for s in sources]
        quads.append(quad(DCTERMS + "description", ox.Literal("; ".join(parts))))
    for old in replaced:
        quads.append(quad(PROV + "wasRevisionOf", ox.NamedNode(old)))
    return quads
