"""Disk full during an import: a clear error, the store exactly as before, the service still up.

The store lives on a small tmpfs mounted for the test (the suite runs as root on the development
machine and in CI containers that allow it); the rest of the tmpfs is taken by a filler file so that
the next write runs out of space. Where mounting is impossible the tmpfs tests are skipped with the
reason, and ``test_simulated_write_failure_at_the_store_layer`` still proves the store-layer contract
without privileges: a file size limit (RLIMIT_FSIZE) makes the kernel refuse RocksDB's write.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.api.routes.sparql import close_engine
from defport_kg.auth import hashing
from defport_kg.auth.keys import KeyRing
from defport_kg.imports import check_imports
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore
from tests.adversarial.conftest import ROOT, assert_problem, data_snapshot, serve, snapshot, stop

# Room left on the file system before the import: enough for RocksDB to open the store (it writes
# a new OPTIONS file, MANIFEST and WAL at open), far too little for the import's data (measured: an
# open needs under 100 KB; 1 000 organisations, 3 000 triples in graph and live copy, need several MB).
ROOM_BYTES = 512 * 1024
TMPFS_MB = 24


def organisations(count: int, tag: str) -> bytes:
    """A valid import (conforms to the shapes), so the only thing that can fail is the disk."""
    lines = [
        "@prefix dp: <https://w3id.org/defport/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    lines += [
        f"<https://w3id.org/defport/id/org/diskfull-{tag}-{i}> a dp:Company ; "
        f'rdfs:label "Disk full test company {tag} {i}, with a name long enough to take some room"@en ; '
        "dp:country <https://w3id.org/defport/id/country/NL> ."
        for i in range(count)
    ]
    return "\n".join(lines).encode()


@contextlib.contextmanager
def small_filesystem(mountpoint: Path, size_mb: int = TMPFS_MB) -> Iterator[Path]:
    """A tmpfs of ``size_mb`` at ``mountpoint`` (skips the test when it cannot be mounted); unmounted after."""
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs Linux and mount(8)")
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI without privileges): see the simulated-failure test")
    mountpoint.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): see the simulated-failure test")
    try:
        yield mountpoint
    finally:
        # A lazy unmount as the fallback: a process that still has a file open must not leave the
        # mount behind (it disappears once the last file is closed).
        if subprocess.run(["umount", str(mountpoint)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True, check=False)


def fill(mountpoint: Path, room: int = ROOM_BYTES) -> Path:
    """Take all but ``room`` bytes of the file system with one file; delete it to free the space."""
    stats = os.statvfs(mountpoint)
    free = stats.f_bavail * stats.f_frsize
    filler = mountpoint / "filler"
    with filler.open("wb") as handle:
        os.posix_fallocate(handle.fileno(), 0, max(free - room, 1))
    return filler


def quads_of(store_dir: Path) -> list[str]:
    """The store's quads as seen by whoever opens it next (interrupted staging is cleaned up at open)."""
    store = EmbeddedStore.open(store_dir)
    try:
        return snapshot(store)
    finally:
        store.close()


def cli(*args: str, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``defport-kg`` in its own process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "defport_kg", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )


def assert_check_passes(store_dir: Path) -> None:
    done = cli("check", "--store", str(store_dir))
    assert done.returncode == 0, done.stdout + done.stderr


def steward_key(store_dir: Path) -> str:
    """A steward key, made before the disk is filled (keys are written to the store)."""
    store = EmbeddedStore.open(store_dir)
    saved, hashing._hasher = hashing._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        return KeyRing(store).add("disk-full steward", "steward")[1]
    finally:
        hashing._hasher = saved
        store.close()


