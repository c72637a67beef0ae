"""The import history: list, show, diff and roll back committed imports.

Every committed import stays in the store as its own graph, with its provenance in the catalogue;
replacing or rolling back only changes which versions are live. So history is always complete, a
diff can compare any two versions, and a rollback is one atomic update that swaps versions back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from defport_kg.errors import NotFoundError, UsageError, ValidationFailed
from defport_kg.imports.provenance import local_user
from defport_kg.namespaces import CATALOG_GRAPH, DCTERMS, DP, IMPORT_PREFIX, PROV, RDFS, XSD, expand
from defport_kg.store import STATUS_LIVE, STATUS_ROLLED_BACK, STATUS_SUPERSEDED, EmbeddedStore

if TYPE_CHECKING:
    from defport_kg.imports.sources import ImportSource

_CATALOG = ox.NamedNode(CATALOG_GRAPH)
STATUS_NAMES = {
    STATUS_LIVE: "live",
    STATUS_SUPERSEDED: "superseded",
    STATUS_ROLLED_BACK: "rolled back",
    DP + "Staging": "staging",
    DP + "Activating": "activating",
}


@dataclass
class ImportRecord:
    """One import as the catalogue describes it."""

    id: str
    graph: str
    status: str
    generated_at: str | None = None
    user: str | None = None
    sources: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    sha256: str | None = None
    triple_count: int | None = None
    shapes_version: str | None = None
    conforms: bool | None = None
    violation_count: int | None = None
    warning_count: int | None = None
    graph_names: list[str] = field(default_factory=list)
    revision_of: list[str] = field(default_factory=list)
    revised_by: list[str] = field(default_factory=list)
    invalidated_at: str | None = None
    description: str | None = None
    marking: str | None = None
    releasable_to: list[str] = field(default_factory=list)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status.rsplit("#", 1)[-1])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "graph": self.graph,
            "status": self.status_name,
            "generated_at": self.generated_at,
            "user": self.user,
            "sources": self.sources,
            "formats": self.formats,
            "sha256": self.sha256,
            "triples": self.triple_count,
            "shapes_version": self.shapes_version,
            "conforms": self.conforms,
            "violations": self.violation_count,
            "warnings": self.warning_count,
            "graph_names": self.graph_names,
            "revision_of": [import_id(g) for g in self.revision_of],
            "revised_by": [import_id(g) for g in self.revised_by],
            "rolled_back_at": self.invalidated_at,
            "description": self.description,
            # Who may see it (defport_kg.access); None for an import made before markings existed.
            "marking": self.marking,
            "releasable_to": sorted(self.releasable_to),
        }


def import_id(graph: str) -> str:
    return graph[len(IMPORT_PREFIX) :] if graph.startswith(IMPORT_PREFIX) else graph


def _records(store: EmbeddedStore) -> dict[str, ImportRecord]:
    """Every import in the catalogue, read with one pass over the catalogue's import statements."""
    records: dict[str, ImportRecord] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(DP + "graphRole"), ox.Literal("import"), _CATALOG):
        graph = quad.subject.value
        records[graph] = ImportRecord(import_id(graph), graph, status="")
    for graph, record in records.items():
        for q in store.quads_for_pattern(ox.NamedNode(graph), None, None, _CATALOG):
            p, o = q.predicate.value, q.object
            value = o.value
            if p == DP + "status":
                record.status = value
            elif p == PROV + "generatedAtTime":
                record.generated_at = value
            elif p == PROV + "wasAttributedTo":
                record.user = value
            elif p == DP + "sourceName":
                record.sources.append(value)
            elif p == DCTERMS + "format":
                record.formats.append(value)
            elif p == DP + "sha256":
                record.sha256 = value
            elif p == DP + "tripleCount":
                record.triple_count = int(value)
            elif p == DP + "shapesVersion":
                record.shapes_version = value
            elif p == DP + "conforms":
                record.conforms = value == "true"
            elif p == DP + "violationCount":
                record.violation_count = int(value)
            elif p == DP + "warningCount":
                record.warning_count = int(value)
            elif p == DCTERMS + "hasPart":
                record.graph_names.append(value)
            elif p == PROV + "wasRevisionOf":
                record.revision_of.append(value)
            elif p == PROV + "invalidatedAtTime":
                record.invalidated_at = value
            elif p == DCTERMS + "description":
                record.description = value
            elif p == DP + "marking":
                record.marking = value
            elif p == DP + "releasableTo":
                record.releasable_to.append(value)
    for graph, record in records.items():
        for old in record.revision_of:
            if old in records:
                records[old].revised_by.append(graph)
    for record in records.values():
        record.sources.sort()
        record.formats.sort()
        record.graph_names.sort()
        record.revision_of.sort()
        record.revised_by.sort()
    return records


def list_imports(store: EmbeddedStore) -> list[ImportRecord]:
    """All imports, oldest first (ids start with their UTC time)."""
    return sorted(_records(store).values(), key=lambda r: (r.generated_at or "", r.id))


def resolve(store: EmbeddedStore, reference: str) -> ImportRecord:
    """An import by its id, its graph IRI (or ``dpid:import/...``), or a unique start of its id."""
    records = _records(store)
    text = expand(reference.strip())
    graph = text if text.startswith(IMPORT_PREFIX) else IMPORT_PREFIX + text
    if graph in records:
        return records[graph]
    matches = [r for r in records.values() if r.id.startswith(import_id(graph))] if text else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UsageError(
            f"{reference!r} names {len(matches)} imports ({', '.join(r.id for r in matches[:5])}...): "
            "give more of the id"
        )
    raise NotFoundError(f"no import {reference!r}: see `defport-kg imports list`")


