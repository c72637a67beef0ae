"""Per-clearance views: each caller reads a store that holds only what it may see.

Filtering answers after the fact leaks (counts, aggregates, DESCRIBE of a hidden node, timings,
``GRAPH ?g``, search suggestions), and rewriting every query and analysis is a game of finding
every read path. So a caller with less than the unbounded clearance gets a *view*: a separate,
read-only pyoxigraph store that physically holds only the source graphs its clearance sees, their
materialised live union under the usual IRI (``dpid:graph/live``) and the part of the catalogue
about those graphs. Every read path — SPARQL, named queries, search, export, the risk and scale
analyses, the web pages — runs unchanged on it; hidden data is not there to leak.

A view is keyed by what it contains (each visible graph's IRI, status, modification time and
marking), not by the store's generation: a commit the caller cannot see does not change its key,
so it neither rebuilds the view nor slows the caller's next request (no timing signal). Callers
whose clearances see the same graphs share a view. Views are made at the first read that needs
them (a copy in RocksDB's bulk loader, so seconds for a million triples), kept up to
``access_view_cache_size`` at once, and deleted when the process ends.

The unbounded clearance (the local operator) reads the store itself.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from defport_kg.access.catalog import Catalogue, GraphRecord, read_catalogue, visible_catalogue_quads
from defport_kg.access.markings import Clearance, Marking, Scheme, derived_marking
from defport_kg.namespaces import CATALOG_GRAPH, LIVE_GRAPH
from defport_kg.store.terms import graph_term

log = logging.getLogger(__name__)

VIEW_DIR = "access-views"
_STATUS_LIVE = "https://w3id.org/defport/ontology#Live"
# Transient states of a commit in progress: never part of anyone's view.
_TRANSIENT = frozenset({"https://w3id.org/defport/ontology#Staging", "https://w3id.org/defport/ontology#Activating"})
_LIVE = graph_term(LIVE_GRAPH)
_CATALOG_NODE = ox.NamedNode(CATALOG_GRAPH)
# A retired view's folder is deleted only after this long unused (a request may still hold it).
_RETIRE_GRACE_SECONDS = 600.0


@dataclass(frozen=True)
class View:
    """What one clearance reads: a store handle, its live graphs and the marking its answers carry."""

    store: Any
    graphs: tuple[str, ...]
    marking: Marking
    # The database folder a query worker process can open read-only; None for the store itself
    # (workers read its snapshots) and for in-memory views.
    path: Path | None
    full: bool


class AccessControl:
    """Clearances and views over one store."""

    def __init__(
        self,
        store: Any,
        *,
        scheme: Scheme,
        default_import_marking: str,
        anonymous_clearance: str,
        default_key_clearance: str,
        cache_size: int = 8,
        strategy: str = "auto",
        remote_refresh_seconds: float = 10.0,
    ) -> None:
        self.store = store
        # How a view of an on-disk store is made: "copy" the visible graphs, "strip" a checkpoint
        # of the whole store of what is hidden, or "auto": whichever moves less data.
        self.strategy = strategy
        self.scheme = scheme
        self.default_import_marking = scheme.level(default_import_marking, what="default import marking")
        self.anonymous = Clearance(scheme.level(anonymous_clearance, what="anonymous clearance"))
        self.default_key_level = scheme.level(default_key_clearance, what="default key clearance")
        self.cache_size = max(1, cache_size)
        # Paths the SPARQL engine's workers have open (set by the engine's owner); never deleted.
        self.in_use: Callable[[], set[Path]] = set
        self._generation = 0
        # A remote SPARQL server can be written by other clients, whose commits this process never
        # hears of: its catalogue is read again once older than this, and a change of its records
        # counts as a commit. Every write to an embedded store goes through this process.
        self._refresh_after = remote_refresh_seconds if getattr(store, "kind", "") == "remote" else None
        # (generation, monotonic time it was read, catalogue)
        self._catalogue: tuple[int, float, Catalogue] | None = None
        self._views: OrderedDict[str, View] = OrderedDict()
        # clearance → (store generation, view key): which view a clearance read at that generation.
        self._by_clearance: dict[Clearance, tuple[int, str]] = {}
        self._retired: list[tuple[float, Path]] = []
        self._lock = threading.Lock()
        self._build_locks: dict[str, threading.Lock] = {}
        directory = getattr(store, "directory", None)
        self.root = Path(directory) / VIEW_DIR / f"{os.getpid()}-{id(self):x}" if directory is not None else None
        if directory is not None:
            _remove_stale(Path(directory) / VIEW_DIR)
        callbacks = getattr(store, "on_commit", None)
        if callbacks is not None:
            callbacks.append(self._committed)

    @classmethod
    def from_settings(cls, store: Any, settings: Any) -> AccessControl:
        return cls(
            store,
            scheme=Scheme.of(settings.markings),
            default_import_marking=settings.default_import_marking,
            anonymous_clearance=settings.anonymous_clearance,
            default_key_clearance=settings.default_key_clearance,
            cache_size=settings.access_view_cache_size,
            remote_refresh_seconds=settings.remote_refresh_seconds,
        )

    # -- clearances --------------------------------------------------------------------------

    def clearance_for(self, key: Any | None) -> Clearance:
        """The clearance of an API key (None: an anonymous caller)."""
        if key is None:
            return self.anonymous
        level = getattr(key, "clearance", None) or self.default_key_level
        if self.scheme.rank(level) is None:
            # The scheme changed under the key: the least, not the most.
            log.warning("key %s has clearance %r, which the marking scheme lacks", key.id, level)
            level = self.scheme.lowest
        return Clearance(level, frozenset(getattr(key, "organisations", ()) or ()))

    # -- views -------------------------------------------------------------------------------

    def catalogue(self) -> Catalogue:
        generation = self._generation
        cached = self._catalogue
        if cached is not None and cached[0] == generation and not self._stale(cached[1]):
            return cached[2]
        read_at = time.monotonic()
        catalogue = read_catalogue(self.store, self.scheme, self.default_import_marking)
        if cached is not None and cached[0] == generation and catalogue.graphs != cached[2].graphs:
            # Written by another client of the remote server: the views this process keeps are stale.
            self._committed()
            generation = self._generation
        self._catalogue = (generation, read_at, catalogue)
        return catalogue

    def _stale(self, read_at: float) -> bool:
        return self._refresh_after is not None and time.monotonic() - read_at >= self._refresh_after

    def visible(self, clearance: Clearance) -> list[GraphRecord]:
        """The catalogued graphs ``clearance`` may see (live or in history), never transient ones."""
        return [
            record
            for record in self.catalogue().graphs.values()
            if record.status not in _TRANSIENT and clearance.sees(record.marking, self.scheme)
        ]

    def marking_of(self, graphs: list[str]) -> Marking:
        """The marking a result computed from ``graphs`` carries (see ``derived_marking``)."""
        records = self.catalogue().graphs
        return derived_marking(
            (records[g].marking if g in records else Marking(self.scheme.highest) for g in graphs), self.scheme
        )

    def cached_view(self, clearance: Clearance) -> View | None:
        """The view of ``clearance`` when it exists already (never blocks: for the event loop)."""
        if clearance.unbounded:
            return None
        cached = self._catalogue
        if cached is not None and self._stale(cached[1]):
            return None  # the caller's slow path (``view``, off the event loop) reads the catalogue again
        generation = self._generation
        with self._lock:
            hit = self._by_clearance.get(clearance)
            if hit is not None and hit[0] == generation and hit[1] in self._views:
                return self._views[hit[1]]
        return None

    def view(self, clearance: Clearance) -> View:
        """The view ``clearance`` reads, made now if it does not exist yet."""
        if clearance.unbounded:
            live = tuple(self.store.live_graphs())
            return View(self.store, live, self.marking_of(list(live)), None, full=True)
        generation = self._generation
        records = sorted(self.visible(clearance), key=lambda r: r.iri)
        key = _signature(records)
        with self._lock:
            self._by_clearance[clearance] = (generation, key)
            found = self._views.get(key)
            if found is not None:
                self._views.move_to_end(key)
                return found
            build_lock = self._build_locks.setdefault(key, threading.Lock())
        with build_lock:
            with self._lock:
                found = self._views.get(key)
            if found is not None:
                return found
            started = time.perf_counter()
            view = self._build(key, records)
            log.info("made the access view %s (%d graphs) in %.2f s", key, len(records), time.perf_counter() - started)
            with self._lock:
                self._views[key] = view
                self._build_locks.pop(key, None)
                while len(self._views) > self.cache_size:
                    _, old = self._views.popitem(last=False)
                    if old.path is not None:
                        self._retired.append((time.monotonic(), old.path.parent))
            self._sweep()
            return view

    def close(self) -> None:
        """Forget every view and delete their folders (at the end of the service)."""
        callbacks = getattr(self.store, "on_commit", None)
        if callbacks is not None:
            with contextlib.suppress(ValueError):
                callbacks.remove(self._committed)
        with self._lock:
            # Only views kept in folders need their databases closed (collected) before the folders go;
            # a collection per app costs a second in a big process (a test session ends with hundreds).
            folders = any(v.path is not None for v in self._views.values()) or bool(self._retired)
            self._views.clear()
            self._retired.clear()
        if folders:
            gc.collect()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            with contextlib.suppress(OSError):
                self.root.parent.rmdir()

    # -- internals ---------------------------------------------------------------------------

    def _committed(self) -> None:
        self._generation += 1

    def _build(self, key: str, records: list[GraphRecord]) -> View:
        live = [r.iri for r in records if r.status == _STATUS_LIVE]
        path: Path | None = None
        raw = getattr(self.store, "raw", None)
        sizes = _graph_sizes(raw) if self.root is not None and isinstance(raw, ox.Store) else None
        visible = {r.iri for r in records}
        strip = sizes is not None and self._prefer_strip(sizes, visible)
        if self.root is None:
            target = ox.Store()
        else:
            path = self.root / key / "oxigraph"
            shutil.rmtree(path.parent, ignore_errors=True)
            path.parent.mkdir(parents=True)
            if strip:
                # A RocksDB checkpoint (hard links: instant) of the whole store, then what the
                # clearance may not see is removed: cheap when little is hidden.
                raw.flush()
                raw.backup(str(path))
            else:
                path.mkdir()
            target = ox.Store(str(path))
        failure: str | None = None
        try:
            if strip:
                self._strip(target, visible, live)
            else:
                batch: list[bytes] = []
                for record in records:
                    self._copy(record.iri, target, batch, live=record.status == _STATUS_LIVE)
                if batch:  # one bulk load for every graph: each load has a fixed cost (new table files)
                    target.bulk_load(b"".join(batch), ox.RdfFormat.N_QUADS)
                if path is not None:
                    target.optimize()  # compacted: many small table files read slowly
            target.extend(visible_catalogue_quads(self.catalogue(), [r.iri for r in records]))
        except OSError as error:  # e.g. the disk is full
            failure = str(error)
        if failure is not None:
            # Outside the except block (its traceback holds the half-made store): close it and delete
            # it, or the next attempt at this view finds its folder locked and the disk still full.
            del target
            gc.collect()
            if path is not None:
                shutil.rmtree(path.parent, ignore_errors=True)
            raise OSError(failure)
        if path is not None:
            # Reopened read-only: a worker process may open it too, and nobody writes it again.
            target.flush()
            del target
            gc.collect()
            target = ox.Store.read_only(str(path))
        from defport_kg.store.embedded import EmbeddedStore

        handle = EmbeddedStore(target, None)
        marking = derived_marking((r.marking for r in records if r.status == _STATUS_LIVE), self.scheme)
        return View(handle, tuple(live), marking, path, full=False)

    def _prefer_strip(self, sizes: dict[str, int], visible: set[str]) -> bool:
        """Checkpoint-and-remove when less is hidden than shown (or when forced, for tests)."""
        if self.strategy != "auto":
            return self.strategy == "strip"
        hidden = sum(n for g, n in sizes.items() if g not in visible and g != LIVE_GRAPH)
        shown = sum(n for g, n in sizes.items() if g in visible)
        return hidden < shown

    def _strip(self, target: ox.Store, visible: set[str], live: list[str]) -> None:
        """Turn a copy of the whole store into the view: every graph outside ``visible`` goes (hidden
        source graphs, staging, system graphs: keys, audit, shapes); a live-union triple goes
        unless a visible live graph asserts it; the catalogue is replaced by its visible part."""
        keep = visible | {LIVE_GRAPH}
        shown_live = {ox.NamedNode(g) for g in live}
        hidden = [g for g in target.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in keep]
        for graph in hidden:
            for quad in list(target.quads_for_pattern(None, None, None, graph)):
                s, p, o = quad.subject, quad.predicate, quad.object
                holders = {q.graph_name for q in target.quads_for_pattern(s, p, o, None)}
                if not holders & shown_live:
                    target.remove(ox.Quad(s, p, o, _LIVE))
            target.remove_graph(graph)
        target.clear_graph(_CATALOG_NODE)

    def _copy(self, graph: str, target: ox.Store, batch: list[bytes], *, live: bool) -> None:
        """Copy one graph (and, when live, into the live union): as N-Quads for the one bulk load
        when it has no blank node (the bulk loader renames them), else as terms."""
        node = ox.NamedNode(graph)
        raw = getattr(self.store, "raw", None)
        if isinstance(raw, ox.Store):  # a remote store's stand-in has no dump: copy its quads
            data = raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)
            if b"_:" not in data:
                # An N-Triples line ends in " .\n" and nowhere else (a newline in a literal is
                # escaped), so adding the graph name there makes N-Quads.
                batch.append(data.replace(b" .\n", f" {node} .\n".encode()))
                if live:
                    batch.append(data)  # lines without a graph name: the default graph, the live data
                return
        quads = list(self.store.graph_quads(graph))
        target.bulk_extend(quads)
        if live:
            target.bulk_extend([ox.Quad(q.subject, q.predicate, q.object, _LIVE) for q in quads])

    def _sweep(self) -> None:
        now = time.monotonic()
        # A worker has a view's database open: <root>/<key>/oxigraph, retired as its folder <root>/<key>.
        in_use = {p.parent for p in self.in_use()}
        keep: list[tuple[float, Path]] = []
        for since, folder in self._retired:
            if now - since < _RETIRE_GRACE_SECONDS or folder in in_use:
                keep.append((since, folder))
            else:
                shutil.rmtree(folder, ignore_errors=True)
        self._retired = keep


def _signature(records: list[GraphRecord]) -> str:
    text = "\n".join(f"{r.iri}\t{r.status}\t{r.modified}\t{r.marking.describe()}" for r in records)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _remove_stale(parent: Path) -> None:
    """Views left by a process that is gone (the store lock says no other process serves it)."""
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        pid = child.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid():
            shutil.rmtree(child, ignore_errors=True)


__all__ = ["AccessControl", "View"]


def _graph_sizes(raw: ox.Store) -> dict[str, int]:
    """Quads per named graph (one pass over the store's index, in the store's own code)."""
    rows = raw.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows if isinstance(row["g"], ox.NamedNode)}