@pytest.mark.parametrize(
    ("bulk_from", "path"),
    [("1000000", "one transaction"), ("1000", "bulk load")],  # the import holds 3 000 triples
)
def test_cli_import_on_a_full_disk(_reference_store_dir: Path, tmp_path: Path, bulk_from: str, path: str) -> None:
    """Both ways the command line commits: exit status 4 naming the cause, no traceback; once space is
    freed the store opens, passes ``defport-kg check``, holds exactly what it held and takes the import."""
    data = tmp_path / "orgs.ttl"
    data.write_bytes(organisations(1000, "cli"))
    env = {"DEFPORT_KG_BULK_COMMIT_MIN_TRIPLES": bulk_from}
    with small_filesystem(tmp_path / "mnt") as mnt:
        store_dir = mnt / "store"
        shutil.copytree(_reference_store_dir, store_dir)
        before = quads_of(store_dir)
        filler = fill(mnt)
        done = cli("import", str(data), "--store", str(store_dir), env=env)
        assert done.returncode == 4, (path, done.returncode, done.stdout, done.stderr)
        assert "No space left on device" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        filler.unlink()  # space freed: the store opens, is sound and holds exactly what it held
        assert_check_passes(store_dir)
        assert quads_of(store_dir) == before
        again = cli("import", str(data), "--store", str(store_dir), env=env)  # and takes the import now
        assert again.returncode == 0, again.stdout + again.stderr
        assert_check_passes(store_dir)


def test_http_import_on_a_full_disk(_reference_store_dir: Path, tmp_path: Path) -> None:
    """Through the real app: 507 naming the cause, the data unchanged, reads still answered, and the
    store sound once space is freed (reopening it is ``test_served_import_on_a_full_disk``'s part:
    RocksDB refuses further writes from a handle whose write failed, so the service needs a restart)."""
    with small_filesystem(tmp_path / "mnt") as mnt:
        store_dir = mnt / "store"
        shutil.copytree(_reference_store_dir, store_dir)
        token = steward_key(store_dir)
        store = EmbeddedStore.open(store_dir)
        app = create_app(store, Settings(query_timeout_seconds=10, query_workers=1))
        try:
            with TestClient(app) as client:
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"}
                count = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
                first = client.post("/sparql", data=count, headers={"Accept": "text/csv"})
                assert first.status_code == 200  # the query workers are up
                before = data_snapshot(store)
                filler = fill(mnt)
                data = organisations(1000, "http")
                body = assert_problem(client.post("/api/imports", content=data, headers=headers), 507)
                assert "No space left on device" in body["detail"] and "restart" in body["detail"], body
                assert data_snapshot(store) == before
                assert client.get("/health").status_code == 200  # still up, still answering queries
                answer = client.post("/sparql", data=count, headers={"Accept": "text/csv"})
                assert answer.status_code == 200 and answer.text == first.text, answer.text
                assert client.get("/api/imports").json()["imports"] == []  # no import recorded
                filler.unlink()
                assert data_snapshot(store) == before
                assert store.check() == [] and check_imports(store) == []
        finally:
            close_engine(app)
            store.close()


def test_first_query_on_a_full_disk_is_a_clear_507(_reference_store_dir: Path, tmp_path: Path) -> None:
    """The query workers read a snapshot of the store; one that cannot be made (the disk is full before
    the first query) is a 507 naming the cause, not an internal error, and the service stays up."""
    with small_filesystem(tmp_path / "mnt") as mnt:
        store_dir = mnt / "store"
        shutil.copytree(_reference_store_dir, store_dir)
        store = EmbeddedStore.open(store_dir)
        app = create_app(store, Settings(query_timeout_seconds=10, query_workers=1))
        try:
            with TestClient(app, raise_server_exceptions=False) as client:
                before = data_snapshot(store)
                filler = fill(mnt)
                body = assert_problem(client.post("/sparql", data={"query": "ASK {}"}), 507)
                assert "No space left on device" in body["detail"], body
                health = client.get("/health")  # up, and saying what is wrong when it cannot read
                assert health.status_code in (200, 503, 507), health.text
                if health.status_code != 200:
                    assert "No space left on device" in health.text
                assert data_snapshot(store) == before
                filler.unlink()  # no write to the database failed: reads come back without a restart
                assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200
                assert client.get("/health").status_code == 200
        finally:
            close_engine(app)
            store.close()


