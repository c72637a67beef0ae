"""An in-memory copy of the live data of the database a query worker reads, built beside it.

Why: a worker's database (a snapshot of the store, or a clearance's access view) is a RocksDB
database, and every index lookup of a join is a RocksDB seek of a few microseconds. pyoxigraph's
in-memory store answers the same lookups from memory; on the 1M-triple benchmark graph the
join-heavy query takes ~60 ms there instead of ~300-400 ms, and a cheap query ~0.13 ms instead of
~0.27 ms. Only the default graph (the live data, CONTRACT §1) is copied: the in-memory store's
default-graph lookups slow down by half when the same triples also sit in named graphs, and
queries that name graphs (GRAPH, FROM, default-graph-uri) are rarer; they keep reading the database.

How: in a thread, the default graph is written as N-Triples into memory and bulk loaded into a
fresh in-memory store (blank nodes aside, see ``memory_copy``). Both steps run in Rust without the
GIL, so the worker keeps answering from the database meanwhile and a commit is seen at once; the
copy takes over when it is complete. ``CopyKeeper`` decides when a newer database is copied. A copy
is only built when it fits: at most ``max_triples`` triples (setting ``query_memory_copy_triples``)
and well inside the worker's address-space limit, since a Rust allocation failure would abort the
worker again on every rebuild.
"""

from __future__ import annotations

import collections
import gc
import resource
import threading
import time
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

# What one triple costs the worker's address space while its copy is built (the N-Triples text, its
# lines and the in-memory store side by side): 1M triples took 1.1-1.2 GB more; rounded up.
BYTES_PER_TRIPLE = 1_400
# Share of the address-space limit the worker may reach with its copy: the rest is for the queries
# (an idle worker already holds ~1.1 GB of address space, mostly reserved, not used).
_SHARE_OF_LIMIT = 0.75
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# A worker's copy is replaced when its database was not among the last this many queries'.
RECENT_QUERIES = 8


class CopyKeeper:
    """Which database a worker keeps in memory, and when it starts copying another.

    One copy at a time (memory). A new one is started for the database a query reads when the
    current copy's database is no longer among the last ``RECENT_QUERIES`` queries' (after a commit;
    or the worker now serves another clearance's view), so two databases asked for in turn keep the
    older copy rather than rebuilding on every switch. It waits until the worker has been reading the
    new database for as long as the last copy took to build, and never starts while one is building:
    under commits that come faster than copies can be made, the workers answer from the snapshots
    instead of spending their cores on copies that would be stale when complete.
    """

    def __init__(self, max_triples: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_triples = max_triples
        self.live: LiveCopy | None = None
        self._clock = clock
        self._recent: collections.deque[str] = collections.deque(maxlen=RECENT_QUERIES)
        self._reading: tuple[str, float] | None = None  # the newest database read, since when
        self._last_build = 0.0  # seconds the last complete copy took

    def for_query(self, store: ox.Store, path: str) -> ox.Store | None:
        """The complete copy of ``path`` (``store``, the open database), else None (read ``store``)."""
        self._recent.append(path)
        if not self.max_triples:
            return None
        live = self.live
        if live is not None and (live.path == path or live.path in self._recent):
            return live.ready_for(path)
        now = self._clock()
        if self._reading is None or self._reading[0] != path:
            self._reading = (path, now)
        if live is not None and live.building:
            return None
        if live is not None and live.seconds:
            self._last_build = live.seconds
        if now - self._reading[1] < self._last_build:
            return None
        # The old copy goes first (freeing it holds the GIL for up to a second per million triples:
        # here, before this query runs, it delays no answer that is under way).
        self.live = None
        del live
        gc.collect()
        self.live = LiveCopy(store, path, self.max_triples)
        return None

    def status(self) -> dict[str, Any] | None:
        return self.live.status() if self.live is not None else None


class LiveCopy:
    """The copy of one snapshot's default graph; ``store`` is None until it is complete (or never, when
    it does not fit or failed: ``reason`` says why)."""

    def __init__(self, snapshot: ox.Store, path: str, max_triples: int) -> None:
        self.path = path
        self.store: ox.Store | None = None
        self.triples: int | None = None
        self.seconds: float | None = None
        self.reason = "building"
        self._thread = threading.Thread(
            target=self._build, args=(snapshot, max_triples), name="defport-kg-live-copy", daemon=True
        )
        self._thread.start()

    def ready_for(self, path: str) -> ox.Store | None:
        """The in-memory store when it is complete and copies ``path``."""
        return self.store if path == self.path else None

    @property
    def building(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the build has ended (complete or given up) within ``timeout`` seconds."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def status(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ready": self.store is not None,
            "triples": self.triples,
            "seconds": self.seconds,
            "reason": self.reason,
        }

    def _build(self, snapshot: ox.Store, max_triples: int) -> None:
        started = time.perf_counter()
        try:
            triples = _count(snapshot)
            self.triples = triples
            refusal = _refusal(triples, max_triples)
            if refusal:
                self.reason = refusal
                return
            copy = memory_copy(snapshot)
        except Exception as error:  # e.g. the snapshot deleted under it: the worker reads the database
            self.reason = f"failed: {type(error).__name__}: {error}"
            return
        self.seconds = time.perf_counter() - started
        self.reason = "ready"
        self.store = copy  # last: a reader sees either nothing or the complete copy


def memory_copy(snapshot: ox.Store) -> ox.Store:
    """A new in-memory store with the snapshot's default graph, blank nodes keeping their labels.

    ``bulk_load`` gives every blank node a fresh label (as each parse in pyoxigraph does): the copy
    would name the ontology's blank nodes differently from the snapshot, and each worker's copy
    differently again, so the same query's answer would change with the worker that answers it. So
    the lines that may hold a blank node (any ``_:``, literals included) go through the parser that
    keeps labels, quad by quad; the rest (nearly all) is bulk loaded without the GIL.
    """
    text = snapshot.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    copy = ox.Store()
    if b"_:" not in text:
        copy.bulk_load(text, format=ox.RdfFormat.N_TRIPLES)
        return copy
    lines = text.split(b"\n")
    del text
    labelled = b"\n".join([line for line in lines if b"_:" in line])
    plain = b"\n".join([line for line in lines if b"_:" not in line])
    del lines
    copy.bulk_load(plain, format=ox.RdfFormat.N_TRIPLES)
    del plain
    copy.bulk_extend(ox.parse(labelled, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False))
    return copy


def _count(snapshot: ox.Store) -> int:
    solution = next(iter(snapshot.query(_COUNT, default_graph=[ox.DefaultGraph()])))
    return int(solution[0].value)


def _refusal(triples: int, max_triples: int) -> str:
    """Why a copy of ``triples`` triples is not built ("" when it is)."""
    if triples > max_triples:
        return f"{triples} triples, more than the {max_triples} of setting DEFPORT_KG_QUERY_MEMORY_COPY_TRIPLES"
    limit, _ = resource.getrlimit(resource.RLIMIT_AS)
    if limit == resource.RLIM_INFINITY:
        return ""
    needed = triples * BYTES_PER_TRIPLE
    room = int(limit * _SHARE_OF_LIMIT) - _address_space()
    if needed > room:
        return (
            f"{triples} triples need about {needed // 2**20} MB, more than this worker can spare under its "
            f"{limit // 2**20} MB limit (setting DEFPORT_KG_QUERY_WORKER_MEMORY_MB)"
        )
    return ""


def _address_space() -> int:
    """This process's current virtual size in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * resource.getpagesize()
