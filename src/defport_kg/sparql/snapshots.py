"""Immutable copies of the store for the query workers: one per commit, deleted once unused.

pyoxigraph 0.5 says reading a RocksDB store while another process writes it is undefined
behaviour, so worker processes never open the live database. After every commit the store is
copied with ``Store.backup()`` (a RocksDB checkpoint: hard links to the immutable table files,
so cheap) into a fresh folder; workers open the newest copy read-only and switch when a newer one
appears. A copy is deleted when it is neither the newest nor open in any worker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path
from typing import Any

SNAPSHOT_DIR = "sparql-snapshots"


class Snapshots:
    """The snapshot folders of one engine, under ``<store>/sparql-snapshots/<pid>-<n>/``."""

    _counter = 0

    def __init__(self, raw: Any, store_dir: Path) -> None:
        self._raw = raw
        parent = store_dir / SNAPSHOT_DIR
        _remove_stale(parent)
        Snapshots._counter += 1
        self.root = parent / f"{os.getpid()}-{Snapshots._counter}"
        self.root.mkdir(parents=True, exist_ok=True)
        self._make_lock = threading.Lock()
        self.generation = 0
        self.current = self._make()

    def refresh(self) -> Path:
        """Copy the store as it is now; the new copy becomes ``current``."""
        with self._make_lock:
            path = self._make()
            self.current = path
            return path

    def _make(self) -> Path:
        self.generation += 1
        path = self.root / f"{self.generation:08d}"
        # The checkpoint holds every commit that returned before this call (it flushes the memtable).
        try:
            self._raw.backup(str(path))
        except OSError as error:  # e.g. the disk is full: a clear 507/500, not a traceback
            from defport_kg.store.embedded import write_error

            self.generation -= 1
            shutil.rmtree(path, ignore_errors=True)  # a half-made copy only takes space
            raise write_error(error, "the query workers' snapshot of the store could not be made") from None
        return path

    def collect(self, in_use: set[Path]) -> list[Path]:
        """Delete the snapshots older than ``current`` that no worker uses; returns the deleted ones.

        Only older ones: a newer folder may be one that ``refresh`` is writing right now.
        """
        current = self.current
        removed = []
        for child in sorted(self.root.iterdir()):
            if child.name.isdigit() and child.name < current.name and child not in in_use:
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child)
        return removed

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.root.parent.rmdir()  # only when no other engine of this process uses it


def _remove_stale(parent: Path) -> None:
    """Snapshots left by a process that is gone (e.g. killed): the store lock says none is reading them."""
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        pid = child.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid():
            shutil.rmtree(child, ignore_errors=True)
