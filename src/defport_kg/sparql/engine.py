"""Where /sparql queries run: killable worker processes on snapshots, or threads for in-memory stores.

The HTTP server holds the store (one process: the RocksDB lock). Queries must not run on the event
loop, must use both cores, must stop at their deadline and must never hold up a write. So:

- ``ProcessEngine`` (every on-disk store): a pool of worker processes, each reading an immutable
  snapshot of the store (``snapshots``). A query is sent to an idle worker; if no answer comes by
  the deadline the worker is killed (its CPU is free at once) and replaced, and the client gets 503.
  After each commit the store makes a new snapshot before the write returns, so a query sent after
  a write sees it; idle workers switch to it at once, busy ones with their next query. Writers never
  wait for readers: readers do not touch the live database.
- ``ThreadEngine`` (the in-memory store of tests, which cannot be snapshotted): a thread pool over
  the live store. A timed-out query is answered 503 and its result reading stops at the next batch of
  rows, but a query still computing its first row runs on; acceptable for tests only.

Both engines are thread-safe. The route awaits ``run_async``: the process engine waits for its
worker's answer on the event loop itself (no thread per query, no GIL hand-over); ``run`` is the
blocking form for scripts and tests.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import itertools
import logging
import os
import pickle
import queue
import threading
import time
from pathlib import Path
from typing import Any, Protocol

import anyio

from defport_kg.sparql.execution import QueryOutcome, QueryRequest, execute, failure
from defport_kg.sparql.snapshots import Snapshots
from defport_kg.sparql.workers import Worker, WorkerDied, WorkerTimedOut

log = logging.getLogger(__name__)

_STARTUP_SECONDS = 120.0
_OPEN_SECONDS = 60.0
# Answers bigger than this are read in a thread, not on the event loop.
_INLINE_BYTES = 256 * 1024


class QueryEngine(Protocol):
    kind: str

    @property
    def generation(self) -> int: ...

    def run(self, request: QueryRequest, view: Any = None) -> QueryOutcome: ...

    async def run_async(self, request: QueryRequest, view: Any = None) -> QueryOutcome: ...

    def close(self) -> None: ...


def timed_out(timeout: float) -> QueryOutcome:
    return failure(
        503,
        "Query timed out",
        f"the query ran longer than {timeout:g} s (setting DEFPORT_KG_QUERY_TIMEOUT_SECONDS) and was stopped; "
        "narrow it down or add a LIMIT",
    )


def default_worker_count() -> int:
    return max(2, os.cpu_count() or 2)


def create_engine(
    store: Any,
    *,
    timeout: float,
    workers: int = 0,
    worker_memory_mb: int | None = None,
    copy_triples: int | None = None,
) -> QueryEngine:
    """The engine for ``store``: worker processes for an on-disk store, threads for an in-memory one.

    ``worker_memory_mb`` caps each worker process's address space (None: the setting; 0: no limit);
    ``copy_triples``: the largest live data a worker also copies into memory (None: the setting; 0: never).
    """
    count = workers or default_worker_count()
    if getattr(store, "directory", None) is None:
        return ThreadEngine(store, timeout=timeout, workers=max(4, count))
    return ProcessEngine(
        store, timeout=timeout, workers=count, worker_memory_mb=worker_memory_mb, copy_triples=copy_triples
    )


class ThreadEngine:
    """Queries in a thread pool over the live (in-memory) store."""

    kind = "threads"

    def __init__(self, store: Any, *, timeout: float, workers: int) -> None:
        self._store = store
        self._timeout = timeout
        self._executor = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="defport-kg-sparql")
        self._generation = 0
        # A store without commit callbacks (none of ours) just never bumps the generation.
        self._callbacks: list[Any] = getattr(store, "on_commit", [])
        self._callbacks.append(self._committed)

    @property
    def generation(self) -> int:
        return self._generation

    def _committed(self) -> None:
        self._generation += 1

    def run(self, request: QueryRequest, view: Any = None) -> QueryOutcome:
        """``view``: an ``access.View`` to read instead of the whole store (a caller's clearance)."""
        stop = threading.Event()
        raw = view.store.raw if view is not None and not view.full else self._store.raw
        try:
            future = self._executor.submit(execute, raw, request, stop.is_set)
        except RuntimeError:
            return failure(503, "Service stopping", "the query engine is shutting down")
        try:
            return future.result(timeout=self._timeout)
        except concurrent.futures.TimeoutError:
            stop.set()
            future.cancel()
            return timed_out(self._timeout)

    async def run_async(self, request: QueryRequest, view: Any = None) -> QueryOutcome:
        return await anyio.to_thread.run_sync(self.run, request, view)

    def close(self) -> None:
        with contextlib.suppress(ValueError):
            self._callbacks.remove(self._committed)
        self._executor.shutdown(wait=False, cancel_futures=True)


class ProcessEngine:
    """A pool of killable worker processes, each reading the newest snapshot of the store."""

    kind = "processes"

    def __init__(
        self,
        store: Any,
        *,
        timeout: float,
        workers: int,
        worker_memory_mb: int | None = None,
        copy_triples: int | None = None,
    ) -> None:
        self._store = store
        self._timeout = timeout
        self._worker_memory_mb = worker_memory_mb
        self._copy_triples = copy_triples
        self.size = workers
        self._lock = threading.Lock()
        # Last in, first out: under light load the same (warm) worker takes every query.
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._workers: list[Worker] = []
        self._numbers = itertools.count(1)
        self._starting = 0  # workers asked for and not ready yet
        # Requests on an event loop waiting for an idle worker: woken one at a time as workers
        # become idle (no thread per waiting request).
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._closed = False
        self._snapshots = Snapshots(store.raw, Path(store.directory))
        store.on_commit.append(self._committed)
        # Workers die with the thread that started them (PR_SET_PDEATHSIG is per thread), so one
        # long-lived thread starts them all.
        self._spawn_requests: queue.Queue[bool] = queue.Queue()
        threading.Thread(target=self._spawner, name="defport-kg-sparql-spawner", daemon=True).start()
        for _ in range(workers):
            self._start_in_background()

    # -- public -------------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._snapshots.generation

    def paths_in_use(self) -> set[Path]:
        """The databases (snapshots, access views) workers have open or are opening."""
        with self._lock:
            return {p for w in self._workers for p in (w.snapshot, w.pending) if p is not None}

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._workers if w.pid is not None]

    def copy_statuses(self, timeout: float = 10.0) -> list[dict[str, Any] | None]:
        """Each idle worker's in-memory copy (``LiveCopy.status()``; None: none): for tests, benchmarks
        and operators. Busy workers are not asked."""
        taken = self._take_all_idle()
        statuses: list[dict[str, Any] | None] = []
        for worker in taken:
            try:
                reply = worker.call(("status",), timeout)
            except (WorkerDied, WorkerTimedOut):
                self._discard(worker)
                continue
            statuses.append(reply[1] if isinstance(reply, tuple) and reply[0] == "status" else None)
            self._put_idle(worker)
        return statuses

    def wait_for_copies(self, timeout: float = _STARTUP_SECONDS) -> bool:
        """Block until no idle worker is building a copy (a worker makes its copy at its first query:
        run queries first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            statuses = self.copy_statuses()
            if statuses and all(s is None or s["reason"] != "building" for s in statuses):
                return True
            time.sleep(0.05)
        return False

    def wait_ready(self, timeout: float = _STARTUP_SECONDS) -> bool:
        """Block until every worker has started (tests and benchmarks want a warm pool)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._sweep_idle()
            if self._idle.qsize() >= self.size:
                return True
            time.sleep(0.02)
        return False

    def _sweep_idle(self) -> None:
        """Discard (and replace) idle workers that died: the idle stack is LIFO, so one that died at its
        bottom would otherwise count as ready until every other worker is busy."""
        taken = self._take_all_idle()
        for worker in reversed(taken):  # back in the same order
            if worker.alive():
                self._put_idle(worker)
            else:
                self._discard(worker)

    def run(self, request: QueryRequest, view: Any = None) -> QueryOutcome:
        """Run one query, blocking this thread until the answer, the deadline or the worker's death.

        ``view``: an ``access.View`` whose read-only database the worker reads instead of the
        newest snapshot of the whole store (a caller with less than the unbounded clearance).
        """
        if self._closed:
            return self._stopping()
        worker = self._take_idle()
        if worker is None:
            return self._busy()
        path = self._assign(worker, view)
        try:
            outcome = worker.call(("query", str(path), request), self._timeout)
        except WorkerTimedOut:
            self._discard(worker)
            return timed_out(self._timeout)
        except WorkerDied:
            self._discard(worker)
            return self._died()
        if self._release(worker, path):
            self._collect()
        return outcome

    async def run_async(self, request: QueryRequest, view: Any = None) -> QueryOutcome:
        """Run one query from the event loop: the wait for the worker's answer costs no thread."""
        if self._closed:
            return self._stopping()
        worker = self._take_idle_now() or await self._take_idle_async()
        if worker is None:
            return self._busy()
        path = self._assign(worker, view)
        try:
            worker.send(("query", str(path), request))
            outcome = None
            with anyio.move_on_after(self._timeout) as deadline:
                outcome = await worker.read_async(_INLINE_BYTES)
            if deadline.cancelled_caught or outcome is None:
                await anyio.to_thread.run_sync(self._discard, worker)
                return timed_out(self._timeout)
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            await anyio.to_thread.run_sync(self._discard, worker)
            return self._died()
        except BaseException:
            # Cancelled (the client went away, the server stops): the query cannot be taken back,
            # so its worker goes, which also frees its CPU.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._discard, worker)
            raise
        if self._release(worker, path):
            await anyio.to_thread.run_sync(self._collect)
        return outcome

    def close(self) -> None:
        """Stop every worker and delete the snapshots (a busy worker is killed)."""
        if self._closed:
            return
        self._closed = True
        self._spawn_requests.put(False)
        with contextlib.suppress(ValueError):
            self._store.on_commit.remove(self._committed)
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop(timeout=1.0)
        self._snapshots.close()

    # -- workers ------------------------------------------------------------------------------

    def _stopping(self) -> QueryOutcome:
        return failure(503, "Service stopping", "the query engine is shutting down")

    def _busy(self) -> QueryOutcome:
        return failure(
            503,
            "Busy",
            f"all {self.size} query workers stayed busy for {self._timeout:g} s; try again later",
            retry_after=1,
        )

    def _died(self) -> QueryOutcome:
        if self._closed:
            return self._stopping()
        return failure(
            500, "Query worker died", "the process running the query ended (out of memory?); it was replaced"
        )

    def _assign(self, worker: Worker, view: Any = None) -> Path:
        """The database the worker is to read (the view's, else the newest snapshot); in use from now on."""
        with self._lock:
            own = view is not None and not view.full and view.path is not None
            path = view.path if own else self._snapshots.current
            worker.pending = path
        return path

    def _release(self, worker: Worker, path: Path) -> bool:
        """Back to the idle workers; True when it has let go of an older snapshot (collect it)."""
        with self._lock:
            moved = worker.snapshot != path
            worker.snapshot, worker.pending = path, None
        self._put_idle(worker)
        return moved

    def _take_all_idle(self) -> list[Worker]:
        """Every idle worker, taken (most recently idle first): the caller puts back what it keeps."""
        taken: list[Worker] = []
        while True:
            try:
                taken.append(self._idle.get_nowait())
            except queue.Empty:
                return taken

    def _take_idle_now(self) -> Worker | None:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return None
            if worker.alive():
                return worker
            self._discard(worker)

    def _put_idle(self, worker: Worker) -> None:
        self._idle.put(worker)
        self._wake_one()

    def _wake_one(self) -> None:
        """Wake the longest-waiting request on an event loop (it then takes an idle worker, if one is
        still there; a waiter that has given up passes the wake-up on)."""
        with self._lock:
            if not self._waiters:
                return
            waiter = self._waiters.popleft()
        loop = waiter.get_loop()
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake(waiter)
        else:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(self._wake, waiter)

    def _wake(self, waiter: asyncio.Future[None]) -> None:
        if waiter.done():
            self._wake_one()
        else:
            waiter.set_result(None)

    async def _take_idle_async(self) -> Worker | None:
        """``_take_idle`` for the event loop: waits for a worker's release, not in a thread."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # another async library than asyncio
            return await anyio.to_thread.run_sync(self._take_idle)
        started = time.monotonic()
        while True:
            waiter: asyncio.Future[None] = loop.create_future()
            with self._lock:
                self._waiters.append(waiter)
            try:
                worker = self._take_idle_now()  # after queueing the waiter: a release cannot be missed
                if worker is not None:
                    return worker
                limit = _STARTUP_SECONDS if self._starting else self._timeout
                remaining = started + limit - time.monotonic()
                if remaining <= 0:
                    return None
                # Bounded, so that a worker that died while idle or a wake-up lost to a closed
                # loop costs a short delay at most.
                with anyio.move_on_after(min(remaining, 0.25)):
                    await waiter
            finally:
                with self._lock:
                    queued = waiter in self._waiters
                    if queued:
                        self._waiters.remove(waiter)
                if not queued and waiter.done() and not waiter.cancelled() and self._idle.qsize():
                    # woken but leaving (with a worker of its own, or cancelled): pass it on
                    self._wake_one()

    def _take_idle(self) -> Worker | None:
        """An idle worker; waits up to the query timeout, or longer while workers are starting
        (at start-up, or after a kill, the first queries must not fail for want of a warm worker)."""
        started = time.monotonic()
        while True:
            limit = _STARTUP_SECONDS if self._starting else self._timeout
            remaining = started + limit - time.monotonic()
            if remaining <= 0:
                return None
            try:
                worker = self._idle.get(timeout=min(remaining, 0.25))
            except queue.Empty:
                continue
            if worker.alive():
                return worker
            self._discard(worker)  # died while idle (e.g. killed by the OOM killer)

    def _start_in_background(self) -> None:
        with self._lock:
            self._starting += 1
        self._spawn_requests.put(True)

    def _spawner(self) -> None:
        while self._spawn_requests.get():
            if self._closed:
                return
            try:
                worker = Worker(next(self._numbers), memory_mb=self._worker_memory_mb, copy_triples=self._copy_triples)
            except OSError as error:
                log.error("cannot start a SPARQL query worker: %s", error)
                self._started()
                continue
            with self._lock:
                if self._closed:
                    worker.kill()
                    return
                self._workers.append(worker)
            threading.Thread(target=self._bring_up, args=(worker,), name="defport-kg-sparql-start", daemon=True).start()

    def _bring_up(self, worker: Worker) -> None:
        try:
            if not worker.wait_ready(_STARTUP_SECONDS):
                log.error("a SPARQL query worker did not start; running with one worker fewer")
                self._discard(worker, replace=False)
                return
            if self._open_current(worker):
                self._put_idle(worker)
        finally:
            self._started()

    def _started(self) -> None:
        with self._lock:
            self._starting -= 1

    def _open_current(self, worker: Worker) -> bool:
        with self._lock:
            path = self._snapshots.current
            worker.pending = path
        try:
            reply = worker.call(("open", str(path)), _OPEN_SECONDS)
        except (WorkerDied, WorkerTimedOut):
            self._discard(worker)
            return False
        with self._lock:
            if isinstance(reply, tuple) and reply[0] == "opened":
                worker.snapshot = path
            worker.pending = None
        self._collect()
        return True

    def _discard(self, worker: Worker, *, replace: bool = True) -> None:
        worker.kill()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        self._collect()
        if replace and not self._closed:
            self._start_in_background()

    # -- snapshots ------------------------------------------------------------------------------

    def _committed(self) -> None:
        """After each write (in the writer's thread): a new snapshot, then idle workers move to it."""
        if self._closed:
            return
        self._snapshots.refresh()
        threading.Thread(target=self._switch_idle, name="defport-kg-sparql-switch", daemon=True).start()

    def _switch_idle(self) -> None:
        taken = self._take_all_idle()
        for worker in taken:
            if not worker.alive():
                self._discard(worker)
            elif self._open_current(worker):  # when it fails, the worker has been replaced
                self._put_idle(worker)

    def _collect(self) -> None:
        with self._lock:
            in_use = {p for w in self._workers for p in (w.snapshot, w.pending) if p is not None}
            if not self._closed:
                self._snapshots.collect(in_use)