def show(store: EmbeddedStore, reference: str) -> dict[str, Any]:
    """One import's record, with the triples its graph holds now and its place in the version chain."""
    record = resolve(store, reference)
    out = record.to_json()
    out["stored_triples"] = store.triple_count(record.graph)
    return out


# -- diff ------------------------------------------------------------------------------------


def _triples(store: EmbeddedStore, graph: str) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in store.graph_quads(graph)}


def diff(store: EmbeddedStore, first: str, second: str, *, limit: int | None = 1000) -> dict[str, Any]:
    """What ``second`` adds to and removes from ``first``, as N-Triples lines (sorted, capped).

    Blank nodes are named afresh by every import, so statements about blank nodes always differ.
    """
    a, b = resolve(store, first), resolve(store, second)
    old, new = _triples(store, a.graph), _triples(store, b.graph)
    added = sorted(f"{s} {p} {o} ." for s, p, o in new - old)
    removed = sorted(f"{s} {p} {o} ." for s, p, o in old - new)
    return {
        "from": a.id,
        "to": b.id,
        "added_count": len(added),
        "removed_count": len(removed),
        "unchanged_count": len(old & new),
        "added": added[:limit] if limit is not None else added,
        "removed": removed[:limit] if limit is not None else removed,
        "truncated": limit is not None and (len(added) > limit or len(removed) > limit),
    }


# -- rollback --------------------------------------------------------------------------------


@dataclass
class RollbackResult:
    rolled_back: str
    reactivated: list[str]
    report: Any = None  # the validation of the reactivated versions (None when none is reactivated)

    def to_json(self) -> dict[str, Any]:
        return {
            "rolled_back": import_id(self.rolled_back),
            "reactivated": [import_id(g) for g in self.reactivated],
            "report": self.report.to_json() if self.report is not None else None,
        }


def _stored_source(store: EmbeddedStore, record: ImportRecord) -> ImportSource:
    """A stored import version as a batch to validate: its statements as they are in its graph (the
    same blank nodes as the live data will hold), named after the import so results say where."""
    from defport_kg.imports.sources import ImportSource

    quads = [ox.Quad(q.subject, q.predicate, q.object) for q in store.graph_quads(record.graph)]
    name = f"import {record.id}" + (f" ({', '.join(record.sources)})" if record.sources else "")
    return ImportSource(name=name, media_type="application/n-quads", quads=quads, sha256=record.sha256 or "", size=0)


def validate_reactivation(store: EmbeddedStore, reactivated: list[ImportRecord], leaving: str) -> Any:
    """Validate versions about to become live again as an import is validated: as one batch against
    the current shapes, in the context of the live data as it will be once ``leaving`` is out of it.

    A superseded version was valid when it was imported, but the shapes may have been upgraded
    since and the rest of the live data has moved on (another import may now name the same item
    with a share that no longer adds up with the old one), so its old report proves nothing."""
    from defport_kg.imports.pipeline import validate_sources

    return validate_sources(store, [_stored_source(store, r) for r in reactivated], replacing=[leaving])


def rollback(store: EmbeddedStore, reference: str, *, user: str | None = None) -> RollbackResult:
    """Take a live import out of the live data and, if it replaced earlier versions, make those live
    again — in one atomic update. Nothing is deleted: the rolled-back version stays in history.

    The versions made live again are first revalidated (``validate_reactivation``); on violations
    ``ValidationFailed`` carries the report and the store is left exactly as it was. Warnings do
    not block; they are in the result's report."""
    from defport_kg.imports.pipeline import _COMMIT_LOCK

    # Under the commit lock: an import committing meanwhile could replace or revise these versions.
    with _COMMIT_LOCK:
        return _rollback(store, reference, user=user)


def _rollback(store: EmbeddedStore, reference: str, *, user: str | None) -> RollbackResult:
    record = resolve(store, reference)
    if record.status != STATUS_LIVE:
        hint = ""
        if record.revised_by:
            hint = f" (it was replaced by {', '.join(import_id(g) for g in record.revised_by)}; roll that back)"
        raise UsageError(
            f"import {record.id} is {record.status_name}, not live: only a live import can be rolled back{hint}"
        )
    records = _records(store)
    previous = [g for g in record.revision_of if g in records and records[g].status == STATUS_SUPERSEDED]
    report = None
    if previous:
        report = validate_reactivation(store, [records[g] for g in previous], record.graph)
        if not report.conforms:
            again = ", ".join(import_id(g) for g in previous)
            raise ValidationFailed(
                f"rolling back {record.id} would make {again} live again with {report.violation_count} "
                "violation(s) against the current shapes and live data: nothing was changed",
                report=report,
            )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    who = ox.Literal(user or local_user())
    note = f"""INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{
        <{record.graph}> <{PROV}invalidatedAtTime> "{now}"^^<{XSD}dateTime> ;
            <{RDFS}comment> {ox.Literal(f"rolled back by {who.value} at {now}")} }} }}"""
    if not previous:
        store.retire(record.graph, STATUS_ROLLED_BACK, extra_update=note)
        return RollbackResult(record.graph, [])
    # activate() makes one graph live in the same update; any further earlier versions join it there.
    extra = [note]
    for graph in previous[1:]:
        extra.append(store.activation_update(graph))
    store.activate(previous[0], retire=[record.graph], retire_status=STATUS_ROLLED_BACK, extra_update=";\n".join(extra))
    return RollbackResult(record.graph, previous, report)
