"""Fixtures of the adversarial suite: an initialised on-disk store (killable query workers), the real app.

Every hostile request is checked three ways: the status and problem+json error it answers, the store's
quads unchanged (``snapshot``), and ``/health`` still answering afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from defport_kg.api.app import create_app
from defport_kg.api.routes.sparql import close_engine
from defport_kg.auth import hashing
from defport_kg.auth.keys import KeyRing
from defport_kg.auth.vocabulary import AUDIT_GRAPH
from defport_kg.settings import Settings
from defport_kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]


def snapshot(store: EmbeddedStore) -> list[str]:
    """Every quad of the store, as sorted text: equal before and after means nothing was written."""
    return sorted(str(q) for q in store.raw)


def data_snapshot(store: EmbeddedStore) -> list[str]:
    """Every quad outside the audit graph: a refused write is audited, and must change nothing else."""
    audit = f"<{AUDIT_GRAPH}>"
    return [q for q in snapshot(store) if not q.endswith(f"{audit}")]


def assert_alive(client: Any) -> None:
    response = client.get("/health")
    assert response.status_code == 200, response.text


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body.get("title") and body.get("detail"), body
    return body


@pytest.fixture(scope="module")
def disk_store(_reference_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """A private on-disk copy of an initialised store (ontology + reference data), one per module."""
    target = tmp_path_factory.mktemp("adversarial") / "store"
    shutil.copytree(_reference_store_dir, target)
    store = EmbeddedStore.open(target)
    yield store
    store.close()


@pytest.fixture(scope="module")
def app(disk_store: EmbeddedStore) -> Iterator[Any]:
    application = create_app(disk_store, Settings(query_timeout_seconds=2, query_workers=2))
    yield application
    close_engine(application)


@pytest.fixture(scope="module")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def tokens(disk_store: EmbeddedStore) -> dict[str, str]:
    """One key per role (made before the tests snapshot the store)."""
    # Still argon2id, with the smallest parameters, only while the keys are made (verifying reads the
    # parameters from each hash, so the service checks these keys as it checks any other).
    saved, hashing._hasher = hashing._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        ring = KeyRing(disk_store)
        return {role: ring.add(f"adversarial {role}", role)[1] for role in ("reader", "analyst", "steward", "admin")}
    finally:
        hashing._hasher = saved


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """``python -m defport_kg serve`` in a subprocess: its URL, pid and collected log."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


def serve(
    store_dir: Path,
    log: Path,
    *,
    env: dict[str, str] | None = None,
    preexec_fn: Any = None,
    timeout: float = 60,
    wrapper: list[str] | None = None,
) -> Served:
    """Start a real server on a free 127.0.0.1 port and wait for /health; stop it with ``stop``.

    ``wrapper`` runs before the command and must ``exec`` it (e.g. ``["prlimit", "--as=N", "--"]``), so
    that the pid is the server's own.
    """
    port = free_port()
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    handle = log.open("wb")
    process = subprocess.Popen(
        [
            *(wrapper or []),
            sys.executable,
            "-m",
            "defport_kg",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--store",
            str(store_dir),
        ],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=full_env,
        cwd=ROOT,
        preexec_fn=preexec_fn,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return Served(process, url, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(Served(process, url, log))
    raise RuntimeError(f"serve did not answer /health in {timeout}s:\n{log.read_text(errors='replace')}")


def stop(served: Served) -> None:
    """SIGINT (uvicorn's clean shutdown), then SIGKILL the server's own process group if it lingers."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGINT)
        try:
            served.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(served.pid, signal.SIGKILL)
            served.process.wait(10)
