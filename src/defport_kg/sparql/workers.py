"""Query worker processes: each reads a store snapshot and can be killed mid-query.

pyoxigraph's ``query()`` cannot be interrupted from Python, so a query that must stop at its
deadline has to run where it can be stopped: a separate process that is killed (SIGKILL) when its
time is up and replaced by a fresh one. Workers are fresh interpreters (``python -m
defport_kg.sparql``) talking over a socket pair: not ``fork`` (a fork of a threaded server
copies locks in unknown states) and not multiprocessing's ``spawn`` (which re-imports the parent's
main script, whatever that is). They die with their parent (PR_SET_PDEATHSIG), so a crashed server
leaves no query burning CPU.

Beside the database it reads (the newest snapshot, or the access view of the caller's clearance:
both immutable), a worker keeps an in-memory copy of its live data when it is small enough
(``live_copy``): queries on the default dataset that name no graph read the copy, the rest (and
every query until the copy is complete) read the database.

Messages on the socket: parent → worker ``("open", path)``, ``("query", path, QueryRequest)`` or
``("status",)``; worker → parent one reply per message (and ``("ready", pid)`` at start): the
pickled answer (``("opened", path)``, a ``QueryOutcome`` or ``("status", dict)``). Every message is
one frame in the format of ``multiprocessing.connection`` (a 4-byte big-endian length, or -1 and an
8-byte length, then the bytes), which the worker reads and writes with a ``Connection``. The parent
frames its side itself on the socket: a small query is one non-blocking write and its answer one
read, on the event loop without a thread (``read_async``), and the length tells it to hand a big
answer to a thread. Its reads and small writes never depend on the socket's blocking mode, which an
event loop (uvloop) changes when it watches it (setting it back per query cost two system calls;
with the single read, -13 % server CPU per cheap query in ``benchmarks/bench_sparql_stack.py``).

Memory: each worker limits its own address space (RLIMIT_AS, setting ``query_worker_memory_mb``) as
it starts, so a hostile query (a literal doubled until it fills memory, a sort of a huge cross
product) fails an allocation in its worker alone: the worker ends (a Rust allocation failure aborts;
a Python ``MemoryError`` makes it leave), the server answers "query worker died (out of memory?)" and
starts a fresh one. Workers also volunteer as the first victims of the kernel's OOM killer
(``oom_score_adj`` 1000) and never write core dumps (a dump of a worker that filled its memory could
fill the disk the store lives on).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

import anyio

# How the parent tells a worker its memory limit: the setting's own variable, so that a worker
# started by any engine (or by hand) reads the same value as ``Settings`` would.
MEMORY_ENV = "DEFPORT_KG_QUERY_WORKER_MEMORY_MB"
# Largest live data (triples) a worker also copies into memory (``live_copy``; 0: never).
COPY_ENV = "DEFPORT_KG_QUERY_MEMORY_COPY_TRIPLES"
# Exit status of a worker that ran out of memory in Python code (a Rust allocation failure aborts).
EXIT_OUT_OF_MEMORY = 70
# Frame headers of multiprocessing.connection: the length, or -1 then a 64-bit length.
_LENGTH = struct.Struct("!i")
_HUGE_LENGTH = struct.Struct("!Q")
# A send or receive that never blocks, whatever the socket's mode (0 where the flag is missing).
_DONTWAIT = getattr(socket, "MSG_DONTWAIT", 0)
# The most read in one go on the event loop: a cheap query's whole answer, header and body.
_READ_CHUNK = 64 * 1024


def configured_memory_mb() -> int:
    """The ``query_worker_memory_mb`` setting as the environment gives it (0: no limit)."""
    from defport_kg.settings import Settings

    return Settings().query_worker_memory_mb


def configured_copy_triples() -> int:
    """The ``query_memory_copy_triples`` setting as the environment gives it (0: no in-memory copy)."""
    from defport_kg.settings import Settings

    return Settings().query_memory_copy_triples


class WorkerDied(Exception):
    """The worker process ended (crash, out of memory, killed) before answering."""


class WorkerTimedOut(Exception):
    """The worker did not answer in time; it has been killed."""


class Worker:
    """The parent's handle on one worker process."""

    def __init__(self, index: int, *, memory_mb: int | None = None, copy_triples: int | None = None) -> None:
        """Start worker number ``index``; ``memory_mb`` caps its address space (None: the setting, 0: none);
        ``copy_triples``: the largest live data it also keeps in memory (None: the setting, 0: never)."""
        self.memory_mb = configured_memory_mb() if memory_mb is None else memory_mb
        if self.memory_mb < 0:
            raise ValueError(f"query worker memory limit {self.memory_mb} MB: give 0 (no limit) or more")
        self.copy_triples = configured_copy_triples() if copy_triples is None else copy_triples
        if self.copy_triples < 0:
            raise ValueError(f"in-memory copy size {self.copy_triples} triples: give 0 (no copy) or more")
        parent, child = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "defport_kg.sparql", str(child.fileno()), str(os.getpid())],
                pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL,
                close_fds=True,
                env={**os.environ, MEMORY_ENV: str(self.memory_mb), COPY_ENV: str(self.copy_triples)},
            )
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        self.index = index
        self.sock = parent
        self.snapshot: Path | None = None  # the snapshot the worker has open
        self.pending: Path | None = None  # the snapshot it is asked to open now

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def fileno(self) -> int:
        return self.sock.fileno()

    def wait_ready(self, timeout: float) -> bool:
        try:
            if not self.poll(timeout):
                return False
            reply = self.read_reply()
            return isinstance(reply, tuple) and reply[0] == "ready"
        except (EOFError, OSError, pickle.UnpicklingError):
            return False

    def send(self, message: tuple[Any, ...]) -> None:
        """One message to the worker. A small one goes in one non-blocking write (the worker has read
        everything before it answered, so its socket buffer has room); the rest blocks until written
        (the worker reads its socket whenever it is idle)."""
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        size = len(payload)
        header = _LENGTH.pack(size) if size <= 0x7FFFFFFF else _LENGTH.pack(-1) + _HUGE_LENGTH.pack(size)
        if size <= 16384:
            frame = header + payload
            try:
                sent = self.sock.send(frame, _DONTWAIT)
            except (BlockingIOError, InterruptedError):
                sent = 0
            if sent == len(frame):
                return
            self._blocking()
            self.sock.sendall(frame[sent:])
            return
        self._blocking()
        self.sock.sendall(header)
        self.sock.sendall(payload)

    def poll(self, timeout: float) -> bool:
        """Whether an answer (or the end of the worker) is there to read within ``timeout`` seconds."""
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN)
        return bool(poller.poll(max(timeout, 0.0) * 1000))

    def read_reply(self) -> Any:
        """The next answer, blocking until it is complete."""
        self._blocking()
        size = _LENGTH.unpack(self._read_exactly(_LENGTH.size))[0]
        if size == -1:
            size = _HUGE_LENGTH.unpack(self._read_exactly(_HUGE_LENGTH.size))[0]
        return pickle.loads(self._read_exactly(size))

    async def read_async(self, inline_bytes: int) -> Any:
        """The next answer, read on the event loop as it arrives; one of more than ``inline_bytes`` is
        read and unpickled in a thread. The caller bounds the wait (``anyio.move_on_after``).

        Called right after ``send``, when the worker cannot have answered yet: it waits first, then
        takes what has arrived in one read (a small answer is one read: header and body)."""
        await anyio.wait_readable(self.sock)
        received = self._recv_available()
        if len(received) < _LENGTH.size:
            received += await self._read_async(_LENGTH.size - len(received))
        size, offset = _LENGTH.unpack_from(received)[0], _LENGTH.size
        if size == -1:
            if len(received) < offset + _HUGE_LENGTH.size:
                received += await self._read_async(offset + _HUGE_LENGTH.size - len(received))
            size, offset = _HUGE_LENGTH.unpack_from(received, offset)[0], offset + _HUGE_LENGTH.size
        body = received[offset:]
        if len(body) > size:
            raise ValueError(f"the query worker sent {len(body) - size} bytes more than its answer")
        if size > inline_bytes:
            return await anyio.to_thread.run_sync(self._read_body, body, size)
        if len(body) < size:
            body += await self._read_async(size - len(body))
        return pickle.loads(body)

    def _recv_available(self) -> bytes:
        """What the socket holds now, up to ``_READ_CHUNK`` bytes (empty when nothing yet)."""
        try:
            chunk = self.sock.recv(_READ_CHUNK, _DONTWAIT)  # never blocks, whatever the socket's mode
        except (BlockingIOError, InterruptedError):
            return b""
        if not chunk:
            raise EOFError("the query worker closed its socket")
        return chunk

    def _read_body(self, received: bytes, size: int) -> Any:
        self._blocking()
        return pickle.loads(received + self._read_exactly(size - len(received)))

    async def _read_async(self, size: int) -> bytes:
        sock, parts, got = self.sock, [], 0
        while got < size:
            try:
                chunk = sock.recv(size - got, _DONTWAIT)  # never blocks, whatever the socket's mode
            except (BlockingIOError, InterruptedError):
                await anyio.wait_readable(sock)
                continue
            if not chunk:
                raise EOFError("the query worker closed its socket")
            parts.append(chunk)
            got += len(chunk)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _read_exactly(self, size: int) -> bytes:
        buffer = bytearray(size)
        view, got = memoryview(buffer), 0
        while got < size:
            n = self.sock.recv_into(view[got:], size - got)
            if n == 0:
                raise EOFError("the query worker closed its socket")
            got += n
        return bytes(buffer)

    def _blocking(self) -> None:
        """An event loop watching the socket (uvloop does) may have made it non-blocking."""
        os.set_blocking(self.sock.fileno(), True)

    def call(self, message: tuple[Any, ...], timeout: float) -> Any:
        """Send one message and wait for its answer; kill the worker when the answer is late."""
        try:
            self.send(message)
            if not self.poll(timeout):
                self.kill()
                raise WorkerTimedOut
            return self.read_reply()
        except (EOFError, OSError, ValueError, pickle.UnpicklingError) as error:
            self.kill()
            raise WorkerDied(str(error)) from None

    def kill(self) -> None:
        """Stop the process at once (SIGKILL: a query in native code ignores anything gentler)."""
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)  # reaped: no zombie left behind
        with contextlib.suppress(OSError):
            self.sock.close()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the worker to leave; kill it if it does not."""
        with contextlib.suppress(OSError, ValueError):
            self.send(("stop",))
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(OSError):
            self.sock.close()


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _limit_memory() -> None:
    """Cap this worker's address space (from the parent's ``MEMORY_ENV``), first in line for the OOM
    killer, no core dumps. Raises ``ValueError`` on an unreadable limit (the worker must not run unbounded
    by mistake)."""
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    megabytes = _whole_number(MEMORY_ENV, "megabytes")
    if megabytes == 0:
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)  # never above what the whole service was given (e.g. ulimit -v)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _whole_number(variable: str, unit: str) -> int:
    """A count the parent passes in the environment (missing: 0, e.g. a worker started by hand)."""
    text = os.environ.get(variable, "0").strip() or "0"
    if not text.isdigit():
        raise ValueError(f"{variable}={text!r} is not a whole number of {unit}")
    return int(text)


def _out_of_memory() -> NoReturn:
    """Leave at once, answering nothing: the parent sees the worker die and replaces it (a reply here
    could race with the next query being sent to a worker that is about to go)."""
    with contextlib.suppress(Exception):
        os.write(2, b"defport-kg query worker: out of memory (setting DEFPORT_KG_QUERY_WORKER_MEMORY_MB)\n")
    os._exit(EXIT_OUT_OF_MEMORY)


def worker_main(conn: Connection, parent_pid: int) -> None:
    """The worker's loop: open snapshots read-only, run queries, answer outcomes."""
    _die_with_parent(parent_pid)
    _limit_memory()
    # Ctrl-C on `serve` reaches the whole process group; the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import pyoxigraph as ox

    from defport_kg.sparql.execution import execute, failure, permitted_graphs
    from defport_kg.sparql.live_copy import CopyKeeper
    from defport_kg.sparql.safety import analyse

    analyse("ASK {}")  # build the parser's grammar now, not during the first query
    copies = CopyKeeper(_whole_number(COPY_ENV, "triples"))
    store: Any = None
    opened: str | None = None
    permitted: Any = None  # a snapshot never changes: read its catalogue once

    def open_snapshot(path: str) -> Any:
        nonlocal store, opened, permitted
        if path != opened:
            store, opened, permitted = None, None, None
            gc.collect()  # drop the old snapshot's files before opening the next
            store = ox.Store.read_only(path)
            permitted, opened = permitted_graphs(store), path
        return store

    def reply(answer: Any) -> None:
        # One frame (the length, then the answer): a small answer is a single write.
        conn.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))

    reply(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        kind = message[0]
        if kind == "stop":
            return
        outcome: Any
        try:
            if kind == "open":
                open_snapshot(message[1])
                outcome = ("opened", message[1])
            elif kind == "query":
                snapshot = open_snapshot(message[1])
                copy = copies.for_query(snapshot, message[1])
                outcome = execute(snapshot, message[2], permitted=permitted, live_copy=copy)
            elif kind == "status":
                outcome = ("status", copies.status())
            else:
                outcome = failure(500, "Internal error", f"unknown worker message {kind!r}")
        except MemoryError:
            _out_of_memory()
        except OSError as error:
            outcome = failure(500, "Store error", f"the query worker could not read the store snapshot: {error}")
        except Exception as error:  # a bug must reach the client as a 500, not hang it
            outcome = failure(500, "Internal error", f"{type(error).__name__}: {error}")
        try:
            reply(outcome)
        except MemoryError:  # the answer itself did not fit (pickling a huge result)
            _out_of_memory()
        except (OSError, ValueError):
            return
