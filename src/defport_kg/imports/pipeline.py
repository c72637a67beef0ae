"""The import pipeline: read → validate in context → one atomic commit with provenance.

Nothing is stored unless every input reads and the batch raises no SHACL violation; the batch,
its provenance and any replacement of an earlier version become live together. The steps report
to an optional ``progress`` callback so the command line can draw a bar on long imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defport_kg.access.markings import Marking
from defport_kg.errors import NotFoundError, UsageError, ValidationFailed
from defport_kg.imports.context import context_triples
from defport_kg.imports.locate import locate_results
from defport_kg.imports.provenance import local_user, provenance_quads, source_label
from defport_kg.imports.sources import ImportSource, check_batch_limits, from_parsed, read_files
from defport_kg.namespaces import CATALOG_GRAPH, DP, IMPORT_PREFIX
from defport_kg.rdfio import ParsedInput, to_rdflib
from defport_kg.settings import Settings, get_settings
from defport_kg.store import STATUS_LIVE, EmbeddedStore

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: the step being worked on and how far the batch is."""

STEPS = ("read", "validate", "commit")

# One commit at a time per process: finding the version to replace and replacing it must not interleave.
_COMMIT_LOCK = threading.Lock()


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
    user: str | None = None
    notes: list[str] = field(default_factory=list)

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
            "user": self.user,
            "notes": self.notes,
            "report": self.report.to_json() if self.report is not None else None,
        }


def _step(progress: Progress | None, name: str) -> None:
    if progress is not None:
        progress(name, STEPS.index(name), len(STEPS))


