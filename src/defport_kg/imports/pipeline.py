"""The import pipeline: parse → validate in context → one atomic commit with provenance.

Nothing is stored unless every file parses and the batch raises no SHACL violation; the batch,
its provenance and any replacement of an earlier version become live in one atomic operation.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defport_kg.errors import InputError, InputTooLargeError, NotFoundError, ValidationFailed
from defport_kg.imports.context import context_triples
from defport_kg.namespaces import CATALOG_GRAPH, DCTERMS, DP, IMPORT_PREFIX, PROV, RDF, RDFS, XSD
from defport_kg.rdfio import ParsedInput, parse_file, to_rdflib
from defport_kg.settings import get_settings
from defport_kg.store import STATUS_LIVE, EmbeddedStore


@dataclass
class ImportResult:
    """What an import (or a dry run) did; ``report`` is the validation report."""

    import_id: str | None
    graph: str | None
    committed: bool
    dry_run: bool
    triple_count: int
    sources: list[dict[str, Any]]
    report: Any
    replaced: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return bool(self.report is None or self.report.conforms)

    def to_json(self) -> dict[str, Any]:
        return {
            "import": self.import_id,
            "graph": self.graph,
            "committed": self.committed,
            "dry_run": self.dry_run,
            "conforms": self.conforms,
            "triples": self.triple_count,
            "sources": self.sources,
            "replaced": self.replaced,
            "report": self.report.to_json() if self.report is not None else None,
        }


def _new_import_id(sources: Sequence[ParsedInput]) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    digest = hashlib.sha256("".join(s.sha256 for s in sources).encode()).hexdigest()[:8]
    return f"{stamp}-{digest}"


def parse_inputs(paths: Sequence[str | Path], fmt: str | None = None) -> list[ParsedInput]:
    """Parse every file before anything else happens, so one bad file stops the whole batch."""
    settings = get_settings()
    parsed = [parse_file(p, fmt, max_bytes=settings.max_input_bytes) for p in paths]
    total = sum(len(p.quads) for p in parsed)
    if total > settings.max_import_triples:
        raise InputTooLargeError(
            f"the batch holds {total} triples, above the limit of {settings.max_import_triples} "
            "(setting DEFPORT_KG_MAX_IMPORT_TRIPLES)"
        )
    return parsed


def validate_batch(store: EmbeddedStore, quads: list[ox.Quad]) -> Any:
    """Validate the batch with the live data it refers to (CONTRACT: validated in context)."""
    from defport_kg.validation import validate

    data = to_rdflib(quads)
    context = to_rdflib(context_triples(store.raw, quads))
    return validate(data, context=context)


def _provenance_quads(
    graph: ox.NamedNode,
    sources: Sequence[ParsedInput],
    triple_count: int,
    report: Any,
    user: str,
    replaced: Sequence[str],
) -> list[ox.Quad]:
    from defport_kg import __version__

    catalog = ox.NamedNode(CATALOG_GRAPH)

    def lit(value: Any, datatype: str | None = None) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(str(value))

    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    severities = _severity_counts(report)
    quads = [
        ox.Quad(graph, ox.NamedNode(RDF + "type"), ox.NamedNode(DP + "Import"), catalog),
        ox.Quad(graph, ox.NamedNode(RDF + "type"), ox.NamedNode(PROV + "Entity"), catalog),
        ox.Quad(graph, ox.NamedNode(PROV + "generatedAtTime"), lit(now, XSD + "dateTime"), catalog),
        ox.Quad(graph, ox.NamedNode(PROV + "wasAttributedTo"), lit(user), catalog),
        ox.Quad(graph, ox.NamedNode(DP + "tripleCount"), lit(triple_count, XSD + "integer"), catalog),
        ox.Quad(graph, ox.NamedNode(DP + "shapesVersion"), lit(__version__), catalog),
        ox.Quad(graph, ox.NamedNode(DP + "conforms"), lit("true", XSD + "boolean"), catalog),
        ox.Quad(graph, ox.NamedNode(DP + "violationCount"), lit(severities["Violation"], XSD + "integer"), catalog),
        ox.Quad(graph, ox.NamedNode(DP + "warningCount"), lit(severities["Warning"], XSD + "integer"), catalog),
    ]
    for source in sources:
        quads.append(ox.Quad(graph, ox.NamedNode(DP + "sourceName"), lit(Path(source.source).name), catalog))
        quads.append(ox.Quad(graph, ox.NamedNode(DP + "sha256"), lit(source.sha256), catalog))
        for name in source.graph_names:
            quads.append(ox.Quad(graph, ox.NamedNode(DCTERMS + "hasPart"), ox.NamedNode(name), catalog))
    for old in replaced:
        quads.append(ox.Quad(graph, ox.NamedNode(PROV + "wasRevisionOf"), ox.NamedNode(old), catalog))
    quads.append(
        ox.Quad(graph, ox.NamedNode(RDFS + "label"), lit(", ".join(Path(s.source).name for s in sources)), catalog)
    )
    return quads


def _severity_counts(report: Any) -> dict[str, int]:
    counts = {"Violation": 0, "Warning": 0, "Info": 0}
    if report is None:
        return counts
    for result in getattr(report, "results", []):
        counts[str(getattr(result, "severity", "Violation"))] = counts.get(str(result.severity), 0) + 1
    for key in ("violation_count", "warning_count", "info_count"):
        if hasattr(report, key):
            counts[key.split("_")[0].capitalize()] = int(getattr(report, key))
    return counts


def live_imports_of_source(store: EmbeddedStore, source_name: str) -> list[str]:
    rows = store.raw.query(
        f"""PREFIX dp: <{DP}> SELECT DISTINCT ?g WHERE {{
          ?g a dp:Import ; dp:sourceName ?name ; dp:status <{STATUS_LIVE}> }}""",
        default_graph=ox.NamedNode(CATALOG_GRAPH),
        substitutions=None,
    )
    return [r["g"].value for r in rows if _same_name(store, r["g"].value, source_name)]


def _same_name(store: EmbeddedStore, graph: str, source_name: str) -> bool:
    names = {
        q.object.value
        for q in store.raw.quads_for_pattern(
            ox.NamedNode(graph), ox.NamedNode(DP + "sourceName"), None, ox.NamedNode(CATALOG_GRAPH)
        )
    }
    return Path(source_name).name in names


def import_parsed(
    store: EmbeddedStore,
    sources: Sequence[ParsedInput],
    *,
    dry_run: bool = False,
    user: str | None = None,
    replace: str | None = None,
) -> ImportResult:
    """Validate and (unless ``dry_run``) commit already-parsed inputs as one import."""
    if not sources:
        raise InputError("nothing to import: give at least one file")
    quads = [q for s in sources for q in s.quads]
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    report = validate_batch(store, quads)
    summary = [
        {"source": s.source, "sha256": s.sha256, "triples": len(s.quads), "graphs": s.graph_names} for s in sources
    ]
    if not report.conforms:
        raise ValidationFailed(
            f"{_severity_counts(report)['Violation']} violation(s): nothing was stored", report=report
        )
    if dry_run:
        return ImportResult(None, None, False, True, len(triples), summary, report)

    replaced: list[str] = []
    if replace is not None:
        replaced = live_imports_of_source(store, replace)
        if not replaced:
            raise NotFoundError(f"no live import of the source {replace!r} to replace")
    import_id = _new_import_id(sources)
    graph = IMPORT_PREFIX + import_id
    node = ox.NamedNode(graph)
    provenance = _provenance_quads(node, sources, len(triples), report, user or _local_user(), replaced)
    label = ", ".join(Path(s.source).name for s in sources)
    if replaced:
        store.stage_graph(graph, triples, role="import", label=label, extra_quads=provenance)
        store.activate(graph, retire=replaced)
    else:
        store.add_source_graph(graph, triples, role="import", label=label, extra_quads=provenance)
    return ImportResult(import_id, graph, True, False, len(triples), summary, report, replaced)


def import_files(
    store: EmbeddedStore,
    paths: Sequence[str | Path],
    *,
    fmt: str | None = None,
    dry_run: bool = False,
    user: str | None = None,
    replace: str | None = None,
) -> ImportResult:
    return import_parsed(store, parse_inputs(paths, fmt), dry_run=dry_run, user=user, replace=replace)


def _local_user() -> str:
    try:
        return f"local:{getpass.getuser()}"
    except (KeyError, OSError):
        return "local:unknown"
