"""The embedded, persistent store (pyoxigraph on RocksDB) with CONTRACT §1 graph semantics.

Every source lives in its own named graph. The live data (public IRI ``dpid:graph/live``) is the
set union of the live source graphs, kept in the store's default graph and maintained in the same
atomic operation as every write, so the default graph of every query counts each triple once
(pyoxigraph's own union default graph repeats triples that two graphs assert, and a sum of
``dp:share`` would double count). The default graph, not a named one, because RocksDB indexes it
three ways instead of six: every committed triple is written twice, and this copy is the cheap one.
Stores made before that kept it in the named graph; ``open`` moves it (``_move_live_to_default``).

pyoxigraph 0.5 is atomic only for ``extend``, ``load`` into an empty graph and ``update``; each
write below is exactly one of those, so a process killed at any moment leaves the store as before
or as after (at worst an inactive staging graph, which ``cleanup_staging`` removes).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import logging
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defport_kg.errors import QueryError, StoreError, StoreFullError, StoreLockedError, UsageError
from defport_kg.namespaces import (
    CATALOG_GRAPH,
    DCTERMS,
    DP,
    LIVE_GRAPH,
    RDF,
    RDFS,
    SHAPES_GRAPH,
    XSD,
)
from defport_kg.store import lock
from defport_kg.store.binding import bind_values
from defport_kg.store.terms import graph_term, to_python, to_term

DATABASE_DIR = "oxigraph"

_LIVE = ox.DefaultGraph()  # where the live data is kept (see graph_term)
_LEGACY_LIVE = ox.NamedNode(LIVE_GRAPH)  # where stores made before kept it
_CATALOG = ox.NamedNode(CATALOG_GRAPH)
_STATUS = ox.NamedNode(DP + "status")
_ROLE = ox.NamedNode(DP + "graphRole")
_TYPE = ox.NamedNode(RDF + "type")
_SOURCE_GRAPH = ox.NamedNode(DP + "SourceGraph")
_LABEL = ox.NamedNode(RDFS + "label")
_MODIFIED = ox.NamedNode(DCTERMS + "modified")
STATUS_LIVE = DP + "Live"
STATUS_STAGING = DP + "Staging"
STATUS_SUPERSEDED = DP + "Superseded"
STATUS_ROLLED_BACK = DP + "RolledBack"
# Internal, transient: a bulk commit is copying a staged graph into the live data (``commit_bulk``).
# A graph found in this state when the store opens was interrupted and is undone (``cleanup_staging``).
STATUS_ACTIVATING = DP + "Activating"

Triple = ox.Triple | ox.Quad | tuple[Any, Any, Any]
# strerror texts of ENOSPC, EDQUOT and EFBIG as RocksDB quotes them in its I/O errors.
_NO_SPACE = ("No space left on device", "Disk quota exceeded", "File too large")


def write_error(error: OSError, what: str = "the store could not be written (nothing was changed)") -> StoreError:
    """The error to raise for a failed write. RocksDB's I/O errors carry no errno, only the OS's
    message: a full disk (or quota, or file size limit) is the operator's to fix, not a bug, so it gets
    its own error (HTTP 507) saying what to do."""
    if any(cause in str(error) for cause in _NO_SPACE):
        return StoreFullError(
            f"{what}: out of space; free space, then retry (a running service must be restarted first: its "
            f"database refuses writes after a failed one): {error}"
        )
    return StoreError(f"{what}: {error}")


log = logging.getLogger(__name__)


def _now_literal() -> ox.Literal:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return ox.Literal(now, datatype=ox.NamedNode(XSD + "dateTime"))


def _spo(triple: Triple) -> tuple[Any, Any, Any]:
    if isinstance(triple, ox.Quad | ox.Triple):
        return triple.subject, triple.predicate, triple.object
    return triple[0], triple[1], triple[2]


def _blank_ntriples(blank: Sequence[Triple]) -> list[bytes]:
    """Statements as N-Triples lines without their ' .' ending (as pyoxigraph writes them: one per
    line, ending ' .', newlines inside literals escaped), so a graph name can be put before it."""
    if not blank:
        return []
    triples = [ox.Triple(*_spo(t)) for t in blank]
    out = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return out.split(b" .\n")[:-1]


def _blank_lines_apart(ntriples: bytes) -> tuple[bytes, list[bytes]]:
    """N-Triples without the lines that may hold a blank node, and those lines (without their ' .').

    Sorted by a byte test on the lines, not by looking at terms (a Python loop over a million terms
    cost more than the rest): a line holding ``_:`` anywhere goes with the blank-node ones, which is
    harmless for the few whose ``_:`` is inside a literal or IRI (they are loaded the same way)."""
    if b"_:" not in ntriples:
        return ntriples, []
    lines = ntriples.split(b" .\n")
    if not lines[-1].strip():
        lines.pop()  # what follows the last statement's " .\n": nothing
    ground = [line for line in lines if b"_:" not in line]
    blank = [line for line in lines if b"_:" in line]
    return (b" .\n".join(ground) + b" .\n") if ground else b"", blank


def _at_once(operations: list[Callable[[], Any]]) -> None:
    """Run writes in parallel threads (bulk loads release the GIL) and wait for all of them; the
    first failure is raised once every one has ended."""
    if len(operations) == 1:
        operations[0]()
        return
    with concurrent.futures.ThreadPoolExecutor(len(operations), thread_name_prefix="bulk-load") as pool:
        futures = [pool.submit(operation) for operation in operations]
    for future in futures:
        future.result()


def _with_live_copies(lines: list[bytes], graph: ox.NamedNode) -> bytes:
    """N-Quads holding each statement twice, in ``graph`` and right after it in the live data (the
    default graph: no graph name). Built by slice assignment, so the interleaving costs C, not
    Python, per statement."""
    n = len(lines)
    parts: list[bytes] = [b""] * (4 * n)
    parts[0::4] = lines
    parts[1::4] = [f" <{graph.value}> .\n".encode()] * n
    parts[2::4] = lines
    parts[3::4] = [b" .\n"] * n
    return b"".join(parts)


def _joined(head: bytes, tail: bytes | list[bytes]) -> bytes:
    """Two N-Triples/N-Quads documents as one (``tail`` may be lines still without their ' .')."""
    if isinstance(tail, list):
        tail = b"".join(line + b" .\n" for line in tail)
    if head and tail and not head.endswith(b"\n"):
        head += b"\n"
    return head + tail


class EmbeddedStore:
    """One process's handle on an embedded store; close it to release the lock."""

    kind = "embedded"

    def __init__(self, raw: ox.Store, directory: Path | None) -> None:
        self.raw = raw
        self.directory = directory
        self._live_cache: list[str] | None = None
        # Called after every successful write: readers holding a snapshot (the SPARQL workers) must
        # learn of each commit at once. A failing callback is logged, never turned into a failed write.
        self.on_commit: list[Callable[[], None]] = []

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, command: str = "defport-kg") -> EmbeddedStore:
        directory = Path(path)
        database = directory / DATABASE_DIR
        if not database.exists():
            if not create:
                raise UsageError(f"no store at {directory}: create one with `defport-kg init --store {directory}`")
            database.mkdir(parents=True, exist_ok=True)
        try:
            raw = ox.Store(str(database))
        except OSError as error:
            if lock.is_lock_error(error):
                holder = lock.describe_holder(directory)
                raise StoreLockedError(
                    f"the store {directory} is held by {holder}: stop it, or use the HTTP API "
                    "of the running service (e.g. POST /api/imports, GET /sparql)"
                ) from None
            raise StoreError(f"cannot open the store {directory}: {error}") from None
        lock.write_holder(directory, command)
        store = cls(raw, directory)
        store._move_live_to_default()
        store.cleanup_staging()
        return store

    def _move_live_to_default(self) -> None:
        """Stores made before the live data moved to the default graph kept it in the named graph
        ``dpid:graph/live``; move it there once. Copied as terms (a text load would rename blank
        nodes, parting them from their source graph's copy), then the old graph is dropped; a crash
        in between leaves both, and the next open simply does it again."""
        if not any(True for _ in self.raw.quads_for_pattern(None, None, None, _LEGACY_LIVE)):
            return
        log.info("moving the live data of %s from <%s> to the default graph (once)", self.directory, LIVE_GRAPH)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object)
            for q in self.raw.quads_for_pattern(None, None, None, _LEGACY_LIVE)
        ]
        self._write(lambda: self.raw.bulk_extend(quads))
        self._write(lambda: self.raw.remove_graph(_LEGACY_LIVE))

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        return cls(ox.Store(), None)

    def close(self) -> None:
        if self.raw is None:
            return
        with contextlib.suppress(OSError):
            self.raw.flush()
        if self.directory is not None:
            lock.clear_holder(self.directory)
        self.raw = None  # type: ignore[assignment]
        # Dropping the last reference releases the RocksDB lock.

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------

    def live_graphs(self) -> list[str]:
        """The live source graphs (CONTRACT §1), from the catalogue."""
        if self._live_cache is None:
            self._live_cache = sorted(
                q.subject.value
                for q in self.raw.quads_for_pattern(None, _STATUS, ox.NamedNode(STATUS_LIVE), _CATALOG)
                if isinstance(q.subject, ox.NamedNode)
            )
        return list(self._live_cache)

    def query(
        self,
        sparql: str,
        substitutions: dict[str, Any] | None = None,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        use_query_dataset: bool = False,
    ) -> Any:
        """Run SPARQL over the live data (each triple once); GRAPH sees the live source graphs.

        ``use_query_dataset`` leaves FROM / FROM NAMED of the query in charge (pyoxigraph would
        otherwise let ``default_graph`` override them).
        """
        kwargs: dict[str, Any] = {}
        if not use_query_dataset:
            graphs = default_graph if default_graph is not None else [LIVE_GRAPH]
            kwargs["default_graph"] = [graph_term(g) for g in graphs]
            names = named_graphs if named_graphs is not None else self.live_graphs()
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in names]
        if substitutions:
            kwargs["substitutions"] = {
                ox.Variable(k.lstrip("?$")) if isinstance(k, str) else k: to_term(v) for k, v in substitutions.items()
            }
        try:
            return self.raw.query(sparql, **kwargs)
        except SyntaxError as error:
            from defport_kg.sparql.parse_errors import engine_syntax_error  # the SPARQL checker: loaded on error

            raise QueryError(engine_syntax_error(sparql, str(error))) from None

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT as dicts of Python values; keyword arguments are bound, not pasted."""
        results = self.query(bind_values(sparql, bindings))
        names = [v.value for v in results.variables]
        return [{n: to_python(row[n]) for n in names} for row in results]

    def ask(self, sparql: str, **bindings: Any) -> bool:
        return bool(self.query(bind_values(sparql, bindings)))

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        return self.raw.quads_for_pattern(None, None, None, graph_term(graph))

    def triple_count(self, graph: str = LIVE_GRAPH) -> int:
        rows = self.raw.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph_term(graph))
        return int(next(iter(rows))["n"].value)

    def source_graphs(self) -> list[dict[str, Any]]:
        """Every catalogued source graph with its role, status and label."""
        rows = self.raw.query(
            """PREFIX dp: <https://w3id.org/defport/ontology#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?g ?role ?status ?label ?modified WHERE {
              ?g a dp:SourceGraph ; dp:graphRole ?role ; dp:status ?status .
              OPTIONAL { ?g rdfs:label ?label } OPTIONAL { ?g dcterms:modified ?modified }
            } ORDER BY ?g""",
            default_graph=_CATALOG,
        )
        return [{k: to_python(r[k]) for k in ("g", "role", "status", "label", "modified")} | {} for r in rows]

    def has_graph(self, graph: str) -> bool:
        return any(True for _ in self.raw.quads_for_pattern(ox.NamedNode(graph), _TYPE, _SOURCE_GRAPH, _CATALOG))

    # -- writing ------------------------------------------------------------------------

    def _catalog_quads(self, graph: ox.NamedNode, role: str, status: str, label: str | None) -> list[ox.Quad]:
        quads = [
            ox.Quad(graph, _TYPE, _SOURCE_GRAPH, _CATALOG),
            ox.Quad(graph, _ROLE, ox.Literal(role), _CATALOG),
            ox.Quad(graph, _STATUS, ox.NamedNode(status), _CATALOG),
            ox.Quad(graph, _MODIFIED, _now_literal(), _CATALOG),
        ]
        if label:
            quads.append(ox.Quad(graph, _LABEL, ox.Literal(label), _CATALOG))
        return quads

    def add_source_graph(
        self,
        graph: str,
        triples: Iterable[Triple],
        *,
        role: str,
        label: str | None = None,
        live: bool = True,
        extra_quads: Iterable[ox.Quad] = (),
    ) -> int:
        """Store a new source graph (and, when live, its triples in the live union) atomically.

        ``extra_quads`` (e.g. provenance in the catalogue) are written in the same transaction.
        Returns the number of distinct triples stored in the graph.
        """
        if self.has_graph(graph):
            raise UsageError(f"the graph {graph} exists already")
        node = ox.NamedNode(graph)
        spo = {_spo(t) for t in triples}
        quads: list[ox.Quad] = [ox.Quad(s, p, o, node) for s, p, o in spo]
        if live:
            quads.extend(ox.Quad(s, p, o, _LIVE) for s, p, o in spo)
        quads.extend(self._catalog_quads(node, role, STATUS_LIVE if live else STATUS_STAGING, label))
        quads.extend(extra_quads)
        self._write(lambda: self.raw.extend(quads))
        return len(spo)

    def stage_graph(
        self,
        graph: str,
        triples: Iterable[Triple],
        *,
        role: str,
        label: str | None = None,
        extra_quads: Iterable[ox.Quad] = (),
    ) -> int:
        """Store a graph that is not live yet (one atomic write); ``activate`` makes it live."""
        return self.add_source_graph(graph, triples, role=role, label=label, live=False, extra_quads=extra_quads)

    def activate(
        self, graph: str, *, retire: Iterable[str] = (), retire_status: str = STATUS_SUPERSEDED, extra_update: str = ""
    ) -> None:
        """In ONE atomic update: take ``retire`` graphs out of the live data and make ``graph`` live."""
        parts = [self._retire_update(g, retire_status) for g in retire]
        parts.append(self.activation_update(graph))
        if extra_update:
            parts.append(extra_update)
        self._write(lambda: self.raw.update(";\n".join(parts)))

    def retire(self, graph: str, status: str = STATUS_SUPERSEDED, *, extra_update: str = "") -> None:
        """Take a source graph out of the live data but keep it (history, rollback)."""
        update = self._retire_update(graph, status)
        if extra_update:
            update += ";\n" + extra_update
        self._write(lambda: self.raw.update(update))

    def drop_graph(self, graph: str) -> None:
        """Remove a source graph entirely (out of the live data, out of the catalogue)."""
        update = (
            self._retire_update(graph, STATUS_ROLLED_BACK)
            + f""";
            DROP SILENT GRAPH <{graph}>;
            DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }}
            WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }}"""
        )
        self._write(lambda: self.raw.update(update))

    def _retire_update(self, graph: str, status: str) -> str:
        # A triple leaves the live union only when no other live source graph asserts it.
        return f"""DELETE {{ ?s ?p ?o }} WHERE {{
              GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> <{STATUS_LIVE}> }}
              GRAPH <{graph}> {{ ?s ?p ?o }}
              FILTER NOT EXISTS {{
                GRAPH <{CATALOG_GRAPH}> {{ ?other <{DP}status> <{STATUS_LIVE}> }}
                FILTER (?other != <{graph}>)
                GRAPH ?other {{ ?s ?p ?o }}
              }}
            }};
            DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> ?st }} }}
            WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> ?st }} }};
            INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> <{status}> }} }}"""

    def commit_bulk(
        self,
        graph: str,
        ntriples: bytes,
        *,
        role: str,
        blank: Sequence[Triple] = (),
        triple_count: int | None = None,
        label: str | None = None,
        extra_quads: Iterable[ox.Quad] = (),
        retire: Iterable[str] = (),
        retire_status: str = STATUS_SUPERSEDED,
        exclusive: bool = False,
    ) -> int:
        """Commit a large source graph without one huge transaction.

        ``ntriples``: N-Triples bytes, one statement a line (as pyoxigraph writes them); ``blank``
        more statements as terms (blank node labels consistent with the bytes'). Every load renames
        blank nodes, consistently within one document, so a statement with a blank node has its
        graph copy and its live copy written by the same document, to stay the same node.

        A single ``extend`` of a million triples (graph + live copy) takes minutes: RocksDB
        transactions grow superlinearly. So the commit is a bulk load, made safe by the catalogue:

        - ``exclusive=False``: the graph is catalogued as staging (one atomic write) and bulk loaded
          (not atomic, but a staging graph is never live and ``cleanup_staging`` drops it if the
          process dies); ``activate`` then makes it live in one atomic update, so readers never see
          half of it.
        - ``exclusive=True``, only for a process that holds the store alone with no concurrent
          readers (the command line): the graph is catalogued as ``Activating``; two bulk loads,
          one into the graph and one into the live data, run at once (pyoxigraph lets go of the
          GIL: both cores work); one final update marks it live (and retires ``retire``). If the
          process dies before that update, the next ``open`` takes out of the live data every
          triple that no live source graph asserts (``_undo_activation``) and drops the graph — so
          the store is, to anyone who can open it, exactly as before or exactly as after. The
          blank-node statements are loaded in the live data's document, each twice (graph copy and
          live copy), so both copies are the same node.

        Returns the number of distinct triples in the graph (``triple_count`` when the caller knows it).
        """
        if self.has_graph(graph):
            raise UsageError(f"the graph {graph} exists already")
        node = ox.NamedNode(graph)
        retired = list(retire)
        status = STATUS_ACTIVATING if exclusive else STATUS_STAGING
        catalog = [*self._catalog_quads(node, role, status, label), *extra_quads]
        self._write(lambda: self.raw.extend(catalog))
        if not exclusive:
            self._bulk_copy(_joined(ntriples, _blank_ntriples(blank)), node)
            self.activate(graph, retire=retired, retire_status=retire_status)
        else:
            ntriples, found = _blank_lines_apart(ntriples)
            blank_lines = [*found, *_blank_ntriples(blank)]
            live = _joined(_with_live_copies(blank_lines, node), ntriples)
            loads = [lambda: self.raw.bulk_load(live, ox.RdfFormat.N_QUADS)]
            if ntriples:
                loads.append(lambda: self.raw.bulk_load(ntriples, ox.RdfFormat.N_TRIPLES, to_graph=node))
            self._write(lambda: _at_once(loads))
            # Live first, then retire: a triple the old version shares with the new one stays live.
            parts = [self._set_status_update(graph, STATUS_LIVE)]
            parts += [self._retire_update(g, retire_status) for g in retired]
            self._write(lambda: self.raw.update(";\n".join(parts)))
        return triple_count if triple_count is not None else self.triple_count(graph)

    def _bulk_copy(self, data: bytes, graph: ox.NamedNode) -> None:
        """One bulk load of N-Triples into ``graph``."""
        if data:
            self._write(lambda: self.raw.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=graph))

    def replace_from_staged(self, graph: str, staged: str, *, extra_update: str = "") -> None:
        """In ONE atomic update: give ``graph`` the content of the staged graph ``staged`` (then dropped).

        How an upgrade replaces the ontology, the shapes or a reference file in place: the graph
        keeps its IRI and catalogue record, and the live data stays in step when it is live.
        """
        live = graph in self.live_graphs()
        parts = []
        if live:
            parts.append(
                f"""DELETE {{ ?s ?p ?o }} WHERE {{
                  GRAPH <{graph}> {{ ?s ?p ?o }}
                  FILTER NOT EXISTS {{
                    GRAPH <{CATALOG_GRAPH}> {{ ?other <{DP}status> <{STATUS_LIVE}> }}
                    FILTER (?other != <{graph}>)
                    GRAPH ?other {{ ?s ?p ?o }}
                  }}
                }}"""
            )
        parts += [f"DROP SILENT GRAPH <{graph}>", f"ADD SILENT <{staged}> TO <{graph}>"]
        if live:
            parts.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        parts += [
            f"DROP SILENT GRAPH <{staged}>",
            f"""DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{staged}> ?p ?o }} }}
            WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{staged}> ?p ?o }} }}""",
        ]
        if self.has_graph(graph):
            parts.append(
                f"""DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DCTERMS}modified> ?m }} }}
                WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DCTERMS}modified> ?m }} }};
                INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DCTERMS}modified> {_now_literal()} }} }}"""
            )
        if extra_update:
            parts.append(extra_update)
        self._write(lambda: self.raw.update(";\n".join(parts)))

    def activation_update(self, graph: str) -> str:
        """The SPARQL Update that makes ``graph`` live: its triples join the live data (the default
        graph here; ``RemoteStore`` has its own), its catalogue status becomes Live."""
        return f"""INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }};
            DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> ?st }} }}
            WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> ?st }} }};
            INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> <{STATUS_LIVE}> }} }}"""

    def _set_status_update(self, graph: str, status: str) -> str:
        return f"""DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> ?st }} }}
            WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> ?st }} }};
            INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{DP}status> <{status}> }} }}"""

    def _undo_activation(self, graph: str) -> None:
        """Undo an interrupted bulk commit. Before it began the live data was exactly the union of
        the live source graphs, and the commit only added to it: so every live triple that no live
        source graph asserts goes (whichever of its two loads had landed), then the graph itself.
        This reads the whole live data, once, and only after a crash."""
        log.warning("undoing the interrupted commit of %s (reading the live data once)", graph)
        update = f"""DELETE {{ ?s ?p ?o }} WHERE {{
              ?s ?p ?o
              FILTER NOT EXISTS {{
                GRAPH <{CATALOG_GRAPH}> {{ ?other <{DP}status> <{STATUS_LIVE}> }}
                GRAPH ?other {{ ?s ?p ?o }}
              }}
            }};
            DROP SILENT GRAPH <{graph}>;
            DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }}
            WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }}"""
        self._write(lambda: self.raw.update(update))

    def update_system(self, sparql_update: str) -> None:
        """A SPARQL Update on system graphs (catalogue, audit); one atomic operation."""
        self._write(lambda: self.raw.update(sparql_update))

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Write quads to system graphs in one atomic operation (never to source graphs)."""
        batch = list(quads)
        if any(q.graph_name in (_LIVE, _LEGACY_LIVE) for q in batch):
            raise StoreError("internal: the live graph is only written through source graphs")
        self._write(lambda: self.raw.extend(batch))

    def cleanup_staging(self) -> list[str]:
        """Drop graphs left staged by an interrupted import; they were never live."""
        staged = [
            q.subject.value
            for q in self.raw.quads_for_pattern(None, _STATUS, ox.NamedNode(STATUS_STAGING), _CATALOG)
            if isinstance(q.subject, ox.NamedNode)
        ]
        for graph in staged:
            self.drop_graph(graph)
        activating = [
            q.subject.value
            for q in self.raw.quads_for_pattern(None, _STATUS, ox.NamedNode(STATUS_ACTIVATING), _CATALOG)
            if isinstance(q.subject, ox.NamedNode)
        ]
        for graph in activating:
            self._undo_activation(graph)
        return staged + activating

    def _write(self, operation: Any) -> None:
        try:
            operation()
        except OSError as error:
            raise write_error(error) from None
        finally:
            self._live_cache = None
        for callback in list(self.on_commit):
            try:
                callback()
            except Exception:  # the write has happened; a reader's bookkeeping must not undo that
                log.exception("a commit callback failed")

    # -- integrity and maintenance -------------------------------------------------------

    def check(self) -> list[str]:
        """Problems found in the graph bookkeeping; an empty list means the store is sound."""
        problems: list[str] = []
        live = self.live_graphs()
        values = " ".join(f"<{g}>" for g in live)
        missing = self.raw.query(
            f"""SELECT (COUNT(*) AS ?n) WHERE {{
              VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }}
              FILTER NOT EXISTS {{ ?s ?p ?o }} }}"""
        )
        n_missing = int(next(iter(missing))["n"].value)
        if n_missing:
            problems.append(f"{n_missing} triples of live source graphs are missing from the live data")
        extra = self.raw.query(
            f"""SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o
              FILTER NOT EXISTS {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} }}"""
        )
        n_extra = int(next(iter(extra))["n"].value)
        if n_extra:
            problems.append(f"{n_extra} triples in the live data belong to no live source graph")
        catalogued = {row["g"] for row in self.source_graphs()}
        system = {LIVE_GRAPH, CATALOG_GRAPH, SHAPES_GRAPH}
        for graph in self.raw.named_graphs():
            name = graph.value if isinstance(graph, ox.NamedNode) else str(graph)
            if (
                name not in catalogued
                and name not in system
                and not name.startswith(CATALOG_GRAPH.rsplit("/", 1)[0] + "/system/")
            ):
                problems.append(f"graph {name} is not in the catalogue")
        for row in self.source_graphs():
            if row["status"] == STATUS_STAGING:
                problems.append(f"staging graph {row['g']} left over")
        return problems

    def backup(self, target: str | Path) -> Path:
        """A consistent copy of the database in ``target`` (which must not exist)."""
        target = Path(target)
        if target.exists():
            raise UsageError(f"backup target {target} exists already: give a new folder")
        target.mkdir(parents=True)
        self.raw.flush()
        self.raw.backup(str(target / DATABASE_DIR))
        return target

    @staticmethod
    def restore(backup_dir: str | Path, store_dir: str | Path) -> None:
        """Replace the store at ``store_dir`` by a backup (the store must not be open)."""
        source = Path(backup_dir) / DATABASE_DIR
        if not source.is_dir():
            raise UsageError(f"{backup_dir} is not a defport-kg backup (no {DATABASE_DIR}/ folder)")
        target = Path(store_dir)
        probe = EmbeddedStore.open(source.parent, command="defport-kg restore (check)")
        probe.close()
        database = target / DATABASE_DIR
        if database.exists():
            holder = EmbeddedStore.open(target, command="defport-kg restore")  # fails if held
            holder.close()
            shutil.rmtree(database)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, database)

    # -- the store interface the import pipeline, history and CLI use (RemoteStore has the same) ------
    # These replace direct use of ``self.raw`` (pyoxigraph) outside the store, so the same code runs
    # on a remote store. Here each is a thin layer over pyoxigraph's index lookups: as fast as before.

    def quads_for_pattern(
        self, subject: Any = None, predicate: Any = None, object: Any = None, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern (``None`` matches anything), as pyoxigraph's ``quads_for_pattern``."""
        if isinstance(graph_name, str):
            graph_name = graph_term(graph_name)
        return self.raw.quads_for_pattern(subject, predicate, object, graph_name)

    def graph_names(self, prefix: str = "") -> list[str]:
        """The IRIs of the named graphs that hold triples and start with ``prefix``, sorted."""
        return sorted(
            g.value for g in self.raw.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)
        )

    def has_triples(self, graph: str) -> bool:
        """Whether ``graph`` holds any triple (catalogued or not, e.g. the shapes graph)."""
        return any(True for _ in self.raw.quads_for_pattern(None, None, None, graph_term(graph)))

    def query_with_prefixes(
        self, sparql: str, prefixes: dict[str, str], *, named_graphs: list[str] | None = None
    ) -> Any:
        """A user's query over the live data, with default prefixes (a ``dp:`` need not be declared).

        pyoxigraph takes the prefixes as a parameter, so parse errors keep the user's line numbers.
        """
        names = named_graphs if named_graphs is not None else self.live_graphs()
        return self.raw.query(
            sparql, prefixes=prefixes, default_graph=[_LIVE], named_graphs=[ox.NamedNode(g) for g in names]
        )

    def _kept_filter(self, exclude: Sequence[str]) -> Callable[[ox.Quad], bool] | None:
        """For reading the live data as it will be once ``exclude`` leave it: a triple stays when
        a live graph other than those asserts it (None: nothing is excluded, keep everything)."""
        if not exclude:
            return None
        gone = {ox.NamedNode(g) for g in exclude}
        kept = {ox.NamedNode(g) for g in self.live_graphs()} - gone

        def keep(quad: ox.Quad) -> bool:
            graphs = {q.graph_name for q in self.raw.quads_for_pattern(quad.subject, quad.predicate, quad.object)}
            return not (graphs & gone) or bool(graphs & kept)

        return keep

    def live_matches(
        self,
        patterns: Sequence[tuple[Any, Any, Any]],
        *,
        follow: Sequence[ox.NamedNode] = (),
        exclude: Sequence[str] = (),
    ) -> dict[tuple[Any, Any, Any], list[tuple[ox.Triple, list[ox.Triple]]]]:
        """Each pattern's live matches, each with the statements whose predicate is in ``follow``
        about the match's subject (which may be a blank node: a follow-up lookup by the caller could
        not name it on a remote store). ``exclude``: read the live data as if those graphs had left it.
        """
        keep = self._kept_filter(exclude)
        out: dict[tuple[Any, Any, Any], list[tuple[ox.Triple, list[ox.Triple]]]] = {}
        for pattern in patterns:
            found: list[tuple[ox.Triple, list[ox.Triple]]] = []
            for quad in self.raw.quads_for_pattern(pattern[0], pattern[1], pattern[2], _LIVE):
                if keep is not None and not keep(quad):
                    continue
                extra = [
                    ox.Triple(q.subject, q.predicate, q.object)
                    for predicate in follow
                    for q in self.raw.quads_for_pattern(quad.subject, predicate, None, _LIVE)
                    if keep is None or keep(q)
                ]
                found.append((ox.Triple(quad.subject, quad.predicate, quad.object), extra))
            out[pattern] = found
        return out

    def live_descriptions(
        self, nodes: Sequence[ox.NamedNode], *, depth: int, exclude: Sequence[str] = ()
    ) -> dict[ox.NamedNode, list[ox.Triple]]:
        """Every live statement about each node, and about the blank nodes reached from it through
        at most ``depth`` blank nodes (a blank node's statements are part of what it describes)."""
        keep = self._kept_filter(exclude)
        out: dict[ox.NamedNode, list[ox.Triple]] = {}
        for node in nodes:
            triples: list[ox.Triple] = []
            seen: set[Any] = set()
            frontier: list[Any] = [node]
            for level in range(depth + 1):
                following: list[Any] = []
                for subject in frontier:
                    if subject in seen:
                        continue
                    seen.add(subject)
                    for quad in self.raw.quads_for_pattern(subject, None, None, _LIVE):
                        if keep is not None and not keep(quad):
                            continue
                        triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
                        if isinstance(quad.object, ox.BlankNode) and level < depth:
                            following.append(quad.object)
                frontier = following
            out[node] = triples
        return out