@pytest.mark.slow
@pytest.mark.server
def test_served_import_on_a_full_disk(_reference_store_dir: Path, tmp_path: Path) -> None:
    """The real ``defport-kg serve`` process: 507 on the full disk, still serving, sound after a restart."""
    with small_filesystem(tmp_path / "mnt") as mnt:
        store_dir = mnt / "store"
        shutil.copytree(_reference_store_dir, store_dir)
        token = steward_key(store_dir)
        before = [q for q in quads_of(store_dir) if "system/audit" not in q]
        server = serve(store_dir, tmp_path / "serve.log", env={"DEFPORT_KG_QUERY_WORKERS": "1"})
        try:
            # A running service has answered queries: its workers read a snapshot made while there was room.
            first = httpx.post(server.url + "/sparql", data={"query": "ASK {}"}, timeout=60)
            assert first.status_code == 200, first.text
            filler = fill(mnt)
            response = httpx.post(
                server.url + "/api/imports",
                content=organisations(1000, "served"),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
                timeout=120,
            )
            body = assert_problem(response, 507)
            assert "No space left on device" in body["detail"]
            assert httpx.get(server.url + "/health", timeout=10).status_code == 200
            sparql = httpx.post(server.url + "/sparql", data={"query": "ASK {}"}, timeout=30)
            assert sparql.status_code == 200, sparql.text
            assert server.process.poll() is None
            filler.unlink()
        finally:
            stop(server)
        assert_check_passes(store_dir)
        assert [q for q in quads_of(store_dir) if "system/audit" not in q] == before
        server = serve(store_dir, tmp_path / "serve2.log", env={"DEFPORT_KG_QUERY_WORKERS": "1"})
        try:  # restarted with space to spare, the service takes the same import
            response = httpx.post(
                server.url + "/api/imports",
                content=organisations(1000, "served"),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
                timeout=120,
            )
            assert response.status_code == 201, response.text[:500]
        finally:
            stop(server)
        assert_check_passes(store_dir)


# Run in its own process: the file size limit must not reach the test runner's files.
_FAILING_WRITER = """
import resource, signal, sys
import pyoxigraph as ox
from defport_kg.errors import StoreError, StoreFullError
from defport_kg.store import EmbeddedStore

store = EmbeddedStore.open(sys.argv[1])
commits = []
store.on_commit.append(lambda: commits.append(1))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, not a signal
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
triples = [
    (ox.NamedNode(f"urn:x:s{i}"), ox.NamedNode("urn:x:p"), ox.Literal("x" * 200)) for i in range(20000)
]
try:
    store.add_source_graph("https://w3id.org/defport/id/import/simulated", triples, role="import")
except StoreFullError as error:
    print("StoreFullError", error.exit_code, error.http_status, commits, error)
except StoreError as error:
    print("StoreError", error)
else:
    print("written")
"""


def test_simulated_write_failure_at_the_store_layer(_reference_store_dir: Path, tmp_path: Path) -> None:
    """Without privileges: a real write failure under ``EmbeddedStore``, from a file size limit.

    RLIMIT_FSIZE makes the kernel refuse RocksDB's append (EFBIG) exactly where a full disk refuses it
    (ENOSPC): the store must raise ``StoreFullError`` (exit status 4, HTTP 507) naming the cause, run no
    commit callback (no snapshot of a write that did not happen), and reopen as it was, sound.
    """
    store_dir = tmp_path / "store"
    shutil.copytree(_reference_store_dir, store_dir)
    before = quads_of(store_dir)
    done = subprocess.run(
        [sys.executable, "-c", _FAILING_WRITER, str(store_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.stdout.startswith("StoreFullError 4 507 []"), done.stdout + done.stderr
    assert "File too large" in done.stdout and "out of space" in done.stdout
    assert quads_of(store_dir) == before
    store = EmbeddedStore.open(store_dir)
    try:
        assert store.check() == [] and check_imports(store) == []
    finally:
        store.close()