def new_import_id(sources: Sequence[ImportSource]) -> str:
    """Sortable by time, and unique: two imports in one microsecond still differ in their digest."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    digest = hashlib.sha256(("".join(s.sha256 for s in sources) + stamp).encode()).hexdigest()[:8]
    return f"{stamp}-{digest}"


def _as_sources(sources: Sequence[ImportSource | ParsedInput]) -> list[ImportSource]:
    return [s if isinstance(s, ImportSource) else from_parsed(s) for s in sources]


# -- validation ------------------------------------------------------------------------------


def validate_sources(
    store: EmbeddedStore, sources: Sequence[ImportSource | ParsedInput], *, replacing: Sequence[str] = ()
) -> Any:
    """Validate the batch with the live data it refers to; results carry their source position."""
    from defport_kg.validation import validate

    batch = _as_sources(sources)
    quads = [q for s in batch for q in s.quads]
    data = to_rdflib(quads)
    # The context as it will be once ``replacing`` leave the live data: a replaced version's
    # statements (an old share, a removed relation) must not count against its replacement.
    context = to_rdflib(context_triples(store, quads, exclude=replacing))
    report = validate(data, context=context, max_per_shape=get_settings().max_report_results_per_shape)
    return locate_results(report, batch)


def validate_batch(store: EmbeddedStore, quads: list[ox.Quad]) -> Any:
    """Validate bare quads in context (kept for callers that have no sources)."""
    from defport_kg.validation import validate

    data = to_rdflib(quads)
    context = to_rdflib(context_triples(store, quads))
    return validate(data, context=context, max_per_shape=get_settings().max_report_results_per_shape)


# -- replacing -------------------------------------------------------------------------------


def live_imports_of_source(store: EmbeddedStore, source_name: str) -> list[str]:
    """The live imports that came from a file of this name (the versions ``--replace`` retires)."""
    name = ox.Literal(Path(source_name).name)
    rows = store.query(
        f"SELECT ?g WHERE {{ ?g <{DP}sourceName> {name} ; <{DP}status> <{STATUS_LIVE}> }}",
        default_graph=[CATALOG_GRAPH],
        named_graphs=[],
    )
    return sorted({row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)})


def _replacing(store: EmbeddedStore, replace: str | None) -> list[str]:
    if replace is None:
        return []
    found = live_imports_of_source(store, replace)
    if not found:
        raise NotFoundError(
            f"no live import of the source {Path(replace).name!r} to replace: see `defport-kg imports list`, "
            "or import without --replace"
        )
    return found


# -- committing ------------------------------------------------------------------------------


def _ntriples(quads: list[ox.Quad]) -> bytes:
    """The batch as N-Triples for the bulk loader (``EmbeddedStore.commit_bulk`` keeps the lines with
    blank nodes apart itself). Graph names are dropped: TriG/N-Quads graph names are kept in
    provenance, their triples go into the import graph."""
    try:
        return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES)  # quads of the default graph
    except ValueError:  # some in named graphs: "The N-Triples format does not support named graphs"
        return ox.serialize([ox.Quad(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)


def _commit(
    store: EmbeddedStore,
    sources: list[ImportSource],
    report: Any,
    *,
    user: str,
    replaced: list[str],
    exclusive: bool,
    settings: Settings | None = None,
    marking: Marking | None = None,
) -> tuple[str, str, int]:
    from defport_kg.access import marking_quads
    from defport_kg.validation import shapes_version

    quads = [q for s in sources for q in s.quads]
    import_id = new_import_id(sources)
    graph = IMPORT_PREFIX + import_id
    label = source_label(sources)
    # Recorded even when it is the default: the marking is part of the import's provenance.
    marked = marking_quads(graph, marking or Marking((settings or get_settings()).default_import_marking))
    if len(quads) >= (settings or get_settings()).bulk_commit_min_triples:
        data = _ntriples(quads)
        count = len(set(data.splitlines()))  # one statement a line, a blank node's label its own
        provenance = (
            provenance_quads(
                graph,
                sources,
                triple_count=count,
                report=report,
                user=user,
                shapes_version=shapes_version(),
                replaced=replaced,
            )
            + marked
        )
        store.commit_bulk(
            graph,
            data,
            role="import",
            triple_count=count,
            label=label,
            extra_quads=provenance,
            retire=replaced,
            exclusive=exclusive,
        )
        return import_id, graph, count
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    provenance = (
        provenance_quads(
            graph,
            sources,
            triple_count=len(triples),
            report=report,
            user=user,
            shapes_version=shapes_version(),
            replaced=replaced,
        )
        + marked
    )
    if replaced:
        store.stage_graph(graph, triples, role="import", label=label, extra_quads=provenance)
        store.activate(graph, retire=replaced)
    else:
        store.add_source_graph(graph, triples, role="import", label=label, extra_quads=provenance)
    return import_id, graph, len(triples)


def import_sources(
    store: EmbeddedStore,
    sources: Sequence[ImportSource | ParsedInput],
    *,
    dry_run: bool = False,
    user: str | None = None,
    replace: str | None = None,
    exclusive: bool = False,
    progress: Progress | None = None,
    settings: Settings | None = None,
    marking: Marking | None = None,
    context: Any = None,
) -> ImportResult:
    """Validate and (unless ``dry_run``) commit read inputs as one import.

    ``exclusive`` says no other reader can see the store meanwhile (the command line holds it
    alone): large batches may then be bulk loaded (see ``EmbeddedStore.commit_bulk``).
    ``marking`` (default: the setting default_import_marking) says who may see the import.
    ``context`` is what the importer may see (an ``access.View``'s store; default: the store):
    the batch is validated against its live data and ``replace`` names only its imports, so that
    validation cannot tell an importer whether data it may not see exists.
    Raises ``ValidationFailed`` (with the report) on violations: nothing is stored then.
    """
    batch = _as_sources(sources)
    if not batch:
        raise UsageError("nothing to import: give at least one file")
    check_batch_limits(batch, settings)
    if not any(s.quads for s in batch):
        notes = "; ".join(note for s in batch for note in s.notes)
        raise UsageError("nothing to import: the input holds no statements" + (f" ({notes})" if notes else ""))
    seen = context if context is not None else store
    replaced = _replacing(seen, replace)
    _step(progress, "validate")
    report = validate_sources(seen, batch, replacing=replaced)
    summary = [s.summary() for s in batch]
    notes = [note for s in batch for note in s.notes]
    who = user or local_user()
    if not report.conforms:
        raise ValidationFailed(f"{report.violation_count} violation(s): nothing was stored", report=report)
    if dry_run:
        count = len({(q.subject, q.predicate, q.object) for s in batch for q in s.quads})
        return ImportResult(None, None, False, True, count, summary, report, replaced, who, notes)
    _step(progress, "commit")
    with _COMMIT_LOCK:
        replaced = _replacing(store, replace)  # again, under the lock: another commit may have run
        if context is not None:
            visible = set(context.live_graphs())
            replaced = [g for g in replaced if g in visible]
        import_id, graph, count = _commit(
            store, batch, report, user=who, replaced=replaced, exclusive=exclusive, settings=settings, marking=marking
        )
    return ImportResult(import_id, graph, True, False, count, summary, report, replaced, who, notes)


def import_files(
    store: EmbeddedStore,
    paths: Sequence[str | Path],
    *,
    fmt: str | None = None,
    template: str | None = None,
    dry_run: bool = False,
    user: str | None = None,
    replace: str | None = None,
    exclusive: bool = False,
    progress: Progress | None = None,
    marking: Marking | None = None,
) -> ImportResult:
    """Read, validate and commit files (RDF or steward templates) as one import."""
    _step(progress, "read")
    sources = read_files(paths, rdf_format=fmt, template=template)
    return import_sources(
        store,
        sources,
        dry_run=dry_run,
        user=user,
        replace=replace,
        exclusive=exclusive,
        progress=progress,
        marking=marking,
    )


def import_parsed(
    store: EmbeddedStore,
    sources: Sequence[ParsedInput | ImportSource],
    *,
    dry_run: bool = False,
    user: str | None = None,
    replace: str | None = None,
) -> ImportResult:
    """Validate and commit already-parsed inputs (kept for callers of the first pipeline)."""
    return import_sources(store, sources, dry_run=dry_run, user=user, replace=replace)


def parse_inputs(paths: Sequence[str | Path], fmt: str | None = None) -> list[ImportSource]:
    """Read every file before anything else happens (kept for callers of the first pipeline)."""
    return read_files(paths, rdf_format=fmt)
