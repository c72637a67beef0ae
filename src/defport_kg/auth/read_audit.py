"""The read audit: who read what, kept in JSON-lines files beside the store, never in it.

Writes are audited in the store (``defport_kg.auth.audit``), but reads are far more frequent: a
store write per read would make a commit, a new query snapshot and a cache flush on every read. So
each read becomes one JSON line in ``<store>/audit/reads-YYYY-MM-DD.jsonl`` (the UTC day of the
event), appended by one writer thread: the request only puts a dict on a queue, after its answer
has been sent. A store without a folder keeps the latest reads in a ring buffer (tests, remote
stores) unless ``read_audit_dir`` names a folder.

An event holds no query text and no result, only a SHA-256 of what was asked (``query_hash``), so
the audit itself does not become a copy of what it protects; an auditor who has a query text can
compute its hash with :func:`query_hash` and look for it. Day files make retention a file delete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
import logging
import os
import queue
import re
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from defport_kg.errors import UsageError

_log = logging.getLogger("defport_kg.audit")

FILE_PREFIX = "reads-"
FILE_SUFFIX = ".jsonl"
_FILE_NAME = re.compile(r"^reads-(\d{4}-\d{2}-\d{2})\.jsonl$")
# Always six fraction digits, so that the text order of two times is their time order.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
MEMORY_EVENTS = 10_000
MAX_LIMIT = 10_000
ANONYMOUS = "anonymous"
FIELDS = (
    "at",
    "method",
    "path",
    "status",
    "key_id",
    "key_name",
    "role",
    "clearance",
    "client",
    "query_hash",
    "graphs",
    "duration_ms",
)
_STOP = object()


def timestamp(moment: dt.datetime | None = None) -> str:
    """``moment`` (default now) in UTC, in the fixed-width form the events carry."""
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime(TIME_FORMAT)


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=dt.UTC)


def query_hash(text: str) -> str:
    """SHA-256 (hex) of a SPARQL query text or a search text, as the read audit records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parameters_hash(name: str, params: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of a named query (or route) with its parameters: ``name?k1=v1&k2=v2``, sorted by
    name then value and URL-encoded, so the same question always has the same hash."""
    return query_hash(f"{name}?{urlencode(sorted(params))}")


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _matches(event: dict[str, Any], since: dt.datetime | None, until: dt.datetime | None, key: str | None) -> bool:
    if key is not None:
        if key == ANONYMOUS:
            if event.get("key_id") is not None:
                return False
        elif event.get("key_id") != key:
            return False
    if since is None and until is None:
        return True
    try:
        at = parse_time(str(event.get("at")))
    except ValueError:
        return False
    return (since is None or at >= since) and (until is None or at < until)


_GATHER_SECONDS = 0.05


class ReadAuditLog:
    """Append read events and read them back, newest first; thread-safe.

    ``directory`` None keeps the last ``memory_events`` events in memory (lost at exit).
    """

    def __init__(self, directory: Path | None, *, memory_events: int = MEMORY_EVENTS) -> None:
        self.directory = directory
        self._memory: deque[dict[str, Any]] = deque(maxlen=memory_events)
        self._memory_lock = threading.Lock()
        # One queue per writer thread: a writer started after close() never shares the old one's stop.
        self._queue: queue.Queue[Any] | None = None
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()
        self._handle: Any = None
        self._handle_day: str | None = None
        self._file_lock = threading.Lock()  # the writer's open file vs. prune deleting files

    @property
    def storage(self) -> str:
        return "memory" if self.directory is None else "files"

    # -- writing -----------------------------------------------------------------------

    def record(self, event: dict[str, Any]) -> None:
        """Queue one event (``at`` is filled in when missing); never blocks on the disk."""
        filled = {field: event.get(field) for field in FIELDS}
        filled["at"] = filled["at"] or timestamp()
        if self.directory is None:
            with self._memory_lock:
                self._memory.append(filled)
            return
        self._writer_queue().put(filled)

    def flush(self) -> None:
        """Wait until every queued event is on disk (readers call this first)."""
        pending = self._queue
        if pending is not None:
            pending.join()

    def close(self) -> None:
        """Write what is queued and stop the writer thread (a later record starts a new one)."""
        with self._writer_lock:
            writer, pending = self._writer, self._queue
            self._writer = self._queue = None
        if writer is not None and pending is not None:
            pending.put(_STOP)
            writer.join()
        with self._file_lock:
            self._close_handle()

    def _writer_queue(self) -> queue.Queue[Any]:
        pending = self._queue
        if pending is not None:
            return pending
        with self._writer_lock:
            if self._queue is None:
                self._queue = queue.Queue()
                self._writer = threading.Thread(
                    target=self._write_loop, args=(self._queue,), name="read-audit", daemon=True
                )
                self._writer.start()
            return self._queue

    def _write_loop(self, pending: queue.Queue[Any]) -> None:
        while True:
            batch = [pending.get()]
            while True:  # take what else is waiting: one write call per burst
                try:
                    batch.append(pending.get_nowait())
                except queue.Empty:
                    break
            stop = any(item is _STOP for item in batch)
            events = [item for item in batch if item is not _STOP]
            try:
                self._write(events)
            except Exception:  # a full or read-only disk must not stop the service; it is logged
                _log.exception("could not write %d read-audit event(s) to %s", len(events), self.directory)
            finally:
                for _ in batch:
                    pending.task_done()
            if stop:
                return
            # Let the next events gather: a busy endpoint then wakes this thread a few dozen times a
            # second, not once per request (each wake-up takes the GIL from the event loop: a fifth
            # of a cheap query's latency when it happened per request).
            time.sleep(_GATHER_SECONDS)

    def _write(self, events: list[dict[str, Any]]) -> None:
        assert self.directory is not None
        by_day: dict[str, list[str]] = {}
        for event in events:
            day = str(event["at"])[:10]
            by_day.setdefault(day, []).append(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
        with self._file_lock:
            for day, lines in by_day.items():
                if self._handle_day != day:
                    self._close_handle()
                    self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
                    path = self.directory / f"{FILE_PREFIX}{day}{FILE_SUFFIX}"
                    # Owner-only: the audit says who looked at what.
                    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                    self._handle = os.fdopen(fd, "a", encoding="utf-8")
                    self._handle_day = day
                self._handle.write("".join(lines))
                self._handle.flush()

    def _close_handle(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self._handle = None
        self._handle_day = None

    # -- reading -----------------------------------------------------------------------

    def day_files(self) -> list[tuple[dt.date, Path]]:
        """The day files, oldest first."""
        if self.directory is None or not self.directory.is_dir():
            return []
        found = []
        for path in self.directory.iterdir():
            match = _FILE_NAME.match(path.name)
            if match:
                try:
                    found.append((dt.date.fromisoformat(match.group(1)), path))
                except ValueError:
                    continue
        return sorted(found)

    def events(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        key: str | None = None,
        limit: int = 100,
    ) -> tuple[list[dict[str, Any]], bool]:
        """Events at/after ``since`` and before ``until`` (naive: UTC), of key id ``key`` (or
        ``"anonymous"``), newest first, at most ``limit``; and whether more matched."""
        if not 1 <= limit <= MAX_LIMIT:
            raise UsageError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        since, until = _aware(since), _aware(until)
        if since is not None and until is not None and since >= until:
            raise UsageError(f"since ({timestamp(since)}) must be before until ({timestamp(until)})")
        if self.directory is None:
            with self._memory_lock:
                candidates: Iterable[dict[str, Any]] = list(self._memory)
            found = heapq.nlargest(
                limit + 1, (e for e in candidates if _matches(e, since, until, key)), key=lambda e: e["at"]
            )
            return found[:limit], len(found) > limit
        self.flush()
        found = []
        for day, path in reversed(self.day_files()):
            if until is not None and day > until.date():
                continue
            if since is not None and day < since.date():
                break
            wanted = limit + 1 - len(found)
            matching = (e for e in self._read_file(path) if _matches(e, since, until, key))
            # Files are one per day: events of a newer day all sort before those of an older one.
            found += heapq.nlargest(wanted, matching, key=lambda e: str(e.get("at")))
            if len(found) > limit:
                break
        return found[:limit], len(found) > limit

    @staticmethod
    def _read_file(path: Path) -> Iterator[dict[str, Any]]:
        try:
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    try:
                        event = json.loads(line)
                    except ValueError:  # a line being written right now, or a damaged one
                        continue
                    if isinstance(event, dict) and isinstance(event.get("at"), str):
                        yield event
        except FileNotFoundError:  # pruned meanwhile
            return

    # -- retention ---------------------------------------------------------------------

    def prune(self, cutoff: dt.datetime) -> int:
        """Delete the events older than ``cutoff``: whole day files that end before it (on disk),
        or the events themselves (in memory). Returns how many files (or events) went."""
        cutoff = _aware(cutoff) or cutoff
        if self.directory is None:
            with self._memory_lock:
                keep = [e for e in self._memory if parse_time(e["at"]) >= cutoff]
                dropped = len(self._memory) - len(keep)
                self._memory.clear()
                self._memory.extend(keep)
            return dropped
        self.flush()
        removed = 0
        # A day file holds events up to the end of its day: it goes when that end is before the cutoff.
        with self._file_lock:
            for day, path in self.day_files():
                if day >= cutoff.astimezone(dt.UTC).date():
                    break
                if self._handle_day == day.isoformat():
                    self._close_handle()
                try:
                    path.unlink()
                    removed += 1
                except FileNotFoundError:
                    continue
        return removed


def read_audit_for(store: Any, settings: Any) -> ReadAuditLog | None:
    """The read audit of ``store`` as the settings configure it; None when it is switched off."""
    if not settings.read_audit:
        return None
    if settings.read_audit_dir:
        return ReadAuditLog(Path(settings.read_audit_dir))
    directory = getattr(store, "directory", None)
    return ReadAuditLog(Path(directory) / "audit" if directory is not None else None)


def read_audit_directory(store_location: str, settings: Any) -> Path:
    """Where the read-audit files of the store at ``store_location`` are, without opening the store
    (so that `defport-kg audit reads` works while `serve` holds it)."""
    if settings.read_audit_dir:
        return Path(settings.read_audit_dir)
    if "://" in store_location:
        raise UsageError(
            f"{store_location} keeps no read-audit files: set DEFPORT_KG_READ_AUDIT_DIR to the folder `serve` writes"
        )
    directory = Path(store_location)
    if not directory.is_dir():
        raise UsageError(f"no store at {directory}: give --store, or set DEFPORT_KG_STORE")
    return directory / "audit"
